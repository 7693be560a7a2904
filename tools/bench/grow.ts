import { DataSource, EntityMetadata } from 'typeorm';
import { isPostgres, openDatabase, redactUrl } from '../../lib/database';
import { ConfigError } from '../../lib/errors';
import { subgraphs, SubgraphName } from '../../subgraphs';
import { countOption, parseCommandLine, runTool } from '../cli';
import { loadConfig } from '../config';

/**
 * `npm run bench:grow -- --factor 5`: grows the seeded PostgreSQL databases of immigration,
 * manpower and police in place to `factor` times their persons, for measuring the searches at a
 * size the seed would take hours to reach (5,000,000 persons from a seeded 1,000,000). Copies 2 to
 * `factor` of every person and every record about them: new ids (an md5 of the old id and the
 * copy), passport and record numbers with the copy appended, employers' NIBs with the first digit
 * shifted; names, dates, kinds and regencies as they were. The maintained figures are multiplied.
 * Entity resolution's blocking index is not copied (no search nor the full view reads it).
 * PostgreSQL only, and only for scratch databases, once: nothing undoes it, and growing a grown
 * database again collides with its own copies (refused whole: each agency is one transaction).
 */
const CLI = {
  command: 'npm run bench:grow --',
  summary: 'Grows the seeded PostgreSQL databases in place to N times their persons (scratch databases only).',
  options: {
    factor: { type: 'string', default: '5', value: 'N', description: 'times the persons seeded (default 5)' },
  },
} as const;

/** How a copy spells a column, by the column's name; the rest are copied as they are. */
const COPIED_AS: Record<string, (column: string) => string> = {
  id: (column) => `pg_temp.copy_id(${column}, k)`,
  personId: (column) => `pg_temp.copy_id(${column}, k)`,
  recordId: (column) => `pg_temp.copy_id(${column}, k)`,
  reportId: (column) => `pg_temp.copy_id(${column}, k)`,
  number: (column) => `${column} || 'X' || k`,
  passportNumber: (column) => `${column} || 'X' || k`,
  workerPassportNumber: (column) => `${column} || 'X' || k`,
  permitNumber: (column) => `${column} || '/' || k`,
  rptkaNumber: (column) => `${column} || '/' || k`,
  reportNumber: (column) => `${column} || '/' || k`,
  registrationNumber: (column) => `${column} || '/' || k`,
  nib: (column) => `pg_temp.copy_nib(${column}, k)`,
  employerNib: (column) => `pg_temp.copy_nib(${column}, k)`,
  sponsorNib: (column) => `pg_temp.copy_nib(${column}, k)`,
};

/** The tables copied per agency; their non-unique indexes are dropped first and made again after. */
const COPIED: Record<'immigration' | 'manpower' | 'police', string[]> = {
  immigration: [
    'foreign_national',
    'passport',
    'stay_permit',
    'border_crossing',
    'administrative_action',
    'employment_search',
    'identity_record',
    'identity_decision',
    'identity_decision_event',
  ],
  manpower: ['employer', 'work_permit'],
  police: ['police_report', 'report_party', 'presence_registration'],
};

/** The maintained figures: sums multiplied, as each copy counts as its original does. */
const MULTIPLIED: Record<string, string> = {
  stay_permit_daily_change: 'change',
  stay_permit_monthly_count: 'active',
  work_permit_daily_change: 'change',
  work_permit_monthly_count: 'active',
};

const FUNCTIONS = [
  `CREATE FUNCTION pg_temp.copy_id(v text, k int) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT md5(v || '#' || k)::uuid::text $$`,
  `CREATE FUNCTION pg_temp.copy_nib(v text, k int) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT ((substr(v, 1, 1)::int + k) % 10)::text || substr(v, 2) $$`,
];

async function grow(db: DataSource, tables: string[], factor: number, log: (line: string) => void): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  // One transaction: a failure leaves the databases as seeded, indexes included.
  await runner.startTransaction();
  try {
    for (const statement of FUNCTIONS) await runner.query(statement);
    await runner.query(`SET maintenance_work_mem = '1GB'`);
    const indexes: { name: string; definition: string }[] = await runner.query(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = 'public' AND tablename = ANY($1) AND indexdef NOT LIKE 'CREATE UNIQUE%'
         AND indexdef NOT LIKE '% ON ONLY %'`,
      [tables],
    );
    for (const index of indexes) await runner.query(`DROP INDEX "${index.name}"`);
    for (const table of tables) {
      const started = Date.now();
      const columns = db.entityMetadatas.find((metadata) => metadata.tableName === table);
      if (!columns) throw new Error(`no entity for table ${table}`);
      const [names, values] = copyColumns(columns);
      await runner.query(
        `INSERT INTO "${table}" (${names}) SELECT ${values} FROM "${table}" CROSS JOIN generate_series(2, ${factor}) k`,
      );
      log(`  ${table}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    for (const [table, sum] of Object.entries(MULTIPLIED))
      if (db.entityMetadatas.some((metadata) => metadata.tableName === table))
        await runner.query(`UPDATE "${table}" SET "${sum}" = "${sum}" * ${factor}`);
    const started = Date.now();
    for (const index of indexes) await runner.query(index.definition);
    log(`  ${indexes.length} indexes made again: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

function copyColumns(metadata: EntityMetadata): [string, string] {
  const columns = metadata.columns.map((column) => column.databaseName);
  const quoted = (name: string) => `"${name}"`;
  return [
    columns.map(quoted).join(', '),
    columns.map((name) => COPIED_AS[name]?.(quoted(name)) ?? quoted(name)).join(', '),
  ];
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const factor = countOption('factor', values.factor);
  if (factor < 2) throw new ConfigError('--factor must be 2 or more');
  const config = loadConfig();
  for (const name of Object.keys(COPIED) as (keyof typeof COPIED & SubgraphName)[]) {
    const { dataSource } = await openDatabase({ url: config.databaseUrls[name], ...subgraphs[name] });
    try {
      if (!isPostgres(dataSource)) throw new ConfigError(`${name}: bench:grow needs PostgreSQL`);
      console.log(`${name} (${redactUrl(config.databaseUrls[name])}): x${factor}`);
      await grow(dataSource, COPIED[name], factor, (line) => console.log(line));
    } finally {
      await dataSource.destroy();
    }
  }
  console.log('Now run vacuumdb --analyze on the three databases.');
}

runTool(main);
