// First: tracing must hook the HTTP modules before anything loads them (off unless configured).
import { stopTracing } from '../lib/tracing';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, SERVICE_NAMES, SystemConfig } from './config';
import { Auth, loadAuth, toolToken } from '../lib/auth-config';
import { loadAuditSigningKeys } from '../lib/audit/checkpoint';
import { loadTrustedDocuments } from '../gateway/trusted-documents';
import { clockFromEnv, systemClock } from '../subgraphs/shared/clock';
import { queryGateway } from '../subgraphs/shared/gateway-client';
import { closeDemoDatabases, openDemoDatabases, seedIfEmpty } from './seed';
import { RunningSystem, ServiceName, startSystem } from './system';
import { SUBGRAPH_NAMES } from '../subgraphs';

/**
 * `npm start`: the whole system in one process (every subgraph and the gateway), seeding the
 * embedded SQLite databases with demo data on first start. `--only <service>` runs one service,
 * as each agency would in production.
 */
async function main() {
  const config = loadConfig();
  const only = parseOnly(process.argv.slice(2));
  mkdirSync(config.dataDir, { recursive: true });
  const started = Date.now();

  const seeded = config.seedDemoData && (await seedDemoDatabases(config));
  const withGateway = !only || only.includes('gateway');
  const services = SUBGRAPH_NAMES.filter((name) => !only || only.includes(name));
  const auth = await loadAuth(config.auth, withGateway, services);
  // The gateway signs the read audit's checkpoints; in production it refuses to start without the key.
  const auditKeys = withGateway ? await loadAuditSigningKeys(config.auditCheckpoints) : undefined;
  const system = await startSystem({
    auth,
    auditCheckpoints: {
      file: config.auditCheckpoints.file,
      everyRecords: config.auditCheckpoints.everyRecords,
      everySeconds: config.auditCheckpoints.everySeconds,
      keys: auditKeys,
    },
    production: config.auth.production,
    trustedDocuments: config.trustedDocumentFiles.length
      ? loadTrustedDocuments(config.trustedDocumentFiles, config.trustedDocumentsOnly)
      : undefined,
    databaseUrls: config.databaseUrls,
    host: config.host,
    ports: config.ports,
    subgraphUrls: config.subgraphUrls,
    gatewayUrl: config.gatewayUrl,
    limits: config.limits,
    corsOrigins: config.corsOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    resilience: config.resilience,
    subgraphResilience: config.subgraphResilience,
    clock: clockFromEnv(),
    only,
  });

  for (const subgraph of Object.values(system.subgraphs)) console.log(`${subgraph!.name.padEnd(12)} ${subgraph!.url}`);
  if (system.gateway) {
    console.log(`${'gateway'.padEnd(12)} ${system.gateway.url}`);
    // /graphql in a browser is a CSRF refusal: the IDE is at the root.
    console.log(`${'IDE'.padEnd(12)} ${new URL('/', system.gateway.url).href}  (open in a browser)`);
  }
  console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops.`);
  stopOnSignals(system);
  if (!config.auth.production)
    console.log('Development mode: tokens from "npm run -s token -- --role analyst --pii" (README, Security).');
  if (seeded && system.subgraphs.oversight && system.gateway) await refreshDemoFindings(system.gateway.url, auth);
}

/** Fresh demo data comes with its findings, so analysts see them on first start. */
async function refreshDemoFindings(gatewayUrl: string, auth: Auth) {
  try {
    const token = await toolToken(auth, { subject: 'npm-start', roles: ['analyst'] });
    const { refreshFindings } = await queryGateway<{ refreshFindings: { open: number } }>(
      gatewayUrl,
      'mutation { refreshFindings { open } }',
      {},
      token,
    );
    console.log(`Findings refreshed: ${refreshFindings.open} open.`);
  } catch (error) {
    console.log(`Findings not refreshed (npm run findings:refresh retries): ${(error as Error).message}`);
  }
}

/** Seeds all three agencies' databases together when they are empty, so their records agree. */
async function seedDemoDatabases(config: SystemConfig) {
  const dbs = await openDemoDatabases(config.databaseUrls);
  try {
    const anchor = config.today ?? systemClock.today();
    const seeded = await seedIfEmpty(dbs, { anchor, manifestPath: path.join(config.dataDir, 'manifest.json') });
    if (seeded) console.log(`Seeded the demo databases in ${config.dataDir} (anchor date ${anchor}).`);
    return seeded;
  } finally {
    await closeDemoDatabases(dbs);
  }
}

function parseOnly(args: string[]): ServiceName[] | undefined {
  const index = args.indexOf('--only');
  if (index < 0) return undefined;
  const name = args[index + 1] as ServiceName;
  if (!SERVICE_NAMES.includes(name)) throw new ConfigError(`--only takes one of ${SERVICE_NAMES.join(', ')}`);
  return [name];
}

function stopOnSignals(system: RunningSystem) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await system.stop();
    await stopTracing();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error?.code === 'EADDRINUSE') {
    const variables = SERVICE_NAMES.map((name) => `${name.toUpperCase()}_PORT`).join(', ');
    console.error(
      `Port ${error.port} is already in use (another npm start?). Stop it, or choose ports with ${variables}.`,
    );
  } else console.error(error);
  process.exit(1);
});
