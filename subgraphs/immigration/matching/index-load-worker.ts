/**
 * A worker thread of parallel.ts (startIndexLoad): loads entity resolution's index in a
 * transaction of its own on its own connection to immigration's database, step by step as told.
 */
import 'reflect-metadata';
import { workerData } from 'node:worker_threads';
import { QueryRunner } from 'typeorm';
import { openDatabase } from '../../../lib/database';
import { immigrationEntities } from '../index';
import { migrations } from '../migrations';
import { IndexablePerson, IndexLoad } from './blocking';
import { answerCalls } from './parallel';

type Step =
  { step: 'begin' } | { step: 'add'; persons: IndexablePerson[] } | { step: 'finish' | 'commit' | 'rollback' };

const opened = openDatabase({ url: (workerData as { url: string }).url, entities: immigrationEntities, migrations });
let runner: QueryRunner | undefined;
let load: IndexLoad;
let done = false;

async function ended(end: 'commitTransaction' | 'rollbackTransaction'): Promise<void> {
  if (done) return;
  done = true;
  try {
    if (runner?.isTransactionActive) await runner[end]();
  } finally {
    await runner?.release();
    await (await opened).dataSource.destroy();
  }
}

// The caller awaits each step before the next: the transaction sees them in order.
answerCalls(async (message: Step) => {
  switch (message.step) {
    case 'begin':
      runner = (await opened).dataSource.createQueryRunner();
      await runner.startTransaction();
      load = await IndexLoad.begin(runner.manager);
      return;
    case 'add':
      return load.add(message.persons);
    case 'finish':
      return load.finish();
    case 'commit':
      return ended('commitTransaction');
    case 'rollback':
      return ended('rollbackTransaction');
  }
});
