/**
 * Writes of many rows at the database's own speed, for everything that loads in bulk (the demo
 * seed, CSV imports, entity resolution's index). Columns and their conversions come from the
 * entity's TypeORM metadata, so the entities stay the one description of the tables.
 *
 * PostgreSQL: `COPY ... FROM STDIN` (text format) on the caller's transaction's own connection, so
 * the rows commit or vanish with the batch. SQLite: multi-row INSERTs prepared once per chunk size
 * on better-sqlite3's connection, inside the caller's transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isPostgres } from './database';

/** SQLite's limit of bound parameters per statement. */
const SQLITE_MAX_PARAMETERS = 32_766;
/** Rows per multi-row INSERT at most: past ~500 rows a longer statement no longer pays on SQLite. */
const SQLITE_MAX_ROWS = 512;
/** Rows per chunk of COPY text handed to the connection. */
const COPY_ROWS_PER_CHUNK = 2000;

/** The columns a bulk write fills: every stored column of the entity, in metadata order. */
function storedColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((column) => !column.isVirtual && !column.isGenerated && !column.relationMetadata);
}

/**
 * A row's value for a column as the driver stores it: TypeORM's own conversion (transformers,
 * booleans, dates, simple-array, simple-json), the column's default when the row leaves it out.
 */
function storedValue(db: DataSource, column: ColumnMetadata, row: ObjectLiteral): unknown {
  let value = column.getEntityValue(row);
  if (value === undefined && column.default !== undefined) {
    if (typeof column.default === 'function') throw new Error(`bulk write: ${column.propertyName} has a SQL default`);
    value = column.default;
  }
  return db.driver.preparePersistentValue(value ?? null, column);
}

/** Column types both drivers store as the entity holds them (preparePersistentValue returns the value itself). */
const STORED_AS_HELD = new Set<unknown>(['varchar', 'character varying', 'text', 'integer', 'int', 'bigint', 'float']);

/**
 * What reads a column's stored value from a row (storedValue), decided once per write: most
 * columns are a plain property stored as it is, read directly. TypeORM's general path per value
 * was a third of formatting a seed's 29 million rows for COPY.
 */
function valueReader(db: DataSource, column: ColumnMetadata): ValueReader {
  const plain =
    STORED_AS_HELD.has(column.type) &&
    !column.transformer &&
    !column.embeddedMetadata &&
    !column.relationMetadata &&
    !column.referencedColumn;
  if (!plain) return (row) => storedValue(db, column, row);
  const property = column.propertyName;
  return (row) => {
    const value = row[property];
    return value === undefined ? storedValue(db, column, row) : value;
  };
}

/** How a bulk write is done on each database, given the rows (never none) and the entity's metadata. */
interface BulkWriter {
  postgres(manager: EntityManager, metadata: EntityMetadata, rows: readonly ObjectLiteral[]): Promise<void>;
  sqlite(db: DataSource, metadata: EntityMetadata, rows: readonly ObjectLiteral[]): void;
}

async function bulkWrite(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  rows: readonly ObjectLiteral[],
  writer: BulkWriter,
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(entity);
  if (isPostgres(manager.connection)) await writer.postgres(manager, metadata, rows);
  else writer.sqlite(manager.connection, metadata, rows);
}

/** Inserts rows (new ones: no conflict handling) in the caller's transaction. */
export function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Partial<T>[],
) {
  return bulkWrite(manager, entity, rows, {
    postgres: (into, metadata, fresh) => copyInto(into, metadata.tablePath, storedColumns(metadata), fresh),
    sqlite: (db, metadata, fresh) => insertPrepared(db, metadata, fresh),
  });
}

/**
 * Rewrites whole rows found by primary key (every stored column from the row) in the caller's
 * transaction. PostgreSQL: the rows are copied into a temporary table dropped at commit, then one
 * `UPDATE ... FROM` it; SQLite: one prepared UPDATE run per row (no round trip, no parsing).
 */
export function bulkUpdate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Partial<T>[],
) {
  return bulkWrite(manager, entity, rows, { postgres: updateFromCopy, sqlite: updatePrepared });
}

/**
 * Inserts rows, or rewrites the stored ones of the same primary key whole, in the caller's
 * transaction (no read before the write; a batch must not name one key twice). PostgreSQL: copied
 * into a temporary table, then one `INSERT ... SELECT ... ON CONFLICT DO UPDATE`; SQLite: the
 * prepared multi-row INSERTs with the same ON CONFLICT clause.
 */
export function bulkUpsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Partial<T>[],
) {
  return bulkWrite(manager, entity, rows, {
    postgres: upsertFromCopy,
    sqlite: (db, metadata, written) => insertPrepared(db, metadata, written, true),
  });
}

async function upsertFromCopy(manager: EntityManager, metadata: EntityMetadata, rows: readonly ObjectLiteral[]) {
  const escape = (name: string) => manager.connection.driver.escape(name);
  const columns = storedColumns(metadata).map((column) => escape(column.databaseName));
  const staging = await copyIntoTemporary(manager, metadata.target, rows);
  await manager.query(
    `INSERT INTO ${escape(metadata.tablePath)} (${columns.join(', ')}) ` +
      `SELECT ${columns.join(', ')} FROM ${staging} ${onConflictUpdate(manager.connection, metadata)}`,
  );
}

/** `ON CONFLICT (primary key) DO UPDATE SET` every other stored column to the new row's value. */
function onConflictUpdate(db: DataSource, metadata: EntityMetadata): string {
  const escape = (name: string) => db.driver.escape(name);
  const primary = metadata.primaryColumns.map((column) => escape(column.databaseName));
  const others = storedColumns(metadata)
    .filter((column) => !column.isPrimary)
    .map((column) => `${escape(column.databaseName)} = excluded.${escape(column.databaseName)}`);
  return `ON CONFLICT (${primary.join(', ')}) DO UPDATE SET ${others.join(', ')}`;
}

// ------------------------------------------------------------------ PostgreSQL

/**
 * One value in COPY's text format: `\N` is null; backslash, tab, newline and carriage return are
 * escaped (they would otherwise end the value, the row, or start an escape).
 */
export function copyText(value: unknown): string {
  const text = unescapedText(value);
  return text === null ? NULL_TEXT : escapedForCopy(text);
}

const NULL_TEXT = '\\N';
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value as text before escaping, null for NULL. Strings and numbers first: nearly every value a load writes is one. */
function unescapedText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return value instanceof Date
    ? value.toISOString()
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

function escapedForCopy(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, escapeCharacter) : text;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeCharacter = (character: string) => ESCAPES[character];

type ValueReader = (row: ObjectLiteral) => unknown;

/**
 * COPY's text for rows as bytes, a chunk of lines at a time. Each row's values are joined by tabs
 * and the rows by newlines (arrays joined once: no chain of concatenated strings for the encoder
 * to flatten). A value seldom needs escaping, so a chunk is checked once, as bytes: its tabs and
 * newlines must be the separators alone, its backslashes those of its NULLs, and it must hold no
 * carriage return. Only a chunk where a value breaks that is made again, each value escaped.
 * A 20,000-person seed's immigration rows (150,000 rows, 28 MB of text), the chunks made and
 * encoded: 240 → 175 ms against strings concatenated value by value and tested with a regex.
 */
function* copyChunks(db: DataSource, columns: ColumnMetadata[], rows: readonly ObjectLiteral[]): Generator<Buffer> {
  const readers = columns.map((column) => valueReader(db, column));
  for (let start = 0; start < rows.length; start += COPY_ROWS_PER_CHUNK) {
    const chunk = rows.slice(start, start + COPY_ROWS_PER_CHUNK);
    const { text, nulls } = chunkText(chunk, readers, false);
    const bytes = Buffer.from(text);
    const plain =
      count(bytes, TAB) === chunk.length * (readers.length - 1) &&
      count(bytes, NEWLINE) === chunk.length &&
      count(bytes, BACKSLASH) === nulls &&
      !bytes.includes(CARRIAGE_RETURN);
    yield plain ? bytes : Buffer.from(chunkText(chunk, readers, true).text);
  }
}

const [TAB, NEWLINE, CARRIAGE_RETURN, BACKSLASH] = ['\t', '\n', '\r', '\\'].map((character) => character.charCodeAt(0));

function count(bytes: Buffer, byte: number): number {
  let found = 0;
  for (let at = bytes.indexOf(byte); at >= 0; at = bytes.indexOf(byte, at + 1)) found++;
  return found;
}

/** Lines of rows: each value's text (escaped when asked, `\N` for NULL) joined by tabs; how many were NULL. */
function chunkText(
  rows: readonly ObjectLiteral[],
  readers: ValueReader[],
  escaped: boolean,
): { text: string; nulls: number } {
  const lines: string[] = new Array(rows.length + 1);
  const values: string[] = new Array(readers.length);
  let nulls = 0;
  for (let line = 0; line < rows.length; line++) {
    for (let column = 0; column < readers.length; column++) {
      const text = unescapedText(readers[column](rows[line]));
      if (text === null) nulls++;
      values[column] = text === null ? NULL_TEXT : escaped ? escapedForCopy(text) : text;
    }
    lines[line] = values.join('\t');
  }
  lines[rows.length] = '';
  return { text: lines.join('\n'), nulls };
}

/** The pg client of the caller's transaction (TypeORM's query runner holds it). */
async function transactionClient(manager: EntityManager): Promise<{ query(stream: unknown): NodeJS.WritableStream }> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('bulk write: call it inside a transaction');
  return runner.connect();
}

/** Tables emptied by emptyForLoad, by the query runner of the transaction that emptied them. */
const emptiedInTransaction = new WeakMap<QueryRunner, Set<string>>();

/**
 * Empties a table for a bulk load in the caller's transaction (TRUNCATE on PostgreSQL). The rows
 * then copied into it in the same transaction are written frozen (`COPY ... FREEZE`): visible to
 * every later reader without a VACUUM setting their hint bits and the visibility map first, as
 * index-only scans need. A partitioned table is emptied, not frozen (PostgreSQL refuses it).
 */
export async function emptyForLoad(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): Promise<void> {
  await manager.clear(entity);
  const runner = manager.queryRunner;
  if (!isPostgres(manager.connection) || !runner?.isTransactionActive) return;
  const table = manager.connection.getMetadata(entity).tablePath;
  const [{ kind }] = await manager.query('SELECT relkind AS kind FROM pg_class WHERE oid = CAST($1 AS regclass)', [
    manager.connection.driver.escape(table),
  ]);
  if (kind === 'p') return;
  if (!emptiedInTransaction.has(runner)) emptiedInTransaction.set(runner, new Set());
  emptiedInTransaction.get(runner)!.add(table);
}

/** `COPY table (columns) FROM STDIN` of these rows, on the transaction's connection (FREEZE after emptyForLoad). */
export async function copyInto(
  manager: EntityManager,
  table: string,
  columns: ColumnMetadata[],
  rows: readonly ObjectLiteral[],
): Promise<void> {
  const db = manager.connection;
  const escape = (name: string) => db.driver.escape(name);
  const frozen = manager.queryRunner && emptiedInTransaction.get(manager.queryRunner)?.has(table);
  const sql = `COPY ${table.split('.').map(escape).join('.')} (${columns.map((column) => escape(column.databaseName)).join(', ')}) FROM STDIN${frozen ? ' WITH (FREEZE)' : ''}`;
  db.logger.logQuery(sql);
  const client = await transactionClient(manager);
  await pipeline(Readable.from(copyChunks(db, columns, rows)), client.query(copyFrom(sql)));
}

let stagingTables = 0;

/**
 * Copies rows into a temporary table shaped like the entity's (dropped at commit) and returns its
 * escaped name, for a set-based statement from it. PostgreSQL only.
 */
export async function copyIntoTemporary<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Partial<T>[],
): Promise<string> {
  const metadata = manager.connection.getMetadata(entity);
  // A name of its own per call: a batch may stage one table twice; the table goes at commit.
  const name = `bulk_staged_${++stagingTables}`;
  const staging = manager.connection.driver.escape(name);
  await manager.query(
    `CREATE TEMPORARY TABLE ${staging} (LIKE ${manager.connection.driver.escape(metadata.tablePath)}) ON COMMIT DROP`,
  );
  await copyInto(manager, name, storedColumns(metadata), rows);
  return staging;
}

/**
 * Drops a table's indexes and primary or unique keys in the caller's transaction (PostgreSQL) and
 * returns what makes them again, for a bulk load in between: PostgreSQL builds an index from the
 * sorted rows many times faster than it inserts millions of random keys one by one. A partitioned
 * table's keys and indexes are dropped and made again on the parent, and so on every partition.
 * SQLite: nothing is dropped.
 */
export async function dropIndexesForLoad(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
): Promise<() => Promise<void>> {
  if (!isPostgres(manager.connection)) return async () => {};
  const table = manager.connection.getMetadata(entity).tableName;
  const escaped = manager.connection.driver.escape(table);
  const keys: { name: string; definition: string }[] = await manager.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = CAST($1 AS regclass) AND contype IN ('p', 'u')`,
    [escaped],
  );
  const indexes: { name: string; definition: string }[] = await manager.query(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> ALL($2)`,
    [table, keys.map((key) => key.name)],
  );
  for (const key of keys) await manager.query(`ALTER TABLE ${escaped} DROP CONSTRAINT "${key.name}"`);
  for (const index of indexes) await manager.query(`DROP INDEX "${index.name}"`);
  return async () => {
    for (const key of keys)
      await manager.query(`ALTER TABLE ${escaped} ADD CONSTRAINT "${key.name}" ${key.definition}`);
    // A partitioned table's index reads "ON ONLY parent": made so, it would cover no partition.
    for (const index of indexes) await manager.query(index.definition.replace(' ON ONLY ', ' ON '));
  };
}

/**
 * Readies tables for a bulk load in the caller's transaction: each emptied (emptyForLoad) and its
 * keys and indexes dropped (dropIndexesForLoad). Returns what builds them all again, in order,
 * and takes their statistics (analyzeLoaded).
 */
export async function emptyForBulkLoad(
  manager: EntityManager,
  entities: readonly EntityTarget<ObjectLiteral>[],
): Promise<() => Promise<void>> {
  const rebuilds: (() => Promise<void>)[] = [];
  for (const entity of entities) {
    await emptyForLoad(manager, entity);
    rebuilds.push(await dropIndexesForLoad(manager, entity));
  }
  return async () => {
    for (const rebuild of rebuilds) await rebuild();
    await analyzeLoaded(manager, entities);
  };
}

/**
 * The planner's statistics of tables just loaded, taken in the loading transaction (PostgreSQL;
 * SQLite plans without them): the planner saw them empty. Taken after the commit instead, the
 * ANALYZE met autovacuum's own on the same tables and waited a second for each it cancelled (one
 * 1,000,000-person seed's took 10.8 s instead of 3); inside the transaction no other process can
 * see the tables yet.
 */
export async function analyzeLoaded(
  manager: EntityManager,
  entities: readonly EntityTarget<ObjectLiteral>[],
): Promise<void> {
  if (!isPostgres(manager.connection) || entities.length === 0) return;
  const escape = (name: string) => manager.connection.driver.escape(name);
  const tables = entities.map((entity) => escape(manager.connection.getMetadata(entity).tablePath));
  await manager.query(`ANALYZE ${tables.join(', ')}`);
}

async function updateFromCopy(manager: EntityManager, metadata: EntityMetadata, rows: readonly ObjectLiteral[]) {
  const escape = (name: string) => manager.connection.driver.escape(name);
  const primary = metadata.primaryColumns.map((column) => escape(column.databaseName));
  const target = escape(metadata.tablePath);
  const staging = await copyIntoTemporary(manager, metadata.target, rows);
  const assignments = storedColumns(metadata)
    .filter((column) => !column.isPrimary)
    .map((column) => `${escape(column.databaseName)} = staged.${escape(column.databaseName)}`);
  await manager.query(
    `UPDATE ${target} SET ${assignments.join(', ')} FROM ${staging} staged ` +
      `WHERE ${primary.map((name) => `${target}.${name} = staged.${name}`).join(' AND ')}`,
  );
}

// ------------------------------------------------------------------ SQLite

interface Statement {
  run(...parameters: unknown[]): unknown;
}

const insertStatements = new WeakMap<DataSource, Map<string, Statement>>();

/** Rows per statement: as many as the parameter limit allows, at most SQLITE_MAX_ROWS. */
function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMETERS / columns)));
}

/**
 * Chunk sizes for `count` rows: full chunks of the largest size, then the rest in powers of two, so
 * a handful of statements is prepared once each instead of a new one for every batch's tail.
 */
export function chunkSizes(count: number, largest: number): number[] {
  const sizes: number[] = Array(Math.floor(count / largest)).fill(largest);
  let rest = count % largest;
  for (let size = 2 ** Math.floor(Math.log2(Math.max(1, rest))); rest > 0; size /= 2) {
    if (rest >= size) {
      sizes.push(size);
      rest -= size;
    }
  }
  return sizes;
}

function insertStatement(
  db: DataSource,
  metadata: EntityMetadata,
  columns: ColumnMetadata[],
  rows: number,
  upsert: boolean,
) {
  let statements = insertStatements.get(db);
  if (!statements) insertStatements.set(db, (statements = new Map()));
  const key = `${metadata.tablePath}\0${rows}\0${upsert}`;
  let statement = statements.get(key);
  if (!statement) {
    const escape = (name: string) => db.driver.escape(name);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const sql =
      `INSERT INTO ${escape(metadata.tablePath)} (${columns.map((column) => escape(column.databaseName)).join(', ')}) ` +
      `VALUES ${Array(rows).fill(tuple).join(', ')}${upsert ? ` ${onConflictUpdate(db, metadata)}` : ''}`;
    statement = sqliteConnection(db).prepare(sql);
    statements.set(key, statement);
  }
  return statement;
}

function insertPrepared(
  db: DataSource,
  metadata: EntityMetadata,
  rows: readonly ObjectLiteral[],
  upsert = false,
): void {
  const columns = storedColumns(metadata);
  const readers = columns.map((column) => valueReader(db, column));
  let start = 0;
  for (const size of chunkSizes(rows.length, rowsPerStatement(columns.length))) {
    const parameters: unknown[] = [];
    for (const row of rows.slice(start, start + size)) for (const read of readers) parameters.push(read(row));
    db.logger.logQuery(`INSERT INTO ${metadata.tablePath} (${size} rows)`);
    insertStatement(db, metadata, columns, size, upsert).run(parameters);
    start += size;
  }
}

const updateStatements = new WeakMap<DataSource, Map<string, Statement>>();

function updatePrepared(db: DataSource, metadata: EntityMetadata, rows: readonly ObjectLiteral[]): void {
  const columns = storedColumns(metadata).filter((column) => !column.isPrimary);
  let statements = updateStatements.get(db);
  if (!statements) updateStatements.set(db, (statements = new Map()));
  let statement = statements.get(metadata.tablePath);
  const escape = (name: string) => db.driver.escape(name);
  const sql =
    `UPDATE ${escape(metadata.tablePath)} SET ${columns.map((column) => `${escape(column.databaseName)} = ?`).join(', ')} ` +
    `WHERE ${metadata.primaryColumns.map((column) => `${escape(column.databaseName)} = ?`).join(' AND ')}`;
  if (!statement) statements.set(metadata.tablePath, (statement = sqliteConnection(db).prepare(sql)));
  for (const row of rows) {
    db.logger.logQuery(sql);
    statement.run([...columns, ...metadata.primaryColumns].map((column) => storedValue(db, column, row)));
  }
}

/** better-sqlite3's own connection under TypeORM's (one per data source). */
export function sqliteConnection(db: DataSource): { prepare(sql: string): Statement } {
  return (db.driver as unknown as { databaseConnection: { prepare(sql: string): Statement } }).databaseConnection;
}
