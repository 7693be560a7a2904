import { startGateway, RunningGateway } from '../gateway';
import { OperationLimits } from '../gateway/limits';
import { Auth, devTokensPerRole } from '../lib/auth-config';
import { DestinationStream } from 'pino';
import { TrustedDocuments } from '../gateway/trusted-documents';
import { subgraphs } from '../subgraphs';
import { Clock } from '../subgraphs/shared/clock';
import { SUBGRAPH_NAMES, SubgraphName, RunningSubgraph, startSubgraph } from '../subgraphs/shared/subgraph';

export type ServiceName = SubgraphName | 'gateway';

export interface SystemOptions {
  databaseUrls: Record<SubgraphName, string>;
  host?: string;
  /** 0 or missing: a free port (tests). */
  ports?: Partial<Record<ServiceName, number>>;
  /** Where the gateway finds agencies that this process does not start. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Where oversight finds the gateway when this process does not start it. */
  gatewayUrl?: string;
  limits?: OperationLimits;
  corsOrigins?: string[];
  rateLimitPerMinute?: number;
  clock?: Clock;
  /** Token verification for the gateway, identity verification for the subgraphs. */
  auth: Auth;
  /** The gateway's read audit; an in-memory SQLite database when missing (tests). */
  auditDatabaseUrl?: string;
  /** NODE_ENV=production: introspection off. */
  production?: boolean;
  trustedDocuments?: TrustedDocuments;
  /** Where every service's JSON log lines go (tests); standard output by default. */
  logDestination?: DestinationStream;
  /** Which services this process runs; all by default. */
  only?: ServiceName[];
}

export interface RunningSystem {
  subgraphs: Partial<Record<SubgraphName, RunningSubgraph>>;
  gateway?: RunningGateway;
  stop(): Promise<void>;
}

/** Starts the agencies' subgraphs and the gateway in this process, the gateway last. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const wanted = new Set<ServiceName>(options.only ?? [...SUBGRAPH_NAMES, 'gateway']);
  const running: RunningSystem['subgraphs'] = {};
  const system: RunningSystem = { subgraphs: running, stop: () => stopAll(system) };
  try {
    for (const name of SUBGRAPH_NAMES.filter((agency) => wanted.has(agency))) {
      running[name] = await startSubgraph(subgraphs[name], {
        databaseUrl: options.databaseUrls[name],
        host: options.host,
        port: options.ports?.[name] ?? 0,
        clock: options.clock,
        gatewayUrl: () => system.gateway?.url ?? options.gatewayUrl,
        peerUrl: (peer) => running[peer]?.url ?? options.subgraphUrls?.[peer],
        verifyIdentity: options.auth.verifyIdentity,
        logDestination: options.logDestination,
      });
    }
    if (wanted.has('gateway')) {
      const subgraphUrls = Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [name, running[name]?.url ?? options.subgraphUrls?.[name]]),
      ) as Record<SubgraphName, string>;
      system.gateway = await startGateway({ subgraphUrls, host: options.host, port: options.ports?.gateway ?? 0, limits: options.limits, corsOrigins: options.corsOrigins, rateLimitPerMinute: options.rateLimitPerMinute, auth: options.auth, auditDatabaseUrl: options.auditDatabaseUrl ?? 'sqlite::memory:', production: options.production, trustedDocuments: options.trustedDocuments, devTokens: devTokensPerRole(options.auth), logDestination: options.logDestination });
    }
    return system;
  } catch (error) {
    await stopAll(system);
    throw error;
  }
}

async function stopAll(system: RunningSystem): Promise<void> {
  await system.gateway?.stop();
  await Promise.all(Object.values(system.subgraphs).map((subgraph) => subgraph?.stop()));
}
