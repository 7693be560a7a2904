import { startTestSystem, TestSystem } from './helpers/system';

describe('a person’s timeline across agencies', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    await t.query(`mutation { refreshFindings { open } }`);
  });
  afterAll(() => t.stop());

  it('merges crossings, permits, work authorisations, police reports and findings in time order, each with its source', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const { data, errors } = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { timeline { at agency kind record summary } } }`,
      { id: renewed.personId },
    );
    expect(errors).toBeUndefined();
    const timeline = data.foreignNational.timeline;
    const ats = timeline.map((event: any) => event.at);
    expect(ats).toEqual([...ats].sort());
    const agencies = new Set(timeline.map((event: any) => event.agency));
    for (const agency of ['IMMIGRATION', 'MANPOWER', 'POLICE']) expect(agencies.has(agency)).toBe(true);
    expect(timeline).toContainEqual(expect.objectContaining({ agency: 'MANPOWER', record: renewed.rptkaNumber }));
    expect(timeline).toContainEqual(expect.objectContaining({ agency: 'POLICE', record: renewed.reportNumber }));
  });

  it('includes the person’s findings', async () => {
    const violation = t.manifest.violations[0];
    const { data } = await t.query(`query($id: ID!) { foreignNational(id: $id) { timeline { agency kind record } } }`, {
      id: violation.personId,
    });
    expect(data.foreignNational.timeline).toContainEqual({ agency: null, kind: 'FINDING', record: violation.kind });
  });

  it('reads a page of timelines with a bounded number of statements per subgraph', async () => {
    const count = async (first: number) => {
      t.subgraph('oversight').statements.reset();
      const { errors } = await t.query(
        `query($first: Int!) { foreignNationals(first: $first) { nodes { timeline { kind } } } }`,
        { first },
      );
      expect(errors).toBeUndefined();
      return t.subgraph('oversight').statements.count;
    };
    expect(await count(100)).toBe(await count(10));
  });
});
