/**
 * Blocking: which persons are worth scoring against a record, found through an index instead of
 * a scan of every person. Each person is indexed under keys built from their name's phonetic
 * tokens: each token alone, pairs of them in any order, each with the birth year and with the
 * whole birth date, each with the first letter of another token (initials, typos). A record asks
 * for the same keys: a person sharing none of them cannot reach a useful score. identity_count
 * says how many persons each key holds, so a record reads its narrowest keys first, up to
 * ENTRIES_PER_RECORD index entries, and skips a key more than BROAD_KEY persons share (the
 * phonetic key of Wang with the letter W) while it has narrower ones: two statements whatever
 * the batch.
 */
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { bulkInsert, copyIntoTemporary, emptyForBulkLoad } from '../../../lib/bulk';
import { findIn, isPostgres, jsonList, jsonRecords } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityBlockKey, IdentityCount, IdentityIndexedPerson } from '../entities/identity';
import { NameParts, nameParts, phonetic, withJoinedPairs } from './names';

/** Above this many persons a key is too broad to read while the record has narrower keys. */
export const BROAD_KEY = 1000;
/** A record with only broad keys (a single common name) reads those up to this size, none above. */
export const WIDEST_KEY = 20_000;

/** The key under which identity_count counts the persons indexed. */
export const ALL_PERSONS = '*';

/**
 * A name's (and birth date's) keys. A record also asks under its birth date with day and month
 * swapped (`asRecord`), as clerks swap them.
 */
export function blockingKeys(name: NameParts, dateOfBirth: string | null, asRecord = false): string[] {
  const tokens = [...new Set(withJoinedPairs(name.tokens))];
  const codes = [...new Set(tokens.map(phonetic))];
  const keys = new Set<string>();
  for (let i = 0; i < codes.length; i++) {
    keys.add(`pt:${codes[i]}`);
    for (let j = i + 1; j < codes.length; j++) keys.add(`pp:${[codes[i], codes[j]].sort().join('|')}`);
  }
  const year = dateOfBirth?.slice(0, 4);
  if (year) for (const code of codes) keys.add(`py:${code}|${year}`);
  // One token and the whole birth date: still narrow when the rest of the name is written otherwise.
  for (const date of fullDates(dateOfBirth, asRecord)) for (const code of codes) keys.add(`pd:${code}|${date}`);
  for (const token of tokens) {
    for (const other of tokens)
      if (other !== token && !other.startsWith(token)) keys.add(`pi:${phonetic(token)}|${other[0]}`);
    for (const initial of name.initials) keys.add(`pi:${phonetic(token)}|${initial}`);
  }
  return [...keys];
}

function fullDates(date: string | null, withSwapped: boolean): string[] {
  if (!date || date.length !== 10) return [];
  const [year, month, day] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)];
  return withSwapped && Number(day) <= 12 && day !== month ? [date, `${year}-${day}-${month}`] : [date];
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
  if (!fresh) {
    const ids = persons.map((person) => person.id);
    const previous = await manager.findBy(IdentityIndexedPerson, { personId: In(ids) });
    const stale: { key: string; person: string }[] = [];
    for (const person of previous) {
      const name = nameParts(person.nameKey);
      const blocking = blockingKeys(name, person.dateOfBirth);
      countPerson(counts, name, blocking, -1);
      for (const key of blocking) stale.push({ key, person: person.personId });
    }
    await deleteBlockKeys(manager, stale);
    await manager.delete(IdentityIndexedPerson, { personId: In(ids) });
  }
  await insertIndexRows(manager, persons, (name, blocking) => countPerson(counts, name, blocking, 1));
  await addCounts(manager, counts);
}

/**
 * Deletes these blocking keys by the primary key: a person's keys are made again from what they
 * were indexed with (identity_indexed_person), so no index on the person is kept beside it (one
 * over 15 million rows at 1,000,000 persons, built at every seed and written at every import).
 */
async function deleteBlockKeys(manager: EntityManager, keys: { key: string; person: string }[]): Promise<void> {
  if (keys.length === 0) return;
  const db = manager.connection;
  const placeholder = isPostgres(db) ? '$1' : '?';
  await manager.query(
    `DELETE FROM identity_block_key WHERE (key, "personId") IN
     (SELECT stale.key, stale.person FROM ${jsonRecords(db, placeholder, 'stale', { key: 'varchar', person: 'varchar' })})`,
    [JSON.stringify(keys)],
  );
}

/** Writes these persons' blocking keys and indexed rows (new ones), handing each person's name and keys to `counted`. */
async function insertIndexRows(
  manager: EntityManager,
  persons: readonly IndexablePerson[],
  counted: (name: NameParts, blocking: string[]) => void,
): Promise<void> {
  const keys: IdentityBlockKey[] = [];
  for (const person of persons) {
    const name = nameParts(person.nameKey);
    const blocking = blockingKeys(name, person.dateOfBirth);
    for (const key of blocking) keys.push({ key, personId: person.id });
    counted(name, blocking);
  }
  await bulkInsert(manager, IdentityBlockKey, keys);
  await bulkInsert(
    manager,
    IdentityIndexedPerson,
    persons.map(({ id, nameKey, dateOfBirth }) => ({ personId: id, nameKey, dateOfBirth })),
  );
}

/** Adds `by` to what a person adds to identity_count: each name token, each of their blocking keys, and one person. */
function countPerson(counts: Map<string, number>, name: NameParts, blocking: readonly string[], by: number): void {
  for (const key of [...new Set(name.tokens), ...blocking, ALL_PERSONS]) counts.set(key, (counts.get(key) ?? 0) + by);
}

/**
 * Adds to identity_count (an upsert that adds). PostgreSQL: the additions copied into a temporary
 * table, then one INSERT ... SELECT ... ON CONFLICT; SQLite: multi-row upserts of 2,000.
 */
async function addCounts(manager: EntityManager, counts: Map<string, number>): Promise<void> {
  const entries = [...counts].filter(([, by]) => by !== 0);
  if (entries.length === 0) return;
  const upsert = 'ON CONFLICT (key) DO UPDATE SET persons = identity_count.persons + excluded.persons';
  if (isPostgres(manager.connection)) {
    const staged = await copyIntoTemporary(
      manager,
      IdentityCount,
      entries.map(([key, persons]) => ({ key, persons })),
    );
    await manager.query(`INSERT INTO identity_count (key, persons) SELECT key, persons FROM ${staged} ${upsert}`);
    return;
  }
  for (let start = 0; start < entries.length; start += 2000) {
    const chunk = entries.slice(start, start + 2000);
    await manager.query(
      `INSERT INTO identity_count (key, persons) VALUES ${chunk.map(() => '(?, ?)').join(', ')} ${upsert}`,
      chunk.flat(),
    );
  }
}

/** How many candidates are scored per record at most: the persons sharing the most keys with it. */
export const CANDIDATES_SCORED = 30;

/** Index entries read per record at most: its narrowest keys first, until they hold this many. */
export const ENTRIES_PER_RECORD = 600;

/**
 * The candidates of each record, ranked by the keys they share with it, each key weighing by how
 * rare it is (log2 of persons over the key's persons: sharing "Zhang, born 1985" says more than
 * sharing "Zhang and a W"): one statement for how broad the keys are, one for the persons under
 * the narrowest keys of every record of the batch.
 */
export async function blockedCandidates(db: DataSource, keysOf: readonly string[][]): Promise<string[][]> {
  const sizes = await counts(db, keysOf.flat());
  const sizeOf = (key: string) => sizes.get(key) ?? 0;
  const persons = Math.max(1, sizes.get(ALL_PERSONS) ?? 1);
  const readable = keysOf.map((keys) => {
    const present = keys.filter((key) => sizeOf(key) > 0).sort((a, b) => sizeOf(a) - sizeOf(b));
    const narrow = present.filter((key) => sizeOf(key) <= BROAD_KEY);
    const chosen = narrow.length > 0 ? narrow : present.filter((key) => sizeOf(key) <= WIDEST_KEY).slice(0, 1);
    let entries = 0;
    return chosen.filter((key, index) => {
      entries += sizeOf(key);
      return index === 0 || entries <= ENTRIES_PER_RECORD;
    });
  });
  const personsOf = await personsUnder(db, [...new Set(readable.flat())]);
  return readable.map((keys) => {
    const hits = new Map<string, number>();
    for (const key of keys) {
      const weight = Math.log2(1 + persons / sizeOf(key));
      for (const id of personsOf.get(key) ?? []) hits.set(id, (hits.get(id) ?? 0) + weight);
    }
    return strongest(hits, CANDIDATES_SCORED);
  });
}

/**
 * The `count` persons of most weight (ties by id), best first: a selection into a short sorted
 * list, as a record meets some 400 persons and keeps 30 (sorting every hit, a pair array each, cost
 * a few percent of linking).
 */
function strongest(hits: Map<string, number>, count: number): string[] {
  const ids: string[] = [];
  const weights: number[] = [];
  const before = (weight: number, id: string, at: number) =>
    weight > weights[at] || (weight === weights[at] && id < ids[at]);
  for (const [id, weight] of hits) {
    if (ids.length === count) {
      if (!before(weight, id, count - 1)) continue;
      ids.pop();
      weights.pop();
    }
    let at = ids.length;
    while (at > 0 && before(weight, id, at - 1)) at--;
    ids.splice(at, 0, id);
    weights.splice(at, 0, weight);
  }
  return ids;
}

/**
 * The persons under each of these keys, one row a key with its persons joined by commas: a batch
 * reads some 200,000 entries, and a row each cost more in parsing and garbage than the rest of
 * the match (string_agg / group_concat, the list split here). A subquery a key reads its entries
 * in index order: a GROUP BY over the batch sorted all 200,000 first (175 ms a batch of 500
 * records at 1,000,000 persons on PostgreSQL, 85 ms this way).
 */
async function personsUnder(db: DataSource, keys: readonly string[]): Promise<Map<string, string[]>> {
  if (keys.length === 0) return new Map();
  const postgres = isPostgres(db);
  const rows: { key: string; persons: string | null }[] = await db.query(
    `SELECT asked.value AS key, (SELECT ${postgres ? 'string_agg' : 'group_concat'}(entry."personId", ',')
       FROM identity_block_key entry WHERE entry.key = asked.value) AS persons
     FROM ${jsonList(db, postgres ? '$1' : '?', 'asked')}`,
    [JSON.stringify(keys)],
  );
  return new Map(rows.flatMap((row) => (row.persons === null ? [] : [[row.key, row.persons.split(',')]])));
}

/** identity_count's values for these keys (tokens, blocking keys, "*"), in one statement. */
export async function counts(db: DataSource, keys: Iterable<string>): Promise<Map<string, number>> {
  const rows = await findIn(db, IdentityCount, 'key', [...new Set([...keys, ALL_PERSONS])]);
  return new Map(rows.map((row) => [row.key, row.persons]));
}

/** The index's tables, as a bulk load fills them. */
const INDEX_TABLES = [IdentityBlockKey, IdentityIndexedPerson, IdentityCount];

/**
 * The index loaded from persons as they come (rebuildIndex's pages, a seed's batches) into its
 * tables emptied in the caller's transaction, their keys and indexes dropped and built again at
 * the end (bulk.ts): the persons' keys and indexed rows written as they are added, what they add
 * to identity_count counted here and written once at the end. Counted in memory (some 100 bytes
 * a key: 2.1 million keys, 200 MB, at 1,000,000 persons): a GROUP BY over the 16 million keys
 * written took the seed 30 s on PostgreSQL.
 */
export class IndexLoad {
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly manager: EntityManager,
    private readonly rebuild: () => Promise<void>,
  ) {}

  /** Empties the index's tables in `manager`'s transaction and drops their keys and indexes. */
  static async begin(manager: EntityManager): Promise<IndexLoad> {
    return new IndexLoad(manager, await emptyForBulkLoad(manager, INDEX_TABLES));
  }

  async add(persons: readonly IndexablePerson[]): Promise<void> {
    await insertIndexRows(this.manager, persons, (name, blocking) => countPerson(this.counts, name, blocking, 1));
  }

  /** Writes the counts, builds the tables' keys and indexes again; returns the persons indexed. */
  async finish(): Promise<number> {
    await bulkInsert(
      this.manager,
      IdentityCount,
      Array.from(this.counts, ([key, persons]) => ({ key, persons })),
    );
    await this.rebuild();
    return this.counts.get(ALL_PERSONS) ?? 0;
  }
}

/**
 * Rebuilds the index and the name frequencies from every person (an upgrade, or after a bulk load
 * without them), in one transaction: a failure leaves the index as it was. Returns the persons indexed.
 */
export async function rebuildIndex(db: DataSource, pageSize = 20_000): Promise<number> {
  return db.transaction(async (manager) => {
    const load = await IndexLoad.begin(manager);
    for (let after = ''; ;) {
      const page = await manager.find(ForeignNational, {
        select: { id: true, nameKey: true, dateOfBirth: true },
        where: { id: MoreThan(after) },
        order: { id: 'ASC' },
        take: pageSize,
      });
      if (page.length === 0) return load.finish();
      await load.add(page);
      after = page[page.length - 1].id;
    }
  });
}
