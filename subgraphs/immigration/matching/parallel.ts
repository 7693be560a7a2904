/**
 * Batch linking on every core: worker threads, each with its own connection to immigration's
 * database, score batches of records (matchRecords) while the main thread writes the decisions of
 * the batches already scored. Scoring is nearly all of a batch's time and reads only, so the
 * workers share nothing but the database. Only from the built code (dist/), where the worker's
 * JavaScript file exists; elsewhere, and for a database only this process can see (in-memory
 * SQLite), matching stays on the calling thread.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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

const WORKER_FILE = path.join(__dirname, 'match-worker.js');

/**
 * Scoring makes short-lived objects by the million (rows, candidates, comparisons): with V8's
 * default young generation a quarter of the time went to collecting them. 64 MB semi-spaces (a
 * 192 MB young generation, as the heavy tools' npm scripts give their main thread with
 * --max-semi-space-size=64) took linking 26,620 records on one thread from 44 s to 36 s.
 */
const YOUNG_GENERATION_MB = 192;

/** A pool of `size` workers on the database at `url`, or null where workers cannot run. */
export function startMatchPool(url: string, size: number): MatchPool | null {
  if (size < 1 || !existsSync(WORKER_FILE) || url.includes(':memory:')) return null;
  const workers = Array.from(
    { length: size },
    () =>
      new Worker(WORKER_FILE, {
        workerData: { url },
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
  );
  const waiting = new Map<number, { resolve: (value: ScoredCandidates[]) => void; reject: (error: Error) => void }>();
  for (const worker of workers) {
    worker.on('message', ({ id, results, error }: { id: number; results?: ScoredCandidates[]; error?: string }) => {
      const call = waiting.get(id)!;
      waiting.delete(id);
      if (error) call.reject(new Error(error));
      else call.resolve(results!);
    });
    worker.on('error', (error) => {
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
    });
  }
  let next = 0;
  return {
    match(queries, first, options = {}) {
      const id = next++;
      const worker = workers[id % workers.length];
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, queries, first, ...options });
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
