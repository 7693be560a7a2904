import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One user's token bucket for the gateway's rate limit, shared by every gateway replica (it lives
 * in the gateway's own database, beside the read audit): `tokens` as of `at`, refilled
 * continuously from there (gateway/rate-limit.ts). A bucket idle for a minute is full again and
 * carries nothing; such rows are deleted now and then. UNLOGGED on PostgreSQL (its migration):
 * after a crash every bucket starts full, and a take does not wait for the WAL's flush.
 */
@Entity('rate_limit_bucket')
export class RateLimitBucket {
  @PrimaryColumn('varchar', { length: 200 })
  subject: string;

  @Column('double precision')
  tokens: number;

  /** Seconds since the epoch by the database's clock, so that replicas whose clocks drift share one refill. */
  @Column('double precision')
  at: number;
}
