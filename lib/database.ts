import { DataSource, EntityMetadata, EntityTarget, Logger, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export interface DatabaseConfig {
  /** `sqlite:<path>` (`sqlite::memory:` for tests) or a `postgres://` URL. */
  url: string;
  /** TypeORM entity classes of one subgraph. */
  entities: Function[];
  /** Its checked-in migrations, oldest first (PostgreSQL). */
  migrations?: Function[];
  /** SQLite's memory for this database; the defaults fit an agency's searches and figures. */
  sqlite?: SqliteMemory;
}

export interface SqliteMemory {
  /**
   * Hot pages kept in memory, in MB (SQLite's own default is 2).
   * @default 64
   */
  cacheMb?: number;
  /**
   * Map the file into memory for reads: the pages read count in the process's RSS.
   * @default true
   */
  mapFile?: boolean;
}

/**
 * Counts the SQL statements a data source sends. Tests read it to prove batching: the count for a
 * page of 100 persons must equal the count for 10.
 */
export class StatementCounter implements Logger {
  count = 0;
  readonly statements: string[] = [];
  private recording = false;

  /** Starts a fresh count; `statements` keeps the SQL text until the next reset. */
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
    this.recording = true;
  }

  logQuery(query: string): void {
    this.count += 1;
    if (this.recording) this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export function createDataSource(config: DatabaseConfig): { dataSource: DataSource; statements: StatementCounter } {
  const statements = new StatementCounter();
  const common = { entities: config.entities, logger: statements, logging: ['query' as const] };
  if (config.url.startsWith('sqlite:')) {
    const database = config.url.slice('sqlite:'.length);
    const dataSource = new DataSource({
      ...common,
      type: 'better-sqlite3',
      database,
      // The embedded demo database creates its own tables; PostgreSQL uses the checked-in migrations.
      synchronize: true,
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        // Reads at national scale: map the file (address space only, the OS pages it in) and keep
        // 64 MB of hot pages instead of the default 2 MB; figures went from 9.4 s to 6.1 s.
        if (config.sqlite?.mapFile ?? true) db.pragma('mmap_size = 4294967296');
        db.pragma(`cache_size = -${(config.sqlite?.cacheMb ?? 64) * 1024}`);
      },
    });
    return { dataSource, statements };
  }
  if (/^postgres(ql)?:\/\//.test(config.url)) {
    const dataSource = new DataSource({
      ...common,
      type: 'postgres',
      url: config.url,
      synchronize: false,
      migrations: config.migrations ?? [],
      migrationsTableName: 'schema_migrations',
      // One pool per service; sized for the loaders' batches, not one connection per field. JIT
      // off: the planner prices a per-row probe (a correlated EXISTS) for every row, so searches
      // that read a few thousand rows passed jit_above_cost and spent 2.3 s compiling (at 200,000
      // persons, for a 75 ms count); no query here runs long enough to earn it back.
      extra: { max: 10, options: '-c jit=off' },
    });
    return { dataSource, statements };
  }
  throw new Error(`Unsupported database URL "${config.url}": use sqlite:<file> or postgres://...`);
}

/**
 * `expression IN (<a list bound as one JSON parameter>)`: lists of any length (SQLite allows
 * 32,766 parameters, PostgreSQL 65,535) in one statement, so paging and counting stay in SQL.
 * On PostgreSQL the values are cast to `type` (else text).
 */
export function inJsonList(db: DataSource, expression: string, parameter: string, type?: string): string {
  return `${expression} IN (${jsonListValues(db, `:${parameter}`, type)})`;
}

/** The values of a JSON list bound at `placeholder`, as a subquery; on PostgreSQL cast to `type` (else text). */
export function jsonListValues(db: DataSource, placeholder: string, type?: string): string {
  if (!isPostgres(db)) return `SELECT value FROM json_each(${placeholder})`;
  const values = `jsonb_array_elements_text(CAST(${placeholder} AS jsonb))`;
  return `SELECT ${type ? `CAST(${values} AS ${type})` : values}`;
}

/** A JSON list bound at `placeholder`, as a FROM item `alias` of one text column, `value`. */
export function jsonList(db: DataSource, placeholder: string, alias: string): string {
  if (isPostgres(db)) return `jsonb_array_elements_text(CAST(${placeholder} AS jsonb)) AS ${alias}(value)`;
  return `json_each(${placeholder}) AS ${alias}`;
}

/**
 * A JSON list of objects bound at `placeholder`, as a FROM item `alias(column, ...)`: a batch of
 * rows with several values each in one parameter. `columns` maps each field to its PostgreSQL type
 * (SQLite reads them as JSON gives them: true is 1).
 */
export function jsonRecords(
  db: DataSource,
  placeholder: string,
  alias: string,
  columns: Record<string, string>,
): string {
  const names = Object.keys(columns);
  if (isPostgres(db))
    return `jsonb_to_recordset(CAST(${placeholder} AS jsonb)) AS ${alias}(${names.map((name) => `${name} ${columns[name]}`).join(', ')})`;
  return `(SELECT ${names.map((name) => `json_extract(value, '$.${name}') AS ${name}`).join(', ')} FROM json_each(${placeholder})) AS ${alias}`;
}

/** A statement of findIn, made once per entity, column and condition. */
interface FindInStatement {
  sql: string;
  columns: ColumnMetadata[];
  prototype: object;
  /** SQLite: the statement prepared once on the connection, answering rows as arrays. */
  prepared?: RowsAsArrays;
}

/** A SQLite statement prepared once on better-sqlite3's connection, answering rows as arrays. */
interface RowsAsArrays {
  all(...parameters: unknown[]): unknown[][];
}

/** Entities from rows answered as arrays: each value converted as TypeORM would, by its column's position. */
function entitiesFrom<T>(
  db: DataSource,
  rows: unknown[][],
  columns: readonly (ColumnMetadata | undefined)[],
  prototype: object,
): T[] {
  return rows.map((values) => {
    const entity = Object.create(prototype);
    for (let index = 0; index < columns.length; index += 1) {
      const column = columns[index];
      if (column) entity[column.propertyName] = db.driver.prepareHydratedValue(values[index], column);
    }
    return entity;
  });
}

const findInStatements = new WeakMap<DataSource, Map<string, FindInStatement>>();

/**
 * The rows of `entity` whose `property` is one of `values` (and, with `isNull`, whose `isNull`
 * property is null), as entities: what every loader asks. One statement per call with the values
 * bound as one JSON parameter, its text made once, each row hydrated column by column with
 * TypeORM's own conversion (prepareHydratedValue): the same entities as `findBy({ property:
 * In(values) })` without the query builder's per-parameter work and its result transformer,
 * which together cost a subgraph more CPU than SQLite's own work on a page of 100 persons. On
 * SQLite the statement is prepared once and answers rows as arrays (better-sqlite3's raw mode):
 * building an object per row cost more than the search itself (226 stay permits of 17 columns:
 * 2.0 ms as objects, 1.2 as arrays).
 */
export async function findIn<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  property: keyof T & string,
  values: readonly unknown[],
  isNull?: keyof T & string,
): Promise<T[]> {
  return entitiesIn(db, entity, property, values, isNull);
}

/**
 * findIn's entities with only the `select`ed columns read and hydrated: for rows read by the ten
 * thousand (entity resolution's candidates), where every further column cost parsing and garbage.
 */
export async function findColumnsIn<T extends ObjectLiteral, K extends keyof T & string>(
  db: DataSource,
  entity: EntityTarget<T>,
  property: keyof T & string,
  values: readonly unknown[],
  select: readonly K[],
): Promise<Pick<T, K>[]> {
  return entitiesIn(db, entity, property, values, undefined, select);
}

async function entitiesIn<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  property: keyof T & string,
  values: readonly unknown[],
  isNull?: string,
  select?: readonly string[],
): Promise<T[]> {
  if (values.length === 0) return [];
  const statement = findInStatement(db, db.getMetadata(entity), property, isNull, select);
  const parameters = [JSON.stringify(values)];
  const { columns, prototype, prepared } = statement;
  if (prepared) {
    db.logger.logQuery(statement.sql, parameters);
    return entitiesFrom(db, prepared.all(...parameters), columns, prototype);
  }
  const rows: Record<string, unknown>[] = await db.query(statement.sql, parameters);
  const arrays = rows.map((row) => columns.map((column) => row[column.databaseName]));
  return entitiesFrom(db, arrays, columns, prototype);
}

function findInStatement(
  db: DataSource,
  metadata: EntityMetadata,
  property: string,
  isNull?: string,
  select?: readonly string[],
) {
  let statements = findInStatements.get(db);
  if (!statements) findInStatements.set(db, (statements = new Map()));
  const key = `${metadata.name}\0${property}\0${isNull ?? ''}\0${select?.join(',') ?? ''}`;
  let statement = statements.get(key);
  if (!statement) {
    if (metadata.embeddeds.length) throw new Error(`findIn: ${metadata.name} has embedded columns, use findBy`);
    const escape = (name: string) => db.driver.escape(name);
    const keyColumn = metadata.findColumnWithPropertyName(property)!;
    const column = (name: string) => escape(metadata.findColumnWithPropertyName(name)!.databaseName);
    const columns = select
      ? select.map((name) => metadata.findColumnWithPropertyName(name)!)
      : metadata.columns.filter((each) => each.isSelect && !each.isVirtual && !each.relationMetadata);
    // PostgreSQL compares only values of one type: the JSON's texts become the key column's type.
    const list = jsonListValues(db, isPostgres(db) ? '$1' : '?', db.driver.normalizeType(keyColumn));
    const key = escape(keyColumn.databaseName);
    const condition = throughIndex(db, metadata, keyColumn) ? `${key} = ANY(ARRAY(${list}))` : `${key} IN (${list})`;
    statement = {
      sql:
        `SELECT ${columns.map((each) => escape(each.databaseName)).join(', ')} FROM ${escape(metadata.tableName)} ` +
        `WHERE ${condition}${isNull ? ` AND ${column(isNull)} IS NULL` : ''}`,
      columns,
      prototype: (metadata.target as Function).prototype,
    };
    if (!isPostgres(db)) statement.prepared = sqliteConnection(db).prepare(statement.sql).raw(true);
    statements.set(key, statement);
  }
  return statement;
}

/**
 * Whether findIn looks `column` up as `= ANY(ARRAY(...))` (PostgreSQL, a column an index or key of
 * the entity begins with): one index scan over the values sorted, where `IN (SELECT ...)` hashed
 * them and probed the index once per value (15,000 persons by id among 1,000,000: 89 → 50 ms,
 * entity resolution's candidates). Never without such an index: a scan then compares every row
 * with every value of the array (5,000 birth dates over 1,000,000 persons: 4.3 s, against 92 ms
 * for `IN`, which hashes the list).
 */
function throughIndex(db: DataSource, metadata: EntityMetadata, column: ColumnMetadata): boolean {
  const leads = (columns: ColumnMetadata[]) => columns[0] === column;
  return (
    isPostgres(db) &&
    (leads(metadata.primaryColumns) ||
      metadata.indices.some((index) => leads(index.columns)) ||
      metadata.uniques.some((unique) => leads(unique.columns)))
  );
}

/** Statements of `entitiesOf`, by SQL text; the shapes of a service's queries are a few dozen. */
const MAX_PREPARED_QUERIES = 200;
const preparedQueries = new WeakMap<DataSource, Map<string, PreparedQuery>>();

interface PreparedQuery {
  prepared: RowsAsArrays;
  /** Each answered column's entity column, by position (undefined: not an entity column). */
  columns: (ColumnMetadata | undefined)[];
  prototype: object;
}

/**
 * The entities of a query builder that joins nothing, as its `getMany()` gives them. On SQLite the
 * SQL it wrote runs as a statement prepared once per text, its rows as arrays hydrated by column
 * position like findIn's: a page of 100 persons cost a third of TypeORM's getMany (0.3 against
 * 0.96 ms). Anything else, and PostgreSQL, goes through getMany.
 */
export async function entitiesOf<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<T[]> {
  const db = query.connection;
  const { mainAlias, joinAttributes, relationIdAttributes } = query.expressionMap;
  const plain = !joinAttributes.length && !relationIdAttributes.length;
  if (isPostgres(db) || !plain || !mainAlias?.hasMetadata || mainAlias.metadata.embeddeds.length)
    return query.getMany();
  const [sql, parameters] = query.getQueryAndParameters();
  const statement = preparedQuery(db, sql, mainAlias.name, mainAlias.metadata);
  db.logger.logQuery(sql, parameters);
  return entitiesFrom(db, statement.prepared.all(...parameters), statement.columns, statement.prototype);
}

function preparedQuery(db: DataSource, sql: string, alias: string, metadata: EntityMetadata): PreparedQuery {
  let queries = preparedQueries.get(db);
  if (!queries) preparedQueries.set(db, (queries = new Map()));
  let query = queries.get(sql);
  if (!query) {
    const statement = sqliteConnection(db).prepare(sql);
    const byAlias = new Map(metadata.columns.map((column) => [`${alias}_${column.databaseName}`, column]));
    query = {
      prepared: statement.raw(true),
      columns: statement.columns().map(({ name }) => byAlias.get(name)),
      prototype: (metadata.target as Function).prototype,
    };
    if (queries.size >= MAX_PREPARED_QUERIES) queries.delete(queries.keys().next().value!);
    queries.set(sql, query);
  }
  return query;
}

/** better-sqlite3's own connection under TypeORM's (one per data source). */
function sqliteConnection(db: DataSource): {
  prepare(sql: string): {
    raw(on: boolean): RowsAsArrays;
    columns(): { name: string }[];
  };
} {
  return (db.driver as unknown as { databaseConnection: ReturnType<typeof sqliteConnection> }).databaseConnection;
}

/**
 * Connects; on PostgreSQL refuses a database whose schema is behind the code (migrations not yet
 * applied), naming the command that fixes it, instead of failing later on a missing column.
 */
export async function openDatabase(
  config: DatabaseConfig,
): Promise<{ dataSource: DataSource; statements: StatementCounter }> {
  const opened = createDataSource(config);
  await opened.dataSource.initialize();
  if (isPostgres(opened.dataSource) && (await opened.dataSource.showMigrations())) {
    await opened.dataSource.destroy();
    throw new Error(
      `The database ${redactUrl(config.url)} has migrations not yet applied: run "npm run migrate" first`,
    );
  }
  return opened;
}

export function isPostgres(db: DataSource): boolean {
  return db.options.type === 'postgres';
}

/** A database URL fit for messages and logs: no password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Runs statements on a PostgreSQL server outside any service's database: creating, dropping databases. */
export async function onPostgresServer<T>(
  url: string,
  run: (query: (sql: string) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const server = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await server.initialize();
  try {
    return await run((sql) => server.query(sql));
  } finally {
    await server.destroy();
  }
}

/**
 * The collation every agency database is created with: `C`, PostgreSQL's byte order. For UTF-8
 * text that is code point order, the order of these `C.UTF-8` servers' glibc collation and of
 * SQLite's BINARY, so no answer changes; but PostgreSQL 15 compares `C` text with memcmp and
 * abbreviated keys instead of strcoll: the seed's index builds at 200,000 persons took 16.0 / 16.2 s
 * instead of 21.6 / 17.8 s, and linking's database CPU fell by a tenth (measured). Character
 * classes (LC_CTYPE: trigrams, lower()) stay the server's.
 */
export const DATABASE_COLLATION = 'C';

/** CREATE DATABASE for an agency's database, with its collation (template0: the only template that may change it). */
export function createDatabaseStatement(name: string): string {
  return `CREATE DATABASE ${name} LC_COLLATE '${DATABASE_COLLATION}' TEMPLATE template0`;
}

/** The URL of another database on the same server. */
export function databaseOnServer(url: string, database: string): string {
  const other = new URL(url);
  other.pathname = `/${database}`;
  return other.toString();
}
