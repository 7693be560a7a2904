import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { bulkInsert, bulkUpdate } from '../../lib/bulk';
import { inJsonList, isPostgres, jsonRecords } from '../../lib/database';
import { nationalityCode } from './countries';
import { normalizeCountryCode, normalizePassportNumber, requireNib } from './validation';

/**
 * Each agency loads its own records from CSV files: every row is validated (the report names file,
 * line, column and reason), valid rows are upserted on their natural keys in transactions of one
 * batch each, so a crash leaves whole batches and importing a file twice changes nothing.
 */

export interface Column {
  name: string;
  required: boolean;
  /** The stored value, or throws a reason (a plain Error's message is enough). */
  parse(raw: string): unknown;
}

export type ParsedRecord = Record<string, any>;

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records refused while writing (an unknown passport, employer, report), by index in the batch. */
  rejected: { index: number; column: string; reason: string }[];
}

/** One kind of file an agency imports: its columns and how a batch of records is written. */
export interface RecordType {
  agency: string;
  name: string;
  description: string;
  columns: Column[];
  write(manager: EntityManager, records: ParsedRecord[]): Promise<BatchResult>;
}

export interface Problem {
  file: string;
  line: number;
  column: string;
  reason: string;
}

export interface ImportSummary extends Omit<BatchResult, 'rejected'> {
  file: string;
  read: number;
  rejected: number;
  problems: Problem[];
}

/**
 * Rows per batch (one transaction) unless the caller says otherwise. Each batch costs a few
 * statements whatever its size (the lookup of its keys, its COPY, its search columns); at 1,000
 * rows those fixed costs were half of a crossing file's time, at 5,000 a tenth (bench:import), and
 * a crash still loses at most one batch's work, redone by the rerun.
 */
export const DEFAULT_IMPORT_BATCH = 5000;

export interface ImportOptions {
  /** Rows per transaction (default DEFAULT_IMPORT_BATCH). */
  batchSize?: number;
  onProgress?(summary: ImportSummary): void;
  /** After each batch's transaction commits, with the records it wrote (e.g. to update a projection). */
  onBatch?(records: ParsedRecord[]): Promise<void>;
}

// ------------------------------------------------------------------ columns

const column = (name: string, parseValue: (raw: string) => unknown, required = true): Column => ({
  name,
  required,
  parse: parseValue,
});

export const columns = {
  text: (name: string, max = 200, required = true) =>
    column(
      name,
      (raw) => {
        if (raw.length > max) throw new Error(`longer than ${max} characters`);
        return raw;
      },
      required,
    ),
  date: (name: string, required = true) =>
    column(
      name,
      (raw) => {
        if (
          !/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
          Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) ||
          new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw
        ) {
          throw new Error(`"${raw}" is not a date (YYYY-MM-DD)`);
        }
        return raw;
      },
      required,
    ),
  instant: (name: string) =>
    column(name, (raw) => {
      const time = Date.parse(raw);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(time))
        throw new Error(`"${raw}" is not an ISO-8601 instant (2025-06-18T08:30:00Z)`);
      return new Date(time).toISOString();
    }),
  oneOf: <T extends string>(name: string, values: Record<string, T>, required = true) =>
    column(
      name,
      (raw) => {
        const value = raw.toUpperCase();
        if (!Object.values(values).includes(value as T))
          throw new Error(`"${raw}" is not one of ${Object.values(values).join(', ')}`);
        return value;
      },
      required,
    ),
  country: (name: string, required = true) => column(name, (raw) => normalizeCountryCode(raw, name), required),
  /** A nationality as records write it: a code, a country's name or an adjective (China, Tiongkok, Chinese), stored as the code. */
  nationality: (name: string, required = true) =>
    column(
      name,
      (raw) => {
        const code = nationalityCode(raw);
        if (!code) throw new Error(`"${raw}" names no country (an ISO 3166-1 alpha-3 code or a country's name)`);
        return code;
      },
      required,
    ),
  /** A birth date as a host writes it: YYYY-MM-DD, or only the year. */
  birthDate: (name: string) =>
    column(
      name,
      (raw) => {
        if (/^\d{4}$/.test(raw)) return raw;
        return columns.date(name).parse(raw);
      },
      false,
    ),
  passportNumber: (name: string, required = true) =>
    column(name, (raw) => normalizePassportNumber(raw, name), required),
  nib: (name: string, required = true) => column(name, (raw) => requireNib(raw, name), required),
  digits: (name: string, length: number) =>
    column(name, (raw) => {
      if (!new RegExp(`^\\d{${length}}$`).test(raw)) throw new Error(`must be ${length} digits`);
      return raw;
    }),
  list: (name: string) =>
    column(name, (raw) =>
      raw
        .split(';')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
};

// ------------------------------------------------------------------ upserts

export type Outcome = 'inserted' | 'updated' | 'unchanged';

/** What an upsert is about to write: new rows, and changed rows with their stored values. */
export interface UpsertChanges<T> {
  inserted: T[];
  updated: { before: T; after: T }[];
}

export interface UpsertOptions<T> {
  /** Called with what is about to be written, before anything is (to keep figures from old and new values). */
  beforeWrite?: (changes: UpsertChanges<T>) => Promise<void> | void;
  /**
   * A key column of text whose values order as they compare (ISO instants): the stored rows are
   * read between the batch's lowest and highest value, so a table partitioned by it is read only
   * in the partitions the batch falls in; on PostgreSQL each row's whole key is then probed (the
   * key's columns must not be null). Default: no bound.
   */
  within?: keyof T & string;
}

/**
 * Inserts the rows whose natural key is new and updates those that differ, in the caller's
 * transaction; rows equal to what is stored are left alone (a second import changes nothing).
 * `key` names the natural-key columns, the most selective first (it should lead an index); ids of
 * new rows are generated. Returns each row's outcome. Writes are set-based (bulk.ts): one statement
 * reads the stored rows, the changed ones are rewritten at once and the new ones copied in; a
 * caller that keeps figures from old and new values gets both in `beforeWrite`, before anything
 * is written.
 */
export async function upsertByKey<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  key: (keyof T & string)[],
  rows: Partial<T>[],
  options: UpsertOptions<T> = {},
): Promise<Outcome[]> {
  const primary = manager.connection.getMetadata(entity).primaryColumns[0].propertyName;
  const keyOf = (row: Partial<T>) => key.map((part) => String(row[part] ?? '')).join('|');
  // The first key column alone goes through its index; the whole key is then checked as one string.
  const [first, ...rest] = key;
  const lookup = manager
    .getRepository(entity)
    .createQueryBuilder('existing')
    .where(inJsonList(manager.connection, `existing.${first}`, 'firsts'), {
      firsts: JSON.stringify([...new Set(rows.map((row) => String(row[first])))]),
    });
  if (options.within) {
    const values = rows.map((row) => String(row[options.within!])).sort();
    lookup.andWhere(`existing.${options.within} BETWEEN :lowest AND :highest`, {
      lowest: values[0],
      highest: values.at(-1),
    });
  }
  if (options.within && isPostgres(manager.connection)) {
    // Each row's whole key, so that each is one probe of the one partition its instant falls in
    // (pruned as the probe runs), not one per person and year.
    const names = key.map((_part, index) => `k${index}`);
    lookup.andWhere(
      `(${key.map((part) => `existing.${part}`).join(', ')}) IN (SELECT ${names.join(', ')} FROM ${jsonRecords(manager.connection, ':wholeKeys', 'k', Object.fromEntries(names.map((name) => [name, 'text'])))})`,
      {
        wholeKeys: JSON.stringify(
          rows.map((row) => Object.fromEntries(key.map((part, index) => [names[index], String(row[part])]))),
        ),
      },
    );
  } else if (rest.length)
    lookup.andWhere(
      inJsonList(manager.connection, key.map((part) => `COALESCE(existing.${part}, '')`).join(` || '|' || `), 'keys'),
      { keys: JSON.stringify(rows.map(keyOf)) },
    );
  const existing = rows.length ? await lookup.getMany() : [];
  const stored = new Map<string, ObjectLiteral>(existing.map((row) => [keyOf(row), row]));
  const fresh = new Set<ObjectLiteral>();
  // Each stored row that changes, with a copy of what it was.
  const changed = new Map<ObjectLiteral, ObjectLiteral>();
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const before = stored.get(keyOf(row));
    if (!before) {
      const inserted = { [primary]: randomUUID(), ...row };
      fresh.add(inserted);
      stored.set(keyOf(row), inserted);
      outcomes.push('inserted');
      continue;
    }
    const changes = Object.fromEntries(
      Object.entries(row).filter(([field, value]) => field !== primary && !same(before[field], value)),
    );
    if (Object.keys(changes).length === 0) {
      outcomes.push('unchanged');
      continue;
    }
    // A key repeated within the file: the later row wins, still as one insert (or one update).
    if (!fresh.has(before) && !changed.has(before)) changed.set(before, { ...before });
    Object.assign(before, changes);
    outcomes.push('updated');
  }
  await options.beforeWrite?.({
    inserted: [...fresh] as T[],
    updated: [...changed].map(([after, before]) => ({ before: before as T, after: after as T })),
  });
  await bulkUpdate(manager, entity, [...changed.keys()] as Partial<T>[]);
  await bulkInsert(manager, entity, [...fresh] as Partial<T>[]);
  return outcomes;
}

/** The items whose record was not refused; `indexOf` gives an item's record index in the batch. */
export function withoutRejected<T>(
  items: T[],
  rejected: BatchResult['rejected'],
  indexOf: (item: T, position: number) => number = (_item, position) => position,
): T[] {
  const refused = new Set(rejected.map((refusal) => refusal.index));
  return items.filter((item, position) => !refused.has(indexOf(item, position)));
}

/** Totals of outcomes, one per record. */
export function tally(outcomes: Outcome[], rejected: BatchResult['rejected'] = []): BatchResult {
  return {
    inserted: outcomes.filter((outcome) => outcome === 'inserted').length,
    updated: outcomes.filter((outcome) => outcome === 'updated').length,
    unchanged: outcomes.filter((outcome) => outcome === 'unchanged').length,
    rejected,
  };
}

function same(stored: unknown, incoming: unknown): boolean {
  if (Array.isArray(stored) || Array.isArray(incoming)) return JSON.stringify(stored) === JSON.stringify(incoming);
  return (stored ?? null) === (incoming ?? null) || String(stored) === String(incoming);
}

// ------------------------------------------------------------------ files

/**
 * Reads `file` as CSV with a header row, validates every row, writes valid rows in batches (one
 * transaction each) and returns the summary; problems name file, line, column and reason.
 */
export async function importCsv(
  db: DataSource,
  type: RecordType,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  const name = path.basename(file);
  const summary: ImportSummary = {
    file: name,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    problems: [],
  };
  const reject = (line: number, columnName: string, reason: string) => {
    summary.rejected += 1;
    summary.problems.push({ file: name, line, column: columnName, reason });
  };
  const write = async (written: { line: number; record: ParsedRecord }[]) => {
    const result = await db.transaction((manager) =>
      type.write(
        manager,
        written.map((entry) => entry.record),
      ),
    );
    summary.inserted += result.inserted;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    for (const refusal of result.rejected) reject(written[refusal.index].line, refusal.column, refusal.reason);
    await options.onBatch?.(written.map((entry) => entry.record));
    options.onProgress?.(summary);
  };
  // The next batch is read and validated while this one is written (the CPU here, the database
  // there); batches still commit one after another, in file order.
  let batch: { line: number; record: ParsedRecord }[] = [];
  let writing: Promise<void> | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    await writing;
    writing = write(written);
    // Its failure is thrown where it is awaited: at the next flush, or below.
    writing.catch(() => undefined);
  };

  const parser = createReadStream(file).pipe(
    parse({
      columns: (header: string[]) => checkHeader(type, header, name),
      skip_empty_lines: true,
      trim: true,
      info: true,
      bom: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      summary.read += 1;
      const parsed = parseRecord(type, record);
      if ('problem' in parsed) reject(info.lines, parsed.problem.column, parsed.problem.reason);
      else batch.push({ line: info.lines, record: parsed.record });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    // Whatever failed, the batch being written ends (commits or rolls back) before the caller goes on.
    await writing?.catch(() => undefined);
  }
  await writing;
  // A batch's own refusals come after the next batch's unparsable rows: the report goes by line.
  summary.problems.sort((a, b) => a.line - b.line);
  return summary;
}

/** The header must name every required column and nothing unknown (a typo would drop data silently). */
function checkHeader(type: RecordType, header: string[], file: string): string[] {
  const known = new Set(type.columns.map((entry) => entry.name));
  const names = header.map((entry) => entry.trim().toLowerCase());
  const unknown = names.filter((entry) => !known.has(entry));
  const missing = type.columns
    .filter((entry) => entry.required && !names.includes(entry.name))
    .map((entry) => entry.name);
  if (unknown.length || missing.length) {
    throw new HeaderError(
      file,
      [
        unknown.length && `unknown columns ${unknown.join(', ')}`,
        missing.length && `missing columns ${missing.join(', ')}`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return names;
}

export class HeaderError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}:1: ${reason}`);
  }
}

function parseRecord(
  type: RecordType,
  raw: Record<string, string>,
): { record: ParsedRecord } | { problem: { column: string; reason: string } } {
  const record: ParsedRecord = {};
  for (const entry of type.columns) {
    const value = raw[entry.name] ?? '';
    if (value === '') {
      if (entry.required) return { problem: { column: entry.name, reason: 'is required' } };
      record[entry.name] = null;
      continue;
    }
    try {
      record[entry.name] = entry.parse(value);
    } catch (error) {
      return { problem: { column: entry.name, reason: (error as Error).message } };
    }
  }
  return { record };
}
