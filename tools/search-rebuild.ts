import { parseCommandLine, runTool } from './cli';
import { loadConfig } from './config';
import { openDatabase } from '../lib/database';
import { subgraphs } from '../subgraphs';
import { rebuildEmploymentProjection } from './employment-projection';
import { refreshAllSearchColumns } from '../subgraphs/immigration/search-columns';

/**
 * `npm run search:rebuild`: recomputes every person's search columns (search-columns.ts) and
 * rebuilds immigration's employment search projection from manpower's RPTKAs and employers: after
 * an upgrade that adds search columns, or to repair an import stopped between manpower's commit
 * and the projection's. Database URLs: IMMIGRATION_DATABASE_URL and MANPOWER_DATABASE_URL.
 */
const CLI = {
  command: 'npm run search:rebuild --',
  summary:
    "Recomputes the persons' search columns and rebuilds immigration's employment search projection from manpower.",
  options: {},
} as const;

async function main() {
  parseCommandLine(CLI);
  const config = loadConfig();
  const open = (name: 'immigration' | 'manpower') =>
    openDatabase({
      url: config.databaseUrls[name],
      entities: subgraphs[name].entities,
      migrations: subgraphs[name].migrations,
    }).then(({ dataSource }) => dataSource);
  const dbs = { immigration: await open('immigration'), manpower: await open('manpower') };
  try {
    const seconds = (started: number) => ((Date.now() - started) / 1000).toFixed(1);
    let started = Date.now();
    const persons = await refreshAllSearchColumns(dbs.immigration);
    console.log(`Search columns recomputed: ${persons} persons in ${seconds(started)} s.`);
    started = Date.now();
    const rows = await rebuildEmploymentProjection(dbs);
    console.log(`Employment search projection rebuilt: ${rows} RPTKAs in ${seconds(started)} s.`);
  } finally {
    await Promise.all(Object.values(dbs).map((db) => db.destroy()));
  }
}

runTool(main, { failure: 'Rebuild failed' });
