import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../subgraphs/manpower/entities/work-permit';
import { StayPermit } from '../subgraphs/immigration/entities/stay-permit';
import { PERMIT_FIGURES, rebuildPermitFigures } from '../subgraphs/immigration/figures';
import { rebuildWorkforceFigures, WORKFORCE_FIGURES } from '../subgraphs/manpower/figures';
import { DOMICILE_REGENCIES } from '../subgraphs/immigration/search';
import { EMPLOYER_REGENCIES } from '../subgraphs/manpower/resolvers/employer.resolver';
import { FigureTables, readFigures } from '../subgraphs/shared/figures';
import { dayAfter } from '../subgraphs/shared/figure-dates';
import { matchRegency, RegencySource, whereRegency } from '../subgraphs/shared/geography';
import { importCsv } from '../subgraphs/shared/import';
import { byRegencyName, CountByKey, sortFigures } from '../subgraphs/shared/statistics';
import { recordTypeOf } from '../tools/import';
import { startTestSystem, TestSystem, TODAY } from './helpers/system';
import { rebuildMissingDerivedData } from '../tools/seed';
import { rebuildEmploymentProjection } from '../tools/employment-projection';

/**
 * The maintained figures against a count over the raw rows (the implementation they replaced,
 * kept here as the oracle): for many dates and regencies, after the seed and after imports that
 * insert, move, cancel and re-sector; and the same tables whether maintained or rebuilt.
 */

interface Figure {
  agency: 'immigration' | 'manpower';
  tables: FigureTables;
  regencyColumn: string;
  regencies: RegencySource;
  /** The raw count: active rows on the date, per combination of the tables' dimensions. */
  raw: (db: DataSource, date: string) => ReturnType<DataSource['createQueryBuilder']>;
  rawRegency: string;
}

const FIGURES: Figure[] = [
  {
    agency: 'immigration',
    tables: PERMIT_FIGURES,
    regencyColumn: 'domicileRegency',
    regencies: DOMICILE_REGENCIES,
    rawRegency: 'permit.domicileRegency',
    raw: (db, date) =>
      db
        .getRepository(StayPermit)
        .createQueryBuilder('permit')
        .select(['kind', 'passportCountry', 'domicileRegency', 'visaIndex'].map((c) => `permit.${c} AS "${c}"`))
        .where("permit.recordedStatus = 'ACTIVE'")
        .andWhere('permit.validFrom <= :date AND permit.validUntil >= :date', { date })
        .groupBy('permit.kind, permit.passportCountry, permit.domicileRegency, permit.visaIndex'),
  },
  {
    agency: 'manpower',
    tables: WORKFORCE_FIGURES,
    regencyColumn: 'regency',
    regencies: EMPLOYER_REGENCIES,
    rawRegency: 'employer.regency',
    raw: (db, date) =>
      db
        .getRepository(WorkPermit)
        .createQueryBuilder('permit')
        .innerJoin(Employer, 'employer', 'employer.nib = permit.employerNib')
        .select(['employer.sector AS "sector"', 'employer.regency AS "regency"'])
        .addSelect('permit.workerNationality', 'workerNationality')
        .where("permit.recordedStatus = 'ACTIVE'")
        .andWhere('permit.validFrom <= :date AND permit.validUntil >= :date', { date })
        .groupBy('employer.sector, employer.regency, permit.workerNationality'),
  },
];

async function rawGroups(t: TestSystem, figure: Figure, date: string, regency: string | null): Promise<string[]> {
  const db = t.subgraph(figure.agency).db;
  const query = figure.raw(db, date).addSelect('COUNT(*)', 'count');
  whereRegency(query as any, figure.rawRegency, await matchRegency(db, regency, figure.regencies));
  const rows: Record<string, string | number>[] = await query.getRawMany();
  return rows.map((row) => [...figure.tables.dimensions.map((c) => row[c]), Number(row.count)].join('|')).sort();
}

async function maintainedGroups(t: TestSystem, figure: Figure, date: string, regency: string | null) {
  const db = t.subgraph(figure.agency).db;
  const match = await matchRegency(db, regency, figure.regencies);
  const groups = await readFigures(db, figure.tables, date, { column: figure.regencyColumn, match });
  return groups.map((group) => [...group.dimensions, group.count].join('|')).sort();
}

/** Every date worth checking: boundaries of recorded permits, month edges, a leap day, before and after all. */
async function datesOf(t: TestSystem, figure: Figure): Promise<string[]> {
  const db = t.subgraph(figure.agency).db;
  const table = figure.agency === 'immigration' ? 'stay_permit' : 'work_permit';
  const [range] = await db.query(
    `SELECT CAST(MIN("validFrom") AS varchar(10)) AS "first", CAST(MAX("validUntil") AS varchar(10)) AS "last" FROM ${table}`,
  );
  const edges: { validFrom: string; validUntil: string }[] = await db.query(
    `SELECT CAST("validFrom" AS varchar(10)) AS "validFrom", CAST("validUntil" AS varchar(10)) AS "validUntil"
     FROM ${table} ORDER BY "id" LIMIT 8`,
  );
  const previous = (date: string) => new Date(Date.parse(date) - 86_400_000).toISOString().slice(0, 10);
  return [
    ...new Set([
      '1940-06-01',
      previous(range.first),
      range.first,
      ...edges.flatMap((edge) => [
        previous(edge.validFrom),
        edge.validFrom,
        edge.validUntil,
        dayAfter(edge.validUntil)!,
      ]),
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-12-31',
      '2025-01-01',
      '2025-05-31',
      '2025-06-01',
      TODAY,
      '2025-06-30',
      range.last,
      dayAfter(range.last),
      '2100-01-01',
      '2150-07-04',
    ]),
  ].filter((date): date is string => date !== null);
}

async function expectExact(t: TestSystem, regencies: (string | null)[] = [null, 'Ketapang', ' sanggau ']) {
  for (const figure of FIGURES) {
    for (const date of await datesOf(t, figure)) {
      for (const regency of regencies) {
        // A regency the agency does not know is refused alike (the same matchRegency) before counting.
        const known = await matchRegency(t.subgraph(figure.agency).db, regency, figure.regencies).catch(() => null);
        if (regency !== null && !known) continue;
        const [maintained, raw] = [
          await maintainedGroups(t, figure, date, regency),
          await rawGroups(t, figure, date, regency),
        ];
        if (maintained.join() !== raw.join())
          expect({ figure: figure.agency, date, regency, maintained }).toEqual({
            figure: figure.agency,
            date,
            regency,
            maintained: raw,
          });
      }
    }
  }
}

/** The tables' rows that count (not zero), to compare maintained with rebuilt. */
async function tableRows(db: DataSource, tables: FigureTables): Promise<string[]> {
  const rows: string[] = [];
  for (const [entity, date, sum] of [
    [tables.daily, 'day', 'change'],
    [tables.monthly, 'month', 'active'],
  ] as const) {
    const table = db.getMetadata(entity).tableName;
    const columns = tables.dimensions.map((c) => `"${c}"`).join(', ');
    const found: Record<string, unknown>[] = await db.query(
      `SELECT CAST("${date}" AS varchar(10)) AS "date", ${columns}, "${sum}" AS "sum" FROM ${table} WHERE "${sum}" <> 0`,
    );
    rows.push(...found.map((row) => `${table}|${Object.values(row).join('|')}`));
  }
  return rows.sort();
}

const csv = (values: unknown[]) => values.map((value) => `"${String(value ?? '').replace(/"/g, '""')}"`).join(',');

describe('maintained figures equal a count over the raw rows', () => {
  let t: TestSystem;
  let dir: string;
  beforeAll(async () => {
    t = await startTestSystem();
    dir = mkdtempSync(path.join(os.tmpdir(), 'figures-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  async function importFile(agency: 'immigration' | 'manpower', name: string, header: string, rows: unknown[][]) {
    const file = path.join(dir, name);
    writeFileSync(file, `${[header, ...rows.map(csv)].join('\n')}\n`);
    const summary = await importCsv(t.subgraph(agency).db, recordTypeOf(agency, name), file, { batchSize: 7 });
    expect(summary.problems).toEqual([]);
    return summary;
  }

  const PERMIT_HEADER =
    'permit_number,passport_country,passport_number,kind,visa_index,purpose,valid_from,valid_until,status,sponsor_type,sponsor_nib,sponsor_name,domicile_address,domicile_regency,issuing_office';
  const permitRow = (p: StayPermit, changes: Partial<StayPermit> = {}) => {
    const q = { ...p, ...changes };
    return [
      q.permitNumber,
      q.passportCountry,
      q.passportNumber,
      q.kind,
      q.visaIndex,
      q.purpose,
      q.validFrom,
      q.validUntil,
      q.recordedStatus,
      q.sponsorType,
      q.sponsorNib,
      q.sponsorName,
      q.domicileAddress,
      q.domicileRegency,
      q.issuingOffice,
    ];
  };
  const WORK_HEADER =
    'rptka_number,employer_nib,worker_name,worker_passport_number,worker_passport_country,worker_nationality,position,work_regencies,valid_from,valid_until,status,counterpart_name,counterpart_nik,dkptka_paid_until';
  const workRow = (p: WorkPermit, changes: Partial<WorkPermit> = {}) => {
    const q = { ...p, ...changes };
    return [
      q.rptkaNumber,
      q.employerNib,
      q.workerName,
      q.workerPassportNumber,
      q.workerPassportCountry,
      q.workerNationality,
      q.position,
      q.workRegencies.join(';'),
      q.validFrom,
      q.validUntil,
      q.recordedStatus,
      q.counterpartName,
      q.counterpartNik,
      q.dkptkaPaidUntil,
    ];
  };

  it('after the seed, for every date and regency checked', async () => {
    await expectExact(t);
  });

  it('answers permitStatistics and workforceStatistics as the raw count did', async () => {
    for (const [asOf, regency] of [
      [TODAY, null],
      ['2024-02-29', 'Ketapang'],
      ['2019-01-01', null],
    ] as const) {
      const { data, errors } = await t.query(
        `query($asOf: LocalDate, $regency: String) {
          permitStatistics(asOf: $asOf, regency: $regency) { total byKind { key count } byNationality { key count } byRegency { key count } byVisaIndex { key count } }
          workforceStatistics(asOf: $asOf, regency: $regency) { total bySector { key count } byRegency { key count } byNationality { key count } }
        }`,
        { asOf, regency },
      );
      expect(errors).toBeUndefined();
      const [permits, workforce] = [
        await rawGroups(t, FIGURES[0], asOf, regency),
        await rawGroups(t, FIGURES[1], asOf, regency),
      ];
      expect(data.permitStatistics).toEqual({
        total: totalOf(permits),
        byKind: sumOf(permits, 0),
        byNationality: sumOf(permits, 1),
        byRegency: byRegencyName(sumOf(permits, 2)),
        byVisaIndex: sumOf(permits, 3),
      });
      expect(data.workforceStatistics).toEqual({
        total: totalOf(workforce),
        bySector: sumOf(workforce, 0),
        byRegency: byRegencyName(sumOf(workforce, 1)),
        byNationality: sumOf(workforce, 2),
      });
    }
  });

  it('costs the same statements per figures query however much data there is', async () => {
    const statementsFor = async () => {
      const counts: number[] = [];
      for (const name of ['immigration', 'manpower'] as const) {
        t.subgraph(name).statements.reset();
        const field = name === 'immigration' ? 'permitStatistics' : 'workforceStatistics';
        const { errors } = await t.query(`{ ${field}(regency: "Ketapang") { total } }`);
        expect(errors).toBeUndefined();
        counts.push(t.subgraph(name).statements.count);
      }
      return counts;
    };
    const before = await statementsFor();
    const permits = await t.subgraph('immigration').db.getRepository(StayPermit).find({ take: 200 });
    await importFile(
      'immigration',
      'permits.csv',
      PERMIT_HEADER,
      permits.map((p, i) => permitRow(p, { permitNumber: `GROW-${i}`, recordedStatus: 'ACTIVE' as any })),
    );
    expect(await statementsFor()).toEqual(before);
    expect(before.every((count) => count <= 2)).toBe(true);
  });

  it('after imports that insert, move dates, cancel, and change an employer', async () => {
    const immigration = t.subgraph('immigration').db;
    const permits = await immigration.getRepository(StayPermit).find({ order: { permitNumber: 'ASC' }, take: 60 });
    await importFile('immigration', 'permits.csv', PERMIT_HEADER, [
      // Dates moved: earlier, later, onto month starts and ends, a leap day, a single day.
      ...permits
        .slice(0, 10)
        .map((p, i) => permitRow(p, { validFrom: '2024-02-29', validUntil: `2025-0${(i % 9) + 1}-01` })),
      ...permits.slice(10, 20).map((p) => permitRow(p, { validUntil: '2025-06-30' })),
      ...permits.slice(20, 25).map((p) => permitRow(p, { validFrom: TODAY, validUntil: TODAY })),
      // Cancelled and converted; and one cancelled one made active again.
      ...permits.slice(25, 35).map((p) => permitRow(p, { recordedStatus: 'CANCELLED' as any })),
      ...permits.slice(35, 40).map((p) => permitRow(p, { recordedStatus: 'CONVERTED' as any })),
      // Other dimensions: regency spelt otherwise, another visa index.
      ...permits.slice(40, 50).map((p) => permitRow(p, { domicileRegency: 'KETAPANG ', visaIndex: 'E99' })),
      // Far in the past and valid for ever; a permit written twice in one file (the later row wins).
      permitRow(permits[50], { permitNumber: 'EDGE-OLD', validFrom: '1930-01-01', validUntil: '1960-12-31' }),
      permitRow(permits[51], { permitNumber: 'EDGE-EVER', validFrom: '2099-06-15', validUntil: '9999-12-31' }),
      permitRow(permits[52], { validFrom: '2020-01-01', validUntil: '2020-12-31' }),
      permitRow(permits[52], { validFrom: '2021-01-01', validUntil: '2021-12-31' }),
    ]);
    // The same file again changes nothing.
    const again = await importFile('immigration', 'permits-again.csv', PERMIT_HEADER, [
      permitRow(permits[55]),
      permitRow(permits[56]),
    ]);
    expect(again.unchanged).toBe(2);

    const manpower = t.subgraph('manpower').db;
    const works = await manpower.getRepository(WorkPermit).find({ order: { rptkaNumber: 'ASC' }, take: 40 });
    await importFile('manpower', 'work-permits.csv', WORK_HEADER, [
      ...works.slice(0, 10).map((p) => workRow(p, { validFrom: '2024-02-01', validUntil: '2024-02-29' })),
      ...works.slice(10, 20).map((p) => workRow(p, { recordedStatus: 'REVOKED' as any })),
      ...works.slice(20, 25).map((p, i) => workRow(p, { rptkaNumber: `NEW-${i}`, workerNationality: 'NZL' })),
    ]);
    // Employers: one moves sector and regency (all its RPTKAs move), one new with no RPTKA yet.
    const employer = await manpower.getRepository(Employer).findOneByOrFail({ nib: works[30].employerNib });
    const moved = { ...employer, sector: employer.sector === 'MINING' ? 'TRADE' : 'MINING', regency: 'Sambas' };
    await importFile(
      'manpower',
      'employers.csv',
      'nib,npwp,name,kbli_code,kbli_label,sector,address,regency',
      [moved, { ...employer, nib: '9999999999999', regency: 'Kota Batam' }].map((e) => [
        e.nib,
        e.npwp,
        e.name,
        e.kbliCode,
        e.kbliLabel,
        e.sector,
        e.address,
        e.regency,
      ]),
    );
    // …whose RPTKA then arrives.
    await importFile('manpower', 'work-permits-later.csv', WORK_HEADER, [
      workRow(works[31], { rptkaNumber: 'NEW-BATAM', employerNib: '9999999999999' }),
    ]);
    await expectExact(t, [null, 'Ketapang', 'Sambas', 'kota batam']);
  });

  it('stays exact when imports of the same permits and of their employer run at once', async () => {
    const permits = await t
      .subgraph('immigration')
      .db.getRepository(StayPermit)
      .find({ order: { permitNumber: 'DESC' }, take: 40 });
    const works = await t
      .subgraph('manpower')
      .db.getRepository(WorkPermit)
      .find({ order: { rptkaNumber: 'DESC' }, take: 40 });
    const nib = works[0].employerNib;
    const employer = await t.subgraph('manpower').db.getRepository(Employer).findOneByOrFail({ nib });
    const ofEmployer = await t.subgraph('manpower').db.getRepository(WorkPermit).findBy({ employerNib: nib });
    await Promise.all([
      importFile(
        'immigration',
        'permits-a.csv',
        PERMIT_HEADER,
        permits.map((p) => permitRow(p, { validUntil: '2026-03-31' })),
      ),
      importFile(
        'immigration',
        'permits-b.csv',
        PERMIT_HEADER,
        permits.map((p, i) =>
          permitRow(p, { validFrom: '2011-02-01', recordedStatus: (i % 3 ? 'ACTIVE' : 'CANCELLED') as any }),
        ),
      ),
      importFile(
        'manpower',
        'work-permits-a.csv',
        WORK_HEADER,
        [...ofEmployer, ...works].map((p) => workRow(p, { validUntil: '2026-06-30', recordedStatus: 'ACTIVE' as any })),
      ),
      importFile('manpower', 'employers-a.csv', 'nib,npwp,name,kbli_code,kbli_label,sector,address,regency', [
        [
          nib,
          employer.npwp,
          employer.name,
          employer.kbliCode,
          employer.kbliLabel,
          'CONSTRUCTION',
          employer.address,
          'Landak',
        ],
      ]),
      importFile(
        'manpower',
        'work-permits-b.csv',
        WORK_HEADER,
        ofEmployer.map((p) => workRow(p, { workerNationality: 'ISL' })),
      ),
    ]);
    await expectExact(t, [null, 'Landak']);
  });

  it('rebuilds to the same tables it maintained, and again to the same (idempotent)', async () => {
    for (const [figure, rebuild] of [
      [FIGURES[0], rebuildPermitFigures],
      [FIGURES[1], rebuildWorkforceFigures],
    ] as const) {
      const db = t.subgraph(figure.agency).db;
      const maintained = await tableRows(db, figure.tables);
      expect(maintained.length).toBeGreaterThan(100);
      await db.transaction((manager) => rebuild(manager));
      expect(await tableRows(db, figure.tables)).toEqual(maintained);
      await db.transaction((manager) => rebuild(manager));
      expect(await tableRows(db, figure.tables)).toEqual(maintained);
    }
    await expectExact(t, [null]);
  });

  it('are made again on start from a data directory an earlier version wrote, once', async () => {
    const dbs = {
      immigration: t.subgraph('immigration').db,
      manpower: t.subgraph('manpower').db,
      police: t.subgraph('police').db,
    };
    const sector = `{ foreignNationals(filter: { employerSector: MINING }, first: 5) { totalCount nodes { id } } }`;
    const expired = `{ foreignNationals(filter: { permitStatus: EXPIRED }, first: 5) { totalCount nodes { id } } }`;
    const answers = async () => [
      (await t.query(`{ permitStatistics { total byKind { key count } } }`)).data,
      (await t.query(`{ workforceStatistics { total bySector { key count } } }`)).data,
      (await t.query(sector)).data,
      (await t.query(expired)).data,
    ];
    // The imports above went straight to manpower, beside the projection: made current first.
    await rebuildEmploymentProjection(dbs);
    const before = await answers();
    // What an earlier version left: no derived rows, persons without their new search columns.
    for (const figure of FIGURES)
      for (const table of [figure.tables.daily, figure.tables.monthly])
        await t.subgraph(figure.agency).db.getRepository(table).clear();
    await dbs.immigration.query('DELETE FROM employment_search');
    await dbs.immigration.query('UPDATE foreign_national SET "latestPermitKind" = NULL');
    expect(await rebuildMissingDerivedData(dbs)).toEqual([
      'the permit figures',
      'the workforce figures',
      'the employment search projection',
      "the persons' search columns",
    ]);
    expect(await answers()).toEqual(before);
    expect(await rebuildMissingDerivedData(dbs)).toEqual([]);
    await expectExact(t, [null]);
  });
});

function totalOf(groups: string[]): number {
  return groups.reduce((sum, group) => sum + Number(group.split('|').at(-1)), 0);
}

function sumOf(groups: string[], index: number): CountByKey[] {
  const counts = new Map<string, number>();
  for (const group of groups) {
    const parts = group.split('|');
    counts.set(parts[index], (counts.get(parts[index]) ?? 0) + Number(parts.at(-1)));
  }
  return sortFigures([...counts].map(([key, count]) => ({ key, count })));
}
