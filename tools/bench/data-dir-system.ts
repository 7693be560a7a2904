import { SUBGRAPH_NAMES } from '../../subgraphs';
import { loadConfig } from '../config';
import { clockFromEnv } from '../../subgraphs/shared/clock';
import { RunningSystem, startSystem } from '../system';
import { loadAuth, toolToken } from '../../lib/auth-config';
import { loadAuditSigningKeys } from '../../lib/audit/checkpoint';

export type Post = (query: string, variables: Record<string, unknown>) => Promise<any>;

/**
 * The whole system on an already seeded data directory (or the *_DATABASE_URL databases), for the
 * benches that time analysts' queries through the real gateway: `post` asks as an analyst with the
 * pii clearance. Its reads go to the data directory's audit, checkpointed as npm start's gateway would.
 */
export async function startOnDataDir(dataDir: string | undefined): Promise<{ system: RunningSystem; post: Post }> {
  const config = loadConfig({ ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) });
  const auth = await loadAuth(config.auth, { vouchesTo: SUBGRAPH_NAMES, services: SUBGRAPH_NAMES });
  const token = await toolToken(auth, { subject: 'bench', roles: ['analyst'], pii: true });
  const system = await startSystem({
    databaseUrls: config.databaseUrls,
    clock: clockFromEnv(),
    host: '127.0.0.1',
    auth,
    auditCheckpoints: { file: config.auditCheckpoints.file, keys: await loadAuditSigningKeys(config.auditCheckpoints) },
  });
  const post: Post = async (query, variables) => {
    const response = await fetch(system.gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  return { system, post };
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
