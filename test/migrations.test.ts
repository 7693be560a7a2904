import {
  createDatabaseStatement,
  createDataSource,
  databaseOnServer,
  onPostgresServer,
  openDatabase,
} from '../lib/database';
import { SUBGRAPH_NAMES, subgraphs } from '../subgraphs';
import { migrate } from '../tools/migrate';
import { onPostgres, TEST_DATABASE_URL } from './helpers/databases';

/** PostgreSQL only (TEST_DATABASE_URL): the checked-in migrations are the schema, nothing else. */
(onPostgres ? describe : describe.skip)('PostgreSQL migrations', () => {
  const database = `t_migrations_${process.pid}`;
  const url = () => databaseOnServer(TEST_DATABASE_URL!, database);
  beforeEach(() => onPostgresServer(TEST_DATABASE_URL!, (query) => query(createDatabaseStatement(database))));
  afterEach(() =>
    onPostgresServer(TEST_DATABASE_URL!, (query) => query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)),
  );

  it.each(SUBGRAPH_NAMES)('bring an empty %s database exactly to what the entities declare', async (name) => {
    expect(await migrate(url(), name, () => undefined)).toBe(subgraphs[name].migrations.length);
    const { dataSource } = createDataSource({ url: url(), ...subgraphs[name] });
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
    expect(await migrate(url(), name, () => undefined)).toBe(0);
  });

  it('keep a service from starting on a database that is behind, and say what to run', async () => {
    await expect(openDatabase({ url: url(), ...subgraphs.immigration })).rejects.toThrow(/npm run migrate/);
  });

  it('revert cleanly', async () => {
    await migrate(url(), 'police', () => undefined);
    const { dataSource } = createDataSource({ url: url(), ...subgraphs.police });
    await dataSource.initialize();
    try {
      for (const _ of subgraphs.police.migrations) await dataSource.undoLastMigration({ transaction: 'each' });
      const tables = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
