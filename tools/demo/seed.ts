import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { bulkInsert, emptyForBulkLoad } from '../../lib/bulk';
import { isPostgres } from '../../lib/database';
import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { EmploymentSearchRow } from '../../subgraphs/immigration/entities/employment-search';
import { permitFiguresRebuild } from '../../subgraphs/immigration/figures';
import { IndexablePerson, IndexLoad } from '../../subgraphs/immigration/matching/blocking';
import { startIndexLoad } from '../../subgraphs/immigration/matching/parallel';
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
  /**
   * Work on worker threads too, given immigration's URL (parallel.ts, from dist/): entity
   * resolution's index loaded on one, police's records trained on and linked on `count`.
   */
  workers?: { count: number; immigrationUrl: string };
  /** Filled with the seconds spent in each phase (generation, writes, indexes, linking...). */
  timings?: SeedTimings;
  /** Called as each phase after the writes starts (indexes and sums, training, linking). */
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

/** The seed's transactions: one an agency (and entity resolution's index, IdentityLoad). */
type Load = keyof DemoDatabases;

/** The demo's tables each transaction fills, in insert order, with a batch's rows for each. */
const SEEDED_TABLES: Record<Load, [EntityClass, (batch: DemoBatch) => ObjectLiteral[]][]> = {
  immigration: [
    [ForeignNational, (batch) => batch.immigration.foreignNationals],
    [Passport, (batch) => batch.immigration.passports],
    [StayPermit, (batch) => batch.immigration.stayPermits],
    [BorderCrossing, (batch) => batch.immigration.borderCrossings],
    [AdministrativeAction, (batch) => batch.immigration.administrativeActions],
  ],
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
  manpower: [],
  police: [],
};

const LOADS = Object.keys(SEEDED_TABLES) as Load[];

export type SeedTransactions = Record<Load, EntityManager>;

/**
 * Entity resolution's index, loaded beside the records (IndexLoad). On PostgreSQL in a
 * transaction of its own, so that its 15 million blocking keys (at 1,000,000 persons) are copied
 * and indexed by a second server process beside immigration's records: from a worker thread when
 * one can run (the keys made, counted and formatted for COPY there: a quarter of this thread's
 * work while the rows are written), else on a connection of this thread. On SQLite in
 * immigration's transaction (one transaction a connection).
 */
interface IdentityLoad {
  add(persons: readonly IndexablePerson[]): Promise<void>;
  finish(): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): Promise<void>;
}

async function beginIdentityLoad(
  dbs: DemoDatabases,
  immigration: EntityManager,
  workerUrl: string | undefined,
): Promise<IdentityLoad> {
  const inThread = (load: IndexLoad, transaction: Pick<IdentityLoad, 'commit' | 'rollback' | 'release'>) => ({
    add: (persons: readonly IndexablePerson[]) => load.add(persons),
    finish: () => load.finish(),
    ...transaction,
  });
  const none = async () => {};
  if (!isPostgres(dbs.immigration))
    return inThread(await IndexLoad.begin(immigration), { commit: none, rollback: none, release: none });
  const worker = workerUrl ? await startIndexLoad(workerUrl) : null;
  if (worker) return { ...worker, release: worker.close };
  const runner = dbs.immigration.createQueryRunner();
  const rollback = async () => {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  };
  try {
    await runner.startTransaction();
    return inThread(await IndexLoad.begin(runner.manager), {
      commit: () => runner.commitTransaction(),
      rollback,
      release: () => runner.release(),
    });
  } catch (error) {
    await rollback();
    await runner.release();
    throw error;
  }
}

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

  constructor(private readonly identityIndex: IdentityLoad) {}

  /** Counts a batch's permits and RPTKAs into the figures. */
  count(batch: DemoBatch): void {
    for (const employer of batch.manpower.employers) this.employers.set(employer.nib, employer);
    this.permitFigures.add(batch.immigration.stayPermits);
    this.workforceFigures.add(batch.manpower.workPermits);
  }

  /** Writes what a batch adds to the derived tables of one transaction. */
  async write(load: Load, manager: EntityManager, batch: DemoBatch): Promise<void> {
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

  /** Writes what a batch adds to entity resolution's index. */
  async index(batch: DemoBatch): Promise<void> {
    await this.identityIndex.add(batch.immigration.foreignNationals);
  }

  /** Writes what is summed over the whole load into one transaction's tables: a figure. */
  async finish(load: Load, manager: EntityManager): Promise<void> {
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
    Promise.all([
      ...LOADS.map(async (load) => {
        for (const [entity, rowsOf] of SEEDED_TABLES[load]) await bulkInsert(transactions[load], entity, rowsOf(batch));
        await derivations.write(load, transactions[load], batch);
      }),
      derivations.index(batch),
    ]),
  );
}

/**
 * Runs `load` in the seed's transactions, then what is derived from the rows: a seed stopped
 * midway leaves the tables as they were (empty), and on PostgreSQL the tables' indexes and keys are
 * dropped first and built from the loaded rows before the commit, many times faster than inserting
 * millions of random ids into every index (at 1,000,000 persons the writes took 466 s with the
 * indexes in place; 79 s without, and 65 s to build them). Entity resolution's index is loaded beside
 * them (beginIdentityLoad), on a worker thread against `indexWorkerUrl` when given.
 */
async function inSeedTransactions(
  dbs: DemoDatabases,
  load: (transactions: SeedTransactions, derivations: SeedDerivations) => Promise<void>,
  phase: PhaseRunner,
  indexWorkerUrl: string | undefined,
): Promise<void> {
  const runners = new Map(LOADS.map((name) => [name, dbs[name].createQueryRunner()]));
  const transactions = Object.fromEntries(LOADS.map((name) => [name, runners.get(name)!.manager])) as SeedTransactions;
  let identity: IdentityLoad | undefined;
  try {
    for (const runner of runners.values()) await runner.startTransaction();
    const rebuilds = new Map<Load, () => Promise<void>>();
    for (const name of LOADS) {
      const loaded = [...SEEDED_TABLES[name].map(([entity]) => entity), ...DERIVED_TABLES[name]];
      rebuilds.set(name, await emptyForBulkLoad(transactions[name], loaded));
    }
    const index = (identity = await beginIdentityLoad(dbs, transactions.immigration, indexWorkerUrl));
    const derivations = new SeedDerivations(index);
    await load(transactions, derivations);
    // Each transaction's sums, then its indexes, on its own connection, all at once.
    await phase('indexes and sums', () =>
      Promise.all([
        ...LOADS.map(async (name) => {
          await derivations.finish(name, transactions[name]);
          await rebuilds.get(name)!();
        }),
        index.finish(),
      ]),
    );
    for (const name of LOADS) {
      await runners.get(name)!.commitTransaction();
      if (name === 'immigration') await index.commit();
    }
  } catch (error) {
    for (const runner of runners.values()) if (runner.isTransactionActive) await runner.rollbackTransaction();
    // The first error is the one to report: a worker that died took its transaction with its connection.
    await identity?.rollback().catch(() => {});
    throw error;
  } finally {
    for (const runner of runners.values()) await runner.release();
    await identity?.release();
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
      options.workers?.immigrationUrl,
    );
    // Police's records without passport, decided as an import would: the model estimated first.
    await phase('training', () => trainOnPoliceRecords(dbs, `${settings.anchor}T00:00:00.000Z`, options.workers));
    await phase('linking', () =>
      linkPoliceRecords(dbs, {
        thresholds: thresholdsFromEnv(),
        now: `${settings.anchor}T00:00:00.000Z`,
        workers: options.workers,
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
