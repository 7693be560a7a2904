import path from 'node:path';
import { DEFAULT_LIMITS, OperationLimits } from '../gateway/limits';
import { DEFAULT_RESILIENCE, ResilienceOptions } from '../gateway/resilience';
import { AuthSettings, readAuthSettings } from '../lib/auth-config';
import { AuditKeySettings, DEFAULT_CHECKPOINT_RECORDS, DEFAULT_CHECKPOINT_SECONDS } from '../lib/audit/checkpoint';
import { ConfigError } from '../lib/errors';
import { projectRoot } from '../lib/paths';
import { SUBGRAPH_NAMES, SUBGRAPHS, SubgraphName } from '../subgraphs';
import { thresholdsFromEnv } from '../subgraphs/immigration/matching/decisions';
import { exactCountLimitFromEnv } from '../subgraphs/shared/pagination';
import { nameWalkLimitFromEnv } from '../subgraphs/immigration/search';

/**
 * Every setting of the system, read from the environment in one place. Defaults run the whole
 * demo on one machine: the gateway on 4000, each subgraph on its port in subgraphs/index.ts,
 * SQLite files under data/.
 */
export interface SystemConfig {
  host: string;
  ports: Record<SubgraphName | 'gateway', number>;
  subgraphUrls: Record<SubgraphName, string>;
  /** Where oversight reads the agencies' data (GATEWAY_URL). */
  gatewayUrl: string;
  /** Each subgraph's own database (`<NAME>_DATABASE_URL`); the gateway writes the audit's. */
  databaseUrls: Record<SubgraphName, string>;
  /** A streaming standby of a subgraph's PostgreSQL database (`<NAME>_READ_DATABASE_URL`), for its reads. */
  readDatabaseUrls: Partial<Record<SubgraphName, string>>;
  dataDir: string;
  /** The demo data's manifest, written by the seed (`<DATA_DIR>/manifest.json`); the IDE's examples come from it. */
  demoManifestFile: string;
  /** Pins "today" for every date rule (TIMPORA_TODAY); null means the wall clock. */
  today: string | null;
  /** Seed demo data into empty databases at start (default: on for SQLite). */
  seedDemoData: boolean;
  /** Gateway refusals of abusive operations (MAX_QUERY_DEPTH, MAX_ALIASES, MAX_QUERY_COST). */
  limits: OperationLimits;
  /** How the gateway calls every agency (AGENCY_*, BREAKER_*). */
  resilience: Required<ResilienceOptions>;
  /** A subgraph's own timeout over that (`<NAME>_TIMEOUT_MS`). */
  subgraphResilience: Partial<Record<SubgraphName, ResilienceOptions>>;
  /** Browser origins allowed to call the gateway (CORS_ORIGINS, comma-separated). */
  corsOrigins: string[];
  /** Requests a minute per user at the gateway (RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number;
  /** Token verification and the gateway's identity key (AUTH_*, IDENTITY_*, NODE_ENV). */
  auth: AuthSettings;
  /** Persisted query manifests of frontend applications (TRUSTED_DOCUMENTS, comma-separated files). */
  trustedDocumentFiles: string[];
  /** Refuse any operation not in those manifests (TRUSTED_DOCUMENTS_ONLY). */
  trustedDocumentsOnly: boolean;
  /** The read audit's signed checkpoints: file, schedule, key (AUDIT_CHECKPOINT_*, AUDIT_*_KEY_FILE). */
  auditCheckpoints: AuditCheckpointSettings;
}

export interface AuditCheckpointSettings extends AuditKeySettings {
  /** AUDIT_CHECKPOINT_FILE, default data/audit-checkpoints.jsonl. */
  file: string;
  /** AUDIT_CHECKPOINT_RECORDS, default 100. */
  everyRecords: number;
  /** AUDIT_CHECKPOINT_SECONDS, default 60. */
  everySeconds: number;
}

export type ServiceName = SubgraphName | 'gateway';
/** Every service a process can run, in start order: the subgraphs, then the gateway. */
export const SERVICE_NAMES: ServiceName[] = [...SUBGRAPH_NAMES, 'gateway'];

export const DEFAULT_PORTS = {
  gateway: 4000,
  ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, SUBGRAPHS[name].defaultPort])),
} as Record<ServiceName, number>;

const upper = (name: string) => name.toUpperCase();

/** Every environment variable the system reads; the README's Configuration table lists them all. */
export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'DATA_DIR',
  'SEED_DEMO_DATA',
  'TIMPORA_TODAY',
  ...SERVICE_NAMES.map((name) => `${upper(name)}_PORT`),
  ...SUBGRAPH_NAMES.map((name) => `${upper(name)}_URL`),
  'GATEWAY_URL',
  ...SUBGRAPH_NAMES.map((name) => `${upper(name)}_DATABASE_URL`),
  ...SUBGRAPH_NAMES.map((name) => `${upper(name)}_READ_DATABASE_URL`),
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'AUTH_PUBLIC_KEY_FILE',
  'AUTH_ALGORITHMS',
  'AUTH_MAX_TOKEN_LIFETIME',
  'IDENTITY_KEYS_DIR',
  'IDENTITY_TOKEN_LIFETIME',
  'SERVICE_KEYS_DIR',
  'AUDIT_PRIVATE_KEY_FILE',
  'AUDIT_PUBLIC_KEY_FILE',
  'AUDIT_CHECKPOINT_FILE',
  'AUDIT_CHECKPOINT_RECORDS',
  'AUDIT_CHECKPOINT_SECONDS',
  'TIMPORA_TOKEN',
  'TRUSTED_DOCUMENTS',
  'TRUSTED_DOCUMENTS_ONLY',
  'CORS_ORIGINS',
  'RATE_LIMIT_PER_MINUTE',
  'IDENTITY_AUTO_LINK_PROBABILITY',
  'IDENTITY_REVIEW_PROBABILITY',
  'SEARCH_EXACT_COUNT_LIMIT',
  'SEARCH_NAME_WALK_LIMIT',
  'MAX_QUERY_DEPTH',
  'MAX_ALIASES',
  'MAX_QUERY_COST',
  'AGENCY_TIMEOUT_MS',
  ...SUBGRAPH_NAMES.map((name) => `${upper(name)}_TIMEOUT_MS`),
  'AGENCY_CONNECT_TIMEOUT_MS',
  'BREAKER_FAILURES',
  'BREAKER_HALF_OPEN_MS',
  'AGENCY_MAX_IN_FLIGHT',
  'AGENCY_RETRIES',
  'LOG_LEVEL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
];

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}

export { ConfigError };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SystemConfig {
  const dataDir = path.resolve(projectRoot, env.DATA_DIR || 'data');
  const ports = {} as SystemConfig['ports'];
  for (const name of SERVICE_NAMES) ports[name] = port(env, `${upper(name)}_PORT`, DEFAULT_PORTS[name]);
  const subgraphUrls = {} as SystemConfig['subgraphUrls'];
  const databaseUrls = {} as SystemConfig['databaseUrls'];
  const readDatabaseUrls: SystemConfig['readDatabaseUrls'] = {};
  for (const name of SUBGRAPH_NAMES) {
    subgraphUrls[name] = url(env, `${upper(name)}_URL`, `http://127.0.0.1:${ports[name]}/graphql`);
    databaseUrls[name] = env[`${upper(name)}_DATABASE_URL`] || `sqlite:${path.join(dataDir, `${name}.sqlite`)}`;
    const read = env[`${upper(name)}_READ_DATABASE_URL`];
    if (read && !(read.startsWith('postgres') && databaseUrls[name].startsWith('postgres')))
      throw new ConfigError(
        `${upper(name)}_READ_DATABASE_URL names a PostgreSQL standby of ${upper(name)}_DATABASE_URL's PostgreSQL primary`,
      );
    if (read) readDatabaseUrls[name] = read;
  }
  const today = env.TIMPORA_TODAY || null;
  if (today && !/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new ConfigError(`TIMPORA_TODAY must be YYYY-MM-DD, got "${today}"`);
  const allSqlite = SUBGRAPH_NAMES.every((name) => databaseUrls[name].startsWith('sqlite:'));
  const auth = readAuthSettings(env, dataDir);
  // Read again where they are used (immigration, the linking tools); checked here so a bad value stops the start.
  thresholdsFromEnv(env);
  exactCountLimitFromEnv(env);
  nameWalkLimitFromEnv(env);
  return {
    host: env.HOST || '127.0.0.1',
    ports,
    subgraphUrls,
    gatewayUrl: url(env, 'GATEWAY_URL', `http://127.0.0.1:${ports.gateway}/graphql`),
    databaseUrls,
    readDatabaseUrls,
    dataDir,
    demoManifestFile: path.join(dataDir, 'manifest.json'),
    today,
    seedDemoData: env.SEED_DEMO_DATA ? env.SEED_DEMO_DATA === 'true' : allSqlite,
    corsOrigins: origins(env.CORS_ORIGINS),
    auth,
    ...trustedDocuments(env),
    auditCheckpoints: {
      file: path.resolve(projectRoot, env.AUDIT_CHECKPOINT_FILE || path.join(dataDir, 'audit-checkpoints.jsonl')),
      everyRecords: positive(env, 'AUDIT_CHECKPOINT_RECORDS', DEFAULT_CHECKPOINT_RECORDS),
      everySeconds: positive(env, 'AUDIT_CHECKPOINT_SECONDS', DEFAULT_CHECKPOINT_SECONDS),
      privateKeyFile: env.AUDIT_PRIVATE_KEY_FILE || undefined,
      publicKeyFile: env.AUDIT_PUBLIC_KEY_FILE || undefined,
      production: auth.production,
      keysDir: auth.keysDir,
    },
    // Per user (token subject); 0 turns it off. Requests a TIMPORA service makes on a user's behalf
    // (the findings refresh, one per 500 persons) are not counted: the user's request was.
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE === '0' ? 0 : positive(env, 'RATE_LIMIT_PER_MINUTE', 300),
    limits: {
      maxDepth: positive(env, 'MAX_QUERY_DEPTH', DEFAULT_LIMITS.maxDepth),
      maxAliases: positive(env, 'MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
      maxCost: positive(env, 'MAX_QUERY_COST', DEFAULT_LIMITS.maxCost),
    },
    ...resilience(env),
  };
}

function resilience(env: NodeJS.ProcessEnv) {
  const defaults = DEFAULT_RESILIENCE;
  const retries = env.AGENCY_RETRIES === '0' ? 0 : positive(env, 'AGENCY_RETRIES', defaults.retries);
  const settings: Required<ResilienceOptions> = {
    timeoutMs: positive(env, 'AGENCY_TIMEOUT_MS', defaults.timeoutMs),
    connectTimeoutMs: positive(env, 'AGENCY_CONNECT_TIMEOUT_MS', defaults.connectTimeoutMs),
    breakerFailures: positive(env, 'BREAKER_FAILURES', defaults.breakerFailures),
    halfOpenAfterMs: positive(env, 'BREAKER_HALF_OPEN_MS', defaults.halfOpenAfterMs),
    maxInFlight: positive(env, 'AGENCY_MAX_IN_FLIGHT', defaults.maxInFlight),
    retries,
    retryBudget: defaults.retryBudget,
  };
  const subgraphResilience: SystemConfig['subgraphResilience'] = {};
  for (const name of SUBGRAPH_NAMES) {
    const variable = `${upper(name)}_TIMEOUT_MS`;
    if (env[variable]) subgraphResilience[name] = { timeoutMs: positive(env, variable, settings.timeoutMs) };
  }
  return { resilience: settings, subgraphResilience };
}

function trustedDocuments(env: NodeJS.ProcessEnv) {
  const trustedDocumentFiles = (env.TRUSTED_DOCUMENTS ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(Boolean)
    .map((file) => path.resolve(projectRoot, file));
  const trustedDocumentsOnly = flag(env, 'TRUSTED_DOCUMENTS_ONLY');
  if (trustedDocumentsOnly && trustedDocumentFiles.length === 0)
    throw new ConfigError(
      'TRUSTED_DOCUMENTS_ONLY=true needs TRUSTED_DOCUMENTS: the manifests of the operations to allow',
    );
  return { trustedDocumentFiles, trustedDocumentsOnly };
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (!raw) return false;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function origins(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin)
      throw new ConfigError(`CORS_ORIGINS entries must be origins like https://dashboard.example, got "${origin}"`);
  }
  return list;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new ConfigError(`${name} must be a port number, got "${raw}"`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (!raw) return fallback;
  try {
    return new URL(raw).toString();
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
}
