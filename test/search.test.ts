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
    ['active VISIT holders', { permitKind: 'VISIT', permitStatus: 'ACTIVE' }, (p: any) => p.stayPermits.some((s: any) => s.kind === 'VISIT' && s.status === 'ACTIVE')],
    ['anyone with an expired permit', { permitStatus: 'EXPIRED' }, (p: any) => p.stayPermits.some((s: any) => s.status === 'EXPIRED')],
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
    const planted = t.manifest.violations.filter((v: any) => v.kind === 'OVERSTAY' && v.regency === 'Ketapang').map((v: any) => v.personId);
    expect(ids(overstayers)).toEqual([...new Set(planted)].sort());
  });
});
