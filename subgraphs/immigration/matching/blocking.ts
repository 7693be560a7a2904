/**
 * Blocking: which persons are worth scoring against a record, found through an index instead of
 * a scan of every person. Each person is indexed under keys built from their name's phonetic
 * tokens (pairs of them, in any order; one with the birth year; one with the first letter of
 * another token, for initials and typos; each token alone) and a record asks for the same keys:
 * a person sharing none of them cannot reach a useful score. identity_count says how many persons
 * each key holds, so a key more than BROAD_KEY persons share (the phonetic key of Wang with the
 * letter W) is not read while the record has narrower ones: two statements whatever the batch.
 */
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { inJsonList, isPostgres } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityBlockKey, IdentityCount, IdentityIndexedPerson } from '../entities/identity';
import { NameParts, nameParts, phonetic, withJoinedPairs } from './names';

/** Above this many persons a key is too broad to read while the record has narrower keys. */
export const BROAD_KEY = 1000;
/** A record with only broad keys (a single common name) reads those up to this size, none above. */
export const WIDEST_KEY = 20_000;

/** The key under which identity_count counts the persons indexed. */
export const ALL_PERSONS = '*';

export function blockingKeys(name: NameParts, dateOfBirth: string | null): string[] {
  const tokens = [...new Set(withJoinedPairs(name.tokens))];
  const codes = [...new Set(tokens.map(phonetic))];
  const keys = new Set<string>();
  for (let i = 0; i < codes.length; i++) {
    keys.add(`pt:${codes[i]}`);
    for (let j = i + 1; j < codes.length; j++) keys.add(`pp:${[codes[i], codes[j]].sort().join('|')}`);
  }
  const year = dateOfBirth?.slice(0, 4);
  if (year) for (const code of codes) keys.add(`py:${code}|${year}`);
  for (const token of tokens) {
    for (const other of tokens)
      if (other !== token && !other.startsWith(token)) keys.add(`pi:${phonetic(token)}|${other[0]}`);
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
    for (const person of previous) for (const key of countedKeys(person)) add(key, -1);
    await manager.delete(IdentityBlockKey, { personId: In(ids) });
    await manager.delete(IdentityIndexedPerson, { personId: In(ids) });
  }
  const keys: IdentityBlockKey[] = [];
  for (const person of persons) {
    for (const key of blockingKeys(nameParts(person.nameKey), person.dateOfBirth))
      keys.push({ key, personId: person.id });
    for (const key of countedKeys(person)) add(key, 1);
  }
  await insertMany(manager, IdentityBlockKey, keys, 2);
  await insertMany(
    manager,
    IdentityIndexedPerson,
    persons.map(({ id, nameKey, dateOfBirth }) => ({ personId: id, nameKey, dateOfBirth })),
    3,
  );
  await addCounts(manager, counts);
}

/** What a person adds to identity_count: each name token, each blocking key, and one person. */
function countedKeys(person: Pick<IndexablePerson, 'nameKey' | 'dateOfBirth'>): string[] {
  const name = nameParts(person.nameKey);
  return [...new Set(name.tokens), ...blockingKeys(name, person.dateOfBirth), ALL_PERSONS];
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

/** Adds to identity_count (an upsert that adds, the same SQL on SQLite and PostgreSQL). */
async function addCounts(manager: EntityManager, counts: Map<string, number>): Promise<void> {
  const entries = [...counts].filter(([, by]) => by !== 0);
  const postgres = isPostgres(manager.connection);
  for (let start = 0; start < entries.length; start += 2000) {
    const chunk = entries.slice(start, start + 2000);
    const values = chunk.map((_, index) =>
      postgres ? `($${2 * index + 1}, CAST($${2 * index + 2} AS integer))` : '(?, ?)',
    );
    await manager.query(
      `INSERT INTO identity_count (key, persons) VALUES ${values.join(', ')} ` +
        'ON CONFLICT (key) DO UPDATE SET persons = identity_count.persons + excluded.persons',
      chunk.flat(),
    );
  }
}

/** How many candidates are scored per record at most: the persons sharing the most keys with it. */
export const CANDIDATES_SCORED = 60;

/**
 * The candidates of each record, ranked by how many of its keys they share: one statement for
 * how broad the keys are, one for the persons under the keys worth reading.
 */
export async function blockedCandidates(db: DataSource, keysOf: readonly string[][]): Promise<string[][]> {
  const sizes = await counts(db, keysOf.flat());
  const readable = keysOf.map((keys) => {
    const narrow = keys.filter((key) => (sizes.get(key) ?? 0) > 0 && sizes.get(key)! <= BROAD_KEY);
    return narrow.length > 0 ? narrow : keys.filter((key) => (sizes.get(key) ?? 0) <= WIDEST_KEY);
  });
  const wanted = [...new Set(readable.flat())];
  const rows = wanted.length
    ? await db
        .getRepository(IdentityBlockKey)
        .createQueryBuilder('block')
        .select(['block.key', 'block.personId'])
        .where(inJsonList(db, 'block.key', 'keys'), { keys: JSON.stringify(wanted) })
        .getRawMany<{ block_key: string; block_personId: string }>()
    : [];
  const personsOf = new Map<string, string[]>();
  for (const row of rows) {
    const list = personsOf.get(row.block_key);
    if (list) list.push(row.block_personId);
    else personsOf.set(row.block_key, [row.block_personId]);
  }
  return readable.map((keys) => {
    const hits = new Map<string, number>();
    for (const key of keys) for (const id of personsOf.get(key) ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
    return [...hits]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, CANDIDATES_SCORED)
      .map(([id]) => id);
  });
}

/** identity_count's values for these keys (tokens, blocking keys, "*"), in one statement. */
export async function counts(db: DataSource, keys: Iterable<string>): Promise<Map<string, number>> {
  const unique = [...new Set([...keys, ALL_PERSONS])];
  const rows = await db
    .getRepository(IdentityCount)
    .createQueryBuilder('tally')
    .where(inJsonList(db, 'tally.key', 'keys'), { keys: JSON.stringify(unique) })
    .getMany();
  return new Map(rows.map((row) => [row.key, row.persons]));
}

/** Rebuilds the index and the name frequencies from every person (an upgrade, or after a bulk load without them). */
export async function rebuildIndex(db: DataSource, pageSize = 20_000): Promise<number> {
  let indexed = 0;
  await db.transaction(async (manager) => {
    for (const entity of [IdentityBlockKey, IdentityIndexedPerson, IdentityCount]) await manager.clear(entity);
  });
  for (let after = ''; ;) {
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
