import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { errors } from '../../lib/errors';
import { nameKey } from './text';

/**
 * Kalimantan Barat (province code 61): its 12 regencies (kabupaten) and 2 cities (kota), by the
 * short name every agency writes them with.
 */
export const KALBAR_REGENCIES = [
  'Bengkayang',
  'Kapuas Hulu',
  'Kayong Utara',
  'Ketapang',
  'Kubu Raya',
  'Landak',
  'Melawi',
  'Mempawah',
  'Sambas',
  'Sanggau',
  'Sekadau',
  'Sintang',
  'Pontianak',
  'Singkawang',
] as const;

export type Regency = (typeof KALBAR_REGENCIES)[number];

/** Regencies compare as names do: without case, accents or extra spaces ("  kubu  RAYA" is Kubu Raya). */
export const regencyKey = nameKey;

const LISTED = new Map<string, string>(KALBAR_REGENCIES.map((name) => [regencyKey(name), name]));

/** The list's spelling of a regency ("ketapang" → "Ketapang"), or the name as given when it is not listed. */
export function regencyName(name: string): string {
  return LISTED.get(regencyKey(name)) ?? name.trim();
}

/** Where an agency records a regency: an entity and the property holding it (an indexed column). */
export interface RegencySource<T extends ObjectLiteral = ObjectLiteral> {
  entity: EntityTarget<T>;
  property: keyof T & string;
}

/** A regency argument matched to an agency's records: its name, and every spelling the records hold of it. */
export interface RegencyMatch {
  name: string;
  /** Empty when the regency is listed but no record names it: the filter then matches nothing. */
  spellings: string[];
}

/**
 * Matches a regency argument the way people type it. Known regencies are the Kalbar list plus every
 * regency the agency's own records hold: an agency importing data from outside the province keeps
 * its places findable, and a misspelt name is refused (BAD_USER_INPUT, naming the known ones)
 * instead of silently matching nothing. Null means no regency was asked (the whole province).
 */
export async function matchRegency(
  db: DataSource,
  argument: string | null | undefined,
  source: RegencySource,
  field = 'regency',
): Promise<RegencyMatch | null> {
  if (argument == null) return null;
  const key = regencyKey(argument);
  if (!key || key.length > 40)
    throw errors.badUserInput(`"${field}" must be a regency name of 1 to 40 characters`, field);
  const recorded = await recordedValues(db, source);
  const spellings = recorded.filter((value) => regencyKey(value) === key);
  const name = LISTED.get(key) ?? spellings[0];
  if (name === undefined) throw errors.badUserInput(unknownRegency(field, argument, recorded), field);
  return { name, spellings };
}

/** Narrows a query to a matched regency (none asked: unchanged); one spelling, the usual case, is an index equality. */
export function whereRegency<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  expression: string,
  match: RegencyMatch | null,
  parameter = 'regency',
): void {
  if (!match) return;
  if (match.spellings.length === 0) query.andWhere('1 = 0');
  else if (match.spellings.length === 1)
    query.andWhere(`${expression} = :${parameter}`, { [parameter]: match.spellings[0] });
  else query.andWhere(`${expression} IN (:...${parameter})`, { [parameter]: match.spellings });
}

const MAX_LISTED = 40;

function unknownRegency(field: string, argument: string, recorded: string[]): string {
  const known = [...new Set([...KALBAR_REGENCIES, ...recorded.map(regencyName)])].sort();
  const shown = known.slice(0, MAX_LISTED).join(', ');
  const more = known.length > MAX_LISTED ? ` and ${known.length - MAX_LISTED} more` : '';
  const given = argument.length > 40 ? `${argument.slice(0, 40)}…` : argument;
  return `"${field}" must be a known regency (${shown}${more}), got "${given}"`;
}

/**
 * The distinct values of an indexed column, one index seek each (a loose index scan written as a
 * recursive query: neither SQLite nor PostgreSQL skips duplicates by itself), so the lookup stays
 * a few dozen seeks however many millions of records the column has.
 */
async function recordedValues(db: DataSource, source: RegencySource): Promise<string[]> {
  const metadata = db.getMetadata(source.entity);
  const table = db.driver.escape(metadata.tableName);
  const column = db.driver.escape(metadata.findColumnWithPropertyName(source.property)!.databaseName);
  const rows: { value: string | null }[] = await db.query(
    `WITH RECURSIVE present(value) AS (
       SELECT MIN(${column}) FROM ${table}
       UNION ALL
       SELECT (SELECT MIN(${column}) FROM ${table} WHERE ${column} > present.value) FROM present WHERE present.value IS NOT NULL
     )
     SELECT value FROM present WHERE value IS NOT NULL`,
  );
  return rows.map((row) => row.value as string);
}
