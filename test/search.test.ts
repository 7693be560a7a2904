import { startTestSystem, TestSystem } from './helpers/system';

/** Every server-side filter must select exactly the persons a client would pick from the full list. */
describe('searching foreign nationals', () => {
  let t: TestSystem;
  let everyone: any[];

  beforeAll(async () => {
    t = await startTestSystem();
    everyone = await pages(
      `{ id stayPermits { id kind status validFrom validUntil domicileRegency } currentStayPermit { id kind status } inCountry overstayDays }`,
    );
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

  /**
   * The permit a person stands on, from the full view alone: currentStayPermit, else the permit that
   * ends last (the later start, then the smaller id, on a tie).
   */
  const standing = (person: any) =>
    person.currentStayPermit ??
    [...person.stayPermits].sort(
      (a: any, b: any) =>
        b.validUntil.localeCompare(a.validUntil) || b.validFrom.localeCompare(a.validFrom) || (a.id < b.id ? -1 : 1),
    )[0];
  const standsOn = (person: any, status: string, kind?: string) =>
    standing(person)?.status === status && (!kind || standing(person).kind === kind);
  const holdsAny = (person: any, status: string, kind?: string) =>
    person.stayPermits.some((s: any) => s.status === status && (!kind || s.kind === kind));

  it.each([
    [
      'active VISIT holders',
      { permitKind: 'VISIT', permitStatus: 'ACTIVE' },
      (p: any) => p.currentStayPermit?.kind === 'VISIT',
    ],
    ['holders of a current permit', { permitStatus: 'ACTIVE' }, (p: any) => p.currentStayPermit !== null],
    [
      'persons whose current permit has expired (no active one, the last has run out)',
      { permitStatus: 'EXPIRED' },
      (p: any) => p.currentStayPermit === null && standsOn(p, 'EXPIRED'),
    ],
    [
      'persons whose last permit, a VISIT, has expired',
      { permitKind: 'VISIT', permitStatus: 'EXPIRED' },
      (p: any) => standsOn(p, 'EXPIRED', 'VISIT'),
    ],
    [
      'anyone with an expired permit, renewed or not',
      { anyPermitStatus: 'EXPIRED' },
      (p: any) => holdsAny(p, 'EXPIRED'),
    ],
    [
      'anyone with an expired VISIT permit',
      { permitKind: 'VISIT', anyPermitStatus: 'EXPIRED' },
      (p: any) => holdsAny(p, 'EXPIRED', 'VISIT'),
    ],
    ['anyone with a converted permit', { anyPermitStatus: 'CONVERTED' }, (p: any) => holdsAny(p, 'CONVERTED')],
    [
      'holders of a current permit who also hold an expired one',
      { permitStatus: 'ACTIVE', anyPermitStatus: 'EXPIRED' },
      (p: any) => p.currentStayPermit !== null && holdsAny(p, 'EXPIRED'),
    ],
    [
      'Ketapang residents whose current permit has expired (probed per person)',
      { regency: 'Ketapang', permitStatus: 'EXPIRED' },
      (p: any) => latestRegency(p) === 'Ketapang' && standsOn(p, 'EXPIRED'),
    ],
    [
      'Ketapang residents holding any expired permit (probed per person)',
      { regency: 'Ketapang', anyPermitStatus: 'EXPIRED' },
      (p: any) => latestRegency(p) === 'Ketapang' && holdsAny(p, 'EXPIRED'),
    ],
    ['persons domiciled in Ketapang', { regency: 'Ketapang' }, (p: any) => latestRegency(p) === 'Ketapang'],
    ['persons in the country', { inCountry: true }, (p: any) => p.inCountry],
    ['persons abroad', { inCountry: false }, (p: any) => !p.inCountry],
  ])('finds %s', async (_label, filter, expected) => {
    const found = await pages('{ id }', filter);
    expect(ids(found)).toEqual(ids(everyone.filter(expected)));
    expect(found.length).toBeGreaterThan(0);
  });

  it.each(['ACTIVE', 'NOT_YET_VALID', 'EXPIRED', 'CANCELLED', 'CONVERTED'])(
    'finds by permitStatus %s exactly the persons whose current (else last) permit has that status',
    async (status) => {
      const found = await pages('{ id }', { permitStatus: status });
      expect(ids(found)).toEqual(ids(everyone.filter((p) => standsOn(p, status))));
    },
  );

  it('no longer counts people whose current permit is valid as EXPIRED: anyPermitStatus keeps that meaning', async () => {
    const expired = await pages('{ id currentStayPermit { status } }', { permitStatus: 'EXPIRED' });
    const anyExpired = await pages('{ id currentStayPermit { status } }', { anyPermitStatus: 'EXPIRED' });
    expect(expired.every((person) => person.currentStayPermit === null)).toBe(true);
    // The complaint: most of those with any expired permit hold a valid one today.
    const validToday = anyExpired.filter((person) => person.currentStayPermit?.status === 'ACTIVE');
    expect(validToday.length).toBeGreaterThan(anyExpired.length / 2);
    expect(expired.length).toBeLessThan(anyExpired.length);
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

  it('filters by the Sector enum, combined with immigration’s own filters in one server-side query', async () => {
    const query = `query($sector: Sector) {
      foreignNationals(filter: { employerSector: $sector, nationality: "CHN" }, first: 500) {
        totalCount nodes { id nationality workPermits { status employer { sector } } }
      }
    }`;
    const mining = await t.query(query, { sector: 'MINING' });
    expect(mining.errors).toBeUndefined();
    const { totalCount, nodes } = mining.data.foreignNationals;
    expect(totalCount).toBeGreaterThan(0);
    expect(nodes).toHaveLength(totalCount);
    for (const node of nodes) {
      expect(node.nationality).toBe('CHN');
      expect(node.workPermits.some((p: any) => p.status === 'ACTIVE' && p.employer.sector === 'MINING')).toBe(true);
    }
    const literal = await t.query(
      `{ foreignNationals(filter: { employerSector: MINING, nationality: "CHN" }) { totalCount } }`,
    );
    expect(literal.data.foreignNationals.totalCount).toBe(totalCount);
  });

  it.each([
    [
      'a lower-case variable',
      `query($s: Sector) { foreignNationals(filter: { employerSector: $s }) { totalCount } }`,
      { s: 'mining' },
    ],
    [
      'an unknown variable',
      `query($s: Sector) { foreignNationals(filter: { employerSector: $s }) { totalCount } }`,
      { s: 'FISHING' },
    ],
    ['a string literal', `{ foreignNationals(filter: { employerSector: "MINING" }) { totalCount } }`, {}],
    ['an unknown literal', `{ foreignNationals(filter: { employerSector: FISHING }) { totalCount } }`, {}],
  ])('refuses %s as a sector before anything is fetched', async (_label, query, variables) => {
    const response = await t.query(query, variables);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/Sector/);
    expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(response.errors?.[0]?.extensions?.code);
  });

  it('refuses a malformed employer filter', async () => {
    const response = await t.query(`{ foreignNationals(filter: { employerNib: "12" }) { totalCount } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
