import { ConfigError, loadConfig } from '../lib/config';
import { createDataSource, isPostgres, redactUrl } from '../subgraphs/shared/database';
import { GraphName } from '../subgraphs/shared/subgraph';
import { databaseUrlOf, GRAPH_NAMES, graphs } from './graphs';

/**
 * `npm run migrate [-- immigration police …]`: applies the checked-in migrations to each
 * PostgreSQL database of the configuration (*_DATABASE_URL, AUDIT_DATABASE_URL), each migration
 * in its own transaction. SQLite demo databases create their tables themselves and are skipped.
 */
export async function migrate(url: string, name: GraphName, log: (line: string) => void = console.log): Promise<number> {
  const { dataSource } = createDataSource({ url, entities: graphs[name].entities, migrations: graphs[name].migrations });
  await dataSource.initialize();
  try {
    if (!isPostgres(dataSource)) return 0;
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log(`${name.padEnd(12)} ${redactUrl(url)}: ${applied.length ? applied.map((migration) => migration.name).join(', ') : 'up to date'}`);
    return applied.length;
  } finally {
    await dataSource.destroy();
  }
}

async function main() {
  const config = loadConfig();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !GRAPH_NAMES.includes(name as GraphName));
  if (unknown.length) throw new ConfigError(`Unknown ${unknown.join(', ')}; choose from ${GRAPH_NAMES.join(', ')}`);
  for (const name of wanted.length ? (wanted as GraphName[]) : GRAPH_NAMES) await migrate(databaseUrlOf(config, name), name);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`Migration failed: ${error.message}`);
    process.exit(1);
  });
}
