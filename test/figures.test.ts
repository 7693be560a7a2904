import { startTestSystem, TestSystem, TODAY } from './helpers/system';

describe('figures on the default demo data (Kalbar, June 2025)', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(() => t.stop());

  const count = (rows: { key: string; count: number }[], key: string) =>
    rows.find((row) => row.key === key)?.count ?? 0;

  it('reproduces the article: 75 VISIT, 1,131 LIMITED, 65 PERMANENT; Ketapang first; China, Malaysia, India on top', async () => {
    const { data, errors } = await t.query(`{
      permitStatistics { asOf total byKind { key count } byNationality { key count } byRegency { key count } byVisaIndex { key count } }
    }`);
    expect(errors).toBeUndefined();
    const figures = data.permitStatistics;
    expect(figures.asOf).toBe(TODAY);
    expect(count(figures.byKind, 'VISIT')).toBe(75);
    expect(count(figures.byKind, 'LIMITED')).toBe(1131);
    expect(count(figures.byKind, 'PERMANENT')).toBe(65);
    expect(figures.total).toBe(75 + 1131 + 65);
    expect(figures.byRegency[0].key).toBe('Ketapang');
    expect(figures.byNationality.slice(0, 3).map((row: any) => row.key)).toEqual(['CHN', 'MYS', 'IND']);
    expect(figures.byVisaIndex.reduce((sum: number, row: any) => sum + row.count, 0)).toBe(figures.total);
  });

  it('narrows to one regency and gives the figures of a past date', async () => {
    const { data } = await t.query(`{
      ketapang: permitStatistics(regency: "Ketapang") { total byRegency { key count } }
      all: permitStatistics { byRegency { key count } }
      lastYear: permitStatistics(asOf: "2024-06-18") { total }
    }`);
    expect(data.ketapang.byRegency).toEqual([{ key: 'Ketapang', count: data.ketapang.total }]);
    expect(data.ketapang.total).toBe(count(data.all.byRegency, 'Ketapang'));
    expect(data.lastYear.total).toBeLessThan(75 + 1131 + 65);
  });

  it('counts foreign workers by sector, regency and nationality, mostly in manufacturing and mining', async () => {
    const { data, errors } = await t.query(`{
      workforceStatistics { total bySector { key count } byRegency { key count } byNationality { key count } }
    }`);
    expect(errors).toBeUndefined();
    const figures = data.workforceStatistics;
    expect(
      figures.bySector
        .slice(0, 2)
        .map((row: any) => row.key)
        .sort(),
    ).toEqual(['MANUFACTURING', 'MINING']);
    expect(figures.bySector.reduce((sum: number, row: any) => sum + row.count, 0)).toBe(figures.total);
    expect(figures.byNationality[0].key).toBe('CHN');
  });

  it('refuses a malformed date or regency with BAD_USER_INPUT', async () => {
    for (const query of [
      `{ permitStatistics(asOf: "2025-02-30") { total } }`,
      `{ workforceStatistics(regency: "") { total } }`,
    ]) {
      const response = await t.query(query);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
