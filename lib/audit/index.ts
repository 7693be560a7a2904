import { migrations } from './migrations';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord } from './record';

/** The audit database's tables and their checked-in migrations: one schema for writer and reader. */
export const auditStorage = { entities: [AuditRecord, AuditPersonRead, AuditPersonReadIndexed], migrations };
