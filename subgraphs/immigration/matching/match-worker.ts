/** A worker thread of parallel.ts: scores the batches of records it is sent against immigration's database. */
import 'reflect-metadata';
import { workerData } from 'node:worker_threads';
import { openDatabase } from '../../../lib/database';
import { immigrationEntities } from '../index';
import { migrations } from '../migrations';
import { IdentityQuery, matchRecords, scoredCandidate, scoredWithComparisons } from './matcher';
import { answerCalls, MatchOptions } from './parallel';

const opened = openDatabase({ url: (workerData as { url: string }).url, entities: immigrationEntities, migrations });

interface Request extends MatchOptions {
  queries: IdentityQuery[];
  first: number;
}

answerCalls(async ({ queries, first, parameters, comparisons }: Request) => {
  const { dataSource } = await opened;
  const found = await matchRecords(dataSource, queries, first, parameters);
  return found.map((candidates) => candidates.map(comparisons ? scoredWithComparisons : scoredCandidate));
});
