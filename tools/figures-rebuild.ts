import { parseCommandLine, runTool } from './cli';
import { loadConfig } from './config';
import { openDatabase } from '../lib/database';
import { subgraphs } from '../subgraphs';
import { rebuildPermitFigures } from '../subgraphs/immigration/figures';
import { rebuildWorkforceFigures } from '../subgraphs/manpower/figures';

/**
 * `npm run figures:rebuild`: makes the maintained figures of permitStatistics (immigration) and
 * workforceStatistics (manpower) again from the permits, each in one transaction (readers see the
 * old figures until it commits). Every write keeps them itself; this is for an upgrade of a
 * deployment whose permits were written before (the PostgreSQL migration does it once) or a repair.
 * Database URLs: IMMIGRATION_DATABASE_URL and MANPOWER_DATABASE_URL, as every tool reads them.
 */
const CLI = {
  command: 'npm run figures:rebuild --',
  summary: 'Rebuilds the maintained permit and workforce figures from the permits (idempotent).',
  options: {},
} as const;

const REBUILDS = { immigration: rebuildPermitFigures, manpower: rebuildWorkforceFigures } as const;

async function main() {
  parseCommandLine(CLI);
  const config = loadConfig();
  for (const [name, rebuild] of Object.entries(REBUILDS) as [
    keyof typeof REBUILDS,
    (typeof REBUILDS)[keyof typeof REBUILDS],
  ][]) {
    const { dataSource } = await openDatabase({
      url: config.databaseUrls[name],
      entities: subgraphs[name].entities,
      migrations: subgraphs[name].migrations,
    });
    try {
      const started = Date.now();
      const permits = await dataSource.transaction((manager) => rebuild(manager));
      console.log(
        `${name}: figures rebuilt from ${permits} active permits in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
    } finally {
      await dataSource.destroy();
    }
  }
}

runTool(main, { failure: 'Rebuilding the figures failed' });
