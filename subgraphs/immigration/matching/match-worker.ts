/** A worker thread of parallel.ts: scores the batches of records it is sent against immigration's database. */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../lib/database';
import { immigrationEntities } from '../index';
import { migrations } from '../migrations';
import { IdentityQuery, matchRecords, scoredCandidate, scoredWithComparisons } from './matcher';
import { MatchOptions } from './parallel';

const opened = openDatabase({ url: (workerData as { url: string }).url, entities: immigrationEntities, migrations });

interface Request extends MatchOptions {
  id: number;
  queries: IdentityQuery[];
  first: number;
}

parentPort!.on('message', async ({ id, queries, first, parameters, comparisons }: Request) => {
  try {
    const { dataSource } = await opened;
    const found = await matchRecords(dataSource, queries, first, parameters);
    const results = found.map((candidates) => candidates.map(comparisons ? scoredWithComparisons : scoredCandidate));
    parentPort!.postMessage({ id, results });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
