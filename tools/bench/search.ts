import { Post, startOnDataDir, timeRuns } from './data-dir-system';
import { countOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:search -- --data-dir /tmp/m1 [--runs 20] [--processes]`: latency of the analysts' searches and
 * of the full view through the real gateway, on an already seeded data directory (for instance
 * 1,000,000 persons from `npm run seed -- --persons 1000000 --data-dir /tmp/m1`).
 * Prints p50 and p95 per operation; compare runs on one machine, not absolute numbers.
 */
const SEARCHES: [string, string, Record<string, unknown>][] = [
  [
    'by passport (any, current or earlier)',
    `query($n: String!) { foreignNationals(filter: { passportNumber: $n }, first: 10) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'by name part, first page + total',
    `{ foreignNationals(filter: { name: "wang" }, first: 50) { totalCount totalCountIsExact nodes { id fullName } } }`,
    {},
  ],
  [
    'by nationality, first page + total',
    `{ foreignNationals(filter: { nationality: "MYS" }, first: 50) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'largest nationality, first page + total',
    `query($nat: String!) { foreignNationals(filter: { nationality: $nat }, first: 50) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'largest nationality, first page only',
    `query($nat: String!) { foreignNationals(filter: { nationality: $nat }, first: 50) { nodes { id } } }`,
    {},
  ],
  [
    'active VISIT holders, first page + total',
    `{ foreignNationals(filter: { permitKind: VISIT, permitStatus: ACTIVE }, first: 50) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'in the country, expired permit, Ketapang',
    `{ foreignNationals(filter: { regency: "Ketapang", inCountry: true, permitStatus: EXPIRED }, first: 50) { totalCount totalCountIsExact nodes { id overstayDays } } }`,
    {},
  ],
  [
    'by employer sector (manpower), page + total',
    `{ foreignNationals(filter: { employerSector: MINING }, first: 50) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'by employer NIB (manpower), page + total',
    `query($nib: String!) { foreignNationals(filter: { employerNib: $nib }, first: 50) { totalCount totalCountIsExact nodes { id } } }`,
    {},
  ],
  [
    'permit figures for the province',
    `{ permitStatistics { total byKind { key count } byNationality { key count } byRegency { key count } } }`,
    {},
  ],
  [
    'workforce figures for the province',
    `{ workforceStatistics { total bySector { key count } byNationality { key count } } }`,
    {},
  ],
  [
    'full view by passport (all agencies)',
    `query($n: String!, $c: String!) { foreignNationalByPassport(number: $n, country: $c) {
      fullName passports { number } stayPermits { permitNumber status sponsor { name } } crossings { crossedAt }
      workPermits { rptkaNumber employer { name } } policeReports { role report { reportNumber } } registrations { registrationNumber } } }`,
    {},
  ],
];

const CLI = {
  command: 'npm run bench:search --',
  summary: 'p50/p95 of the searches and the full view through the gateway on a seeded data dir.',
  options: {
    'data-dir': { type: 'string', value: 'DIR', description: 'the seeded data dir (default DATA_DIR, else data/)' },
    runs: { type: 'string', default: '20', value: 'N', description: 'runs per query (default 20)' },
    processes: {
      type: 'boolean',
      description: 'every service in a process of its own, as npm start runs them (default: all in this one)',
    },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const runs = countOption('runs', values.runs);
  const system = await startOnDataDir(values['data-dir'], { processes: values.processes });
  const post = system.post;
  try {
    const sample = await post(
      `{ foreignNationals(filter: { nationality: "CHN" }, first: 1) { totalCount totalCountIsExact nodes { passports { number country } } } }`,
      {},
    );
    const passport = sample.data.foreignNationals.nodes[0].passports.at(-1);
    const nationality = await largestNationality(post);
    const nib = await largeEmployer(post);
    console.log(
      `${sample.data.foreignNationals.totalCount.toLocaleString('en')} CHN persons; largest nationality ${nationality}; employer ${nib}; ${runs} runs per operation`,
    );
    for (const [label, query] of SEARCHES) {
      let matches = '';
      const { p50, p95 } = await timeRuns(runs, async () => {
        const body = await post(query, { n: passport.number, c: passport.country, nat: nationality, nib });
        if (body.errors) throw new Error(`${label}: ${body.errors[0].message}`);
        matches = matchesOf(body.data);
      });
      console.log(
        `${label.padEnd(44)} p50 ${p50.padStart(8)} ms   p95 ${p95.padStart(8)} ms   ${matches.padStart(12)}`,
      );
    }
    console.log(`database sizes: ${await system.databaseSizes()}`);
  } finally {
    await system.stop();
  }
}

/** What an answer counted: a connection's total ("~" when an estimate), or a figure's total. */
function matchesOf(data: Record<string, any>): string {
  const [answer] = Object.values(data);
  if (answer?.totalCount === undefined) return '';
  const exact = answer.totalCountIsExact !== false;
  return `${exact ? '' : '~'}${Number(answer.totalCount).toLocaleString('en')}`;
}

/** The nationality holding the most permits: the broadest nationality filter. */
async function largestNationality(post: Post): Promise<string> {
  const { data } = await post(`{ permitStatistics { byNationality { key count } } }`, {});
  return [...data.permitStatistics.byNationality].sort((a: any, b: any) => b.count - a.count)[0].key;
}

/** The employer of the first MINING worker in name order: one employer's workers. */
async function largeEmployer(post: Post): Promise<string> {
  const { data } = await post(
    `{ foreignNationals(filter: { employerSector: MINING }, first: 1) { nodes { currentEmployer { nib } } } }`,
    {},
  );
  return data.foreignNationals.nodes[0].currentEmployer.nib;
}

runTool(main);
