import DataLoader from 'dataloader';

/**
 * Keeps one SQL statement's parameter list well below every driver's limit
 * (SQLite 32,766, PostgreSQL 65,535) while still batching a whole page.
 */
const MAX_BATCH = 1000;

/** One row per key (or null): `fetch` gets the distinct keys of a tick and returns the rows found. */
export function oneByKey<K, V>(fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const rows = new Map((await fetch([...keys])).map((row) => [keyOf(row), row] as const));
      return keys.map((key) => rows.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Many rows per key: `fetch` gets the distinct keys of a tick and returns all rows for them. */
export function manyByKey<K, V>(fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const groups = groupBy(await fetch([...keys]), keyOf);
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

export function groupBy<K, V>(rows: V[], keyOf: (row: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** Loads several keys through a many-loader and returns the union of their rows, each row once. */
export async function loadUnion<K, V>(loader: DataLoader<K, V[]>, keys: K[], idOf: (row: V) => unknown): Promise<V[]> {
  const seen = new Set<unknown>();
  const union: V[] = [];
  for (const rows of await loader.loadMany(keys)) {
    if (rows instanceof Error) throw rows;
    for (const row of rows) {
      if (!seen.has(idOf(row))) {
        seen.add(idOf(row));
        union.push(row);
      }
    }
  }
  return union;
}
