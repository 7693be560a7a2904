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

/** Links and timelines, whose other agencies' records come by peer calls: one per agency and request. */
const PAGE_WITH_LINKS_AND_TIMELINE = `query($first: Int!) {
  foreignNationals(first: $first) {
    nodes {
      id
      links { kind sharedRecord agency person { id } }
      timeline { at agency kind record }
    }
  }
}`;

describe('batching: SQL statements per subgraph do not grow with the page size', () => {
  let t: TestSystem;
  beforeAll(async () => {
    // Statements are counted, not timed: every service shares the test's event loop on a shared
    // machine, where 100 persons with links and timelines once took over the 5 s agency timeout.
    t = await startTestSystem({}, { resilience: { timeoutMs: 30_000 } });
  });
  afterAll(() => t.stop());

  async function statementsFor(first: number, query = PAGE_WITH_ALL_AGENCIES): Promise<Record<SubgraphName, number>> {
    for (const name of SUBGRAPH_NAMES) t.subgraph(name).statements.reset();
    const { data, errors } = await t.query(query, { first });
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

  it('costs the same number of statements for 10 and for 100 persons with links and timelines', async () => {
    const ten = await statementsFor(10, PAGE_WITH_LINKS_AND_TIMELINE);
    const hundred = await statementsFor(100, PAGE_WITH_LINKS_AND_TIMELINE);
    console.log(
      `SQL statements per subgraph with links and timeline — 10 persons: ${JSON.stringify(ten)}; 100 persons: ${JSON.stringify(hundred)}`,
    );
    expect(hundred).toEqual(ten);
    // The peer calls reach manpower and police (one each for links, one each for timelines).
    expect(hundred.manpower).toBeGreaterThan(0);
    expect(hundred.police).toBeGreaterThan(0);
    for (const name of SUBGRAPH_NAMES) expect(hundred[name]).toBeLessThanOrEqual(20);
  });

  it('counts a page’s matches only when the operation asks for totalCount', async () => {
    const counted = () => t.subgraph('immigration').statements.statements.filter((sql) => /COUNT\(/i.test(sql));
    const page = (fields: string) => `{ foreignNationals(first: 5, filter: { nationality: "CHN" }) { ${fields} } }`;
    t.subgraph('immigration').statements.reset();
    const without = await t.query(page('nodes { id }'));
    expect(without.errors).toBeUndefined();
    expect(counted()).toEqual([]);
    t.subgraph('immigration').statements.reset();
    const withCount = await t.query(page('totalCount nodes { id } pageInfo { endCursor }'));
    expect(counted()).toHaveLength(1);
    // The count is the whole filter's, not the page's, and the same on the next page.
    let matches = 0;
    for (let after: string | null = null, more = true; more;) {
      const { data }: { data?: any } = await t.query(
        `query($after: String) { foreignNationals(first: 500, after: $after, filter: { nationality: "CHN" }) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
      matches += data.foreignNationals.nodes.length;
      ({ endCursor: after, hasNextPage: more } = data.foreignNationals.pageInfo);
    }
    expect(withCount.data.foreignNationals.totalCount).toBe(matches);
    const next = await t.query(
      `query($after: String) { foreignNationals(first: 5, after: $after, filter: { nationality: "CHN" }) { totalCount } }`,
      { after: withCount.data.foreignNationals.pageInfo.endCursor },
    );
    expect(next.data.foreignNationals.totalCount).toBe(withCount.data.foreignNationals.totalCount);
  });
});
