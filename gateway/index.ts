// First: @apollo/gateway and its planner must load after this (flat-exports.ts says why).
import './flat-exports';
import { readFileSync } from 'node:fs';
import http from 'node:http';
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
  schemaDetailsInErrors,
  serveGraphQL,
} from '../lib/http-server';
import { openDatabase } from '../lib/database';
import { auditStorage } from '../lib/audit';
import { CheckpointOptions } from '../lib/audit/checkpoint';
import { AuditLog, auditCheckpointer } from './audit/log';
import { useReadAudit } from './audit/plugin';
import { TrustedDocuments, trustedDocumentCache, useTrustedDocuments } from './trusted-documents';
import { ExampleVariables, ideRoutes, ideSchemas, IdeSchemas, redirectBrowsersToIde } from './ide';
import { gatewayMetrics, GatewayMetrics, useMetrics } from './metrics';
import { createObservability, Observability } from '../lib/observability';
import { DestinationStream } from 'pino';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { AgencyDataSource } from './agency-data-source';
import { useCors } from './cors';
import { DocumentBudget, useDocumentBudget } from './document-budget';
import { createSubgraphFetcher, SubgraphFetcher } from './fetcher';
import { OperationLimits, useOperationLimits } from './limits';
import { useRateLimit } from './rate-limit';
import { authenticator, GatewayContext } from './auth';
import { Auth, DevToken } from '../lib/auth-config';
import { CODE, ConfigError } from '../lib/errors';
import { AgencyPolicy, ResilienceOptions, useResilience } from './resilience';

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
  /** Its own timeout, breaker, bulkhead and retries, over `GatewayOptions.resilience`. */
  resilience?: ResilienceOptions;
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
  /**
   * Requests a minute per user (RATE_LIMIT_PER_MINUTE); 0 or missing: no limit. On PostgreSQL the
   * replicas share each user's bucket in the audit database (rate-limit.ts).
   */
  rateLimitPerMinute?: number;
  /** Token verification and the key that signs identity assertions for the subgraphs. */
  auth: Auth;
  /** Where the read audit is appended (AUDIT_DATABASE_URL). */
  auditDatabaseUrl: string;
  /** The audit key and file the chain's signed checkpoints go to (AUDIT_CHECKPOINT_*, AUDIT_*_KEY_FILE). */
  auditCheckpoints: CheckpointOptions;
  /**
   * NODE_ENV=production: no introspection, no schema details ("Did you mean …") in error messages,
   * no demo tokens; the IDE's docs come from /ide/schema.json for the roles that may have it.
   */
  production?: boolean;
  /** Operations registered by frontend applications (TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_ONLY). */
  trustedDocuments?: TrustedDocuments;
  /** Development only: demo tokens per role, offered by the IDE to the loopback address (never in production). */
  devTokens?: () => Promise<DevToken[]>;
  /**
   * Variables for the IDE's ready-made operations by operation name (the demo data's people),
   * asked at each load of the IDE. @default none: required variables are empty, no made-up person
   */
  ideExampleVariables?: () => ExampleVariables | undefined;
  /** Where the JSON log lines go (tests); standard output by default. */
  logDestination?: DestinationStream;
  /** How every agency is called; each subgraph may override it. @default DEFAULT_RESILIENCE */
  resilience?: ResilienceOptions;
  /** How large a document is parsed and validated at all. @default DEFAULT_DOCUMENT_BUDGET */
  documentBudget?: DocumentBudget;
  /**
   * A plan's simultaneous fetches from one agency go as one call (merged-fetches.ts).
   * @default true
   */
  mergeFetches?: boolean;
}

/** Memory for query plans, in MiB as Apollo estimates it (Apollo's default: 30). */
export const QUERY_PLAN_CACHE_MIB = 8;

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
  const agencies = agencyServices(options, metrics);
  const supergraphSdl = options.supergraphSdl ?? readSupergraph();
  // Query plans per distinct operation: bounded (Apollo's estimate of their size), like the documents.
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: agencies.build,
    experimental_approximateQueryPlanStoreMiB: QUERY_PLAN_CACHE_MIB,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...apolloDefaults,
    introspection: !options.production,
    // Production tells a client nothing of the schema it was not given: errors lose their
    // "Did you mean …" suggestions (field, argument and enum value names); development keeps them.
    ...schemaDetailsInErrors(Boolean(options.production)),
    // No document within the body limit costs more than a few milliseconds to parse and validate.
    ...useDocumentBudget<GatewayContext>(options.documentBudget),
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
      useReadAudit({
        log: audit,
        onFailure: (error) => observability.log.error({ err: error }, 'read audit append failed; answer refused'),
      }),
      useMetrics({ metrics }),
      ...(options.trustedDocuments ? [useTrustedDocuments(options.trustedDocuments)] : []),
    ],
  });
  // The IDE's schema documents per role, built at the first request after each schema load.
  let loadedSchema: { apiSchema: GraphQLSchema; coreSupergraphSdl: string } | undefined;
  let schemaDocuments: IdeSchemas | undefined;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    loadedSchema = loaded;
    schemaDocuments = undefined;
  });
  await apollo.start();
  const server = await serveGraphQL(apollo, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes: {
      ...healthRoutes(() => checkAll(readinessChecks(audit, options.subgraphs, agencies.policies, fetcher))),
      ...ideRoutes({
        schema: () =>
          loadedSchema && (schemaDocuments ??= ideSchemas(loadedSchema.apiSchema, loadedSchema.coreSupergraphSdl)),
        authenticate: authenticator(options.auth, observability),
        production: options.production,
        devTokens: options.production ? undefined : options.devTokens,
        exampleVariables: options.ideExampleVariables,
      }),
    },
    context: authenticator(
      options.auth,
      observability,
      useRateLimit({ perMinute: options.rateLimitPerMinute, database: audit.db, observability }),
    ),
    intercept: interceptors(redirectBrowsersToIde(), useCors({ allowedOrigins: options.corsOrigins })),
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
      await agencies.close();
      await audit.close();
      if (audit.db.isInitialized) await audit.db.destroy();
    }),
  };
}

/** Request hooks that run before the routes, in order; the first that answers ends the request. */
function interceptors(...hooks: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean)[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => hooks.some((hook) => hook(req, res));
}

async function openAuditLog(
  url: string,
  checkpoints: CheckpointOptions,
  observability: Observability,
): Promise<AuditLog> {
  // The writer only appends (and reads the head once): SQLite's default 2 MB of pages and no
  // mapped file, instead of an agency's 64 MB cache and mapped reads, which held 100 MB of RSS.
  const { dataSource } = await openDatabase({ url, ...auditStorage, sqlite: { cacheMb: 2, mapFile: false } });
  return new AuditLog(dataSource, {
    checkpoints: auditCheckpointer(checkpoints, observability),
    // The records hold the persons and readers look through them: a late index loses nothing.
    onIndexFailure: (error) =>
      observability.log.error({ err: error.message }, 'read audit: who-read-whom rows not written; retried'),
  }).open();
}

/**
 * One data source per agency, each with its own policy (resilience.ts) and its own connection
 * pool whose timeouts are the policy's: an agency in trouble holds up no other.
 */
function agencyServices(options: GatewayOptions, metrics: GatewayMetrics) {
  const sign = options.auth.signAgencyAssertion;
  if (!sign) throw new ConfigError('The gateway needs its identity private key to vouch for users');
  const policies: Record<string, AgencyPolicy> = {};
  const closers: (() => Promise<void>)[] = [];
  const isOutage = (error: Error) => (error as GraphQLError).extensions?.code === CODE.AGENCY_UNAVAILABLE;
  const policyOf = (name: string) => {
    policies[name] ??= useResilience([options.resilience, options.subgraphs[name]?.resilience], isOutage);
    return policies[name];
  };
  for (const name of Object.keys(options.subgraphs)) metrics.watchBreaker(name, policyOf(name));
  const build = ({ name, url }: { name: string; url?: string }) => {
    const service = options.subgraphs[name] ?? {};
    const policy = policyOf(name);
    const { forDataSource, close } = createSubgraphFetcher(policy.settings);
    closers.push(close);
    const agency = { label: service.label ?? name, metrics, sign, policy, mergeFetches: options.mergeFetches };
    return new AgencyDataSource(name, agency, { url: service.url ?? url, fetcher: forDataSource });
  };
  return { build, policies, close: () => Promise.all(closers.map((close) => close())) };
}

type Fetcher = SubgraphFetcher;

/**
 * The gateway is ready when it can write the audit and every subgraph is ready (their own
 * readiness, next to their /graphql); `audit` holds when both the writer and its reader do.
 */
function readinessChecks(
  audit: AuditLog,
  subgraphs: Record<string, SubgraphService>,
  policies: Record<string, AgencyPolicy>,
  fetcher: Fetcher,
) {
  const checks = subgraphChecks(subgraphs, policies, fetcher);
  const reader = checks.audit;
  checks.audit = async () => {
    await audit.db.query('SELECT 1');
    await reader?.();
  };
  return checks;
}

function subgraphChecks(
  subgraphs: Record<string, SubgraphService>,
  policies: Record<string, AgencyPolicy>,
  fetcher: Fetcher,
): Record<string, () => Promise<unknown>> {
  return Object.fromEntries(
    Object.entries(subgraphs).map(([name, { url }]) => [
      name,
      async () => {
        if (!url) throw new Error('no URL configured');
        const policy = policies[name];
        if (policy?.state() === 'open')
          throw new Error(`circuit breaker open since ${policy.openedAt()?.toISOString()}`);
        const response = await fetcher(new URL('/health/ready', url).toString(), { signal: AbortSignal.timeout(2000) });
        await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
    ]),
  );
}
