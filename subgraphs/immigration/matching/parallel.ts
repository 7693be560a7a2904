/**
 * Entity resolution on every core: worker threads, each with its own connection to immigration's
 * database. A pool scores batches of records (matchRecords) while the main thread writes the
 * decisions of the batches already scored; scoring is nearly all of a batch's time and reads
 * only, so the workers share nothing but the database. An index load (startIndexLoad) writes a
 * seed's blocking index beside the main thread's records. Only from the built code (dist/), where
 * the workers' JavaScript files exist; elsewhere, and for a database only this process can see
 * (in-memory SQLite), the work stays on the calling thread.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import type { IndexablePerson } from './blocking';
import { IdentityQuery, ScoredCandidate } from './matcher';
import { ModelParameters } from './model';

/** What a worker answers per record: its best candidates. */
export type ScoredCandidates = ScoredCandidate[];

/** How a pool scores: with these parameters (default: the stored model), with each pair's comparisons too. */
export interface MatchOptions {
  parameters?: ModelParameters;
  comparisons?: boolean;
}

export interface MatchPool {
  match(queries: readonly IdentityQuery[], first: number, options?: MatchOptions): Promise<ScoredCandidates[]>;
  close(): Promise<void>;
}

const MATCH_WORKER_FILE = path.join(__dirname, 'match-worker.js');
const INDEX_WORKER_FILE = path.join(__dirname, 'index-load-worker.js');

/**
 * Scoring makes short-lived objects by the million (rows, candidates, comparisons): with V8's
 * default young generation a quarter of the time went to collecting them. 64 MB semi-spaces (a
 * 192 MB young generation, as the heavy tools' npm scripts give their main thread with
 * --max-semi-space-size=64) took linking 26,620 records on one thread from 44 s to 36 s.
 */
const YOUNG_GENERATION_MB = 192;

/** Where workers cannot run: outside dist/ (no JavaScript file), or on a database only this process sees. */
function workersUnavailable(file: string, url: string): boolean {
  return !existsSync(file) || url.includes(':memory:');
}

function startWorker(file: string, url: string): Worker {
  return new Worker(file, { workerData: { url }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
}

/** Calls to a worker by message, each answered by its id with a result or an error; all fail if the worker does. */
function callsTo(worker: Worker): <T>(message: object) => Promise<T> {
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  worker.on('message', ({ id, result, error }: { id: number; result?: never; error?: string }) => {
    const call = waiting.get(id)!;
    waiting.delete(id);
    if (error) call.reject(new Error(error));
    else call.resolve(result!);
  });
  worker.on('error', (error) => {
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  });
  let next = 0;
  return <T>(message: object) => {
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage({ ...message, id });
    });
  };
}

/** A worker's side of callsTo: answers each message with what `handle` returns for it. */
export function answerCalls<M>(handle: (message: M) => Promise<unknown>): void {
  parentPort!.on('message', async (message: M & { id: number }) => {
    try {
      parentPort!.postMessage({ id: message.id, result: await handle(message) });
    } catch (error) {
      parentPort!.postMessage({ id: message.id, error: (error as Error).message });
    }
  });
}

/** A pool of `size` workers on the database at `url`, or null where workers cannot run. */
export function startMatchPool(url: string, size: number): MatchPool | null {
  if (size < 1 || workersUnavailable(MATCH_WORKER_FILE, url)) return null;
  const workers = Array.from({ length: size }, () => startWorker(MATCH_WORKER_FILE, url));
  const calls = workers.map(callsTo);
  let next = 0;
  return {
    match: (queries, first, options = {}) => calls[next++ % workers.length]({ queries, first, ...options }),
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * Entity resolution's index loaded by a worker thread in a transaction of its own on its own
 * connection (index-load-worker.ts, IndexLoad): a seed's 15 blocking keys a person made, counted
 * and formatted for COPY beside the main thread's records (a quarter of that thread's time).
 * Calls run in order; commit or rollback ends the transaction, close the worker.
 */
export interface IndexLoadWorker {
  add(persons: readonly IndexablePerson[]): Promise<void>;
  finish(): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** Begins the index's load on a worker thread against the database at `url`, or null where workers cannot run. */
export async function startIndexLoad(url: string): Promise<IndexLoadWorker | null> {
  if (workersUnavailable(INDEX_WORKER_FILE, url)) return null;
  const worker = startWorker(INDEX_WORKER_FILE, url);
  const call = callsTo(worker);
  const loaded: IndexLoadWorker = {
    add: (persons) =>
      call({ step: 'add', persons: persons.map(({ id, nameKey, dateOfBirth }) => ({ id, nameKey, dateOfBirth })) }),
    finish: () => call({ step: 'finish' }),
    commit: () => call({ step: 'commit' }),
    rollback: () => call({ step: 'rollback' }),
    close: async () => {
      await worker.terminate();
    },
  };
  try {
    await call({ step: 'begin' });
  } catch (error) {
    await loaded.close();
    throw error;
  }
  return loaded;
}
