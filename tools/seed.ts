import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { projectRoot } from '../lib/paths';
import { loadConfig } from './config';
import { subgraphs, SubgraphName } from '../subgraphs';
import { ForeignNational } from '../subgraphs/immigration/entities/foreign-national';
import { clockFromEnv } from '../subgraphs/shared/clock';
import { openDatabase } from '../lib/database';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_PERSONS,
  DEFAULT_SEED,
  DemoDatabases,
  DemoManifest,
  resolveOptions,
  seedDatabases,
  SeedOptions,
} from './demo';

/**
 * `node dist/tools/seed.js [--persons N] [--seed S] [--anchor YYYY-MM-DD] [--data-dir data]
 * [--batch-size N] [--reset]`: fills the three agencies' databases with the demo data and writes
 * `<data-dir>/manifest.json`. Database URLs come from IMMIGRATION_DATABASE_URL,
 * MANPOWER_DATABASE_URL and POLICE_DATABASE_URL, else `sqlite:<data-dir>/<agency>.sqlite`.
 */

/** Runs this size and up print a line per batch. */
const PROGRESS_FROM_PERSONS = 20_000;

const USAGE = `Usage: node dist/tools/seed.js [options]
  --persons N          foreign nationals to generate (default ${DEFAULT_PERSONS}, the article's figures)
  --seed S             random seed (default ${DEFAULT_SEED})
  --anchor YYYY-MM-DD  the "today" the data is built around (default TIMPORA_TODAY, else today UTC)
  --data-dir DIR       SQLite files and manifest.json (default DATA_DIR, else data/)
  --batch-size N       persons per transaction (default ${DEFAULT_BATCH_SIZE})
  --reset              empty the tables first instead of refusing to seed non-empty databases`;

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

function parseCli(argv: string[]): CliOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      persons: { type: 'string' },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      'data-dir': { type: 'string' },
      'batch-size': { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  return {
    persons: integer('--persons', values.persons, DEFAULT_PERSONS),
    seed: integer('--seed', values.seed, DEFAULT_SEED),
    anchor: values.anchor ?? clockFromEnv().today(),
    dataDir: values['data-dir']
      ? path.resolve(values['data-dir'])
      : path.resolve(projectRoot, process.env.DATA_DIR || 'data'),
    batchSize: integer('--batch-size', values['batch-size'], DEFAULT_BATCH_SIZE),
    reset: values.reset ?? false,
  };
}

function integer(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value)) throw new Error(`${flag} takes an integer, got "${raw}"`);
  return value;
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
  if (!options) {
    console.log(USAGE);
    return;
  }
  // Refuse bad options before --reset empties anything.
  resolveOptions({
    persons: options.persons,
    seed: options.seed,
    anchor: options.anchor,
    batchSize: options.batchSize,
  });
  mkdirSync(options.dataDir, { recursive: true });
  const dbs = await openDemoDatabases(loadConfig({ ...process.env, DATA_DIR: options.dataDir }).databaseUrls);
  try {
    if (options.reset) await Promise.all(Object.values(dbs).map(emptyTables));
    else if ((await dbs.immigration.getRepository(ForeignNational).count()) > 0) {
      throw new Error(
        `The immigration database already holds persons: pass --reset to replace them (data dir ${options.dataDir})`,
      );
    }
    const manifestPath = path.join(options.dataDir, 'manifest.json');
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const manifest = await seedDatabases(dbs, {
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
    });
    printSummary(manifest, elapsed(), manifestPath);
  } finally {
    await closeDemoDatabases(dbs);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
