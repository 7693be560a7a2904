/**
 * Blocking: which persons are worth scoring against a record, found through an index instead of
 * a scan of every person. Each person is indexed under keys built from their name's phonetic
 * tokens (pairs of them, in any order; one with the birth year; one with the first letter of
 * another token, for initials and typos) and a record asks for the same keys: a person sharing
 * none of them cannot reach a useful score. A key that more than BROAD_KEY persons share (the
 * phonetic key of Wang with the letter W) says too little to be read and is skipped while the
 * record has narrower keys.
 */
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { isPostgres } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityBlockKey, IdentityIndexedPerson, IdentityNameToken } from '../entities/identity';
import { NameParts, nameParts, phonetic, withJoinedPairs } from './names';

/** Above this many persons a key is too broad to read (1,001 index entries at most are read to know it). */
export const BROAD_KEY = 1000;

/** The token under which identity_name_token counts the persons indexed. */
export const ALL_PERSONS = '*';

export function blockingKeys(name: NameParts, dateOfBirth: string | null): string[] {
  const tokens = [...new Set(withJoinedPairs(name.tokens))];
  const codes = [...new Set(tokens.map(phonetic))];
  const keys = new Set<string>();
  for (let i = 0; i < codes.length; i++)
    for (let j = i + 1; j < codes.length; j++) keys.add(`pp:${[codes[i], codes[j]].sort().join('|')}`);
  const year = dateOfBirth?.slice(0, 4);
  if (year) for (const code of codes) keys.add(`py:${code}|${year}`);
  for (const token of tokens) {
    for (const other of tokens) if (other !== token && !other.startsWith(token)) keys.add(`pi:${phonetic(token)}|${other[0]}`);
    for (const initial of name.initials) keys.add(`pi:${phonetic(token)}|${initial}`);
  }
  return [...keys];
}

export interface IndexablePerson {
  id: string;
  nameKey: string;
  dateOfBirth: string;
}

/**
 * Adds persons to the blocking index and the name frequencies, in the caller's transaction.
 * A person indexed before is first taken out with what they were indexed with; `fresh` skips
 * that look-up for a bulk load into empty tables.
 */
export async function indexPersons(
  manager: EntityManager,
  persons: readonly IndexablePerson[],
  { fresh = false }: { fresh?: boolean } = {},
): Promise<void> {
  if (persons.length === 0) return;
  const counts = new Map<string, number>();
  const add = (token: string, by: number) => counts.set(token, (counts.get(token) ?? 0) + by);
  if (!fresh) {
    const ids = persons.map((person) => person.id);
    const previous = await manager.findBy(IdentityIndexedPerson, { personId: In(ids) });
    for (const person of previous) {
      for (const token of new Set(nameParts(person.nameKey).tokens)) add(token, -1);
      add(ALL_PERSONS, -1);
    }
    await manager.delete(IdentityBlockKey, { personId: In(ids) });
    await manager.delete(IdentityIndexedPerson, { personId: In(ids) });
  }
  const keys: IdentityBlockKey[] = [];
  for (const person of persons) {
    const name = nameParts(person.nameKey);
    for (const key of blockingKeys(name, person.dateOfBirth)) keys.push({ key, personId: person.id });
    for (const token of new Set(name.tokens)) add(token, 1);
    add(ALL_PERSONS, 1);
  }
  await insertMany(manager, IdentityBlockKey, keys, 2);
  await insertMany(
    manager,
    IdentityIndexedPerson,
    persons.map(({ id, nameKey, dateOfBirth }) => ({ personId: id, nameKey, dateOfBirth })),
    3,
  );
  await addTokenCounts(manager, counts);
}

/** Multi-row INSERTs of at most ~8,000 parameters each. */
async function insertMany<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: T[],
  columns: number,
): Promise<void> {
  const size = Math.floor(8000 / columns);
  for (let start = 0; start < rows.length; start += size) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(start, start + size) as never)
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}

/** Adds to the token counts (an upsert that adds, the same SQL on SQLite and PostgreSQL). */
async function addTokenCounts(manager: EntityManager, counts: Map<string, number>): Promise<void> {
  const entries = [...counts].filter(([, by]) => by !== 0);
  const postgres = isPostgres(manager.connection);
  for (let start = 0; start < entries.length; start += 2000) {
    const chunk = entries.slice(start, start + 2000);
    const values = chunk.map((_, index) =>
      postgres ? `($${2 * index + 1}, CAST($${2 * index + 2} AS integer))` : '(?, ?)',
    );
    await manager.query(
      `INSERT INTO identity_name_token (token, persons) VALUES ${values.join(', ')} ` +
        'ON CONFLICT (token) DO UPDATE SET persons = identity_name_token.persons + excluded.persons',
      chunk.flat(),
    );
  }
}

/** SQLite allows 500 terms in one compound SELECT. */
const KEYS_PER_STATEMENT = 500;

/**
 * The persons under each key, up to BROAD_KEY + 1 per key (more means broad): one statement per
 * 500 keys, each key read through the index with its own LIMIT.
 */
export async function personsUnderKeys(db: DataSource, keys: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(keys.map((key) => [key, []]));
  const postgres = isPostgres(db);
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
    const sql = chunk
      .map(
        (_, index) =>
          `SELECT * FROM (SELECT key, "personId" FROM identity_block_key WHERE key = ${postgres ? `$${index + 1}` : '?'} LIMIT ${BROAD_KEY + 1}) AS k${index}`,
      )
      .join(' UNION ALL ');
    const rows: { key: string; personId: string }[] = await db.query(sql, chunk);
    for (const row of rows) found.get(row.key)!.push(row.personId);
  }
  return found;
}

/** How many candidates are scored per record at most: the persons sharing the most keys with it. */
export const CANDIDATES_SCORED = 60;

/**
 * The candidates of a record from its keys' persons: ranked by how many of its keys they share,
 * the broad keys counted only when the record has no narrow one.
 */
export function candidatesOf(keys: readonly string[], personsByKey: Map<string, string[]>): string[] {
  const narrow = keys.filter((key) => personsByKey.get(key)!.length <= BROAD_KEY);
  const used = narrow.length > 0 ? narrow : keys;
  const hits = new Map<string, number>();
  for (const key of used) for (const id of personsByKey.get(key)!) hits.set(id, (hits.get(id) ?? 0) + 1);
  return [...hits]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, CANDIDATES_SCORED)
    .map(([id]) => id);
}

/** The frequencies of name tokens (and the persons indexed), in one statement. */
export async function tokenCounts(db: DataSource, tokens: Iterable<string>): Promise<Map<string, number>> {
  const rows = await db.getRepository(IdentityNameToken).findBy({ token: In([...new Set([...tokens, ALL_PERSONS])]) });
  return new Map(rows.map((row) => [row.token, row.persons]));
}

/** Rebuilds the index and the name frequencies from every person (an upgrade, or after a bulk load without them). */
export async function rebuildIndex(db: DataSource, pageSize = 20_000): Promise<number> {
  let indexed = 0;
  await db.transaction(async (manager) => {
    for (const entity of [IdentityBlockKey, IdentityIndexedPerson, IdentityNameToken]) await manager.clear(entity);
  });
  for (let after = ''; ; ) {
    const persons = await db.getRepository(ForeignNational).find({
      select: { id: true, nameKey: true, dateOfBirth: true },
      where: { id: MoreThan(after) },
      order: { id: 'ASC' },
      take: pageSize,
    });
    if (persons.length === 0) return indexed;
    await db.transaction((manager) => indexPersons(manager, persons, { fresh: true }));
    indexed += persons.length;
    after = persons[persons.length - 1].id;
  }
}
