import { SUBGRAPH_NAMES } from '../../subgraphs';
import { loadConfig } from '../config';
import { clockFromEnv } from '../../subgraphs/shared/clock';
import { startSystem } from '../system';
import { loadAuth, toolToken } from '../../lib/auth-config';
import { loadAuditSigningKeys } from '../../lib/audit/checkpoint';
import { countOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:figures -- --data-dir /tmp/m1 [--runs 40]`: latency of permitStatistics and
 * workforceStatistics through the real gateway on a seeded data directory (or the *_DATABASE_URL
 * databases), each run on another date (a day of each month over the seed's years, so no answer
 * is a cached repeat), for the province and for one regency. Prints p50 and p95 per operation.
 */
const OPERATIONS: [string, string, string | null][] = [
  [
    'permit figures, province',
    `query($d: LocalDate, $r: String) { permitStatistics(asOf: $d, regency: $r) { total byKind { key count } byNationality { key count } byRegency { key count } byVisaIndex { key count } } }`,
    null,
  ],
  [
    'permit figures, Ketapang',
    `query($d: LocalDate, $r: String) { permitStatistics(asOf: $d, regency: $r) { total byKind { key count } byNationality { key count } } }`,
    'Ketapang',
  ],
  [
    'workforce figures, province',
    `query($d: LocalDate, $r: String) { workforceStatistics(asOf: $d, regency: $r) { total bySector { key count } byRegency { key count } byNationality { key count } } }`,
    null,
  ],
  [
    'workforce figures, Ketapang',
    `query($d: LocalDate, $r: String) { workforceStatistics(asOf: $d, regency: $r) { total bySector { key count } byNationality { key count } } }`,
    'Ketapang',
  ],
];

const CLI = {
  command: 'npm run bench:figures --',
  summary: 'p50/p95 of the permit and workforce figures through the gateway, each run on another date.',
  options: {
    'data-dir': { type: 'string', value: 'DIR', description: 'the seeded data dir (default DATA_DIR, else data/)' },
    runs: { type: 'string', default: '40', value: 'N', description: 'runs per operation (default 40)' },
  },
} as const;

/** Run `run`'s date: the 1st to the 28th of successive months from 2015 on, day and month varying. */
function dateOf(run: number): string {
  const month = run * 7;
  const year = 2015 + (Math.floor(month / 12) % 11);
  return `${year}-${String((month % 12) + 1).padStart(2, '0')}-${String(((run * 11) % 28) + 1).padStart(2, '0')}`;
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
  const runs = countOption('runs', values.runs);
  const auth = await loadAuth(config.auth, { vouchesTo: SUBGRAPH_NAMES, services: SUBGRAPH_NAMES });
  const token = await toolToken(auth, { subject: 'bench', roles: ['analyst'], pii: true });
  const system = await startSystem({
    databaseUrls: config.databaseUrls,
    clock: clockFromEnv(),
    host: '127.0.0.1',
    auth,
    auditCheckpoints: { file: config.auditCheckpoints.file, keys: await loadAuditSigningKeys(config.auditCheckpoints) },
  });
  try {
    const url = system.gateway!.url;
    console.log(`${runs} runs per operation, each on another date`);
    for (const [label, query, regency] of OPERATIONS) {
      const times: number[] = [];
      for (let run = 0; run <= runs; run += 1) {
        const started = process.hrtime.bigint();
        const body = await postAs(url, token, query, { d: dateOf(run), r: regency });
        if (body.errors) throw new Error(`${label}: ${body.errors[0].message}`);
        if (run > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6); // run 0 warms the connection
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
      console.log(`${label.padEnd(32)} p50 ${at(0.5).padStart(8)} ms   p95 ${at(0.95).padStart(8)} ms`);
    }
  } finally {
    await system.stop();
  }
}

async function postAs(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

runTool(main);
