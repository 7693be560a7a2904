import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KALBAR_REGENCIES } from '../subgraphs/shared/geography';
import { importCsv } from '../subgraphs/shared/import';
import { recordTypeOf } from '../tools/import';
import { startTestSystem, TestSystem } from './helpers/system';

/**
 * Every regency argument of the API, with the count it answers: a filter either matches what the
 * user meant or says why it cannot, never silently nothing.
 */
const REGENCY_ARGUMENTS: [string, string, (data: any) => number][] = [
  [
    'foreignNationals(filter: { regency })',
    `query($regency: String) { answer: foreignNationals(filter: { regency: $regency }) { totalCount } }`,
    (data) => data.answer.totalCount,
  ],
  [
    'permitStatistics(regency)',
    `query($regency: String) { answer: permitStatistics(regency: $regency) { total } }`,
    (data) => data.answer.total,
  ],
  [
    'workforceStatistics(regency)',
    `query($regency: String) { answer: workforceStatistics(regency: $regency) { total } }`,
    (data) => data.answer.total,
  ],
  [
    'employers(filter: { regency })',
    `query($regency: String) { answer: employers(filter: { regency: $regency }) { totalCount } }`,
    (data) => data.answer.totalCount,
  ],
  [
    'policeReports(filter: { regency })',
    `query($regency: String) { answer: policeReports(filter: { regency: $regency }) { totalCount } }`,
    (data) => data.answer.totalCount,
  ],
  [
    'findings(filter: { regency })',
    `query($regency: String) { answer: findings(filter: { regency: $regency }, first: 500) { edges { node { id } } } }`,
    (data) => data.answer.edges.length,
  ],
];

describe('regency arguments match the way people type them', () => {
  let t: TestSystem;
  let dir: string;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    await t.query('mutation { refreshFindings { open } }');
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-filters-'));
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function count(query: string, read: (data: any) => number, regency: string) {
    const response = await t.query(query, { regency });
    expect(response.errors).toBeUndefined();
    return read(response.data);
  }

  it.each(REGENCY_ARGUMENTS)(
    '%s: case, accents and spaces do not change the answer',
    async (_argument, query, read) => {
      const ketapang = await count(query, read, 'Ketapang');
      expect(ketapang).toBeGreaterThan(0);
      for (const variant of ['ketapang', '  KETAPANG ', 'Kétapang', 'KetapanG\t'])
        expect({ variant, count: await count(query, read, variant) }).toEqual({ variant, count: ketapang });
      const kubuRaya = await count(query, read, 'Kubu Raya');
      expect(await count(query, read, 'kubu   raya')).toBe(kubuRaya);
    },
  );

  it.each(REGENCY_ARGUMENTS)(
    '%s: a misspelt regency is BAD_USER_INPUT naming the known ones, and answers nothing',
    async (_argument, query) => {
      const response = await t.query(query, { regency: 'Ketapnag' });
      expect(response.status).toBeLessThan(500);
      expect(response.data?.answer ?? null).toBeNull();
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('"regency" must be a known regency ('),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'regency' }),
        }),
      ]);
      for (const regency of KALBAR_REGENCIES) expect(response.errors![0].message).toContain(regency);
      expect(response.errors![0].message).toContain('got "Ketapnag"');
    },
  );

  it('labels the regency counted and its figures with the list’s spelling', async () => {
    const { data, errors } = await t.query(`{
      permitStatistics(regency: " ketapang ") { regency byRegency { key count } }
      workforceStatistics(regency: "KETAPANG") { regency }
    }`);
    expect(errors).toBeUndefined();
    expect(data.permitStatistics.regency).toBe('Ketapang');
    expect(data.permitStatistics.byRegency.map((row: any) => row.key)).toEqual(['Ketapang']);
    expect(data.workforceStatistics.regency).toBe('Ketapang');
  });

  it('finds records an agency imported with its own spelling, or from outside the Kalbar list', async () => {
    const before = await t.query(`{
      ketapang: foreignNationals(filter: { regency: "Ketapang" }) { totalCount }
      figures: permitStatistics { byRegency { key count } }
    }`);
    const ketapangFigure = before.data.figures.byRegency.find((row: any) => row.key === 'Ketapang').count;
    const batam = await t.query(`{ foreignNationals(filter: { regency: "Kota Batam" }) { totalCount } }`);
    expect(batam.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regency' });

    await importFile('persons.csv', [
      'passport_country,passport_number,passport_issued_on,passport_expires_on,previous_passport_number,full_name,sex,date_of_birth,place_of_birth,nationality',
      'SGP,K9000001A,2020-01-01,2030-01-01,,Tan Filter One,MALE,1980-01-01,Singapore,SGP',
      'SGP,K9000002A,2020-01-01,2030-01-01,,Tan Filter Two,FEMALE,1981-01-01,Singapore,SGP',
    ]);
    await importFile('permits.csv', [
      'permit_number,passport_country,passport_number,kind,visa_index,purpose,valid_from,valid_until,status,sponsor_type,sponsor_nib,sponsor_name,domicile_address,domicile_regency,issuing_office',
      'FILTER-0001,SGP,K9000001A,LIMITED,E31,FAMILY,2025-01-01,2026-12-31,ACTIVE,PERSON,,Tan Sponsor,Jl. Satu,KETAPANG,Kantor Imigrasi Ketapang',
      'FILTER-0002,SGP,K9000002A,LIMITED,E31,FAMILY,2025-01-01,2026-12-31,ACTIVE,PERSON,,Tan Sponsor,Jl. Dua,Kota Batam,Kantor Imigrasi Batam',
    ]);

    const after = await t.query(`{
      ketapang: foreignNationals(filter: { regency: "Ketapang" }) { totalCount }
      batam: foreignNationals(filter: { regency: "kota  batam" }) { nodes { fullName } }
      figures: permitStatistics { byRegency { key count } }
      batamFigures: permitStatistics(regency: "KOTA BATAM") { regency total }
      misspelt: permitStatistics(regency: "Kota Btam") { total }
    }`);
    expect(after.data.ketapang.totalCount).toBe(before.data.ketapang.totalCount + 1);
    expect(after.data.batam.nodes).toEqual([{ fullName: 'Tan Filter Two' }]);
    const keys = after.data.figures.byRegency.map((row: any) => row.key);
    expect(keys).not.toContain('KETAPANG');
    expect(after.data.figures.byRegency.find((row: any) => row.key === 'Ketapang').count).toBe(ketapangFigure + 1);
    expect(after.data.batamFigures).toEqual({ regency: 'Kota Batam', total: 1 });
    expect(after.errors).toEqual([
      expect.objectContaining({
        path: ['misspelt'],
        message: expect.stringContaining('Kota Batam'),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'regency' }),
      }),
    ]);
  });

  async function importFile(name: string, lines: string[]) {
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const summary = await importCsv(t.subgraph('immigration').db, recordTypeOf('immigration', name), file);
    expect(summary.problems).toEqual([]);
  }
});
