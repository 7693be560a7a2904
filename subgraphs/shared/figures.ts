import { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { analyzeLoaded, bulkInsert } from '../../lib/bulk';
import { isPostgres } from '../../lib/database';
import { dayAfter, monthStartOf, snapshotFor, snapshotRange } from './figure-dates';
import { RegencyMatch } from './geography';
import { CountByKey, sortFigures } from './statistics';

/**
 * Maintained figures: how many permits are active on any date, per combination of dimensions
 * (kind, nationality, regency…), without reading the permits. Two tables per agency:
 *
 * - daily changes: per day and dimensions, +1 for each active permit starting that day and −1 for
 *   each ending the day before;
 * - monthly snapshots: per month start and dimensions, the permits active on that first.
 *
 * The figures of a date are its month's snapshot plus the changes from the 2nd to the date: a few
 * thousand rows whatever the number of permits. Every write of permits (or of what their
 * dimensions come from) applies the difference between the rows before and after it, in its own
 * transaction, so the figures are exact at every commit; `rebuildFigures` makes them again from
 * the permits (after an upgrade).
 */
export interface FigureTables {
  /** Columns: day, the dimensions, change. */
  daily: EntityTarget<ObjectLiteral>;
  /** Columns: month, the dimensions, active. */
  monthly: EntityTarget<ObjectLiteral>;
  /** Column names, in the order spans give their values. */
  dimensions: readonly string[];
}

/** What one active permit contributes: its validity and its value on each dimension. */
export interface FigureSpan {
  validFrom: string;
  validUntil: string;
  dimensions: string[];
}

/**
 * Row changes to apply, summed in memory: a batch's permits sharing a day and dimensions are one
 * row. Kept per combination of dimensions, then per date, so that a permit's dimensions are made
 * a key once, not once for each of its months (a rebuild counts millions of permits).
 */
export class FigureChanges {
  readonly daily = new Map<string, Map<string, number>>();
  /** Per combination, per snapshot month number (figure-dates.ts, snapshotRange). */
  readonly monthly = new Map<string, Map<number, number>>();
  /** Validity ends repeat by the thousand: the day after each is worked out once. */
  private readonly dayAfter = new Map<string, string | null>();

  /** Adds (sign 1) or removes (sign −1) the contributions of spans. */
  count(spans: Iterable<FigureSpan>, sign: 1 | -1): this {
    for (const span of spans) {
      const combination = JSON.stringify(span.dimensions);
      const daily = datesOf(this.daily, combination);
      bump(daily, span.validFrom, sign);
      const end = this.dayAfterOf(span.validUntil);
      if (end) bump(daily, end, -sign);
      const monthly = datesOf(this.monthly, combination);
      const [first, last] = snapshotRange(span.validFrom, span.validUntil);
      for (let month = first; month <= last; month++) bump(monthly, month, sign);
    }
    return this;
  }

  private dayAfterOf(date: string): string | null {
    let next = this.dayAfter.get(date);
    if (next === undefined) this.dayAfter.set(date, (next = dayAfter(date)));
    return next;
  }

  /**
   * Rows whose change is not zero (the rows of a permit written again unchanged cancel out), as
   * [date, ...dimensions], in key order: concurrent writers then lock the rows they share in the
   * same order and cannot deadlock.
   */
  rows(table: 'daily' | 'monthly'): [string[], number][] {
    const rows = table === 'daily' ? nonZeroRows(this.daily, String) : nonZeroRows(this.monthly, monthStartOf);
    return rows.sort(([a], [b]) => compareKeys(a, b));
  }
}

/** [date, ...dimensions] and the change of each sum that is not zero, its date written by `dateOf`. */
function nonZeroRows<D>(sums: Map<string, Map<D, number>>, dateOf: (date: D) => string): [string[], number][] {
  const rows: [string[], number][] = [];
  for (const [combination, dates] of sums) {
    const dimensions = JSON.parse(combination) as string[];
    for (const [date, change] of dates) if (change !== 0) rows.push([[dateOf(date), ...dimensions], change]);
  }
  return rows;
}

function datesOf<D>(table: Map<string, Map<D, number>>, combination: string): Map<D, number> {
  let dates = table.get(combination);
  if (!dates) table.set(combination, (dates = new Map()));
  return dates;
}

function bump<D>(dates: Map<D, number>, date: D, by: number): void {
  dates.set(date, (dates.get(date) ?? 0) + by);
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

const ROWS_PER_STATEMENT = 1000;

/** Adds the changes to both tables: one multi-row upsert per thousand rows (the same SQL on SQLite and PostgreSQL). */
export async function applyFigureChanges(
  manager: EntityManager,
  tables: FigureTables,
  changes: FigureChanges,
): Promise<void> {
  await writeSums(manager, tables, changes, upsertSums);
}

type SumWriter = (
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  keyColumns: string[],
  sumColumn: string,
  rows: [string[], number][],
) => Promise<void>;

/** Both tables' rows of the changes, written by `write` (added to what is stored, or copied into empty tables). */
async function writeSums(manager: EntityManager, tables: FigureTables, changes: FigureChanges, write: SumWriter) {
  await write(manager, tables.daily, ['day', ...tables.dimensions], 'change', changes.rows('daily'));
  await write(manager, tables.monthly, ['month', ...tables.dimensions], 'active', changes.rows('monthly'));
}

const upsertSums: SumWriter = async (manager, entity, keyColumns, sumColumn, rows) => {
  const escape = (name: string) => manager.connection.driver.escape(name);
  const table = escape(manager.connection.getMetadata(entity).tableName);
  const columns = [...keyColumns, sumColumn].map(escape).join(', ');
  const sum = escape(sumColumn);
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const parameters = chunk.flatMap(([key, change]) => [...key, change]);
    const placeholders = placeholderRows(manager.connection, chunk.length, keyColumns.length + 1);
    await manager.query(
      `INSERT INTO ${table} (${columns}) VALUES ${placeholders}
       ON CONFLICT (${keyColumns.map(escape).join(', ')}) DO UPDATE SET ${sum} = ${table}.${sum} + excluded.${sum}`,
      parameters,
    );
  }
};

const insertSums: SumWriter = (manager, entity, keyColumns, sumColumn, rows) =>
  bulkInsert(
    manager,
    entity,
    rows.map(([key, sum]) => ({
      ...Object.fromEntries(keyColumns.map((column, i) => [column, key[i]])),
      [sumColumn]: sum,
    })),
  );

/** `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL. */
function placeholderRows(db: DataSource, rows: number, width: number): string {
  let next = 1;
  const one = () => (isPostgres(db) ? `$${next++}` : '?');
  return Array.from({ length: rows }, () => `(${Array.from({ length: width }, one).join(', ')})`).join(', ');
}

/** Count per combination of dimensions on a date, read from the snapshot and the changes since. */
export interface FigureGroup {
  dimensions: string[];
  count: number;
}

/**
 * The figures of `date`, narrowed to a regency when one is matched: one statement, summing the
 * snapshot of the date's month and the changes after it up to the date, per combination.
 */
export async function readFigures(
  db: DataSource,
  tables: FigureTables,
  date: string,
  regency: { column: string; match: RegencyMatch | null },
): Promise<FigureGroup[]> {
  if (regency.match && regency.match.spellings.length === 0) return [];
  const escape = (name: string) => db.driver.escape(name);
  const dimensions = tables.dimensions.map(escape).join(', ');
  const parameters: string[] = [];
  const parameter = (value: string) => {
    parameters.push(value);
    return isPostgres(db) ? `$${parameters.length}` : '?';
  };
  const inRegency = () =>
    regency.match ? ` AND ${escape(regency.column)} IN (${regency.match.spellings.map(parameter).join(', ')})` : '';
  const snapshot = snapshotFor(date);
  const parts: string[] = [];
  if (snapshot)
    parts.push(
      `SELECT ${dimensions}, ${escape('active')} AS n FROM ${escape(db.getMetadata(tables.monthly).tableName)}
       WHERE ${escape('month')} = ${parameter(snapshot)}${inRegency()}`,
    );
  const after = snapshot ? `${escape('day')} > ${parameter(snapshot)} AND ` : '';
  parts.push(
    `SELECT ${dimensions}, ${escape('change')} AS n FROM ${escape(db.getMetadata(tables.daily).tableName)}
     WHERE ${after}${escape('day')} <= ${parameter(date)}${inRegency()}`,
  );
  const rows: Record<string, string | number>[] = await db.query(
    `SELECT ${dimensions}, SUM(n) AS count FROM (${parts.join(' UNION ALL ')}) figures
     GROUP BY ${dimensions} HAVING SUM(n) <> 0`,
    parameters,
  );
  return rows.map((row) => ({
    dimensions: tables.dimensions.map((column) => String(row[column])),
    count: Number(row.count),
  }));
}

/** Totals per dimension of the groups (dimension i of a group counted under `names[i]`), and the total. */
export function sumByDimension<D extends string>(
  groups: FigureGroup[],
  names: readonly D[],
): { total: number } & Record<D, CountByKey[]> {
  const result = { total: groups.reduce((sum, group) => sum + group.count, 0) } as { total: number } & Record<
    D,
    CountByKey[]
  >;
  names.forEach((name, index) => {
    const counts = new Map<string, number>();
    for (const group of groups)
      counts.set(group.dimensions[index], (counts.get(group.dimensions[index]) ?? 0) + group.count);
    result[name] = sortFigures([...counts].map(([key, count]) => ({ key, count }))) as any;
  });
  return result;
}

/**
 * Figures summed from rows as they come (a rebuild's pages, a fresh load's batches), then copied
 * into the emptied tables: no row to add to.
 */
export class FigureRebuild<R> {
  private readonly changes = new FigureChanges();
  private counted = 0;

  constructor(
    private readonly tables: FigureTables,
    private readonly spans: (rows: R[]) => FigureSpan[],
  ) {}

  add(rows: R[]): void {
    const counted = this.spans(rows);
    this.changes.count(counted, 1);
    this.counted += counted.length;
  }

  /** Replaces the tables' rows with the sums, in the caller's transaction, and their statistics; returns the rows counted. */
  async write(manager: EntityManager): Promise<number> {
    await manager.clear(this.tables.daily);
    await manager.clear(this.tables.monthly);
    await writeSums(manager, this.tables, this.changes, insertSums);
    await analyzeLoaded(manager, [this.tables.daily, this.tables.monthly]);
    return this.counted;
  }
}

/**
 * Makes both tables again from scratch: empties them, then counts the spans of every page of
 * rows, summing in memory (a few rows per day and combination) and writing once. Idempotent; run in one
 * transaction, so readers see the old figures or the new ones.
 */
export async function rebuildFigures<R>(
  manager: EntityManager,
  rebuild: FigureRebuild<R>,
  pages: AsyncIterable<R[]>,
): Promise<number> {
  for await (const page of pages) rebuild.add(page);
  return rebuild.write(manager);
}

/**
 * Reading the rows a write is about to change: on PostgreSQL `FOR UPDATE` ('write'), so that two
 * writers of the same permit take turns and the second subtracts what the first left, or `FOR
 * SHARE` ('read') for the rows whose dimensions a write counts under (an employer), so that a
 * change of them waits for the write or the write for it. SQLite has one writer at a time.
 */
export function lockFor<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  lock: 'write' | 'read' | undefined,
): SelectQueryBuilder<T> {
  if (!lock || !isPostgres(query.connection)) return query;
  return query.setLock(lock === 'write' ? 'pessimistic_write' : 'pessimistic_read');
}

const PAGE = 50_000;

/**
 * The rows of a query in pages of 50,000 by a unique text key (keyset paging: each page one index
 * range), for rebuilds that must not hold millions of rows at once. Dates are cast to text so both
 * drivers answer YYYY-MM-DD.
 */
export async function* pagesByKey<T extends ObjectLiteral, R>(
  query: () => SelectQueryBuilder<T>,
  key: string,
): AsyncIterable<R[]> {
  let after: string | null = null;
  for (;;) {
    const page = query().orderBy(key, 'ASC').limit(PAGE);
    if (after !== null) page.andWhere(`${key} > :after`, { after });
    const rows: (R & { pageKey: string })[] = await page.addSelect(key, 'pageKey').getRawMany();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].pageKey;
  }
}
