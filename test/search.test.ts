import { startTestSystem, TestSystem } from './helpers/system';

/** Every server-side filter must select exactly the persons a client would pick from the full list. */
describe('searching foreign nationals', () => {
  let t: TestSystem;
  let everyone: any[];

  beforeAll(async () => {
    t = await startTestSystem();
    everyone = await pages(`{ id stayPermits { kind status validUntil domicileRegency } inCountry overstayDays }`);
  });
  afterAll(() => t.stop());

  async function pages(selection: string, filter: Record<string, unknown> = {}): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const { data, errors }: any = await t.query(
        `query($filter: ForeignNationalFilter, $after: String) {
          foreignNationals(filter: $filter, first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes ${selection} }
        }`,
        { filter, after },
      );
      expect(errors).toBeUndefined();
      nodes.push(...data.foreignNationals.nodes);
      after = data.foreignNationals.pageInfo.hasNextPage ? data.foreignNationals.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }

  const ids = (persons: any[]) => persons.map((person) => person.id).sort();
  const latestRegency = (person: any) =>
    [...person.stayPermits].sort((a: any, b: any) => b.validUntil.localeCompare(a.validUntil))[0]?.domicileRegency;

  it.each([
    [
      'active VISIT holders',
      { permitKind: 'VISIT', permitStatus: 'ACTIVE' },
      (p: any) => p.stayPermits.some((s: any) => s.kind === 'VISIT' && s.status === 'ACTIVE'),
    ],
    [
      'anyone with an expired permit',
      { permitStatus: 'EXPIRED' },
      (p: any) => p.stayPermits.some((s: any) => s.status === 'EXPIRED'),
    ],
    ['persons domiciled in Ketapang', { regency: 'Ketapang' }, (p: any) => latestRegency(p) === 'Ketapang'],
    ['persons in the country', { inCountry: true }, (p: any) => p.inCountry],
    ['persons abroad', { inCountry: false }, (p: any) => !p.inCountry],
  ])('finds %s', async (_label, filter, expected) => {
    const found = await pages('{ id }', filter);
    expect(ids(found)).toEqual(ids(everyone.filter(expected)));
    expect(found.length).toBeGreaterThan(0);
  });

  it('finds the overstayers of Ketapang by combining filters', async () => {
    const found = await pages('{ id overstayDays }', { regency: 'Ketapang', inCountry: true, permitStatus: 'EXPIRED' });
    const overstayers = found.filter((person) => person.overstayDays > 0);
    const planted = t.manifest.violations
      .filter((v: any) => v.kind === 'OVERSTAY' && v.regency === 'Ketapang')
      .map((v: any) => v.personId);
    expect(ids(overstayers)).toEqual([...new Set(planted)].sort());
  });
});

describe('searching by employment, which is manpower’s data', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
  });
  afterAll(() => t.stop());

  const idsOf = (nodes: { id: string }[]) => nodes.map((node) => node.id).sort();

  it('finds the people with an active RPTKA at an employer', async () => {
    const { data } = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { currentEmployer { nib workPermits { status worker { id } } } } }`,
      {
        id: t.manifest.examples.cleanPerson.personId,
      },
    );
    const employer = data.foreignNational.currentEmployer;
    const expected = [
      ...new Set(
        employer.workPermits.filter((p: any) => p.status === 'ACTIVE' && p.worker).map((p: any) => p.worker.id),
      ),
    ];
    const found = await t.query(
      `query($nib: String!) { foreignNationals(filter: { employerNib: $nib }, first: 500) { totalCount nodes { id } } }`,
      { nib: employer.nib },
    );
    expect(found.errors).toBeUndefined();
    expect(idsOf(found.data.foreignNationals.nodes)).toEqual([...expected].sort());
    expect(found.data.foreignNationals.totalCount).toBe(expected.length);
  });

  it('combines a sector with immigration’s own filters in one server-side query', async () => {
    const mining = await t.query(
      `{ foreignNationals(filter: { employerSector: "MINING", nationality: "CHN" }, first: 500) { totalCount nodes { id nationality currentEmployer { sector } } } }`,
    );
    expect(mining.errors).toBeUndefined();
    expect(mining.data.foreignNationals.totalCount).toBeGreaterThan(0);
    for (const node of mining.data.foreignNationals.nodes) expect(node.nationality).toBe('CHN');
    expect(mining.data.foreignNationals.nodes.some((node: any) => node.currentEmployer?.sector === 'MINING')).toBe(
      true,
    );
  });

  it('refuses a malformed employer filter', async () => {
    const response = await t.query(`{ foreignNationals(filter: { employerNib: "12" }) { totalCount } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
