import { mkdirSync } from 'node:fs';
import { stopTracing } from '../lib/tracing';
import { ConfigError, loadConfig, SERVICE_NAMES, SystemConfig } from './config';
import { loadAuth } from '../lib/auth-config';
import { loadAuditSigningKeys } from '../lib/audit/checkpoint';
import { loadTrustedDocuments } from '../gateway/trusted-documents';
import { clockFromEnv } from '../subgraphs/shared/clock';
import { seedDemoDatabases } from './seed';
import { RunningSystem, ServiceName, startSystem } from './system';
import type { ServiceMessage } from './processes';

/**
 * `node dist/tools/start.js --only <service>` (`npm run start:<service>`, each container of
 * docker-compose.yml, each child of `npm start`'s supervisor): one service in this process.
 * Started alone it seeds empty demo databases first, as `npm start` does; started by a parent
 * with an IPC channel (the supervisor, tools/processes.ts) it tells the parent its address once
 * it listens, and stops when the parent is gone.
 */
export async function runService(name: ServiceName): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const started = Date.now();
  if (config.seedDemoData) await seedDemoDatabases(config);
  const system = await startService(config, name).catch((error) => {
    if (error?.code !== 'EADDRINUSE') throw error;
    const variables = SERVICE_NAMES.map((service) => `${service.toUpperCase()}_PORT`).join(', ');
    throw new ConfigError(
      `Port ${error.port} is already in use (another npm start?). Stop it, or choose ports with ${variables}.`,
    );
  });
  const url = system.gateway?.url ?? system.subgraphs[name as Exclude<ServiceName, 'gateway'>]!.url;
  stopOnSignals(system);
  if (process.send) {
    process.send({ type: 'listening', service: name, url, pid: process.pid } satisfies ServiceMessage);
    // The supervisor's IPC channel closes when it exits, however it exits (SIGKILL too).
    process.on('disconnect', () => void stop(system, 'the process that started it is gone'));
    return;
  }
  console.log(`${name.padEnd(12)} ${url}`);
  // /graphql in a browser is a CSRF refusal: the IDE is at the root.
  if (system.gateway) console.log(`${'IDE'.padEnd(12)} ${new URL('/', url).href}  (open in a browser)`);
  console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops.`);
}

async function startService(config: SystemConfig, name: ServiceName): Promise<RunningSystem> {
  const withGateway = name === 'gateway';
  const auth = await loadAuth(
    config.auth,
    withGateway ? { vouchesTo: Object.keys(config.subgraphUrls) } : { services: [name] },
  );
  // The gateway signs the read audit's checkpoints; in production it refuses to start without the key.
  const auditKeys = withGateway ? await loadAuditSigningKeys(config.auditCheckpoints) : undefined;
  return startSystem({
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
    readDatabaseUrls: config.readDatabaseUrls,
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
    demoManifestFile: config.demoManifestFile,
    only: [name],
  });
}

let stopping = false;
async function stop(system: RunningSystem, why: string) {
  if (stopping) return;
  stopping = true;
  if (!process.send) console.log(`\n${why}: stopping…`);
  await system.stop();
  await stopTracing();
  process.exit(0);
}

function stopOnSignals(system: RunningSystem) {
  process.on('SIGINT', () => void stop(system, 'SIGINT'));
  process.on('SIGTERM', () => void stop(system, 'SIGTERM'));
}
