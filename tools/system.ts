import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DestinationStream } from 'pino';
import { startGateway, RunningGateway } from '../gateway';
import { OperationLimits } from '../gateway/limits';
import { ResilienceOptions } from '../gateway/resilience';
import { TrustedDocuments } from '../gateway/trusted-documents';
import { Auth, devTokensPerRole } from '../lib/auth-config';
import { generateSigningKeys } from '../lib/auth';
import { auditSigningKeys, CheckpointOptions } from '../lib/audit/checkpoint';
import { SUBGRAPH_NAMES, SubgraphEntry, SUBGRAPHS, subgraphs, SubgraphName } from '../subgraphs';
import { Clock } from '../subgraphs/shared/clock';
import { RunningSubgraph, startSubgraph } from '../subgraphs/shared/subgraph';
import { SERVICE_NAMES, ServiceName } from './config';
import { exampleVariablesFromManifest } from './ide-examples';

export type { ServiceName };

export interface SystemOptions {
  /** Each subgraph's database; the audit's may come from `auditDatabaseUrl` instead. */
  databaseUrls: Record<Exclude<SubgraphName, 'audit'>, string> & { audit?: string };
  /**
   * The read audit's database: the gateway writes it, the audit subgraph reads it, so it must be
   * one both can open: missing or `sqlite::memory:`, a temporary file.
   */
  auditDatabaseUrl?: string;
  /** Streaming standbys of subgraphs' PostgreSQL databases, for their reads (SubgraphOptions.readDatabaseUrl). */
  readDatabaseUrls?: Partial<Record<SubgraphName, string>>;
  /**
   * The audit key and the file the gateway writes the chain's signed checkpoints to; what is
   * missing (tests) is made for this run: a generated key, a temporary file removed at stop.
   */
  auditCheckpoints?: Partial<CheckpointOptions>;
  host?: string;
  /** 0 or missing: a free port (tests). */
  ports?: Partial<Record<ServiceName, number>>;
  /** Where the gateway finds subgraphs that this process does not start. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Where oversight finds the gateway when this process does not start it. */
  gatewayUrl?: string;
  limits?: OperationLimits;
  corsOrigins?: string[];
  rateLimitPerMinute?: number;
  clock?: Clock;
  /** Token verification for the gateway, identity verification for the subgraphs. */
  auth: Auth;
  /** NODE_ENV=production: introspection, schema details in errors and demo tokens off. */
  production?: boolean;
  trustedDocuments?: TrustedDocuments;
  /** Where every service's JSON log lines go (tests); standard output by default. */
  logDestination?: DestinationStream;
  /** Which services this process runs; all by default. */
  only?: ServiceName[];
  /** How the gateway calls every agency (timeouts, breaker, bulkhead, retries). */
  resilience?: ResilienceOptions;
  /** Per subgraph, over `resilience` (e.g. a longer timeout for one agency). */
  subgraphResilience?: Partial<Record<SubgraphName, ResilienceOptions>>;
  /** GatewayOptions.mergeFetches (default true): tests compare against the gateway that does not. */
  mergeFetches?: boolean;
  /**
   * The demo data's manifest (`<DATA_DIR>/manifest.json`), whose people fill the IDE's ready-made
   * operations; missing or absent (real data): their required variables stay empty.
   */
  demoManifestFile?: string;
}

export interface RunningSystem {
  subgraphs: Partial<Record<SubgraphName, RunningSubgraph>>;
  gateway?: RunningGateway;
  stop(): Promise<void>;
}

/** Starts the subgraphs in the order of subgraphs/index.ts and the gateway last, in this process. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const wanted = new Set<ServiceName>(options.only ?? SERVICE_NAMES);
  const audit = auditDatabase(options);
  const checkpoints = auditCheckpoints(options.auditCheckpoints);
  const databaseUrls = { ...options.databaseUrls, audit: audit.url };
  const running: RunningSystem['subgraphs'] = {};
  const system: RunningSystem = {
    subgraphs: running,
    stop: () =>
      stopAll(system).finally(() => {
        audit.remove();
        checkpoints.remove();
      }),
  };
  try {
    for (const name of SUBGRAPH_NAMES.filter((subgraph) => wanted.has(subgraph))) {
      running[name] = await startSubgraph(subgraphs[name], {
        databaseUrl: databaseUrls[name],
        readDatabaseUrl: options.readDatabaseUrls?.[name],
        host: options.host,
        port: options.ports?.[name] ?? 0,
        clock: options.clock,
        gatewayUrl: () => system.gateway?.url ?? options.gatewayUrl,
        peerUrl: (peer) => running[peer as SubgraphName]?.url ?? options.subgraphUrls?.[peer as SubgraphName],
        verifyAssertion: options.auth.assertionVerifier(name),
        delegate: options.auth.delegationSigner(name),
        logDestination: options.logDestination,
      });
    }
    if (wanted.has('gateway'))
      system.gateway = await startGateway({
        ...gatewayOptions(options, running),
        auditDatabaseUrl: audit.url,
        auditCheckpoints: await checkpoints.options(),
      });
    return system;
  } catch (error) {
    await system.stop();
    throw error;
  }
}

function gatewayOptions(options: SystemOptions, running: RunningSystem['subgraphs']) {
  const subgraphs = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      {
        url: running[name]?.url ?? options.subgraphUrls?.[name],
        label: SUBGRAPHS[name].label,
        resilience: { timeoutMs: (SUBGRAPHS[name] as SubgraphEntry).timeoutMs, ...options.subgraphResilience?.[name] },
      },
    ]),
  );
  return {
    subgraphs,
    host: options.host,
    port: options.ports?.gateway ?? 0,
    limits: options.limits,
    corsOrigins: options.corsOrigins,
    rateLimitPerMinute: options.rateLimitPerMinute,
    auth: options.auth,
    production: options.production,
    trustedDocuments: options.trustedDocuments,
    devTokens: options.production ? undefined : devTokensPerRole(options.auth),
    ideExampleVariables: exampleVariablesFromManifest(options.demoManifestFile),
    logDestination: options.logDestination,
    resilience: options.resilience,
    mergeFetches: options.mergeFetches,
  };
}

/**
 * The audit's database as configured, else a temporary file removed when the system stops: an
 * in-memory database would be one for the writer and another, always empty, for the reader.
 */
function auditDatabase(options: SystemOptions): { url: string; remove: () => void } {
  const configured = options.auditDatabaseUrl ?? options.databaseUrls.audit;
  if (configured && configured !== 'sqlite::memory:') return { url: configured, remove: () => undefined };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-audit-'));
  return {
    url: `sqlite:${path.join(dir, 'audit.sqlite')}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The checkpoints as configured, else (tests) a key for this run and a temporary file. */
function auditCheckpoints(configured: Partial<CheckpointOptions> = {}) {
  let dir: string | undefined;
  return {
    options: async (): Promise<CheckpointOptions> => {
      if (!configured.file) dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-checkpoints-'));
      return {
        ...configured,
        file: configured.file ?? path.join(dir!, 'audit-checkpoints.jsonl'),
        keys: configured.keys ?? (await auditSigningKeys(await generateSigningKeys())),
      };
    },
    remove: () => dir && rmSync(dir, { recursive: true, force: true }),
  };
}

async function stopAll(system: RunningSystem): Promise<void> {
  await system.gateway?.stop();
  await Promise.all(Object.values(system.subgraphs).map((subgraph) => subgraph?.stop()));
}
