import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { isPostgres } from '../lib/database';
import { Observability } from '../lib/observability';

/**
 * A token bucket per user: `perMinute` requests a minute, refilled continuously, so a scraper
 * walking the whole population is slowed down while an analyst never notices. `take` resolves to
 * null when the request may go, else to the seconds to wait.
 */
export interface RateLimit {
  perMinute: number;
  take(user: string): Promise<number | null>;
}

export interface RateLimitOptions {
  /** Requests a minute per user (RATE_LIMIT_PER_MINUTE). @default 0: no limit */
  perMinute?: number;
  /**
   * The gateway's own database (the read audit's, AUDIT_DATABASE_URL). On PostgreSQL every
   * replica takes from the same bucket of a user there, so the limit holds for their sum.
   * @default none: this process's memory (one gateway, as on SQLite)
   */
  database?: DataSource;
  /** Logs and counts the shared buckets' failures (`rate_limit_store_failures_total`). */
  observability?: Observability;
}

/**
 * The per-user rate limit, shared by the replicas through the gateway's PostgreSQL database when
 * it has one. When that database cannot be reached, each replica counts on its own (its memory's
 * bucket, the same limit): a user then gets at most the limit once per replica, and is never
 * refused for an outage of the limit's store. The answers themselves then wait on the read audit,
 * which lives in the same database and fails closed.
 */
export function useRateLimit(options: RateLimitOptions = {}): RateLimit | null {
  const perMinute = options.perMinute ?? 0;
  if (perMinute <= 0) return null;
  const local = localBuckets(perMinute);
  if (!options.database || !isPostgres(options.database)) return { perMinute, take: async (user) => local(user) };
  return { perMinute, take: sharedBuckets(options.database, perMinute, local, storeFailures(options.observability)) };
}

/** The buckets in this process's memory. */
function localBuckets(perMinute: number): (user: string) => number | null {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (user) => {
    const now = Date.now();
    const bucket = buckets.get(user) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(user, bucket);
    if (buckets.size > 10_000) forgetFull(buckets, perMinute, refillPerMs, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
  };
}

/** Buckets that would be full again carry no information: drop them to bound memory. */
function forgetFull(
  buckets: Map<string, { tokens: number; at: number }>,
  capacity: number,
  refillPerMs: number,
  now: number,
) {
  for (const [user, bucket] of buckets) {
    if (bucket.tokens + (now - bucket.at) * refillPerMs >= capacity) buckets.delete(user);
  }
}

/**
 * One statement a request: the bucket refilled by the database's clock and a token taken, only
 * if one is there (the row locked meanwhile, so two replicas taking at once take two). A new user
 * starts full. `excluded` is the row a new user would get: its `at` is now, its tokens capacity - 1.
 */
const TAKE = `INSERT INTO rate_limit_bucket AS bucket (subject, tokens, at)
  VALUES ($1, CAST($2 AS double precision) - 1, CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS double precision))
  ON CONFLICT (subject) DO UPDATE
    SET tokens = LEAST(excluded.tokens + 1, bucket.tokens + (excluded.at - bucket.at) * CAST($3 AS double precision)) - 1,
        at = excluded.at
    WHERE LEAST(excluded.tokens + 1, bucket.tokens + (excluded.at - bucket.at) * CAST($3 AS double precision)) >= 1
  RETURNING tokens`;

/** A refused user's bucket as it is now (to say when to come back). */
const LEVEL = `SELECT LEAST(CAST($2 AS double precision),
    tokens + (CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS double precision) - at) * CAST($3 AS double precision)) AS tokens
  FROM rate_limit_bucket WHERE subject = $1`;

/** A bucket idle this long is full again, whatever it held: its row goes. */
const IDLE_SECONDS = 60;

function sharedBuckets(
  db: DataSource,
  perMinute: number,
  fallback: (user: string) => number | null,
  failed: (error: Error) => void,
): (user: string) => Promise<number | null> {
  const perSecond = perMinute / 60;
  let sweptAt = Date.now();
  const sweep = () => {
    if (Date.now() - sweptAt < IDLE_SECONDS * 1000) return;
    sweptAt = Date.now();
    db.query(
      `DELETE FROM rate_limit_bucket WHERE at < CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS double precision) - ${IDLE_SECONDS}`,
    ).catch(failed);
  };
  return async (user) => {
    try {
      const taken: unknown[] = await db.query(TAKE, [user, perMinute, perSecond]);
      sweep();
      if (taken.length > 0) return null;
      const [bucket] = (await db.query(LEVEL, [user, perMinute, perSecond])) as { tokens: number }[];
      return Math.max(1, Math.ceil((1 - (bucket?.tokens ?? 0)) / perSecond));
    } catch (error) {
      failed(error as Error);
      return fallback(user);
    }
  };
}

/** Counts each failure of the shared buckets, and logs one a minute at most (an outage is one event). */
function storeFailures(observability?: Observability): (error: Error) => void {
  if (!observability) return () => {};
  const failures = new Counter({
    name: 'rate_limit_store_failures_total',
    help: "Requests whose shared rate-limit bucket could not be read: this replica's own bucket counted them",
    registers: [observability.metrics],
  });
  let loggedAt = 0;
  return (error) => {
    failures.inc();
    if (Date.now() - loggedAt < 60_000) return;
    loggedAt = Date.now();
    observability.log.error(
      { err: error.message },
      'rate limit: the shared buckets cannot be read; each replica counts on its own until they can',
    );
  };
}
