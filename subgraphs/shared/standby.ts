import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { Observability } from '../../lib/observability';

/**
 * How long a read waits for the standby to replay what the primary had committed when the read
 * came in, before the primary answers it instead.
 */
export const STANDBY_WAIT_MS = 50;
const POLL_MS = 5;
/** After a wait in vain, reads go straight to the primary this long before the standby is tried again. */
const BEHIND_MS = 1000;

/**
 * Where a subgraph's request reads, when its database has a streaming standby
 * (`<NAME>_READ_DATABASE_URL`). The rule: **a read sees every write committed before it began**,
 * whoever made it and through whichever replica of the service, so an analyst always reads their
 * own writes. A mutation runs on the primary. A query runs on the standby once the standby has
 * replayed the primary's WAL up to where it stood when the query arrived (its position, then the
 * standby's replay position: two short statements). A standby that lags more than STANDBY_WAIT_MS,
 * or cannot be reached, leaves the query to the primary, and the next second's queries too without
 * waiting: lag costs the primary load, never a stale answer. `subgraph_reads_total{database}` counts where the reads went.
 */
export function readRouting(
  primary: DataSource,
  standby: DataSource | undefined,
  observability: Observability,
): (mutation: boolean) => Promise<DataSource> {
  if (!standby) return async () => primary;
  const reads = new Counter({
    name: 'subgraph_reads_total',
    help: 'Requests by the database that answered them: the standby, or the primary (mutations, a lagging or unreachable standby)',
    labelNames: ['database'],
    registers: [observability.metrics],
  });
  let warnedAt = 0;
  const answeredBy = (database: 'standby' | 'primary', db: DataSource) => {
    reads.inc({ database });
    return db;
  };
  // A standby found behind is not waited for again for a second: lag costs one read its wait, not every read.
  let behindUntil = 0;
  return async (mutation) => {
    if (mutation || Date.now() < behindUntil) return answeredBy('primary', primary);
    try {
      const [{ position }] = await primary.query('SELECT pg_current_wal_lsn() AS position');
      const deadline = Date.now() + STANDBY_WAIT_MS;
      for (;;) {
        // NULL (false here) when the standby is in fact a primary: its reads then go to the primary.
        const [{ replayed }] = await standby.query(
          'SELECT COALESCE(pg_last_wal_replay_lsn() >= CAST($1 AS pg_lsn), false) AS replayed',
          [position],
        );
        if (replayed) return answeredBy('standby', standby);
        if (Date.now() >= deadline) {
          behindUntil = Date.now() + BEHIND_MS;
          return answeredBy('primary', primary);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (error) {
      if (Date.now() - warnedAt > 60_000) {
        warnedAt = Date.now();
        observability.log.warn({ err: (error as Error).message }, 'standby not read: the primary answers reads');
      }
      return answeredBy('primary', primary);
    }
  };
}

/** Whether a request body's operation is a mutation (the gateway sends one operation a request). */
export function isMutationRequest(body: unknown): boolean {
  const query = (body as { query?: unknown } | null)?.query;
  return typeof query === 'string' && /^\s*mutation\b/.test(query);
}
