import { SUBGRAPH_NAMES, SubgraphName } from '../subgraphs';
import { startTestSystem, TestSystem } from './helpers/system';

/** A page of persons with everything every agency knows about them: the N+1 canary. */
const PAGE_WITH_ALL_AGENCIES = `query($first: Int!) {
  foreignNationals(first: $first) {
    totalCount
    nodes {
      id fullName nationality inCountry overstayDays
      passports { number country current }
      stayPermits { permitNumber status sponsor { nib name sector } }
      currentStayPermit { permitNumber kind }
      crossings { direction crossedAt checkpoint }
      administrativeActions { kind decidedOn }
      workPermits { rptkaNumber status employer { name regency } worker { id } }
      currentEmployer { nib name }
      policeReports { role matchedBy report { reportNumber status involvedPeople { role fullName } } }
      registrations { registrationNumber }
    }
  }
}`;

describe('batching: SQL statements per subgraph do not grow with the page size', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(() => t.stop());

  async function statementsFor(first: number): Promise<Record<SubgraphName, number>> {
    for (const name of SUBGRAPH_NAMES) t.subgraph(name).statements.reset();
    const { data, errors } = await t.query(PAGE_WITH_ALL_AGENCIES, { first });
    expect(errors).toBeUndefined();
    expect(data.foreignNationals.nodes).toHaveLength(first);
    return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, t.subgraph(name).statements.count])) as Record<
      SubgraphName,
      number
    >;
  }

  it('costs the same number of statements for 10 and for 100 persons', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    console.log(
      `SQL statements per subgraph — 10 persons: ${JSON.stringify(ten)}; 100 persons: ${JSON.stringify(hundred)}`,
    );
    expect(hundred).toEqual(ten);
    for (const name of SUBGRAPH_NAMES) expect(hundred[name]).toBeLessThanOrEqual(12);
  });

  it('actually returns the other agencies’ data for that page (the count is not low because it is empty)', async () => {
    const { data } = await t.query(PAGE_WITH_ALL_AGENCIES, { first: 100 });
    const nodes = data.foreignNationals.nodes;
    expect(nodes.some((n: any) => n.workPermits.length > 0)).toBe(true);
    expect(nodes.some((n: any) => n.stayPermits.some((p: any) => p.sponsor?.name))).toBe(true);
    expect(nodes.some((n: any) => n.policeReports.length > 0 || n.registrations.length > 0)).toBe(true);
  });
});
