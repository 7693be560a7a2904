import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { subgraphs, SubgraphName } from '../subgraphs';
import { EmploymentSearchRow } from '../subgraphs/immigration/entities/employment-search';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../subgraphs/manpower/entities/work-permit';
import { Passport } from '../subgraphs/immigration/entities/passport';
import { openDatabase } from '../lib/database';
import { recordTypeOf, runImport } from '../tools/import';
import { rebuildEmploymentProjection } from '../tools/employment-projection';
import { freshDatabases, FreshDatabases } from './helpers/databases';
import { startTestSystem } from './helpers/system';

/**
 * Manpower's RPTKAs as the projection should hold them: each with its employer's sector now and
 * immigration's holder of the passport it was filed under.
 */
async function expectedRows(manpower: DataSource, immigration: DataSource) {
  const [permits, employers, passports] = await Promise.all([
    manpower.getRepository(WorkPermit).find(),
    manpower.getRepository(Employer).find(),
    immigration.getRepository(Passport).find(),
  ]);
  const sectorOf = new Map(employers.map((employer) => [employer.nib, employer.sector]));
  const holderOf = new Map(passports.map((passport) => [`${passport.country} ${passport.number}`, passport.personId]));
  return sorted(
    permits.map((permit) => ({
      id: permit.id,
      employerNib: permit.employerNib,
      sector: sectorOf.get(permit.employerNib),
      workerPassportNumber: permit.workerPassportNumber,
      workerPassportCountry: permit.workerPassportCountry,
      validFrom: permit.validFrom,
      validUntil: permit.validUntil,
      recordedStatus: permit.recordedStatus,
      personId: holderOf.get(`${permit.workerPassportCountry} ${permit.workerPassportNumber}`) ?? null,
    })),
  );
}

async function projected(immigration: DataSource) {
  return sorted((await immigration.getRepository(EmploymentSearchRow).find()).map((row) => ({ ...row })));
}

const sorted = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

describe("immigration's employment search projection equals manpower's RPTKAs", () => {
  it('after the demo seed', async () => {
    const t = await startTestSystem({ persons: 300 });
    try {
      const rows = await projected(t.subgraph('immigration').db);
      expect(rows.length).toBe(t.manifest.counts.work_permit);
      expect(rows).toEqual(await expectedRows(t.subgraph('manpower').db, t.subgraph('immigration').db));
      expect(rows.filter((row) => row.personId).length).toBeGreaterThan(rows.length * 0.9);
    } finally {
      await t.stop();
    }
  });

  describe('after imports that add, change and end RPTKAs and change an employer’s sector', () => {
    let dir: string;
    let databases: FreshDatabases;
    let dbs: { immigration: DataSource; manpower: DataSource };
    const urlOf = (agency: SubgraphName) =>
      databases.urls[agency] === 'sqlite::memory:'
        ? `sqlite:${path.join(dir, `${agency}.sqlite`)}`
        : databases.urls[agency];
    const load = (file: string) =>
      runImport(urlOf('manpower'), recordTypeOf('manpower', file), file, {
        log: () => undefined,
        identityDatabaseUrl: urlOf('immigration'),
        batchSize: 2,
      });
    const csv = (name: string, lines: string[]) => {
      const file = path.join(dir, name);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    };
    const examples = path.join(__dirname, '..', 'examples', 'import');
    const header =
      'rptka_number,employer_nib,worker_name,worker_passport_number,worker_passport_country,worker_nationality,position,work_regencies,valid_from,valid_until,status,counterpart_name,counterpart_nik,dkptka_paid_until';

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-projection-'));
      databases = await freshDatabases();
      const open = async (agency: 'immigration' | 'manpower') =>
        (await openDatabase({ url: urlOf(agency), ...subgraphs[agency] })).dataSource;
      dbs = { immigration: await open('immigration'), manpower: await open('manpower') };
    });
    afterAll(async () => {
      await Promise.all([dbs.immigration.destroy(), dbs.manpower.destroy()]);
      await databases.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const expectInStep = async () =>
      expect(await projected(dbs.immigration)).toEqual(await expectedRows(dbs.manpower, dbs.immigration));

    it('adds the RPTKAs of a first import', async () => {
      await load(path.join(examples, 'employers.csv'));
      await load(path.join(examples, 'work-permits.csv'));
      expect(await projected(dbs.immigration)).toHaveLength(2);
      await expectInStep();
    });

    it('finds the holder when immigration records the worker’s passport after the RPTKA', async () => {
      expect((await projected(dbs.immigration)).every((row) => row.personId === null)).toBe(true);
      const persons = path.join(examples, 'persons.csv');
      await runImport(urlOf('immigration'), recordTypeOf('immigration', persons), persons, { log: () => undefined });
      const holders = (await projected(dbs.immigration)).map((row) => row.personId);
      expect(holders.every(Boolean)).toBe(true);
      expect(new Set(holders).size).toBe(1); // Zhang Wei, under his earlier and his current passport
      await expectInStep();
    });

    it('follows RPTKAs added, extended and revoked, in batches', async () => {
      const summary = await load(
        csv('work-permits-2025.csv', [
          header,
          // Ended: revoked.
          'KEP.22345/PPTKA/PTA/2024,8120003456789,Zhang Wei,EM7654321,CHN,CHN,Furnace Engineer,Ketapang,2024-02-25,2026-02-24,REVOKED,Budi Santoso,6104011507850001,2025-12-31',
          // Changed: extended.
          'KEP.12345/PPTKA/PTA/2023,8120003456789,Zhang Wei,EK1234567,CHN,CHN,Furnace Engineer,Ketapang,2023-01-01,2025-12-31,ACTIVE,Budi Santoso,6104011507850001,2023-12-31',
          // Added, at the other employer.
          'KEP.32345/PPTKA/PTA/2025,9120001234567,Zhang Wei,EM7654321,CHN,CHN,Mine Surveyor,Sanggau,2025-03-01,2027-02-28,ACTIVE,Budi Santoso,6104011507850001,2025-12-31',
        ]),
      );
      expect(summary).toMatchObject({ inserted: 1, updated: 2, rejected: 0 });
      expect(await projected(dbs.immigration)).toHaveLength(3);
      await expectInStep();
    });

    it('moves an employer’s RPTKAs to its new sector', async () => {
      await load(
        csv('employers-2025.csv', [
          'nib,npwp,name,kbli_code,kbli_label,sector,address,regency',
          '8120003456789,01.234.567.8-705.000,PT Borneo Alumina Smelter,24202,Industri Pembuatan Logam Dasar Bukan Besi,CONSTRUCTION,"Jl. Raya Air Upas KM 8, Kendawangan",Ketapang',
        ]),
      );
      const rows = await projected(dbs.immigration);
      expect(rows.filter((row) => row.employerNib === '8120003456789').map((row) => row.sector)).toEqual([
        'CONSTRUCTION',
        'CONSTRUCTION',
      ]);
      await expectInStep();
    });

    it('is rebuilt in full by npm run search:rebuild (e.g. after a crash between the two databases)', async () => {
      await dbs.immigration.getRepository(EmploymentSearchRow).clear();
      await dbs.immigration.getRepository(EmploymentSearchRow).insert({
        ...(await expectedRows(dbs.manpower, dbs.immigration))[0],
        id: 'gone',
        sector: 'MINING',
      } as EmploymentSearchRow);
      expect(await rebuildEmploymentProjection(dbs)).toBe(3);
      await expectInStep();
    });
  });
});
