import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, ObjectLiteral } from 'typeorm';
import { bulkInsert } from '../../lib/bulk';
import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { rebuildIndex } from '../../subgraphs/immigration/matching/blocking';
import { thresholdsFromEnv } from '../../subgraphs/immigration/matching/decisions';
import { searchColumnsOf } from '../../subgraphs/immigration/search-columns';
import { groupBy } from '../../subgraphs/shared/loaders';
import { rebuildEmploymentProjection } from '../employment-projection';
import { rebuildPermitFigures } from '../../subgraphs/immigration/figures';
import { rebuildWorkforceFigures } from '../../subgraphs/manpower/figures';
import { linkPoliceRecords, trainOnPoliceRecords } from '../identity-resolution';
import { Employer } from '../../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../../subgraphs/manpower/entities/work-permit';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { generateDemoData, resolveOptions } from './generate';
import { LARGE_RUN_PERSONS, ManifestBuilder } from './manifest';
import { DemoBatch, DemoManifest, DemoOptions, PlantedViolation } from './types';

export interface DemoDatabases {
  immigration: DataSource;
  manpower: DataSource;
  police: DataSource;
}

export interface SeedOptions extends DemoOptions {
  /** Where to write the manifest (JSON); large runs also write violations.jsonl beside it. */
  manifestPath?: string;
  /** Called after each batch is written, with persons done and persons in the run. */
  onProgress?: (done: number, total: number) => void;
  /** Train on and link police's records on this many worker threads too, given immigration's URL (parallel.ts). */
  linkWorkers?: { count: number; immigrationUrl: string };
  /** Filled with the seconds spent in each phase (generation, writes per agency, index, linking). */
  timings?: SeedTimings;
}

export type SeedTimings = Record<string, number>;

/** Runs `work`, adding its seconds to `timings[phase]`. */
async function timed<T>(timings: SeedTimings | undefined, phase: string, work: () => Promise<T> | T): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await work();
  } finally {
    if (timings) timings[phase] = (timings[phase] ?? 0) + Number(process.hrtime.bigint() - started) / 1e9;
  }
}

type EntityClass = new () => ObjectLiteral;

/** Rows of one batch per data source, in insert order. */
function rowsByDatabase(batch: DemoBatch): Record<keyof DemoDatabases, [EntityClass, ObjectLiteral[]][]> {
  return {
    immigration: [
      [ForeignNational, batch.immigration.foreignNationals],
      [Passport, batch.immigration.passports],
      [StayPermit, batch.immigration.stayPermits],
      [BorderCrossing, batch.immigration.borderCrossings],
      [AdministrativeAction, batch.immigration.administrativeActions],
    ],
    manpower: [
      [Employer, batch.manpower.employers],
      [WorkPermit, batch.manpower.workPermits],
    ],
    police: [
      [PoliceReport, batch.police.policeReports],
      [ReportParty, batch.police.reportParties],
      [PresenceRegistration, batch.police.presenceRegistrations],
    ],
  };
}

/**
 * One transaction per database per batch: a crash leaves whole batches, and commits stay few.
 * Entity resolution's index is made from all the persons once they are in (rebuildDerivedData).
 */
export async function writeBatch(dbs: DemoDatabases, batch: DemoBatch, timings?: SeedTimings): Promise<void> {
  for (const [agency, tables] of Object.entries(rowsByDatabase(batch)) as [
    keyof DemoDatabases,
    [EntityClass, ObjectLiteral[]][],
  ][]) {
    if (tables.every(([, rows]) => rows.length === 0)) continue;
    // A batch holds each of its persons whole: their search columns come from their own records.
    if (agency === 'immigration') await timed(timings, 'search columns', () => setSearchColumns(batch.immigration));
    // Fresh rows: straight into the tables (COPY on PostgreSQL, prepared multi-row INSERTs on SQLite).
    await timed(timings, `write ${agency}`, () =>
      dbs[agency].transaction(async (manager) => {
        for (const [entity, rows] of tables) await bulkInsert(manager, entity, rows);
      }),
    );
  }
}

/** Fills the persons' search columns from their permits and crossings in the batch (all of them). */
function setSearchColumns(records: DemoBatch['immigration']): void {
  const permits = groupBy(records.stayPermits, (permit) => permit.personId);
  const crossings = groupBy(records.borderCrossings, (crossing) => crossing.personId);
  for (const person of records.foreignNationals)
    Object.assign(person, searchColumnsOf(permits.get(person.id) ?? [], crossings.get(person.id) ?? []));
}

/**
 * What is derived from the rows (entity resolution's index, the maintained figures, immigration's
 * employment search projection), made once from all of them when the rows are in. A fresh load is
 * the rebuild's case: kept batch by batch, as imports keep them, every batch would add up its own
 * months and days again (at 1,000,000 persons, millions of upserts where the rebuild writes each
 * sum once), and insert its 15 blocking keys a person at random places of an ever larger index
 * where the rebuild builds the index once from the sorted keys.
 */
export async function rebuildDerivedData(dbs: DemoDatabases, timings?: SeedTimings): Promise<void> {
  await timed(timings, 'identity index', () => rebuildIndex(dbs.immigration));
  await timed(timings, 'figures', async () => {
    await dbs.immigration.transaction((manager) => rebuildPermitFigures(manager));
    await dbs.manpower.transaction((manager) => rebuildWorkforceFigures(manager));
  });
  await timed(timings, 'employment projection', () => rebuildEmploymentProjection(dbs));
}

/**
 * A bulk load into SQLite inserts at random places of every index (the ids are random UUIDs):
 * with SQLite's default 2 MB page cache a large run spends its time re-reading index pages, and
 * syncing every commit buys nothing while a load can simply be re-run. Bounded: 3 x 128 MB.
 */
const BULK_LOAD_PRAGMAS = { cache_size: -128 * 1024, synchronous: 0 } as const;

/** Applies the bulk-load settings to the SQLite connections and returns how to restore them. */
async function prepareForBulkLoad(dbs: DemoDatabases): Promise<() => Promise<void>> {
  const restore: (() => Promise<unknown>)[] = [];
  for (const db of Object.values(dbs)) {
    if (db.options.type !== 'better-sqlite3') continue;
    for (const [pragma, value] of Object.entries(BULK_LOAD_PRAGMAS)) {
      const [previous] = (await db.query(`PRAGMA ${pragma}`)) as Record<string, number>[];
      await db.query(`PRAGMA ${pragma} = ${value}`);
      restore.push(() => db.query(`PRAGMA ${pragma} = ${previous[pragma]}`));
    }
  }
  return async () => {
    for (const undo of restore) await undo();
  };
}

/** The tables entity resolution reads right after the load, vacuumed: their index-only scans need the visibility map. */
const READ_BY_LINKING = ['identity_block_key', 'identity_count', 'identity_indexed_person', 'foreign_national'];

/**
 * PostgreSQL after a bulk load: statistics for every table (the planner saw them empty), and the
 * visibility map of those entity resolution reads next, so that its index-only scans of 15 million
 * blocking keys do not fetch every row from the heap as well.
 */
async function vacuumAfterBulkLoad(dbs: DemoDatabases): Promise<void> {
  for (const [agency, db] of Object.entries(dbs)) {
    if (db.options.type !== 'postgres') continue;
    await db.query(agency === 'immigration' ? `VACUUM (ANALYZE) ${READ_BY_LINKING.join(', ')}` : 'ANALYZE');
    if (agency === 'immigration') await db.query('ANALYZE');
  }
}

/**
 * Generates the demo data into the three agencies' databases (tables must exist and be empty)
 * and returns the manifest, also written to `manifestPath` when given.
 */
export async function seedDatabases(dbs: DemoDatabases, options: SeedOptions): Promise<DemoManifest> {
  const settings = resolveOptions(options);
  const builder = new ManifestBuilder(settings);
  const violationsFile =
    options.manifestPath && settings.persons >= LARGE_RUN_PERSONS
      ? path.join(path.dirname(options.manifestPath), 'violations.jsonl')
      : undefined;
  if (options.manifestPath) mkdirSync(path.dirname(options.manifestPath), { recursive: true });
  if (violationsFile) writeFileSync(violationsFile, '');
  const restoreSettings = await prepareForBulkLoad(dbs);
  try {
    const batches = generateDemoData(settings);
    for (;;) {
      const next = await timed(options.timings, 'generation', () => batches.next());
      if (next.done) break;
      const batch = next.value;
      await writeBatch(dbs, batch, options.timings);
      builder.add(batch);
      if (violationsFile && batch.violations.length > 0) appendFileSync(violationsFile, jsonLines(batch.violations));
      options.onProgress?.(batch.personsDone, settings.persons);
    }
    await rebuildDerivedData(dbs, options.timings);
    await timed(options.timings, 'vacuum', () => vacuumAfterBulkLoad(dbs));
    // Police's records without passport, decided as an import would: the model estimated first.
    await timed(options.timings, 'training', () =>
      trainOnPoliceRecords(dbs, `${settings.anchor}T00:00:00.000Z`, options.linkWorkers),
    );
    await timed(options.timings, 'linking', () =>
      linkPoliceRecords(dbs, {
        thresholds: thresholdsFromEnv(),
        now: `${settings.anchor}T00:00:00.000Z`,
        workers: options.linkWorkers,
      }),
    );
  } finally {
    await restoreSettings();
  }
  const manifest = builder.finish(violationsFile ? path.basename(violationsFile) : undefined);
  if (options.manifestPath) writeFileSync(options.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function jsonLines(violations: PlantedViolation[]): string {
  return violations.map((violation) => JSON.stringify(violation)).join('\n') + '\n';
}
