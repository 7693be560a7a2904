import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/paths';
import { KALBAR_REGENCIES } from '../subgraphs/shared/geography';
import { graphqlClient } from './load';

/**
 * What analysts send, for the load tools (`npm run soak`, `npm run bench:gateway`): each
 * workload hands out the next operation and variables on every call, a different person, page,
 * filter or date each time, so that no gateway can collapse identical requests.
 */
export type Workload = () => [query: string, variables: Record<string, unknown>];

/** The README's full view by passport (examples/full-view.graphql). */
const FULL_VIEW = readFileSync(path.join(projectRoot, 'examples', 'full-view.graphql'), 'utf8');

/** A page of 100 persons with their permits and sponsor, work permits and employer, police reports. */
const PAGE = `query($after: String) { foreignNationals(first: 100, after: $after) { nodes { id fullName nationality
  stayPermits { permitNumber kind status validUntil sponsor { nib name } }
  workPermits { rptkaNumber status employer { nib name sector } }
  policeReports { role report { reportNumber category } } } pageInfo { endCursor } } }`;

const SEARCH = `query($filter: ForeignNationalFilter, $first: Int) { foreignNationals(filter: $filter, first: $first) {
  totalCount nodes { id fullName nationality overstayDays currentStayPermit { kind status validUntil domicileRegency } } } }`;

/** The figures of examples/analyst-tasks.graphql (PermitFigures). */
const FIGURES = `query($asOf: LocalDate, $regency: String) {
  permitStatistics(asOf: $asOf, regency: $regency) { asOf total byKind { key count } byNationality { key count } byRegency { key count } byVisaIndex { key count } }
  workforceStatistics(asOf: $asOf, regency: $regency) { total bySector { key count } byNationality { key count } } }`;

const SEARCH_FILTERS: Record<string, unknown>[] = [
  { nationality: 'CHN' },
  { nationality: 'KOR', inCountry: true },
  { regency: 'Ketapang', inCountry: true, permitStatus: 'EXPIRED' },
  { permitKind: 'VISIT', permitStatus: 'ACTIVE' },
  { name: 'wang' },
  { name: 'kim' },
  { employerSector: 'MINING' },
  { regency: 'Pontianak' },
];
const REGENCIES = [null, ...KALBAR_REGENCIES];

export async function analystWorkloads(client: ReturnType<typeof graphqlClient>) {
  const { body } = await client.ask(
    '{ foreignNationals(first: 500) { nodes { passports { number country } } pageInfo { endCursor } } }',
  );
  const passports = body.data.foreignNationals.nodes.flatMap((node: { passports: unknown[] }) => node.passports);
  const cursors: (string | null)[] = [null];
  for (let page = 0; page < 15; page += 1) {
    const next = await client.ask(PAGE, { after: cursors[cursors.length - 1] });
    const endCursor = next.body.data?.foreignNationals.pageInfo.endCursor;
    if (!endCursor) break;
    cursors.push(endCursor);
  }
  let turn = 0;
  const day = (offset: number) => new Date(Date.UTC(2025, 5, 18) - offset * 86_400_000).toISOString().slice(0, 10);
  const workloads = {
    fullView: (): ReturnType<Workload> => [FULL_VIEW, passports[turn++ % passports.length]],
    page: (): ReturnType<Workload> => [PAGE, { after: cursors[turn++ % cursors.length] }],
    search: (): ReturnType<Workload> => [
      SEARCH,
      { filter: SEARCH_FILTERS[turn++ % SEARCH_FILTERS.length], first: 20 + (turn % 5) * 10 },
    ],
    figures: (): ReturnType<Workload> => [
      FIGURES,
      { asOf: day(turn++ % 365), regency: REGENCIES[turn % REGENCIES.length] },
    ],
  };
  return workloads satisfies Record<string, Workload>;
}
