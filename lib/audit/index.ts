import { migrations } from './migrations';
import { RateLimitBucket } from './rate-bucket';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord } from './record';

/**
 * The audit database's tables and their checked-in migrations: one schema for writer and reader.
 * The gateway's shared rate limit keeps its buckets there too (rate-bucket.ts).
 */
export const auditStorage = {
  entities: [AuditRecord, AuditPersonRead, AuditPersonReadIndexed, RateLimitBucket],
  migrations,
};
