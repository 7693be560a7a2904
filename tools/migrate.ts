import { parseCommandLine, runTool, UsageError } from './cli';
import { loadConfig } from './config';
import { createDataSource, isPostgres, redactUrl } from '../lib/database';
import { ensureYearlyPartitions } from '../lib/partitions';
import { SUBGRAPH_NAMES, subgraphs, SubgraphName } from '../subgraphs';

/**
 * `npm run migrate [-- immigration police …]`: applies the checked-in migrations to each
 * PostgreSQL database of the configuration (*_DATABASE_URL, AUDIT_DATABASE_URL), each migration
 * in its own transaction, then adds the yearly partitions of the years ahead (lib/partitions.ts).
 * SQLite demo databases create their tables themselves and are skipped.
 */
export async function migrate(
  url: string,
  name: SubgraphName,
  log: (line: string) => void = console.log,
): Promise<number> {
  const { dataSource } = createDataSource({
    url,
    entities: subgraphs[name].entities,
    migrations: subgraphs[name].migrations,
  });
  await dataSource.initialize();
  try {
    if (!isPostgres(dataSource)) return 0;
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    let partitions = 0;
    for (const partitioning of subgraphs[name].partitionedByYear ?? [])
      partitions += await ensureYearlyPartitions(dataSource, partitioning);
    log(
      `${name.padEnd(12)} ${redactUrl(url)}: ${applied.length ? applied.map((migration) => migration.name).join(', ') : 'up to date'}` +
        (partitions ? `; ${partitions} yearly partitions added` : ''),
    );
    return applied.length;
  } finally {
    await dataSource.destroy();
  }
}

const CLI = {
  command: 'npm run migrate --',
  summary: 'Applies the checked-in migrations to the configured PostgreSQL databases (all, or the ones named).',
  positionals: `[${SUBGRAPH_NAMES.join(' | ')} …]`,
  options: {},
} as const;

async function main() {
  const wanted = parseCommandLine(CLI).positionals;
  const unknown = wanted.filter((name) => !SUBGRAPH_NAMES.includes(name as SubgraphName));
  if (unknown.length) throw new UsageError(`Unknown ${unknown.join(', ')}; choose from ${SUBGRAPH_NAMES.join(', ')}`);
  const config = loadConfig();
  for (const name of wanted.length ? (wanted as SubgraphName[]) : SUBGRAPH_NAMES)
    await migrate(config.databaseUrls[name], name);
}

if (require.main === module) runTool(main, { failure: 'Migration failed' });
