import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createDatabaseStatement,
  databaseOnServer,
  onPostgresServer,
  openDatabase,
  redactUrl,
} from '../../lib/database';
import { subgraphs, SubgraphName } from '../../subgraphs';
import { generateDemoData, resolveOptions } from '../demo';
import { DemoBatch } from '../demo/types';
import { countOption, parseCommandLine, runTool } from '../cli';
import { recordTypeOf, runImport } from '../import';
import { DEFAULT_IMPORT_BATCH } from '../../subgraphs/shared/import';
import { migrate } from '../migrate';

/**
 * `npm run bench:import [-- --persons 20000 --postgres postgres://…/postgres]`: writes CSV files of
 * every type from the demo generator's data (persons first, then permits, crossings, employers,
 * work permits, reports, parties, registrations), imports them into fresh databases (SQLite files
 * in a temporary directory; PostgreSQL on the server given, in databases made and dropped here),
 * then imports them again (every row unchanged), and prints the rows per second of each file.
 */
const CLI = {
  command: 'npm run bench:import --',
  summary: 'Rows per second of the CSV import, per file type, first import and re-import.',
  options: {
    persons: {
      type: 'string',
      default: '20000',
      value: 'N',
      description: 'persons of the demo data the files are made from (default 20000)',
    },
    postgres: {
      type: 'string',
      value: 'URL',
      description: 'a PostgreSQL server (any database on it): measure there too, in scratch databases',
    },
    keep: { type: 'string', value: 'DIR', description: 'write the CSV files into DIR and keep them' },
    'batch-size': {
      type: 'string',
      default: String(DEFAULT_IMPORT_BATCH),
      value: 'N',
      description: `rows per transaction (default ${DEFAULT_IMPORT_BATCH}, as the import's)`,
    },
  },
} as const;

const AGENCIES = ['immigration', 'manpower', 'police'] as const;

/** The files in the order an agency loads them (references first). */
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

type Row = Record<string, unknown>;

function csvValue(value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The demo data as the agencies' CSV files, written batch by batch (constant memory). */
export function writeFiles(dir: string, persons: number): Record<string, number> {
  const rows: Record<string, number> = {};
  const append = (file: string, records: Row[]) => {
    if (records.length === 0) return;
    const target = path.join(dir, file);
    if (!rows[file]) writeFileSync(target, `${Object.keys(records[0]).join(',')}\n`);
    appendFileSync(target, records.map((record) => Object.values(record).map(csvValue).join(',') + '\n').join(''));
    rows[file] = (rows[file] ?? 0) + records.length;
  };
  const reportNumbers = new Map<string, string>();
  for (const batch of generateDemoData(resolveOptions({ persons, anchor: '2025-06-18' }))) {
    for (const [file, records] of Object.entries(filesOf(batch, reportNumbers))) append(file, records);
  }
  return rows;
}

function filesOf(batch: DemoBatch, reportNumbers: Map<string, string>): Record<string, Row[]> {
  const { immigration, manpower, police } = batch;
  const people = new Map(immigration.foreignNationals.map((person) => [person.id, person]));
  const countryOf = new Map(immigration.passports.map((passport) => [passport.number, passport.country]));
  for (const report of police.policeReports) reportNumbers.set(report.id, report.reportNumber);
  // A person's passports oldest first, each later one a renewal of the one before (same country).
  const byPerson = new Map<string, typeof immigration.passports>();
  for (const passport of immigration.passports)
    byPerson.set(passport.personId, [...(byPerson.get(passport.personId) ?? []), passport]);
  const persons: Row[] = [];
  for (const passports of byPerson.values()) {
    passports.sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : 1));
    passports.forEach((passport, index) => {
      const person = people.get(passport.personId)!;
      const previous = passports[index - 1];
      persons.push({
        passport_country: passport.country,
        passport_number: passport.number,
        passport_issued_on: passport.issuedOn,
        passport_expires_on: passport.expiresOn,
        previous_passport_number: previous?.country === passport.country ? previous.number : '',
        full_name: person.fullName,
        sex: person.sex,
        date_of_birth: person.dateOfBirth,
        place_of_birth: person.placeOfBirth,
        nationality: person.nationality,
      });
    });
  }
  return {
    'persons.csv': persons,
    'permits.csv': immigration.stayPermits.map((permit) => ({
      permit_number: permit.permitNumber,
      passport_country: permit.passportCountry,
      passport_number: permit.passportNumber,
      kind: permit.kind,
      visa_index: permit.visaIndex,
      purpose: permit.purpose,
      valid_from: permit.validFrom,
      valid_until: permit.validUntil,
      status: permit.recordedStatus,
      sponsor_type: permit.sponsorType,
      sponsor_nib: permit.sponsorNib,
      sponsor_name: permit.sponsorName,
      domicile_address: permit.domicileAddress,
      domicile_regency: permit.domicileRegency,
      issuing_office: permit.issuingOffice,
    })),
    'crossings.csv': immigration.borderCrossings.map((crossing) => ({
      passport_country: countryOf.get(crossing.passportNumber),
      passport_number: crossing.passportNumber,
      direction: crossing.direction,
      crossed_at: crossing.crossedAt,
      checkpoint: crossing.checkpoint,
    })),
    'employers.csv': manpower.employers.map((employer) => ({
      nib: employer.nib,
      npwp: employer.npwp,
      name: employer.name,
      kbli_code: employer.kbliCode,
      kbli_label: employer.kbliLabel,
      sector: employer.sector,
      address: employer.address,
      regency: employer.regency,
    })),
    'work-permits.csv': manpower.workPermits.map((permit) => ({
      rptka_number: permit.rptkaNumber,
      employer_nib: permit.employerNib,
      worker_name: permit.workerName,
      worker_passport_number: permit.workerPassportNumber,
      worker_passport_country: permit.workerPassportCountry,
      worker_nationality: permit.workerNationality,
      position: permit.position,
      work_regencies: permit.workRegencies,
      valid_from: permit.validFrom,
      valid_until: permit.validUntil,
      status: permit.recordedStatus,
      counterpart_name: permit.counterpartName,
      counterpart_nik: permit.counterpartNik,
      dkptka_paid_until: permit.dkptkaPaidUntil,
    })),
    'reports.csv': police.policeReports.map((report) => ({
      report_number: report.reportNumber,
      model: report.model,
      category: report.category,
      occurred_at: report.occurredAt,
      regency: report.regency,
      precinct: report.precinct,
      summary: report.summary,
      status: report.status,
    })),
    'parties.csv': police.reportParties.map((party) => ({
      report_number: reportNumbers.get(party.reportId),
      role: party.role,
      full_name: party.fullName,
      passport_number: party.passportNumber,
      passport_country: party.passportCountry,
      date_of_birth: party.dateOfBirth,
      nationality: party.nationality,
    })),
    'registrations.csv': police.presenceRegistrations.map((registration) => ({
      registration_number: registration.registrationNumber,
      passport_number: registration.passportNumber,
      passport_country: registration.passportCountry,
      full_name: registration.fullName,
      date_of_birth: registration.dateOfBirth,
      nationality: registration.nationality,
      reported_by: registration.reportedBy,
      address: registration.address,
      regency: registration.regency,
      precinct: registration.precinct,
      check_in: registration.checkIn,
      check_out: registration.checkOut,
    })),
  };
}

interface Measured {
  file: string;
  rows: number;
  first: number;
  again: number;
  rejected: number;
}

async function importAll(
  urls: Record<SubgraphName, string>,
  dir: string,
  batchSize: number,
  label: string,
): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const [agency, file] of FILES) {
    const target = path.join(dir, file);
    try {
      statSync(target);
    } catch {
      continue;
    }
    const time = async () => {
      const started = process.hrtime.bigint();
      const summary = await runImport(urls[agency], recordTypeOf(agency, file), target, {
        batchSize,
        log: () => undefined,
      });
      return { summary, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    };
    const first = await time();
    const again = await time();
    if (again.summary.unchanged !== first.summary.read - first.summary.rejected)
      throw new Error(`${label} ${file}: the re-import changed rows (${JSON.stringify(again.summary)})`);
    const measured = {
      file,
      rows: first.summary.read,
      first: first.summary.read / first.seconds,
      again: again.summary.read / again.seconds,
      rejected: first.summary.rejected,
    };
    console.log(
      `${label.padEnd(10)} ${file.padEnd(18)} ${String(measured.rows).padStart(9)} rows  first ${Math.round(measured.first).toLocaleString('en').padStart(7)} rows/s  again ${Math.round(measured.again).toLocaleString('en').padStart(7)} rows/s${measured.rejected ? `  (${measured.rejected} rejected)` : ''}`,
    );
    results.push(measured);
  }
  return results;
}

async function createdDatabases(url: string | undefined, dir: string) {
  if (!url) {
    const urls = Object.fromEntries(
      AGENCIES.map((agency) => [agency, `sqlite:${path.join(dir, `${agency}.sqlite`)}`]),
    ) as Record<SubgraphName, string>;
    for (const agency of AGENCIES)
      await (await openDatabase({ url: urls[agency], ...subgraphs[agency] })).dataSource.destroy();
    return { urls, drop: async () => undefined };
  }
  const prefix = `bench_import_${randomBytes(4).toString('hex')}`;
  await onPostgresServer(url, async (query) => {
    for (const agency of AGENCIES) await query(createDatabaseStatement(`${prefix}_${agency}`));
  });
  const urls = Object.fromEntries(
    AGENCIES.map((agency) => [agency, databaseOnServer(url, `${prefix}_${agency}`)]),
  ) as Record<SubgraphName, string>;
  for (const agency of AGENCIES) await migrate(urls[agency], agency, () => undefined);
  return {
    urls,
    drop: () =>
      onPostgresServer(url, async (query) => {
        for (const agency of AGENCIES) await query(`DROP DATABASE IF EXISTS ${prefix}_${agency} WITH (FORCE)`);
      }),
  };
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const persons = countOption('persons', values.persons);
  const batchSize = countOption('batch-size', values['batch-size']);
  const dir = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(os.tmpdir(), 'timpora-bench-import-'));
  mkdirSync(dir, { recursive: true });
  try {
    const files = writeFiles(dir, persons);
    console.log(
      `CSV files of ${persons.toLocaleString('en')} persons: ${Object.entries(files)
        .map(([file, rows]) => `${file} ${rows.toLocaleString('en')}`)
        .join(', ')}`,
    );
    const targets: [string, string | undefined][] = [['SQLite', undefined]];
    if (values.postgres) targets.push([`PostgreSQL`, values.postgres]);
    for (const [label, url] of targets) {
      const databases = await createdDatabases(url, dir);
      if (url) console.log(`${label}: scratch databases on ${redactUrl(url)}`);
      try {
        await importAll(databases.urls, dir, batchSize, label);
      } finally {
        await databases.drop();
      }
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runTool(main, { failure: 'The import benchmark failed' });
