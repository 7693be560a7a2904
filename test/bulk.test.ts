import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { bulkInsert, bulkUpdate, bulkUpsert, copyText } from '../lib/bulk';
import { openDatabase } from '../lib/database';
import { subgraphs } from '../subgraphs';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../subgraphs/manpower/entities/work-permit';
import { employers } from '../subgraphs/manpower/import';
import { RecordedWorkPermitStatus, Sector } from '../subgraphs/manpower/enums';
import { importCsv, upsertByKey, UpsertChanges } from '../subgraphs/shared/import';
import { freshDatabases, FreshDatabases } from './helpers/databases';

/** Values that COPY's text format must escape, or that look like its escapes, and others that must pass untouched. */
const AWKWARD = [
  'tab\there',
  'new\nline',
  'carriage\rreturn',
  'back\\slash',
  '\\N',
  '\\',
  'ends with a backslash\\',
  '"double" and \'single\' quotes, a comma',
  'Ñoño 中文 😀 ẞ',
  '',
  ' spaced ',
];

function employer(index: number, name: string): Employer {
  return Object.assign(new Employer(), {
    nib: String(9_000_000_000_000 + index),
    npwp: '01.000.000.0-000.000',
    name,
    kbliCode: '46100',
    kbliLabel: `label ${name}`,
    sector: Sector.TRADE,
    address: name,
    regency: 'Kota Pontianak',
  });
}

function workPermit(index: number, text: string, employerNib: string): WorkPermit {
  return Object.assign(new WorkPermit(), {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    rptkaNumber: `KEP.${index}/TEST`,
    employerNib,
    workerName: text,
    workerPassportNumber: 'E1234567',
    workerPassportCountry: 'CHN',
    workerNationality: 'CHN',
    position: text,
    workRegencies: ['Ketapang', 'Kota Pontianak'],
    validFrom: '2025-01-01',
    validUntil: '2025-12-31',
    recordedStatus: RecordedWorkPermitStatus.ACTIVE,
    counterpartName: text,
    counterpartNik: '6171000000000001',
    dkptkaPaidUntil: index % 2 ? null : '2025-06-30',
  });
}

describe('bulk writes (COPY on PostgreSQL, prepared multi-row INSERTs on SQLite)', () => {
  let databases: FreshDatabases;
  let db: DataSource;
  let dir: string;

  beforeAll(async () => {
    databases = await freshDatabases();
    db = (await openDatabase({ url: databases.urls.manpower, ...subgraphs.manpower })).dataSource;
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-bulk-'));
  });
  afterAll(async () => {
    await db.destroy();
    await databases.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("escapes COPY's text format", () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('')).toBe('');
    expect(copyText(true)).toBe('t');
    expect(copyText(12.5)).toBe('12.5');
  });

  it('escapes an awkward value among thousands of plain ones (COPY tests a chunk of rows at once)', async () => {
    const plain = Array.from({ length: 4100 }, (_, index) => employer(1000 + index, `Plain employer ${index}`));
    plain[2500] = employer(1000 + 2500, 'tab\there \\N');
    await db.transaction((manager) => bulkInsert(manager, Employer, plain));
    const stored = new Map(
      (await db.getRepository(Employer).find({ select: { nib: true, name: true } })).map((row) => [row.nib, row.name]),
    );
    for (const row of plain) expect(stored.get(row.nib)).toBe(row.name);
  });

  it('escapes each awkward value alone in a chunk of plain rows and NULLs (a chunk is checked by its separators)', async () => {
    // COPY's chunks are 2,000 rows: each awkward value lands in a chunk of its own, half its rows holding a NULL.
    const owner = employer(90_000, 'Employer of many workers');
    const permits = Array.from({ length: AWKWARD.length * 2000 }, (_, index) =>
      workPermit(100_000 + index, `Plain worker ${index}`, owner.nib),
    );
    AWKWARD.forEach((text, index) => (permits[index * 2000 + 1234].workerName = text));
    await db.transaction(async (manager) => {
      await bulkInsert(manager, Employer, [owner]);
      await bulkInsert(manager, WorkPermit, permits);
    });
    const stored = await db.getRepository(WorkPermit).find({
      select: { id: true, workerName: true, dkptkaPaidUntil: true },
      where: { employerNib: owner.nib },
    });
    const byId = new Map(stored.map((row) => [row.id, { ...row }]));
    for (const { id, workerName, dkptkaPaidUntil } of permits)
      expect(byId.get(id)).toEqual({ id, workerName, dkptkaPaidUntil });
  });

  it('stores awkward values exactly as given, nulls, arrays and dates included, and rewrites them', async () => {
    const rows = AWKWARD.map((name, index) => employer(index, name));
    await db.transaction((manager) => bulkInsert(manager, Employer, rows));
    const stored = await db.getRepository(Employer).find({ where: rows.map(({ nib }) => ({ nib })) });
    const byNib = new Map(stored.map((row) => [row.nib, row]));
    for (const row of rows) expect(byNib.get(row.nib)).toMatchObject({ name: row.name, address: row.name });

    const permits = AWKWARD.map((text, index) => workPermit(index, text, rows[index].nib));
    await db.transaction((manager) => bulkInsert(manager, WorkPermit, permits));
    const readBack = async () =>
      new Map(
        (await db.getRepository(WorkPermit).find({ where: permits.map(({ id }) => ({ id })) })).map((row) => [
          row.id,
          row,
        ]),
      );
    for (const permit of permits) expect((await readBack()).get(permit.id)).toEqual(permit);

    // Updates go through a staging table on PostgreSQL: the same escaping, the other way round.
    const changed = permits.map((permit, index) => ({
      ...permit,
      workerName: AWKWARD[(index + 1) % AWKWARD.length],
      workRegencies: ['Sanggau'],
      dkptkaPaidUntil: index % 2 ? '2026-01-31' : null,
    }));
    await db.transaction((manager) => bulkUpdate(manager, WorkPermit, changed));
    const after = await readBack();
    for (const permit of changed) expect({ ...after.get(permit.id) }).toEqual({ ...permit });

    // An upsert rewrites the stored rows whole and inserts the new ones, in one statement a batch.
    const [first, ...rest] = changed;
    const fresh = { ...first, id: '00000000-0000-4000-8000-999999999999', rptkaNumber: 'KEP.NEW/TEST' };
    const rewritten = rest.map((permit, index) => ({ ...permit, position: AWKWARD[index], dkptkaPaidUntil: null }));
    await db.transaction((manager) => bulkUpsert(manager, WorkPermit, [...rewritten, fresh]));
    const upserted = new Map(
      (await db.getRepository(WorkPermit).find()).map((row) => [row.id, { ...row }] as [string, WorkPermit]),
    );
    for (const permit of [first, ...rewritten, fresh]) expect(upserted.get(permit.id)).toEqual({ ...permit });
  });

  it('imports awkward values from CSV and finds them unchanged on a second import', async () => {
    const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
    // The import trims fields and takes an empty one as missing: those two values cannot come from a file.
    const names = AWKWARD.filter((name) => name.trim() === name && name !== '');
    const file = path.join(dir, 'awkward-employers.csv');
    writeFileSync(
      file,
      [
        'nib,npwp,name,kbli_code,kbli_label,sector,address,regency',
        ...names.map(
          (name, index) =>
            `${8_000_000_000_000 + index},01.000.000.0-000.000,${quote(name)},46100,${quote(name)},TRADE,${quote(name)},Kota Pontianak`,
        ),
      ].join('\n') + '\n',
    );
    const first = await importCsv(db, employers, file);
    expect(first).toMatchObject({ read: names.length, inserted: names.length, rejected: 0 });
    const stored = await db.getRepository(Employer).find({
      where: names.map((_, index) => ({ nib: String(8_000_000_000_000 + index) })),
    });
    expect(stored.map((row) => row.name).sort()).toEqual([...names].sort());
    const again = await importCsv(db, employers, file);
    expect(again).toMatchObject({ read: names.length, inserted: 0, updated: 0, unchanged: names.length });
  });

  it('shows a caller the stored and the new values before an upsert writes them', async () => {
    const nib = '7000000000001';
    const upsert = (name: string) =>
      db.transaction(async (manager) => {
        let seen: UpsertChanges<Employer> | undefined;
        const outcomes = await upsertByKey(manager, Employer, ['nib'], [{ ...employer(0, name), nib }], {
          beforeWrite: (changes) => {
            seen = changes;
          },
        });
        return { outcomes, seen: seen! };
      });
    const first = await upsert('PT Lama');
    expect(first.outcomes).toEqual(['inserted']);
    expect(first.seen.inserted.map((row) => row.name)).toEqual(['PT Lama']);
    const second = await upsert('PT Baru');
    expect(second.outcomes).toEqual(['updated']);
    expect(second.seen.updated.map(({ before, after }) => [before.name, after.name])).toEqual([['PT Lama', 'PT Baru']]);
    expect((await db.getRepository(Employer).findOneByOrFail({ nib })).name).toBe('PT Baru');
  });
});
