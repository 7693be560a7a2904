import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { subgraphs, SubgraphName } from '../subgraphs';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { IdentityDecision } from '../subgraphs/immigration/entities/identity';
import { Passport } from '../subgraphs/immigration/entities/passport';
import { PresenceRegistration } from '../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../subgraphs/police/entities/report-party';
import { openDatabase } from '../lib/database';
import { HeaderError } from '../subgraphs/shared/import';
import { recordTypeOf, runImport } from '../tools/import';
import { startSystem } from '../tools/system';
import { fixedClock } from '../subgraphs/shared/clock';
import { freshDatabases, FreshDatabases } from './helpers/databases';
import { ANALYST, createTestAuth, postGraphQL, TODAY } from './helpers/system';

const EXAMPLES = path.join(__dirname, '..', 'examples', 'import');
/** The example files in the order an agency loads them (references first). */
const FILES: [SubgraphName, string][] = [
  ['immigration', 'persons.csv'],
  ['immigration', 'permits.csv'],
  ['immigration', 'crossings.csv'],
  ['manpower', 'employers.csv'],
  ['manpower', 'work-permits.csv'],
  ['police', 'reports.csv'],
  ['police', 'parties.csv'],
  ['police', 'registrations.csv'],
];

describe('each agency imports its own CSV files', () => {
  let dir: string;
  let databases: FreshDatabases;
  const urlOf = (agency: SubgraphName) =>
    databases.urls[agency] === 'sqlite::memory:'
      ? `sqlite:${path.join(dir, `${agency}.sqlite`)}`
      : databases.urls[agency];
  const load = (agency: SubgraphName, file: string, batchSize?: number) =>
    runImport(urlOf(agency), recordTypeOf(agency, file), file, { batchSize, log: () => undefined });
  const csv = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-import-'));
    databases = await freshDatabases();
    // SQLite files (not in-memory) so that a second process, and the services, see the same data.
    for (const agency of ['immigration', 'manpower', 'police'] as const) {
      const { dataSource } = await openDatabase({ url: urlOf(agency), ...subgraphs[agency] });
      await dataSource.destroy();
    }
  });
  afterAll(async () => {
    await databases.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the example files, each with a summary', async () => {
    const summaries = [];
    for (const [agency, file] of FILES) summaries.push(await load(agency, path.join(EXAMPLES, file)));
    expect(summaries.map(({ file, read, inserted, rejected }) => [file, read, inserted, rejected])).toEqual([
      ['persons.csv', 4, 4, 0],
      ['permits.csv', 3, 3, 0],
      ['crossings.csv', 3, 3, 0],
      ['employers.csv', 2, 2, 0],
      ['work-permits.csv', 2, 2, 0],
      ['reports.csv', 1, 1, 0],
      ['parties.csv', 2, 2, 0],
      ['registrations.csv', 1, 1, 0],
    ]);
  });

  it('changes nothing when the same files are imported again', async () => {
    for (const [agency, file] of FILES) {
      const again = await load(agency, path.join(EXAMPLES, file));
      expect({ file, inserted: again.inserted, updated: again.updated, rejected: again.rejected }).toEqual({
        file,
        inserted: 0,
        updated: 0,
        rejected: 0,
      });
      expect(again.unchanged).toBe(again.read);
    }
  });

  it('updates a record on its natural key', async () => {
    const file = csv('employers.csv', [
      'nib,npwp,name,kbli_code,kbli_label,sector,address,regency',
      '9120001234567,02.345.678.9-701.000,PT Kapuas Bauksit Mandiri Tbk,07291,Pertambangan Bijih Bauksit,MINING,"Jl. Ahmad Yani No. 88, Sanggau",Sanggau',
    ]);
    expect(await load('manpower', file)).toMatchObject({ read: 1, inserted: 0, updated: 1, rejected: 0 });
  });

  it('rejects invalid rows naming file, line, column and reason in line order, and imports the valid ones', async () => {
    const file = csv('bad-permits.csv', [
      'permit_number,passport_country,passport_number,kind,visa_index,purpose,valid_from,valid_until,status,sponsor_type,sponsor_nib,sponsor_name,domicile_address,domicile_regency,issuing_office',
      '2E31XX0009-25,IND,Z7654321,LIMITED,E33,RETIREMENT,2025-01-01,2025-12-31,ACTIVE,PERSON,,Rajesh Kumar,"Jl. Tanjungpura 1, Pontianak",Kota Pontianak,Kantor Imigrasi Pontianak',
      '2E31XX0010-25,IND,Z7654321,LIMITED,E33,RETIREMENT,2025-02-30,2025-12-31,ACTIVE,PERSON,,Rajesh Kumar,x,Kota Pontianak,Kantor Imigrasi Pontianak',
      '2E31XX0011-25,IND,Z7654321,SOMETIMES,E33,RETIREMENT,2025-01-01,2025-12-31,ACTIVE,PERSON,,Rajesh Kumar,x,Kota Pontianak,Kantor Imigrasi Pontianak',
      '2E31XX0012-25,XX,Z7654321,LIMITED,E33,RETIREMENT,2025-01-01,2025-12-31,ACTIVE,PERSON,,Rajesh Kumar,x,Kota Pontianak,Kantor Imigrasi Pontianak',
      '2E31XX0013-25,IND,Z0000001,LIMITED,E33,RETIREMENT,2025-01-01,2025-12-31,ACTIVE,PERSON,,Nobody,x,Kota Pontianak,Kantor Imigrasi Pontianak',
      ',IND,Z7654321,LIMITED,E33,RETIREMENT,2025-01-01,2025-12-31,ACTIVE,PERSON,,Rajesh Kumar,x,Kota Pontianak,Kantor Imigrasi Pontianak',
      '2E31XX0014-25,IND,Z7654321,LIMITED,E33,RETIREMENT,2025-12-31,2025-01-01,ACTIVE,PERSON,,Rajesh Kumar,x,Kota Pontianak,Kantor Imigrasi Pontianak',
    ]);
    const summary = await load('immigration', file);
    expect(summary).toMatchObject({ read: 7, inserted: 1, rejected: 6 });
    expect(summary.problems.map(({ file: name, line, column }) => `${name}:${line}:${column}`)).toEqual([
      'bad-permits.csv:3:valid_from',
      'bad-permits.csv:4:kind',
      'bad-permits.csv:5:passport_country',
      'bad-permits.csv:6:passport_number',
      'bad-permits.csv:7:permit_number',
      'bad-permits.csv:8:valid_until',
    ]);
    expect(summary.problems.find((problem) => problem.column === 'kind')!.reason).toMatch(
      /"SOMETIMES" is not one of VISIT, LIMITED/,
    );
    expect(summary.problems.find((problem) => problem.column === 'passport_number')!.reason).toMatch(
      /no person holds passport IND Z0000001/,
    );
  });

  it('scores and decides police records without passport as they are imported, the nationality written as a name', async () => {
    const parties = csv('parties-name-only.csv', [
      'report_number,role,full_name,passport_number,passport_country,date_of_birth,nationality',
      'LP/A/123/VI/2025/SPKT/POLRES KETAPANG,WITNESS,AISYAH HASSAN NUR,,,1992-11-03,Malaysia',
    ]);
    const registrations = csv('registrations-name-only.csv', [
      'registration_number,passport_number,passport_country,full_name,date_of_birth,nationality,reported_by,address,regency,precinct,check_in,check_out',
      'APOA/6104/2025/0000077,,,Rajesh Kumaar,1979,Indian,Hotel Mahkota,"Jl. Merdeka 1, Ketapang",Ketapang,Polres Ketapang,2025-05-01T10:00:00Z,',
      'APOA/6104/2025/0000078,EM7654321,,Zhang Wei,,,Hotel Mahkota,"Jl. Merdeka 1, Ketapang",Ketapang,Polres Ketapang,2025-05-01T10:00:00Z,',
    ]);
    const linking = { log: () => undefined, identityDatabaseUrl: urlOf('immigration') };
    expect(await runImport(urlOf('police'), recordTypeOf('police', parties), parties, linking)).toMatchObject({
      inserted: 1,
    });
    const registered = await runImport(urlOf('police'), recordTypeOf('police', registrations), registrations, linking);
    expect(registered).toMatchObject({ inserted: 1, rejected: 1 });
    expect(registered.problems[0]).toMatchObject({ line: 3, column: 'passport_country' });

    const { dataSource: police } = await openDatabase({ url: urlOf('police'), ...subgraphs.police });
    const { dataSource: immigration } = await openDatabase({ url: urlOf('immigration'), ...subgraphs.immigration });
    try {
      const party = await police.getRepository(ReportParty).findOneByOrFail({ fullName: 'AISYAH HASSAN NUR' });
      expect(party.nationality).toBe('MYS');
      const holderOf = async (number: string) =>
        (await immigration.getRepository(Passport).findOneByOrFail({ number })).personId;
      const decided = async (recordId: string) => immigration.getRepository(IdentityDecision).findBy({ recordId });
      expect(await decided(party.id)).toEqual([
        expect.objectContaining({ personId: await holderOf('A51234567'), decision: 'AUTO_LINKED' }),
      ]);
      const registration = await police
        .getRepository(PresenceRegistration)
        .findOneByOrFail({ fullName: 'Rajesh Kumaar' });
      expect(registration).toMatchObject({ dateOfBirth: '1979', nationality: 'IND', passportNumber: null });
      const [candidate] = await decided(registration.id);
      expect(candidate).toMatchObject({ personId: await holderOf('Z7654321') });
    } finally {
      await Promise.all([police.destroy(), immigration.destroy()]);
    }
  });

  it('refuses a file whose header lacks a column or has an unknown one, before writing anything', async () => {
    const file = csv('employers.csv', ['nib,npwp,name,kbli_code,sektor', '1,2,3,4,5']);
    await expect(load('manpower', file)).rejects.toThrow(HeaderError);
    await expect(load('manpower', file)).rejects.toThrow(
      /unknown columns sektor; missing columns kbli_label, sector, address, regency/,
    );
  });

  it('joins imported records of three agencies in the full view, also under the earlier passport', async () => {
    const { auth, token } = await createTestAuth();
    const system = await startSystem({
      auth,
      clock: fixedClock(TODAY),
      host: '127.0.0.1',
      databaseUrls: {
        immigration: urlOf('immigration'),
        manpower: urlOf('manpower'),
        police: urlOf('police'),
        oversight: databases.urls.oversight,
      },
      auditDatabaseUrl: databases.urls.audit,
    });
    try {
      const { data, errors } = await postGraphQL(
        system.gateway!.url,
        `{ foreignNationalByPassport(number: "EM7654321", country: "CHN") {
        fullName passports { number current } currentStayPermit { permitNumber } inCountry
        workPermits { rptkaNumber } currentEmployer { name } policeReports { role matchedBy } registrations { registrationNumber } } }`,
        {},
        await token(ANALYST),
      );
      expect(errors).toBeUndefined();
      expect(data.foreignNationalByPassport).toEqual({
        fullName: 'Zhang Wei',
        passports: expect.arrayContaining([
          { number: 'EM7654321', current: true },
          { number: 'EK1234567', current: false },
        ]),
        currentStayPermit: { permitNumber: '2E31AB0002-24' },
        inCountry: true,
        workPermits: [{ rptkaNumber: 'KEP.22345/PPTKA/PTA/2024' }, { rptkaNumber: 'KEP.12345/PPTKA/PTA/2023' }],
        currentEmployer: { name: 'PT Borneo Alumina Smelter' },
        policeReports: [{ role: 'SUSPECT', matchedBy: 'PASSPORT' }],
        registrations: [{ registrationNumber: 'STM/0456/VI/2025/KTP' }],
      });
      const search = await postGraphQL(
        system.gateway!.url,
        `{ foreignNationals(filter: { regency: "Ketapang", inCountry: true }) { nodes { fullName } } }`,
        {},
        await token(ANALYST),
      );
      expect(search.data.foreignNationals.nodes).toEqual([{ fullName: 'Zhang Wei' }]);
    } finally {
      await system.stop();
    }
  });

  it('keeps "in the country" to the last crossing, whatever order the crossings are imported in', async () => {
    const header = 'passport_country,passport_number,direction,crossed_at,checkpoint';
    const crossing = (direction: string, at: string) => `IND,Z7654321,${direction},${at},PLBN Entikong`;
    const inCountry = async () => {
      const { dataSource } = await openDatabase({ url: urlOf('immigration'), ...subgraphs.immigration });
      try {
        const [row] = await dataSource.query(
          `SELECT person."lastCrossingIsEntry" AS "inside" FROM foreign_national person JOIN passport ON passport."personId" = person.id WHERE passport.number = 'Z7654321'`,
        );
        return Boolean(row.inside);
      } finally {
        await dataSource.destroy();
      }
    };
    const importCrossings = (name: string, rows: string[], batchSize?: number) =>
      load('immigration', csv(name, [header, ...rows]), batchSize);
    expect(await inCountry()).toBe(false);
    // Entered and left within one batch: abroad.
    await importCrossings('crossings-rajesh-2025.csv', [
      crossing('EXIT', '2025-03-01T08:00:00Z'),
      crossing('ENTRY', '2025-01-10T08:00:00Z'),
    ]);
    expect(await inCountry()).toBe(false);
    // An older entry, imported later, in another year's partition: still abroad.
    const older = await importCrossings('crossings-rajesh-2019.csv', [crossing('ENTRY', '2019-05-01T08:00:00Z')]);
    expect(older.inserted).toBe(1);
    expect(await inCountry()).toBe(false);
    // A batch spanning years, one row a batch and all in one: new rows found, stored ones unchanged.
    const rows = [crossing('ENTRY', '2019-05-01T08:00:00Z'), crossing('ENTRY', '2025-06-10T08:00:00Z')];
    expect(await importCrossings('crossings-rajesh-all.csv', rows, 1)).toMatchObject({ inserted: 1, unchanged: 1 });
    expect(await inCountry()).toBe(true);
    expect(await importCrossings('crossings-rajesh-all.csv', rows)).toMatchObject({ inserted: 0, unchanged: 2 });
    expect(await inCountry()).toBe(true);
    // A later exit turns the column back.
    await importCrossings('crossings-rajesh-july.csv', [crossing('EXIT', '2025-07-01T08:00:00Z')]);
    expect(await inCountry()).toBe(false);
  });

  it('leaves whole batches only when the process is killed mid-import, and a rerun completes it', async () => {
    const rows = 30_000;
    const lines = ['nib,npwp,name,kbli_code,kbli_label,sector,address,regency'];
    for (let i = 0; i < rows; i += 1)
      lines.push(
        `${String(5_000_000_000_000 + i)},01.000.000.0-000.000,PT Contoh ${i},46100,Perdagangan Besar,TRADE,Jl. Contoh ${i},Kota Pontianak`,
      );
    const file = csv('many-employers.csv', lines);
    const env = { ...process.env, MANPOWER_DATABASE_URL: urlOf('manpower') };
    const child = spawn(
      process.execPath,
      ['dist/tools/import.js', '--agency', 'manpower', '--file', file, '--batch-size', '1000'],
      { cwd: path.join(__dirname, '..'), env },
    );
    await new Promise<void>((resolve) => {
      let batches = 0;
      child.stderr.on('data', (chunk: Buffer) => {
        batches += (chunk.toString().match(/rows read/g) ?? []).length;
        if (batches >= 3) resolve();
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    const { dataSource } = await openDatabase({ url: urlOf('manpower'), ...subgraphs.manpower });
    const count = async () =>
      dataSource.getRepository(Employer).createQueryBuilder('e').where("e.nib LIKE '5%'").getCount();
    try {
      const written = await count();
      expect(written).toBeGreaterThanOrEqual(3000);
      expect(written).toBeLessThan(rows);
      expect(written % 1000).toBe(0);
      const rerun = await load('manpower', file, 1000);
      expect(rerun).toMatchObject({ read: rows, inserted: rows - written, unchanged: written, rejected: 0 });
      expect(await count()).toBe(rows);
    } finally {
      await dataSource.destroy();
    }
  }, 120_000);
});
