import { randomBytes } from 'node:crypto';
import { createDatabaseStatement, databaseOnServer, onPostgresServer } from '../../lib/database';
import { SUBGRAPH_NAMES, SubgraphName } from '../../subgraphs';
import { migrate } from '../../tools/migrate';

/**
 * Which database the suite runs on: in-memory SQLite by default; with TEST_DATABASE_URL (a
 * PostgreSQL server, as `.ci/run` starts one) every test system gets fresh databases there,
 * migrated with the checked-in migrations exactly as `npm run migrate` does, and dropped after.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const onPostgres = Boolean(TEST_DATABASE_URL);

export interface FreshDatabases {
  urls: Record<SubgraphName, string>;
  drop(): Promise<void>;
}

export async function freshDatabases(): Promise<FreshDatabases> {
  if (!TEST_DATABASE_URL) {
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'sqlite::memory:'])) as Record<
      SubgraphName,
      string
    >;
    return { urls, drop: async () => undefined };
  }
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  const names = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `${prefix}_${name}`])) as Record<
    SubgraphName,
    string
  >;
  await onPostgresServer(TEST_DATABASE_URL, async (query) => {
    for (const name of SUBGRAPH_NAMES) await query(createDatabaseStatement(names[name]));
  });
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, databaseOnServer(TEST_DATABASE_URL, names[name])]),
  ) as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) await migrate(urls[name], name, () => undefined);
  return {
    urls,
    drop: () =>
      onPostgresServer(TEST_DATABASE_URL, async (query) => {
        for (const name of SUBGRAPH_NAMES) await query(`DROP DATABASE IF EXISTS ${names[name]} WITH (FORCE)`);
      }),
  };
}
