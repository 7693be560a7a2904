import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, EntityManager, ObjectLiteral, QueryRunner } from 'typeorm';
import { bulkInsert, dropIndexesForLoad, emptyForLoad } from '../../lib/bulk';
import { isPostgres } from '../../lib/database';
import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { EmploymentSearchRow } from '../../subgraphs/immigration/entities/employment-search';
import { IdentityBlockKey, IdentityCount, IdentityIndexedPerson } from '../../subgraphs/immigration/entities/identity';
import { permitFiguresRebuild } from '../../subgraphs/immigration/figures';
import { IndexBuild } from '../../subgraphs/immigration/matching/blocking';
import { thresholdsFromEnv } from '../../subgraphs/immigration/matching/decisions';
import { searchColumnsOf } from '../../subgraphs/immigration/search-columns';
import { workforceFiguresRebuild } from '../../subgraphs/manpower/figures';
import { groupBy } from '../../subgraphs/shared/loaders';
import { passportKey } from '../../subgraphs/shared/match-keys';
import { employmentRowsOf } from '../employment-projection';
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
  /** Filled with the seconds spent in each phase (generation, writes, indexes, linking...). */
  timings?: SeedTimings;
  /** Called as each phase after the writes starts (indexes and sums, statistics, training, linking). */
  onPhase?: (phase: string) => void;
}

/** Runs a phase of the seed after its writes: announced, then timed. */
type PhaseRunner = <T>(phase: string, work: () => Promise<T>) => Promise<T>;

export type SeedTimings = Record<string, number>;

/**
 * Runs `work`, adding its seconds to `timings[phase]`. Synchronous work is counted as it returns:
 * its caller's continuation may wait behind the next batch's generation (phases of the writes overlap).
 */
async function timed<T>(timings: SeedTimings | undefined, phase: string, work: () => Promise<T> | T): Promise<T> {
  const started = process.hrtime.bigint();
  const count = () => {
    if (timings) timings[phase] = (timings[phase] ?? 0) + Number(process.hrtime.bigint() - started) / 1e9;
  };
  const result = work();
  if (!(result instanceof Promise)) {
    count();
    return result;
  }
  return result.finally(count);
}

type EntityClass = new () => ObjectLiteral;

/**
 * The seed's transactions: one an agency, and on PostgreSQL one more in immigration's database for
 * entity resolution's index, so that its 15 million blocking keys (at 1,000,000 persons) are copied
 * and indexed by a second server process beside immigration's records, on the other core.
 */
type Load = 'immigration' | 'identity' | 'manpower' | 'police';
const DATABASE_OF: Record<Load, keyof DemoDatabases> = {
  immigration: 'immigration',
  identity: 'immigration',
  manpower: 'manpower',
  police: 'police',
};
const LOADS = Object.keys(DATABASE_OF) as Load[];

/** The demo's tables each transaction fills, in insert order, with a batch's rows for each. */
const SEEDED_TABLES: Record<Load, [EntityClass, (batch: DemoBatch) => ObjectLiteral[]][]> = {
  immigration: [
    [ForeignNational, (batch) => batch.immigration.foreignNationals],
    [Passport, (batch) => batch.immigration.passports],
    [StayPermit, (batch) => batch.immigration.stayPermits],
    [BorderCrossing, (batch) => batch.immigration.borderCrossings],
    [AdministrativeAction, (batch) => batch.immigration.administrativeActions],
  ],
  identity: [],
  manpower: [
    [Employer, (batch) => batch.manpower.employers],
    [WorkPermit, (batch) => batch.manpower.workPermits],
  ],
  police: [
    [PoliceReport, (batch) => batch.police.policeReports],
    [ReportParty, (batch) => batch.police.reportParties],
    [PresenceRegistration, (batch) => batch.police.presenceRegistrations],
  ],
};

/** Tables each transaction fills with what the seed derives from its rows (SeedDerivations). */
const DERIVED_TABLES: Record<Load, EntityClass[]> = {
  immigration: [EmploymentSearchRow],
  identity: [IdentityBlockKey, IdentityIndexedPerson, IdentityCount],
  manpower: [],
  police: [],
};

/** The seed's transactions (on SQLite, identity's is immigration's: one transaction a connection). */
export type SeedTransactions = Record<Load, EntityManager>;

/**
 * What is derived from the rows (entity resolution's index, the maintained figures, immigration's
 * employment search projection), made from each batch as it is written, in the same transactions:
 * a fresh load is the rebuild's case, with its rows at hand. Kept batch by batch as imports keep
 * them, every batch would add up its own months and days again (millions of upserts at 1,000,000
 * persons, where the sums are written once at the end); read back from the tables after the load,
 * as the rebuilds do, they took 201 s of a 1,000,000-person seed, 28 s summed as the rows pass.
 */
class SeedDerivations {
  private readonly employers = new Map<string, Employer>();
  private readonly permitFigures = permitFiguresRebuild();
  private readonly workforceFigures = workforceFiguresRebuild((nib) => this.employers.get(nib));
  private readonly identityIndex = new IndexBuild();

  /** Counts a batch's permits and RPTKAs into the figures. */
  count(batch: DemoBatch): void {
    for (const employer of batch.manpower.employers) this.employers.set(employer.nib, employer);
    this.permitFigures.add(batch.immigration.stayPermits);
    this.workforceFigures.add(batch.manpower.workPermits);
  }

  /** Writes what a batch adds to the derived tables of one transaction. */
  async write(load: Load, manager: EntityManager, batch: DemoBatch): Promise<void> {
    if (load === 'identity') await this.identityIndex.add(manager, batch.immigration.foreignNationals);
    if (load !== 'immigration') return;
    // A batch holds each person whole: their RPTKAs name passports of the batch.
    const holders = new Map(
      batch.immigration.passports.map((passport) => [
        passportKey(passport.country, passport.number),
        passport.personId,
      ]),
    );
    const rows = employmentRowsOf(
      batch.manpower.workPermits,
      (nib) => this.employers.get(nib)?.sector,
      (key) => holders.get(key),
    );
    await bulkInsert(manager, EmploymentSearchRow, rows);
  }

  /** Writes what is summed over the whole load into one transaction's tables: identity counts or a figure. */
  async finish(load: Load, manager: EntityManager): Promise<void> {
    if (load === 'identity') await this.identityIndex.finish(manager);
    if (load === 'immigration') await this.permitFigures.write(manager);
    if (load === 'manpower') await this.workforceFigures.write(manager);
  }
}

/**
 * Writes a batch into the seed's transactions, all at once (their COPYs run on the database's
 * cores while this thread formats the next rows), with what is derived from it. A batch holds
 * each of its persons whole: their search columns come from their own records.
 */
async function writeBatch(
  transactions: SeedTransactions,
  batch: DemoBatch,
  derivations: SeedDerivations,
  timings?: SeedTimings,
): Promise<void> {
  await timed(timings, 'search columns', () => setSearchColumns(batch.immigration));
  derivations.count(batch);
  await timed(timings, 'writes', () =>
    Promise.all(
      LOADS.map(async (load) => {
        for (const [entity, rowsOf] of SEEDED_TABLES[load]) await bulkInsert(transactions[load], entity, rowsOf(batch));
        await derivations.write(load, transactions[load], batch);
      }),
    ),
  );
}

/**
 * Runs `load` in the seed's transactions, then what is derived from the rows: a seed stopped
 * midway leaves the tables as they were (empty), and on PostgreSQL the tables' indexes and keys are
 * dropped first and built from the loaded rows before the commit, many times faster than inserting
 * millions of random ids into every index (at 1,000,000 persons the writes took 466 s with the
 * indexes in place; 79 s without, and 65 s to build them).
 */
async function inSeedTransactions(
  dbs: DemoDatabases,
  load: (transactions: SeedTransactions, derivations: SeedDerivations) => Promise<void>,
  phase: PhaseRunner,
): Promise<void> {
  const runners = new Map<Load, QueryRunner>();
  for (const name of LOADS) {
    const db = dbs[DATABASE_OF[name]];
    // SQLite holds one transaction a connection: there the index goes in immigration's.
    const shared = name === 'identity' && !isPostgres(db);
    runners.set(name, shared ? runners.get('immigration')! : db.createQueryRunner());
  }
  const distinct = [...new Set(runners.values())];
  const transactions = Object.fromEntries(LOADS.map((name) => [name, runners.get(name)!.manager])) as SeedTransactions;
  try {
    for (const runner of distinct) await runner.startTransaction();
    const rebuilds = new Map<Load, (() => Promise<void>)[]>(LOADS.map((name) => [name, []]));
    for (const name of LOADS) {
      const manager = transactions[name];
      const loaded = [...SEEDED_TABLES[name].map(([entity]) => entity), ...DERIVED_TABLES[name]];
      for (const entity of loaded) {
        await emptyForLoad(manager, entity);
        rebuilds.get(name)!.push(await dropIndexesForLoad(manager, entity));
      }
    }
    const derivations = new SeedDerivations();
    await load(transactions, derivations);
    // Each transaction's sums, then its indexes (identity_count's among them), on its own
    // connection, all at once.
    await phase('indexes and sums', () =>
      Promise.all(
        LOADS.map(async (name) => {
          await derivations.finish(name, transactions[name]);
          for (const rebuild of rebuilds.get(name)!) await rebuild();
        }),
      ),
    );
    for (const runner of distinct) await runner.commitTransaction();
  } catch (error) {
    for (const runner of distinct) if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    for (const runner of distinct) await runner.release();
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
 * A bulk load into SQLite inserts at random places of every index (the ids are random UUIDs):
 * with SQLite's default 2 MB page cache a large run spends its time re-reading index pages, and
 * syncing every commit buys nothing while a load can simply be re-run. Bounded: 3 x 128 MB. The
 * seed is one transaction an agency: in WAL mode its every page would wait in the WAL (the size of
 * the database, some 9 GB at 1,000,000 persons) until the checkpoint after the commit, where a
 * rollback journal keeps only the few pages that existed before the load (WAL is set back after).
 */
const BULK_LOAD_PRAGMAS = { journal_mode: 'delete', cache_size: -128 * 1024, synchronous: 0 } as const;

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
 * PostgreSQL after a bulk load: statistics for every table (the planner saw them empty). No
 * VACUUM: every table loaded was copied in frozen (emptyForLoad), its visibility map set for the
 * index-only scans linking makes next.
 */
async function analyzeAfterBulkLoad(dbs: DemoDatabases): Promise<void> {
  for (const db of Object.values(dbs)) if (db.options.type === 'postgres') await db.query('ANALYZE');
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
  const phase: PhaseRunner = (name, work) => {
    options.onPhase?.(name);
    return timed(options.timings, name, work);
  };
  const restoreSettings = await prepareForBulkLoad(dbs);
  try {
    await inSeedTransactions(
      dbs,
      async (transactions, derivations) => {
        const batches = generateDemoData(settings);
        // Each batch is generated while the one before is written: the database's cores copy the
        // rows it was handed as this thread makes the next (generation would leave them idle).
        let writing: Promise<void> = Promise.resolve();
        try {
          for (;;) {
            const [next] = await Promise.all([timed(options.timings, 'generation', () => batches.next()), writing]);
            if (next.done) break;
            const batch = next.value;
            writing = writeBatch(transactions, batch, derivations, options.timings);
            builder.add(batch);
            if (violationsFile && batch.violations.length > 0)
              appendFileSync(violationsFile, jsonLines(batch.violations));
            options.onProgress?.(batch.personsDone, settings.persons);
          }
        } finally {
          // A seed stopped between batches rolls back only once the batch in flight has settled.
          await writing.catch(() => {});
        }
      },
      phase,
    );
    await phase('statistics', () => analyzeAfterBulkLoad(dbs));
    // Police's records without passport, decided as an import would: the model estimated first.
    await phase('training', () => trainOnPoliceRecords(dbs, `${settings.anchor}T00:00:00.000Z`, options.linkWorkers));
    await phase('linking', () =>
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
