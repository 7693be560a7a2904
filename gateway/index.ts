import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { projectRoot } from '../lib/paths';
import {
  apolloDefaults,
  apolloPluginDefaults,
  checkAll,
  healthRoutes,
  once,
  RunningServer,
  serveGraphQL,
} from '../lib/http-server';
import { openDatabase } from '../lib/database';
import { auditStorage } from '../lib/audit';
import { CheckpointOptions } from '../lib/audit/checkpoint';
import { AuditLog, auditCheckpointer } from './audit/log';
import { useReadAudit } from './audit/plugin';
import { TrustedDocuments, trustedDocumentCache, useTrustedDocuments } from './trusted-documents';
import { ideRoutes } from './ide';
import { gatewayMetrics, useMetrics } from './metrics';
import { createObservability, Observability } from '../lib/observability';
import { DestinationStream } from 'pino';
import { GraphQLSchema } from 'graphql';
import { AgencyDataSource } from './agency-data-source';
import { useCors } from './cors';
import { createSubgraphFetcher } from './fetcher';
import { OperationLimits, useOperationLimits } from './limits';
import { authenticator, GatewayContext } from './auth';
import { Auth } from '../lib/auth-config';

/**
 * @apollo/gateway sends usage metrics to Apollo and probes cloud metadata endpoints
 * (169.254.169.254) unless this is set. Intelligence data about people never phones home, and the
 * deployments are often air-gapped.
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** One subgraph as the gateway calls it. */
export interface SubgraphService {
  /** Defaults to the URL in the supergraph. */
  url?: string;
  /** How analysts know it, in messages about its missing data. @default its name */
  label?: string;
}

export interface GatewayOptions {
  /** The subgraphs by their names in the supergraph. */
  subgraphs: Record<string, SubgraphService>;
  host?: string;
  port?: number;
  /** Defaults to the checked-in schema/supergraph.graphql. */
  supergraphSdl?: string;
  limits?: OperationLimits;
  /** Origins of frontend applications allowed to call from a browser. */
  corsOrigins?: string[];
  /** Requests a minute per user (RATE_LIMIT_PER_MINUTE); 0 or missing: no limit. */
  rateLimitPerMinute?: number;
  /** Token verification and the key that signs identity assertions for the subgraphs. */
  auth: Auth;
  /** Where the read audit is appended (AUDIT_DATABASE_URL). */
  auditDatabaseUrl: string;
  /** The audit key and file the chain's signed checkpoints go to (AUDIT_CHECKPOINT_*, AUDIT_*_KEY_FILE). */
  auditCheckpoints: CheckpointOptions;
  /** NODE_ENV=production: no introspection (the IDE's schema docs are for development). */
  production?: boolean;
  /** Operations registered by frontend applications (TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_ONLY). */
  trustedDocuments?: TrustedDocuments;
  /** Development only: demo tokens per role, offered by the IDE. */
  devTokens?: () => Promise<Record<string, string>>;
  /** Where the JSON log lines go (tests); standard output by default. */
  logDestination?: DestinationStream;
}

export interface RunningGateway extends RunningServer {
  audit: AuditLog;
  observability: Observability;
  stop(): Promise<void>;
}

export function readSupergraph(): string {
  return readFileSync(path.join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8');
}

/**
 * The gateway: @apollo/gateway over the checked-in supergraph, so it starts (and serves the
 * agencies that are up) even when a subgraph is down. Each concern is a file of its own beside this.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { fetcher, close: closeFetcher } = createSubgraphFetcher();
  const observability = createObservability('gateway', options.logDestination);
  const metrics = gatewayMetrics(observability);
  const audit = await openAuditLog(options.auditDatabaseUrl, options.auditCheckpoints, observability);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService: ({ name, url }) => {
      const service = options.subgraphs[name] ?? {};
      return new AgencyDataSource(name, service.label ?? name, metrics, { url: service.url ?? url, fetcher });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...apolloDefaults,
    introspection: !options.production,
    // A browser may not send a "simple" cross-site request (a form post, a GET) that runs an operation.
    csrfPrevention: true,
    // Registered operations answer by hash; without manifests, Apollo's automatic persisted queries.
    ...(options.trustedDocuments
      ? { persistedQueries: { cache: trustedDocumentCache(options.trustedDocuments) } }
      : {}),
    // Apollo's landing page loads its IDE from a CDN, which air-gapped networks cannot reach: off.
    plugins: [
      ...apolloPluginDefaults(),
      ApolloServerPluginLandingPageDisabled(),
      useOperationLimits(options.limits),
      useReadAudit({ log: audit }),
      useMetrics({ metrics, observability }),
      ...(options.trustedDocuments ? [useTrustedDocuments(options.trustedDocuments)] : []),
    ],
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    apiSchema = loaded.apiSchema;
  });
  await apollo.start();
  const server = await serveGraphQL(apollo, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes: {
      ...healthRoutes(() => checkAll(readinessChecks(audit, options.subgraphs, fetcher))),
      ...ideRoutes({
        schema: () => apiSchema,
        authenticate: authenticator(options.auth),
        devTokens: options.devTokens,
      }),
    },
    context: authenticator(options.auth, options.rateLimitPerMinute),
    intercept: useCors({ allowedOrigins: options.corsOrigins }),
    observability,
  });
  return {
    ...server,
    audit,
    observability,
    stop: once(async () => {
      await server.close();
      await apollo.stop();
      await closeFetcher();
      await audit.close();
      if (audit.db.isInitialized) await audit.db.destroy();
    }),
  };
}

async function openAuditLog(
  url: string,
  checkpoints: CheckpointOptions,
  observability: Observability,
): Promise<AuditLog> {
  const { dataSource } = await openDatabase({ url, ...auditStorage });
  return new AuditLog(dataSource, auditCheckpointer(checkpoints, observability)).open();
}

type Fetcher = (url: string, init: object) => Promise<Response>;

/**
 * The gateway is ready when it can write the audit and every subgraph is ready (their own
 * readiness, next to their /graphql); `audit` holds when both the writer and its reader do.
 */
function readinessChecks(audit: AuditLog, subgraphs: Record<string, SubgraphService>, fetcher: Fetcher) {
  const checks = subgraphChecks(subgraphs, fetcher);
  const reader = checks.audit;
  checks.audit = async () => {
    await audit.db.query('SELECT 1');
    await reader?.();
  };
  return checks;
}

function subgraphChecks(
  subgraphs: Record<string, SubgraphService>,
  fetcher: Fetcher,
): Record<string, () => Promise<unknown>> {
  return Object.fromEntries(
    Object.entries(subgraphs).map(([name, { url }]) => [
      name,
      async () => {
        if (!url) throw new Error('no URL configured');
        const response = await fetcher(new URL('/health/ready', url).toString(), { signal: AbortSignal.timeout(2000) });
        await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
    ]),
  );
}
