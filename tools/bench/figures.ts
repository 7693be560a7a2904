import { startOnDataDir, timeRuns } from './data-dir-system';
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
    processes: {
      type: 'boolean',
      description: 'every service in a process of its own, as npm start runs them (default: all in this one)',
    },
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
  const runs = countOption('runs', values.runs);
  const system = await startOnDataDir(values['data-dir'], { processes: values.processes });
  const post = system.post;
  try {
    console.log(`${runs} runs per operation, each on another date`);
    for (const [label, query, regency] of OPERATIONS) {
      const { p50, p95 } = await timeRuns(runs, async (run) => {
        const body = await post(query, { d: dateOf(run), r: regency });
        if (body.errors) throw new Error(`${label}: ${body.errors[0].message}`);
      });
      console.log(`${label.padEnd(32)} p50 ${p50.padStart(8)} ms   p95 ${p95.padStart(8)} ms`);
    }
  } finally {
    await system.stop();
  }
}

runTool(main);
