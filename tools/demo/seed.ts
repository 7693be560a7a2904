import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { indexPersons } from '../../subgraphs/immigration/matching/blocking';
import { thresholdsFromEnv } from '../../subgraphs/immigration/matching/decisions';
import { refreshSearchColumns } from '../../subgraphs/immigration/search-columns';
import { recordPermitFigures } from '../../subgraphs/immigration/figures';
import { recordWorkforceFigures } from '../../subgraphs/manpower/figures';
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
}

/**
 * Parameters per INSERT. SQLite allows 32,766 (PostgreSQL 65,535), but TypeORM's per-parameter
 * bookkeeping grows with the statement: about 10,000 measured fastest (13k rows/s against 9k at
 * 30,000 and 1,000, stay_permit into SQLite).
 */
const PARAMETERS_PER_STATEMENT = 10_000;

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
 * Chunk sizes for `count` rows: full chunks of the largest power of two under the parameter
 * budget, then the rest in smaller powers of two. The driver caches a prepared statement per SQL
 * text, so a handful of sizes are prepared once each instead of one new statement per batch tail.
 */
export function chunkSizes(count: number, columns: number): number[] {
  const largest = 2 ** Math.floor(Math.log2(Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns))));
  const sizes: number[] = Array(Math.floor(count / largest)).fill(largest);
  for (let size = largest / 2, rest = count % largest; rest > 0; size /= 2) {
    if (rest >= size) {
      sizes.push(size);
      rest -= size;
    }
  }
  return sizes;
}

/** Multi-row INSERTs through the query builder, each within the driver's parameter limit. */
async function insertInChunks(manager: EntityManager, entity: EntityClass, rows: ObjectLiteral[]): Promise<void> {
  let start = 0;
  for (const size of chunkSizes(rows.length, manager.connection.getMetadata(entity).columns.length)) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + size))
      // Ids are generated here: nothing to read back, no listeners to call.
      .updateEntity(false)
      .callListeners(false)
      .execute();
    start += size;
  }
}

/** One transaction per database per batch: a crash leaves whole batches, and commits stay few. */
export async function writeBatch(dbs: DemoDatabases, batch: DemoBatch): Promise<void> {
  for (const [agency, tables] of Object.entries(rowsByDatabase(batch)) as [
    keyof DemoDatabases,
    [EntityClass, ObjectLiteral[]][],
  ][]) {
    if (tables.every(([, rows]) => rows.length === 0)) continue;
    await dbs[agency].transaction(async (manager) => {
      for (const [entity, rows] of tables) await insertInChunks(manager, entity, rows);
      if (agency === 'immigration') {
        await refreshSearchColumns(
          manager,
          batch.immigration.foreignNationals.map((person) => person.id),
        );
        await indexPersons(manager, batch.immigration.foreignNationals, { fresh: true });
        await recordPermitFigures(manager, [], batch.immigration.stayPermits);
      }
      if (agency === 'manpower')
        await recordWorkforceFigures(manager, {
          employersAfter: batch.manpower.employers,
          permitsAfter: batch.manpower.workPermits,
        });
    });
  }
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
    for (const batch of generateDemoData(settings)) {
      await writeBatch(dbs, batch);
      builder.add(batch);
      if (violationsFile && batch.violations.length > 0) appendFileSync(violationsFile, jsonLines(batch.violations));
      options.onProgress?.(batch.personsDone, settings.persons);
    }
    // Police's records without passport, decided as an import would: the model estimated first.
    await trainOnPoliceRecords(dbs, `${settings.anchor}T00:00:00.000Z`);
    await linkPoliceRecords(dbs, { thresholds: thresholdsFromEnv(), now: `${settings.anchor}T00:00:00.000Z` });
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
