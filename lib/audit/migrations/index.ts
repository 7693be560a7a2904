import { Initial1795837665808 } from './Initial1795837665808';
import { AuditActor1796118731583 } from './AuditActor1796118731583';
import { AuditPersonKey1796142571611 } from './AuditPersonKey1796142571611';
import { AuditPersonReadIndexed1796150000000 } from './AuditPersonReadIndexed1796150000000';
import { RateLimitBuckets1796359131054 } from './RateLimitBuckets1796359131054';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [
  Initial1795837665808,
  AuditActor1796118731583,
  AuditPersonKey1796142571611,
  AuditPersonReadIndexed1796150000000,
  RateLimitBuckets1796359131054,
];
