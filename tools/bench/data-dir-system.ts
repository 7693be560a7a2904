import { statSync } from 'node:fs';
import { subgraphs, SUBGRAPH_NAMES } from '../../subgraphs';
import { openDatabase } from '../../lib/database';
import { startServiceProcesses } from '../processes';
import { loadConfig, SystemConfig } from '../config';
import { clockFromEnv } from '../../subgraphs/shared/clock';
import { startSystem } from '../system';
import { loadAuth, toolToken } from '../../lib/auth-config';
import { loadAuditSigningKeys } from '../../lib/audit/checkpoint';

export type Post = (query: string, variables: Record<string, unknown>) => Promise<any>;

/** A system running on a seeded data directory, asked as an analyst with the pii clearance. */
export interface DataDirSystem {
  post: Post;
  /** Each agency database's size on disk, "immigration 1.89 GB, …". */
  databaseSizes(): Promise<string>;
  stop(): Promise<void>;
}

export interface DataDirOptions {
  /**
   * Every service in a process of its own, as `npm start` and each agency's deployment run them
   * (tools/processes.ts), rather than all in this one: a request's hops then run on the machine's
   * cores side by side instead of taking turns on one event loop.
   * @default false
   */
  processes?: boolean;
  /** The first of the consecutive ports the services take in `processes` mode. @default 27300 */
  basePort?: number;
}

/**
 * The whole system on an already seeded data directory (or the *_DATABASE_URL databases), for the
 * benches that time analysts' queries through the real gateway. Its reads go to the data
 * directory's audit, checkpointed as npm start's gateway would.
 */
export async function startOnDataDir(
  dataDir: string | undefined,
  options: DataDirOptions = {},
): Promise<DataDirSystem> {
  const env = { ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) };
  const config = loadConfig(env);
  const started = options.processes
    ? await startProcesses(env, config.dataDir, options.basePort ?? 27300)
    : await startHere(config);
  return { ...started, databaseSizes: () => databaseSizes(config) };
}

async function startHere(config: SystemConfig): Promise<Omit<DataDirSystem, 'databaseSizes'>> {
  const auth = await loadAuth(config.auth, { vouchesTo: SUBGRAPH_NAMES, services: SUBGRAPH_NAMES });
  const token = await toolToken(auth, { subject: 'bench', roles: ['analyst'], pii: true });
  const system = await startSystem({
    databaseUrls: config.databaseUrls,
    clock: clockFromEnv(),
    host: '127.0.0.1',
    auth,
    auditCheckpoints: { file: config.auditCheckpoints.file, keys: await loadAuditSigningKeys(config.auditCheckpoints) },
  });
  return { post: poster(system.gateway!.url, token), stop: () => system.stop() };
}

async function startProcesses(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  basePort: number,
): Promise<Omit<DataDirSystem, 'databaseSizes'>> {
  // The bench measures the system, not the per-user limit that would refuse it.
  const system = await startServiceProcesses({
    basePort,
    dataDir,
    env: { ...env, SEED_DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0' },
  });
  return {
    post: poster(`http://127.0.0.1:${system.ports.gateway}/graphql`, system.token),
    stop: async () => system.stop(),
  };
}

function poster(url: string, token: string): Post {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
}

/** Each agency database's size on disk: PostgreSQL's pg_database_size, a SQLite file's bytes. */
async function databaseSizes(config: SystemConfig): Promise<string> {
  const sizes: string[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const url = config.databaseUrls[name];
    let bytes: number;
    if (url.startsWith('sqlite:')) bytes = statSync(url.slice('sqlite:'.length)).size;
    else {
      const { dataSource } = await openDatabase({ url, ...subgraphs[name] });
      bytes = Number((await dataSource.query('SELECT pg_database_size(current_database()) AS bytes'))[0].bytes);
      await dataSource.destroy();
    }
    sizes.push(`${name} ${(bytes / 1e9).toFixed(2)} GB`);
  }
  return sizes.join(', ');
}

/**
 * Runs `ask` runs + 1 times (the first warms caches and connections, and is not counted) and
 * returns p50 and p95 in ms, formatted; `ask` throws on a GraphQL error.
 */
export async function timeRuns(
  runs: number,
  ask: (run: number) => Promise<void>,
): Promise<{ p50: string; p95: string }> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run += 1) {
    const started = process.hrtime.bigint();
    await ask(run);
    if (run > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  return { p50: at(0.5), p95: at(0.95) };
}
