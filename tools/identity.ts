import { availableParallelism } from 'node:os';
import { numberOption, parseCommandLine, runTool, UsageError } from './cli';
import { loadConfig } from './config';
import { openDatabase } from '../lib/database';
import { subgraphs } from '../subgraphs';
import { rebuildIndex } from '../subgraphs/immigration/matching/blocking';
import { thresholdsFromEnv } from '../subgraphs/immigration/matching/decisions';
import { linkPoliceRecords, ResolutionDatabases, trainOnPoliceRecords } from './identity-resolution';

/**
 * `npm run identity:index` rebuilds the blocking index from every person (after an upgrade);
 * `npm run identity:train` estimates the entity-resolution model (u from random pairs of persons,
 * m by EM over candidate pairs, analysts' decisions as known outcomes) and stores it in
 * immigration's database; `npm run identity:link [-- --all]` scores and decides police's records
 * without passport that are new or changed (all of them with --all). Analysts' decisions stand.
 * Database URLs: IMMIGRATION_DATABASE_URL and POLICE_DATABASE_URL, as every tool reads them.
 */
const CLI = {
  command: 'npm run identity:link -- | npm run identity:train --',
  summary: 'Entity resolution of police records without passport: decide them (link) or re-estimate the model (train).',
  positionals: 'index | link | train',
  options: {
    all: { type: 'boolean', description: 'link: score every record again, not only new or changed ones' },
    workers: {
      type: 'string',
      value: 'N',
      description: 'link, train: worker threads that score records (default: one per core; 0: none)',
    },
  },
} as const;

async function main() {
  const { values, positionals } = parseCommandLine(CLI);
  const command = positionals[0];
  if (command !== 'index' && command !== 'link' && command !== 'train')
    throw new UsageError('say what to do: index, link or train');
  const config = loadConfig();
  const thresholds = thresholdsFromEnv();
  const open = (name: 'immigration' | 'police') =>
    openDatabase({
      url: config.databaseUrls[name],
      entities: subgraphs[name].entities,
      migrations: subgraphs[name].migrations,
    }).then(({ dataSource }) => dataSource);
  const workers = {
    count: numberOption('workers', values.workers, availableParallelism(), { integer: true, min: 0 }),
    immigrationUrl: config.databaseUrls.immigration,
  };
  const dbs: ResolutionDatabases = { immigration: await open('immigration'), police: await open('police') };
  try {
    if (command === 'index') {
      const persons = await rebuildIndex(dbs.immigration);
      console.log(`Blocking index and name frequencies rebuilt from ${persons} persons.`);
    } else if (command === 'train') {
      const report = await trainOnPoliceRecords(dbs, undefined, workers);
      console.log(
        `Model estimated: ${report.parameters.source}; match rate ${report.parameters.matchRate.toFixed(3)}.`,
      );
      console.log(JSON.stringify({ m: report.parameters.m, u: report.parameters.u }, null, 2));
    } else {
      const summary = await linkPoliceRecords(dbs, { thresholds, all: values.all, workers });
      console.log(
        `${summary.records} records scored in ${summary.seconds.toFixed(1)} s: ${summary.autoLinked} linked, ${summary.review} to review, ${summary.noMatch} without a match, ${summary.decidedByAnalysts} decided by analysts (left as they were).`,
      );
    }
  } finally {
    await Promise.all(Object.values(dbs).map((db) => db.destroy()));
  }
}

runTool(main, { failure: 'Entity resolution failed' });
