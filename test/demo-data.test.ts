import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForeignNational } from '../subgraphs/immigration/entities/foreign-national';
import { StayPermit } from '../subgraphs/immigration/entities/stay-permit';
import {
  CrossingDirection,
  PermitStatus,
  RecordedPermitStatus,
  SponsorType,
  StayPermitKind,
  StayPurpose,
} from '../subgraphs/immigration/enums';
import { immigrationEntities } from '../subgraphs/immigration';
import { currentPermit, isInCountry, permitStatus } from '../subgraphs/immigration/rules';
import { manpowerEntities } from '../subgraphs/manpower';
import { Sector, WorkPermitStatus } from '../subgraphs/manpower/enums';
import { workPermitStatus } from '../subgraphs/manpower/rules';
import { policeEntities } from '../subgraphs/police';
import { PartyRole, ReportStatus } from '../subgraphs/police/enums';
import { daysBetween } from '../subgraphs/shared/clock';
import { createDataSource, databaseOnServer, onPostgresServer } from '../lib/database';
import { KALBAR_REGENCIES } from '../subgraphs/shared/geography';
import { groupBy } from '../subgraphs/shared/loaders';
import { identityKey } from '../subgraphs/shared/match-keys';
import { nameKey } from '../subgraphs/shared/text';
import {
  buildManifest,
  checkDataset,
  DEFAULT_PERSONS,
  DEFAULT_SEED,
  DemoBatch,
  DemoDatabases,
  DemoManifest,
  DemoOptions,
  DemoTables,
  FINDING_KINDS,
  generateDemoData,
  ManifestBuilder,
  resolveOptions,
  seedDatabases,
  TABLES,
  violationKeys,
} from '../tools/demo';
import { closeDemoDatabases, loadAdvice, openDemoDatabases, seedIfEmpty } from '../tools/seed';
import { rebuildEmploymentProjection } from '../tools/employment-projection';
import { rebuildPermitFigures } from '../subgraphs/immigration/figures';
import { rebuildIndex } from '../subgraphs/immigration/matching/blocking';
import { rebuildWorkforceFigures } from '../subgraphs/manpower/figures';
import { freshDatabases, FreshDatabases, onPostgres, TEST_DATABASE_URL } from './helpers/databases';

const ANCHOR = '2025-06-18';
const CHECKPOINTS = [
  'Bandara Internasional Supadio',
  'Pelabuhan Dwikora Pontianak',
  'PLBN Entikong',
  'PLBN Aruk',
  'PLBN Badau',
  'PLBN Jagoi Babang',
];
const OFFICES = [
  'Kantor Imigrasi Kelas I TPI Pontianak',
  'Kantor Imigrasi Kelas II TPI Singkawang',
  'Kantor Imigrasi Kelas II Non TPI Ketapang',
  'Kantor Imigrasi Kelas II Non TPI Sanggau',
  'Kantor Imigrasi Kelas II TPI Entikong',
  'Kantor Imigrasi Kelas II Non TPI Putussibau',
];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Run {
  batches: DemoBatch[];
  tables: DemoTables;
  manifest: DemoManifest;
}

/** Generates a whole (small) run, keeping the batches, their rows merged, and the manifest. */
function run(options: DemoOptions): Run {
  const builder = new ManifestBuilder(resolveOptions(options));
  const batches: DemoBatch[] = [];
  for (const batch of generateDemoData(options)) {
    batches.push(batch);
    builder.add(batch);
  }
  return { batches, tables: merge(batches), manifest: builder.finish() };
}

function merge(batches: DemoBatch[]): DemoTables {
  const all = <T>(pick: (batch: DemoBatch) => T[]) => batches.flatMap(pick);
  return {
    immigration: {
      foreignNationals: all((b) => b.immigration.foreignNationals),
      passports: all((b) => b.immigration.passports),
      stayPermits: all((b) => b.immigration.stayPermits),
      borderCrossings: all((b) => b.immigration.borderCrossings),
      administrativeActions: all((b) => b.immigration.administrativeActions),
    },
    manpower: { employers: all((b) => b.manpower.employers), workPermits: all((b) => b.manpower.workPermits) },
    police: {
      policeReports: all((b) => b.police.policeReports),
      reportParties: all((b) => b.police.reportParties),
      presenceRegistrations: all((b) => b.police.presenceRegistrations),
    },
  };
}

function countBy<T>(rows: T[], keyOf: (row: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function expectUnique(values: string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

describe('demo data: the default set reproduces the Kalbar article', () => {
  let data: Run;
  let permitsOf: Map<string, StayPermit[]>;
  beforeAll(() => {
    data = run({ anchor: ANCHOR });
    permitsOf = groupBy(data.tables.immigration.stayPermits, (permit) => permit.personId);
  });

  it('has 75 VISIT, 1,131 LIMITED and 65 PERMANENT active holders, by the immigration rules', () => {
    const kinds = data.tables.immigration.foreignNationals.map(
      (person) => currentPermit(permitsOf.get(person.id) ?? [], ANCHOR)?.kind ?? 'NONE',
    );
    const count = (kind: string) => kinds.filter((value) => value === kind).length;
    expect(data.tables.immigration.foreignNationals).toHaveLength(DEFAULT_PERSONS);
    expect([count(StayPermitKind.VISIT), count(StayPermitKind.LIMITED), count(StayPermitKind.PERMANENT)]).toEqual([
      75, 1131, 65,
    ]);
    expect(count(StayPermitKind.DIPLOMATIC) + count(StayPermitKind.SERVICE)).toBe(0);
    expect(data.manifest.activePermitHolders).toEqual({ VISIT: 75, LIMITED: 1131, PERMANENT: 65 });
    for (const permits of permitsOf.values()) {
      expect(
        permits.filter((permit) => permitStatus(permit, ANCHOR) === PermitStatus.ACTIVE).length,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('gives the same figures whatever the anchor date', () => {
    for (const anchor of ['2024-02-29', '2031-01-01']) {
      expect(buildManifest({ anchor }).activePermitHolders).toEqual({ VISIT: 75, LIMITED: 1131, PERMANENT: 65 });
    }
  });

  it('puts Ketapang first, clearly ahead', () => {
    const byRegency = countBy(data.tables.immigration.foreignNationals, (person) => {
      const permits = permitsOf.get(person.id)!;
      return (
        currentPermit(permits, ANCHOR) ?? [...permits].sort((a, b) => a.validUntil.localeCompare(b.validUntil)).at(-1)!
      ).domicileRegency;
    });
    expect(byRegency[0][0]).toBe('Ketapang');
    expect(byRegency[0][1]).toBeGreaterThan(1.5 * byRegency[1][1]);
    for (const [regency] of byRegency) expect(KALBAR_REGENCIES).toContain(regency);
  });

  it('has China, Malaysia and India as the top nationalities, clearly ahead of the rest', () => {
    const byNationality = countBy(data.tables.immigration.foreignNationals, (person) => person.nationality);
    expect(byNationality.slice(0, 3).map(([code]) => code)).toEqual(['CHN', 'MYS', 'IND']);
    expect(byNationality[2][1]).toBeGreaterThan(1.3 * byNationality[3][1]);
  });

  it('employs foreign workers mostly in manufacturing (smelting) and mining', () => {
    const sectorOf = new Map(data.tables.manpower.employers.map((employer) => [employer.nib, employer.sector]));
    const active = data.tables.manpower.workPermits.filter(
      (permit) => workPermitStatus(permit, ANCHOR) === WorkPermitStatus.ACTIVE,
    );
    const bySector = countBy(active, (permit) => sectorOf.get(permit.employerNib)!);
    expect(
      bySector
        .slice(0, 2)
        .map(([sector]) => sector)
        .sort(),
    ).toEqual([Sector.MANUFACTURING, Sector.MINING]);
    expect(bySector[0][1] + bySector[1][1]).toBeGreaterThan(0.6 * active.length);
    expect(data.tables.manpower.employers.some((employer) => employer.kbliCode === '24202')).toBe(true);
    const employerSectors = countBy(data.tables.manpower.employers, (employer) => employer.sector).map(
      ([sector]) => sector,
    );
    expect(employerSectors).toEqual(
      expect.arrayContaining([Sector.MANUFACTURING, Sector.MINING, Sector.AGRICULTURE, Sector.CONSTRUCTION]),
    );
  });

  it('plants every finding kind a few times, and the manifest equals the rules run over the rows', () => {
    for (const kind of FINDING_KINDS) {
      expect(data.manifest.violationsByKind[kind]).toBeGreaterThanOrEqual(3);
      expect(data.manifest.violationsByKind[kind]).toBeLessThanOrEqual(12);
    }
    const found = checkDataset(data.tables, ANCHOR);
    expect(violationKeys(data.manifest.violations)).toEqual(violationKeys(found));
    expect(data.manifest.violationsComplete).toBe(true);
    const overstays = found
      .filter((violation) => violation.kind === 'OVERSTAY')
      .map((violation) => violation.details!.daysOver as number);
    expect(overstays.some((days) => days < 60)).toBe(true);
    expect(overstays.some((days) => days > 60)).toBe(true);
    // Expired work permits of persons still here are overstays too, and listed under both kinds.
    const expiredWorkers = found
      .filter((violation) => violation.kind === 'WORK_AFTER_PERMIT_EXPIRED')
      .map((violation) => violation.personId);
    const overstayers = new Set(
      found.filter((violation) => violation.kind === 'OVERSTAY').map((violation) => violation.personId),
    );
    expect(expiredWorkers.some((personId) => overstayers.has(personId))).toBe(true);
  });

  it('keeps the clean person clean, with an active ITAS, RPTKA and employer', () => {
    const { cleanPerson } = data.manifest.examples;
    expect(data.manifest.violations.filter((violation) => violation.personId === cleanPerson.personId)).toEqual([]);
    const permit = currentPermit(permitsOf.get(cleanPerson.personId)!, ANCHOR)!;
    expect([permit.kind, permit.purpose, permit.sponsorType, permit.sponsorNib]).toEqual([
      StayPermitKind.LIMITED,
      StayPurpose.WORK,
      SponsorType.COMPANY,
      cleanPerson.employerNib,
    ]);
    const rptka = data.tables.manpower.workPermits.find((work) => work.rptkaNumber === cleanPerson.rptkaNumber)!;
    expect(workPermitStatus(rptka, ANCHOR)).toBe(WorkPermitStatus.ACTIVE);
    expect(data.tables.manpower.employers.map((employer) => employer.nib)).toContain(cleanPerson.employerNib);
  });

  it('files the renewed-passport example under the old passport in all three agencies', () => {
    const example = data.manifest.examples.renewedPassport;
    const passports = data.tables.immigration.passports.filter((passport) => passport.personId === example.personId);
    expect(passports.length).toBeGreaterThanOrEqual(2);
    expect(passports.find((passport) => passport.number === example.oldPassport.number)!.current).toBe(false);
    expect(passports.find((passport) => passport.number === example.currentPassport.number)!.current).toBe(true);
    const rptka = data.tables.manpower.workPermits.find((work) => work.rptkaNumber === example.rptkaNumber)!;
    expect([rptka.workerPassportNumber, workPermitStatus(rptka, ANCHOR)]).toEqual([
      example.oldPassport.number,
      WorkPermitStatus.ACTIVE,
    ]);
    const report = data.tables.police.policeReports.find((row) => row.reportNumber === example.reportNumber)!;
    const parties = data.tables.police.reportParties.filter((party) => party.reportId === report.id);
    expect(parties.map((party) => party.passportNumber)).toContain(example.oldPassport.number);
    const registration = data.tables.police.presenceRegistrations.find(
      (row) => row.registrationNumber === example.registrationNumber,
    )!;
    expect(registration.passportNumber).toBe(example.oldPassport.number);
  });

  it('names the name-only example by a unique name, birth date and nationality', () => {
    const example = data.manifest.examples.nameOnlyPoliceMatch;
    const report = data.tables.police.policeReports.find((row) => row.reportNumber === example.reportNumber)!;
    const party = data.tables.police.reportParties.find(
      (row) => row.reportId === report.id && row.nationality !== null,
    )!;
    expect([party.passportNumber, party.passportCountry]).toEqual([null, null]);
    const key = identityKey(nameKey(party.fullName), party.dateOfBirth!, party.nationality!);
    const matches = data.tables.immigration.foreignNationals.filter(
      (person) => identityKey(person.nameKey, person.dateOfBirth, person.nationality) === key,
    );
    expect(matches.map((person) => person.id)).toEqual([example.personId]);
  });

  it('renews the passports of 10-15% of persons and keeps records under old numbers', () => {
    const renewed = new Set(
      data.tables.immigration.passports.filter((passport) => !passport.current).map((passport) => passport.personId),
    );
    expect(renewed.size / DEFAULT_PERSONS).toBeGreaterThanOrEqual(0.1);
    expect(renewed.size / DEFAULT_PERSONS).toBeLessThanOrEqual(0.15);
    const oldNumbers = new Set(
      data.tables.immigration.passports.filter((passport) => !passport.current).map((passport) => passport.number),
    );
    expect(
      data.tables.manpower.workPermits.filter((work) => oldNumbers.has(work.workerPassportNumber)).length,
    ).toBeGreaterThan(20);
    expect(
      data.tables.immigration.borderCrossings.filter((crossing) => oldNumbers.has(crossing.passportNumber)).length,
    ).toBeGreaterThan(20);
    expect(
      data.tables.police.presenceRegistrations.filter((row) => oldNumbers.has(row.passportNumber ?? '')).length,
    ).toBeGreaterThan(20);
  });

  it('has realistic identifiers, unique where the agencies make them unique', () => {
    const { immigration, manpower, police } = data.tables;
    for (const passport of immigration.passports) expect(passport.number).toMatch(/^[A-Z0-9]{5,12}$/);
    expectUnique(immigration.passports.map((passport) => `${passport.country}:${passport.number}`));
    for (const employer of manpower.employers) {
      expect(employer.nib).toMatch(/^\d{13}$/);
      expect(employer.npwp).toMatch(/^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$/);
      expect(employer.name).toMatch(/^PT /);
    }
    expectUnique(manpower.employers.map((employer) => employer.nib));
    for (const work of manpower.workPermits) expect(work.counterpartNik).toMatch(/^61\d{14}$/);
    for (const report of police.policeReports)
      expect(report.reportNumber).toMatch(/^LP\/[AB]\/\d+\/[IVX]+\/\d{4}\/SPKT\/(POLDA KALBAR|POLRES(TA)? [A-Z ]+)$/);
    expectUnique(police.policeReports.map((report) => report.reportNumber));
    expectUnique(immigration.stayPermits.map((permit) => permit.permitNumber));
    expectUnique(manpower.workPermits.map((work) => work.rptkaNumber));
    expectUnique(police.presenceRegistrations.map((row) => row.registrationNumber));
    const ids = [
      ...immigration.foreignNationals,
      ...immigration.passports,
      ...immigration.stayPermits,
      ...immigration.borderCrossings,
      ...immigration.administrativeActions,
      ...manpower.workPermits,
      ...police.policeReports,
      ...police.reportParties,
      ...police.presenceRegistrations,
    ].map((row) => row.id);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expectUnique(ids);
    for (const person of immigration.foreignNationals) expect(person.nameKey).toBe(nameKey(person.fullName));
    for (const party of police.reportParties) expect(party.nameKey).toBe(nameKey(party.fullName));
  });

  it('uses the visa indexes, validities and sponsors of each permit kind', () => {
    const nibs = new Map(data.tables.manpower.employers.map((employer) => [employer.nib, employer.name]));
    const indexes: Record<string, string[]> = {
      VISIT: ['B1', 'C1', 'D1'],
      LIMITED: ['E23', 'E28A', 'E30', 'E31', 'E33'],
      PERMANENT: ['ITAP-KRJ', 'ITAP-KEL'],
    };
    const purposeOf: Record<string, StayPurpose> = {
      E23: StayPurpose.WORK,
      E28A: StayPurpose.INVESTMENT,
      E30: StayPurpose.STUDY,
      E31: StayPurpose.FAMILY,
      E33: StayPurpose.RETIREMENT,
    };
    for (const permit of data.tables.immigration.stayPermits) {
      expect(indexes[permit.kind]).toContain(permit.visaIndex);
      expect(OFFICES).toContain(permit.issuingOffice);
      const days = daysBetween(permit.validFrom, permit.validUntil) + 1;
      if (permit.kind === StayPermitKind.VISIT) expect(days).toBeLessThanOrEqual(60);
      if (permit.kind === StayPermitKind.LIMITED) expect(days).toBeGreaterThanOrEqual(180);
      if (permit.kind === StayPermitKind.LIMITED) expect(days).toBeLessThanOrEqual(731);
      if (permit.kind === StayPermitKind.PERMANENT) expect(days).toBe(5 * 365);
      if (permit.kind === StayPermitKind.LIMITED) expect(permit.purpose).toBe(purposeOf[permit.visaIndex]);
      const companySponsored =
        permit.visaIndex === 'E23' || permit.visaIndex === 'E28A' || permit.visaIndex === 'ITAP-KRJ';
      expect(permit.sponsorType).toBe(companySponsored ? SponsorType.COMPANY : SponsorType.PERSON);
      if (companySponsored) expect(nibs.get(permit.sponsorNib!)).toBe(permit.sponsorName);
      else expect(permit.sponsorNib).toBeNull();
    }
  });

  it('gives a person at most one permit in force on any day, so the figures count persons', () => {
    for (const permits of permitsOf.values()) {
      const inForce = permits
        .filter((permit) => permit.recordedStatus === RecordedPermitStatus.ACTIVE)
        .sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      for (let i = 1; i < inForce.length; i++) expect(inForce[i].validFrom > inForce[i - 1].validUntil).toBe(true);
    }
  });

  it('gives a worker at most one RPTKA in force on any day, so the workforce figures count workers', () => {
    const byWorker = groupBy(
      data.tables.manpower.workPermits.filter((permit) => permit.recordedStatus === 'ACTIVE'),
      (permit) => `${permit.workerPassportCountry}:${permit.workerPassportNumber}`,
    );
    for (const permits of byWorker.values()) {
      const sorted = [...permits].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].validFrom > sorted[i - 1].validUntil).toBe(true);
    }
  });

  it('issues each permit on a passport of its holder', () => {
    const passportsOf = groupBy(data.tables.immigration.passports, (passport) => passport.personId);
    for (const permit of data.tables.immigration.stayPermits) {
      expect(passportsOf.get(permit.personId)!.map((passport) => `${passport.country}:${passport.number}`)).toContain(
        `${permit.passportCountry}:${permit.passportNumber}`,
      );
    }
  });

  it('has history: expired, converted and cancelled permits, departures, crossings at Kalbar checkpoints, actions', () => {
    const { stayPermits, borderCrossings, administrativeActions } = data.tables.immigration;
    const statuses = new Set(stayPermits.map((permit) => permitStatus(permit, ANCHOR)));
    expect([...statuses].sort()).toEqual(
      [PermitStatus.ACTIVE, PermitStatus.CANCELLED, PermitStatus.CONVERTED, PermitStatus.EXPIRED].sort(),
    );
    expect(
      stayPermits.some(
        (permit) => permit.recordedStatus === RecordedPermitStatus.CONVERTED && permit.kind === StayPermitKind.VISIT,
      ),
    ).toBe(true);
    for (const crossing of borderCrossings) expect(CHECKPOINTS).toContain(crossing.checkpoint);
    const crossingsOf = groupBy(borderCrossings, (crossing) => crossing.personId);
    const departed = data.tables.immigration.foreignNationals.filter(
      (person) => !isInCountry(crossingsOf.get(person.id)!) && !currentPermit(permitsOf.get(person.id)!, ANCHOR),
    );
    expect(departed.length).toBeGreaterThan(200);
    expect(crossingsOf.get(departed[0].id)!.at(-1)!.direction).toBe(CrossingDirection.EXIT);
    expect(new Set(administrativeActions.map((action) => action.kind)).size).toBeGreaterThanOrEqual(5);
  });

  it('names Indonesian citizens in every party role, and foreigners with and without passports', () => {
    const { reportParties, policeReports, presenceRegistrations } = data.tables.police;
    const citizens = reportParties.filter((party) => party.nationality === null);
    for (const citizen of citizens) expect(citizen.passportNumber).toBeNull();
    expect(new Set(citizens.map((party) => party.role))).toEqual(new Set(Object.values(PartyRole)));
    const foreigners = reportParties.filter((party) => party.nationality !== null);
    expect(foreigners.some((party) => party.passportNumber === null)).toBe(true);
    expect(foreigners.some((party) => party.passportNumber !== null)).toBe(true);
    expect(new Set(policeReports.map((report) => report.status))).toEqual(new Set(Object.values(ReportStatus)));
    expect(presenceRegistrations.some((row) => row.reportedBy.startsWith('Hotel'))).toBe(true);
    expect(presenceRegistrations.some((row) => row.reportedBy.includes('pemilik rumah sewa'))).toBe(true);
  });
});

describe('demo data: generation', () => {
  it('is deterministic, whatever the batch size', () => {
    const first = run({ anchor: ANCHOR, persons: 300, batchSize: 300 });
    const second = run({ anchor: ANCHOR, persons: 300, batchSize: 37 });
    expect(JSON.stringify(second.tables)).toEqual(JSON.stringify(first.tables));
    expect(second.manifest.violations).toEqual(first.manifest.violations);
    const otherSeed = run({ anchor: ANCHOR, persons: 300, seed: DEFAULT_SEED + 1 });
    expect(otherSeed.tables.immigration.foreignNationals[0].id).not.toBe(
      first.tables.immigration.foreignNationals[0].id,
    );
  });

  it('streams batches of at most batchSize persons, employers first', () => {
    const batches = [...generateDemoData({ anchor: ANCHOR, batchSize: 250 })];
    expect(batches).toHaveLength(Math.ceil(DEFAULT_PERSONS / 250));
    batches.forEach((batch, index) => {
      expect(batch.immigration.foreignNationals.length).toBeLessThanOrEqual(250);
      expect(batch.manpower.employers.length > 0).toBe(index === 0);
      expect(batch.personsDone).toBe(Math.min(DEFAULT_PERSONS, (index + 1) * 250));
    });
  });

  it('scales every count with --persons', () => {
    const base = buildManifest({ anchor: ANCHOR });
    const double = buildManifest({ anchor: ANCHOR, persons: 2 * DEFAULT_PERSONS });
    expect(double.activePermitHolders).toEqual({ VISIT: 150, LIMITED: 2262, PERMANENT: 130 });
    for (const table of Object.keys(TABLES)) {
      // Police and action tables hold a few dozen rows by default: random noise, not scaling, rules them.
      const tolerance = base.counts[table] < 500 ? 0.6 : 0.2;
      expect(double.counts[table] / base.counts[table]).toBeGreaterThan(2 - tolerance);
      expect(double.counts[table] / base.counts[table]).toBeLessThan(2 + tolerance);
    }
    expect(double.counts.employer).toBe(2 * base.counts.employer);
    expect(buildManifest({ anchor: ANCHOR, persons: 400 }).counts.employer).toBe(40);
    for (const kind of FINDING_KINDS) expect(double.violationsByKind[kind]).toBe(2 * base.violationsByKind[kind]);
  });

  it('refuses nonsense options', () => {
    expect(() => resolveOptions({ anchor: '18-06-2025' })).toThrow(/anchor/);
    expect(() => resolveOptions({ anchor: ANCHOR, persons: 5 })).toThrow(/persons/);
  });
});

describe('demo data: seeding databases', () => {
  it('inserts every row into the three SQLite databases and seeds only empty ones', async () => {
    const open = (entities: Function[]) => createDataSource({ url: 'sqlite::memory:', entities }).dataSource;
    const dbs = {
      immigration: open(immigrationEntities),
      manpower: open(manpowerEntities),
      police: open(policeEntities),
    };
    await Promise.all(Object.values(dbs).map((db) => db.initialize()));
    try {
      const manifest = await seedDatabases(dbs, { anchor: ANCHOR, batchSize: 500 });
      for (const db of Object.values(dbs)) {
        // Entity resolution's tables, the employment search projection (one row per RPTKA) and the
        // maintained figures are derived from these rows, not demo rows themselves.
        const derived = (table: string) =>
          table.startsWith('identity_') ||
          table === 'employment_search' ||
          /_(daily_change|monthly_count)$/.test(table);
        for (const entity of db.entityMetadatas.filter((table) => !derived(table.tableName))) {
          expect([entity.tableName, await db.getRepository(entity.target).count()]).toEqual([
            entity.tableName,
            manifest.counts[entity.tableName],
          ]);
        }
        if (db === dbs.immigration)
          expect(await db.query('SELECT COUNT(*) AS n FROM employment_search')).toEqual([
            { n: manifest.counts.work_permit },
          ]);
      }
      const stored = await dbs.manpower
        .getRepository('WorkPermit')
        .findOneByOrFail({ rptkaNumber: manifest.examples.renewedPassport.rptkaNumber });
      expect(stored.workRegencies.length).toBeGreaterThan(0);
      expect(await seedIfEmpty(dbs, { anchor: ANCHOR })).toBe(false);
      expect(await dbs.immigration.getRepository(ForeignNational).count()).toBe(DEFAULT_PERSONS);
    } finally {
      await Promise.all(Object.values(dbs).map((db) => db.destroy()));
    }
  });
});

describe("demo data: a seed's transactions", () => {
  let fresh: FreshDatabases;
  let dbs: DemoDatabases;
  beforeAll(async () => {
    fresh = await freshDatabases();
    dbs = await openDemoDatabases(fresh.urls);
  });
  afterAll(async () => {
    await closeDemoDatabases(dbs);
    await fresh.drop();
  });

  /** Each table's rows, and on PostgreSQL its indexes and keys (partitions' included). */
  const state = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(dbs).map(async ([agency, db]) => {
          const rows: Record<string, number> = {};
          for (const entity of db.entityMetadatas)
            rows[entity.tableName] = await db.getRepository(entity.target).count();
          const indexes = onPostgres
            ? (
                await db.query(
                  `SELECT tablename || ': ' || indexdef AS definition FROM pg_indexes
                   WHERE schemaname = current_schema() ORDER BY 1`,
                )
              ).map((row: { definition: string }) => row.definition)
            : [];
          return [agency, { rows, indexes }];
        }),
      ),
    );

  /** What a seed derives from its rows, read back. */
  const derived = async () => ({
    counts: await dbs.immigration.query('SELECT key, persons FROM identity_count ORDER BY key'),
    keys: await dbs.immigration.query('SELECT key, "personId" FROM identity_block_key ORDER BY key, "personId"'),
    indexed: await dbs.immigration.query('SELECT * FROM identity_indexed_person ORDER BY "personId"'),
    projection: await dbs.immigration.query('SELECT * FROM employment_search ORDER BY id'),
    permitDays: await dbs.immigration.query('SELECT * FROM stay_permit_daily_change ORDER BY 1, 2, 3, 4, 5'),
    permitMonths: await dbs.immigration.query('SELECT * FROM stay_permit_monthly_count ORDER BY 1, 2, 3, 4, 5'),
    workDays: await dbs.manpower.query('SELECT * FROM work_permit_daily_change ORDER BY 1, 2, 3, 4'),
    workMonths: await dbs.manpower.query('SELECT * FROM work_permit_monthly_count ORDER BY 1, 2, 3, 4'),
  });
  it('leaves every table as it was when stopped midway, and its indexes whole when done', async () => {
    const before = await state();
    const stopped = seedDatabases(dbs, {
      anchor: ANCHOR,
      batchSize: 100,
      onProgress: (done) => {
        if (done >= 200) throw new Error('stopped after two batches');
      },
    });
    await expect(stopped).rejects.toThrow('stopped after two batches');
    expect(await state()).toEqual(before);

    const manifest = await seedDatabases(dbs, { anchor: ANCHOR, batchSize: 100 });
    const after = await state();
    for (const agency of Object.keys(dbs)) expect(after[agency].indexes).toEqual(before[agency].indexes);
    expect(after.immigration.rows.foreign_national).toBe(manifest.persons);
    expect(after.immigration.rows.border_crossing).toBe(manifest.counts.border_crossing);

    // What the seed derived as it wrote equals what the rebuilds make from the stored rows.
    const seeded = await derived();
    expect(seeded.projection.length).toBe(manifest.counts.work_permit);
    expect(seeded.projection.filter((row: { personId: string | null }) => row.personId).length).toBeGreaterThan(0);
    expect(seeded.permitMonths.length).toBeGreaterThan(0);
    expect(seeded.workMonths.length).toBeGreaterThan(0);
    await rebuildIndex(dbs.immigration);
    await dbs.immigration.transaction((manager) => rebuildPermitFigures(manager));
    await dbs.manpower.transaction((manager) => rebuildWorkforceFigures(manager));
    await rebuildEmploymentProjection(dbs);
    expect(await derived()).toEqual(seeded);

    if (onPostgres) {
      // The keys hold again: a duplicate passport is refused.
      await expect(dbs.immigration.query('INSERT INTO passport SELECT * FROM passport LIMIT 1')).rejects.toThrow(
        /duplicate key/,
      );
    }
  });

  // Agency databases are created under the C collation (createDatabaseStatement); a large seed into
  // one made otherwise says how to make its index builds faster.
  (onPostgres ? it : it.skip)('names a database created under another collation before a large load', async () => {
    expect((await loadAdvice(dbs)).filter((line) => line.includes('sorts text'))).toEqual([]);
    const name = `t_collation_${process.pid}`;
    await onPostgresServer(TEST_DATABASE_URL!, (query) =>
      query(`CREATE DATABASE ${name} LC_COLLATE 'C.UTF-8' TEMPLATE template0`),
    );
    const other = createDataSource({ url: databaseOnServer(TEST_DATABASE_URL!, name), entities: [] }).dataSource;
    try {
      await other.initialize();
      const advice = await loadAdvice({ ...dbs, police: other });
      expect(advice.filter((line) => line.includes('sorts text'))).toEqual([
        expect.stringContaining(`Database ${name} sorts text under C.UTF-8`),
      ]);
    } finally {
      if (other.isInitialized) await other.destroy();
      await onPostgresServer(TEST_DATABASE_URL!, (query) => query(`DROP DATABASE ${name}`));
    }
  });

  // The command line loads entity resolution's index on a worker thread, in a transaction of its
  // own (PostgreSQL): the same index as the rebuild's, committed with the records.
  (onPostgres ? it : it.skip)('loads the same index from the command line, on a worker thread', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-seed-'));
    try {
      const urls = Object.fromEntries(
        Object.entries(fresh.urls).map(([agency, url]) => [`${agency.toUpperCase()}_DATABASE_URL`, url]),
      );
      execFileSync(
        process.execPath,
        [
          path.join(__dirname, '..', 'dist', 'tools', 'seed.js'),
          '--persons',
          '300',
          '--anchor',
          ANCHOR,
          '--reset',
          '--data-dir',
          dataDir,
        ],
        { env: { ...process.env, ...urls, LOG_LEVEL: 'warn' } },
      );
      const seeded = await derived();
      expect(seeded.indexed.length).toBe(300);
      expect(seeded.keys.length).toBeGreaterThan(300 * 10);
      await rebuildIndex(dbs.immigration);
      expect(await derived()).toEqual(seeded);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
