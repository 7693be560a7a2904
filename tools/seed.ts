import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { StayPermit } from '../subgraphs/immigration/entities/stay-permit';
import { StayPermitDailyChange } from '../subgraphs/immigration/entities/permit-figures';
import { EmploymentSearchRow } from '../subgraphs/immigration/entities/employment-search';
import { rebuildPermitFigures } from '../subgraphs/immigration/figures';
import { refreshAllSearchColumns } from '../subgraphs/immigration/search-columns';
import { WorkPermit } from '../subgraphs/manpower/entities/work-permit';
import { WorkPermitDailyChange } from '../subgraphs/manpower/entities/workforce-figures';
import { rebuildWorkforceFigures } from '../subgraphs/manpower/figures';
import { rebuildEmploymentProjection } from './employment-projection';
import { projectRoot } from '../lib/paths';
import { numberOption, parseCommandLine, runTool } from './cli';
import { loadConfig, SystemConfig } from './config';
import { subgraphs, SubgraphName } from '../subgraphs';
import { ForeignNational } from '../subgraphs/immigration/entities/foreign-national';
import { IdentityIndexedPerson } from '../subgraphs/immigration/entities/identity';
import { rebuildIndex } from '../subgraphs/immigration/matching/blocking';
import { clockFromEnv, systemClock } from '../subgraphs/shared/clock';
import { DATABASE_COLLATION, isPostgres, openDatabase } from '../lib/database';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_PERSONS,
  DEFAULT_SEED,
  DemoDatabases,
  DemoManifest,
  MAX_PERSONS,
  MIN_PERSONS,
  resolveOptions,
  seedDatabases,
  SeedOptions,
  SeedTimings,
} from './demo';

/**
 * `npm run seed -- [--persons N] [--seed S] [--anchor YYYY-MM-DD] [--data-dir data]
 * [--batch-size N] [--reset]` (`--help` lists them): fills the three agencies' databases with the demo data and writes
 * `<data-dir>/manifest.json`. Database URLs come from IMMIGRATION_DATABASE_URL,
 * MANPOWER_DATABASE_URL and POLICE_DATABASE_URL, else `sqlite:<data-dir>/<agency>.sqlite`.
 */

/** Runs this size and up print a line per batch. */
const PROGRESS_FROM_PERSONS = 20_000;

/** Runs this size and up on a PostgreSQL set up for other work than a first load are told how to set it up. */
const LOAD_ADVICE_FROM_PERSONS = 100_000;

/**
 * What would make a large first load faster on these PostgreSQL databases, one line each:
 * - PostgreSQL's own advice for populating a database ("Populating a Database", 14.4.7): with
 *   `wal_level = minimal` the rows copied into the tables the seed empties, and the indexes built
 *   after, are not also written to the WAL (1.65 GB at 200,000 persons; loads and index builds 16%
 *   faster, measured). Standbys are made after, from a base backup.
 * - The `C` collation for databases created otherwise (DATABASE_COLLATION: the same order, faster sorts).
 */
export async function loadAdvice(dbs: DemoDatabases): Promise<string[]> {
  const servers = Object.values(dbs).filter(isPostgres);
  if (servers.length === 0) return [];
  const advice: string[] = [];
  const [{ wal_level: level }] = (await servers[0].query('SHOW wal_level')) as { wal_level: string }[];
  if (level !== 'minimal')
    advice.push(
      `PostgreSQL has wal_level = ${level}: every row is written twice. A first load is faster with ` +
        'wal_level = minimal, archive_mode = off, max_wal_senders = 0 (a restart; standbys from a base backup after).',
    );
  for (const db of servers) {
    const [{ collation, name }] = (await db.query(
      'SELECT datcollate AS collation, datname AS name FROM pg_database WHERE datname = current_database()',
    )) as { collation: string; name: string }[];
    if (collation !== DATABASE_COLLATION)
      advice.push(
        `Database ${name} sorts text under ${collation}: its index builds are faster under ${DATABASE_COLLATION}, ` +
          `the same order for UTF-8 text (create it with LC_COLLATE '${DATABASE_COLLATION}' TEMPLATE template0).`,
      );
  }
  return advice;
}

const CLI = {
  command: 'npm run seed --',
  summary: "Fills the three agencies' databases with the demo data and writes <data-dir>/manifest.json.",
  options: {
    persons: {
      type: 'string',
      value: 'N',
      description: `foreign nationals to generate (default ${DEFAULT_PERSONS}, the article's figures)`,
    },
    seed: { type: 'string', value: 'S', description: `random seed (default ${DEFAULT_SEED})` },
    anchor: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'the "today" the data is built around (default TIMPORA_TODAY, else today UTC)',
    },
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'SQLite files and manifest.json (default DATA_DIR, else data/)',
    },
    'batch-size': {
      type: 'string',
      value: 'N',
      description: `persons generated and written at a time (default ${DEFAULT_BATCH_SIZE})`,
    },
    reset: { type: 'boolean', description: 'empty the tables first instead of refusing to seed non-empty databases' },
  },
} as const;

/** Seeds only when immigration holds no foreign national yet; says whether it seeded. */
export async function seedIfEmpty(dbs: DemoDatabases, options: SeedOptions): Promise<boolean> {
  if ((await dbs.immigration.getRepository(ForeignNational).count()) > 0) return false;
  await seedDatabases(dbs, options);
  return true;
}

interface CliOptions {
  persons: number;
  seed: number;
  anchor: string;
  dataDir: string;
  batchSize: number;
  reset: boolean;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseCommandLine(CLI, argv);
  return {
    persons: numberOption('persons', values.persons, DEFAULT_PERSONS, {
      integer: true,
      min: MIN_PERSONS,
      max: MAX_PERSONS,
    }),
    seed: numberOption('seed', values.seed, DEFAULT_SEED, { integer: true, min: 0, max: 0xffffffff }),
    anchor: values.anchor ?? clockFromEnv().today(),
    dataDir: values['data-dir']
      ? path.resolve(values['data-dir'])
      : path.resolve(projectRoot, process.env.DATA_DIR || 'data'),
    batchSize: numberOption('batch-size', values['batch-size'], DEFAULT_BATCH_SIZE, { integer: true, min: 1 }),
    reset: values.reset ?? false,
  };
}

/** Seeds all three agencies' databases together when they are empty, so their records agree; says whether it did. */
export async function seedDemoDatabases(config: SystemConfig): Promise<boolean> {
  const dbs = await openDemoDatabases(config.databaseUrls);
  try {
    const anchor = config.today ?? systemClock.today();
    const seeded = await seedIfEmpty(dbs, { anchor, manifestPath: config.demoManifestFile });
    if (seeded) console.log(`Seeded the demo databases in ${config.dataDir} (anchor date ${anchor}).`);
    else
      for (const rebuilt of await rebuildMissingDerivedData(dbs))
        console.log(`Rebuilt ${rebuilt} in ${config.dataDir}: the data was written by an earlier version.`);
    return seeded;
  } finally {
    await closeDemoDatabases(dbs);
  }
}

const holdsRows = async (db: DataSource, entity: EntityTarget<ObjectLiteral>) =>
  (await db.getRepository(entity).createQueryBuilder().select('1').limit(1).getRawOne()) !== undefined;

/**
 * What later versions derive from the records (maintained figures, the employment search
 * projection, the permit search columns), made once from a data directory an earlier version
 * wrote: SQLite creates the new tables and columns empty. On PostgreSQL the migrations fill the
 * figures and columns, and `npm run search:rebuild` the projection. Returns what it rebuilt.
 */
export async function rebuildMissingDerivedData(dbs: DemoDatabases): Promise<string[]> {
  const rebuilt: string[] = [];
  // A seed stopped between its last batch and the index (or an index from an earlier version lost).
  if (
    (await holdsRows(dbs.immigration, ForeignNational)) &&
    !(await holdsRows(dbs.immigration, IdentityIndexedPerson))
  ) {
    await rebuildIndex(dbs.immigration);
    rebuilt.push("entity resolution's index");
  }
  if ((await holdsRows(dbs.immigration, StayPermit)) && !(await holdsRows(dbs.immigration, StayPermitDailyChange))) {
    await dbs.immigration.transaction((manager) => rebuildPermitFigures(manager));
    rebuilt.push('the permit figures');
  }
  if ((await holdsRows(dbs.manpower, WorkPermit)) && !(await holdsRows(dbs.manpower, WorkPermitDailyChange))) {
    await dbs.manpower.transaction((manager) => rebuildWorkforceFigures(manager));
    rebuilt.push('the workforce figures');
  }
  if ((await holdsRows(dbs.manpower, WorkPermit)) && !(await holdsRows(dbs.immigration, EmploymentSearchRow))) {
    await rebuildEmploymentProjection(dbs);
    rebuilt.push('the employment search projection');
  }
  const stale = await dbs.immigration
    .getRepository(ForeignNational)
    .createQueryBuilder('person')
    .where('person.latestPermitKind IS NULL')
    .andWhere('EXISTS (SELECT 1 FROM stay_permit permit WHERE permit."personId" = person.id)')
    .limit(1)
    .getOne();
  if (stale) {
    await refreshAllSearchColumns(dbs.immigration);
    rebuilt.push("the persons' search columns");
  }
  return rebuilt;
}

/** Opens the three agencies' databases together: demo data must agree across them. */
export async function openDemoDatabases(databaseUrls: Record<SubgraphName, string>): Promise<DemoDatabases> {
  const open = async (agency: SubgraphName) =>
    (await openDatabase({ url: databaseUrls[agency], ...subgraphs[agency] })).dataSource;
  const [immigration, manpower, police] = await Promise.all([open('immigration'), open('manpower'), open('police')]);
  return { immigration, manpower, police };
}

export async function closeDemoDatabases(dbs: DemoDatabases): Promise<void> {
  await Promise.all(Object.values(dbs).map((db) => db.destroy()));
}

async function emptyTables(db: DataSource): Promise<void> {
  for (const entity of db.entityMetadatas) await db.getRepository(entity.target).clear();
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

function printSummary(manifest: DemoManifest, seconds: number, manifestPath: string): void {
  const width = Math.max(...Object.keys(manifest.counts).map((table) => table.length));
  console.log(
    `\nSeeded ${manifest.persons.toLocaleString('en')} persons (seed ${manifest.seed}, anchor ${manifest.anchor}):`,
  );
  for (const [table, rows] of Object.entries(manifest.counts))
    console.log(`  ${table.padEnd(width)} ${rows.toLocaleString('en').padStart(12)}`);
  const total = Object.values(manifest.counts).reduce((sum, rows) => sum + rows, 0);
  console.log(`  ${'total'.padEnd(width)} ${total.toLocaleString('en').padStart(12)}`);
  const { VISIT, LIMITED, PERMANENT } = manifest.activePermitHolders;
  console.log(`Active permit holders: VISIT ${VISIT}, LIMITED ${LIMITED}, PERMANENT ${PERMANENT}`);
  console.log(
    `Planted violations: ${Object.entries(manifest.violationsByKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
  );
  // maxRSS is in kilobytes: the peak of the whole process, generation and SQLite included.
  console.log(
    `Time ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en')} rows/s), peak RSS ${megabytes(process.resourceUsage().maxRSS * 1024)}`,
  );
  console.log(`Manifest: ${manifestPath}`);
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  // Refuse bad options before --reset empties anything.
  resolveOptions({
    persons: options.persons,
    seed: options.seed,
    anchor: options.anchor,
    batchSize: options.batchSize,
  });
  mkdirSync(options.dataDir, { recursive: true });
  const { databaseUrls } = loadConfig({ ...process.env, DATA_DIR: options.dataDir });
  const dbs = await openDemoDatabases(databaseUrls);
  try {
    if (options.reset) await Promise.all(Object.values(dbs).map(emptyTables));
    else if ((await dbs.immigration.getRepository(ForeignNational).count()) > 0) {
      throw new Error(
        `The immigration database already holds persons: pass --reset to replace them (data dir ${options.dataDir})`,
      );
    }
    if (options.persons >= LOAD_ADVICE_FROM_PERSONS) for (const line of await loadAdvice(dbs)) console.log(line);
    const manifestPath = path.join(options.dataDir, 'manifest.json');
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const timings: SeedTimings = {};
    const manifest = await seedDatabases(dbs, {
      timings,
      // Scoring police's records is most of a large seed's time: on every core.
      workers: { count: availableParallelism(), immigrationUrl: databaseUrls.immigration },
      persons: options.persons,
      seed: options.seed,
      anchor: options.anchor,
      batchSize: options.batchSize,
      manifestPath,
      onProgress: (done, total) => {
        if (total < PROGRESS_FROM_PERSONS) return;
        const percent = ((100 * done) / total).toFixed(1).padStart(5);
        console.log(
          `${percent}%  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} persons  ${elapsed().toFixed(0)} s  rss ${megabytes(process.memoryUsage().rss)}`,
        );
      },
      // After the last batch come minutes without a batch line at national sizes: say what runs.
      onPhase: (phase) => {
        if (options.persons >= PROGRESS_FROM_PERSONS) console.log(`${phase}…  ${elapsed().toFixed(0)} s`);
      },
    });
    printSummary(manifest, elapsed(), manifestPath);
    console.log(
      `Phases: ${Object.entries(timings)
        .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`)
        .join(', ')}`,
    );
  } finally {
    await closeDemoDatabases(dbs);
  }
}

if (require.main === module) runTool(main, { failure: 'Seeding failed' });
