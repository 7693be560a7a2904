import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The read audit's storage, shared by its one writer (the gateway, gateway/audit/log.ts), its
 * reader (subgraphs/audit) and `npm run audit:verify`. One operation as the gateway answered it.
 * Records are append-only and chained: `hash` covers every field and the previous record's hash,
 * so an edited or deleted record breaks the chain (lib/audit/chain.ts).
 */
@Entity('audit_record')
@Index('audit_record_subject_time', ['subject', 'at'])
export class AuditRecord {
  @PrimaryColumn('integer')
  seq: number;

  @Column('varchar', { length: 24 })
  at: string;

  @Column('varchar', { length: 200 })
  subject: string;

  @Column('simple-json')
  roles: string[];

  @Column('boolean')
  delegated: boolean;

  /**
   * The service that asked on the user's behalf (`delegated`), else null. Hashed only when set, so
   * records written before the column existed keep their hashes (lib/audit/chain.ts).
   */
  @Column('varchar', { length: 200, nullable: true })
  actor: string | null;

  @Column('varchar', { length: 200, nullable: true })
  operationName: string | null;

  @Column('varchar', { length: 64, nullable: true })
  documentHash: string | null;

  @Column('text')
  variables: string;

  @Column('varchar', { length: 10 })
  outcome: string;

  @Column('simple-json')
  errorCodes: string[];

  @Column('simple-json')
  personIds: string[];

  @Column('varchar', { length: 64 })
  requestId: string;

  @Column('varchar', { length: 64 })
  previousHash: string;

  @Column('varchar', { length: 64 })
  hash: string;
}

/**
 * Who read whom, one row per person per record: "who read person X" reads its primary key, which
 * is all the row is. On SQLite the table is that key alone (WITHOUT ROWID), one b-tree to write
 * per row instead of three (the rowid table, the key's index, a second index). It is an index of
 * the records' own (hashed) `personIds`, written behind them in batches (gateway/audit/log.ts):
 * a page of 100 persons puts 100 rows in 100 places of the b-tree, and a batch of many answers
 * writes each page once instead of once per answer.
 */
@Entity('audit_person_read', { withoutRowid: true })
export class AuditPersonRead {
  @PrimaryColumn('varchar', { length: 36 })
  personId: string;

  @PrimaryColumn('integer')
  seq: number;
}

/**
 * How far the who-read-whom rows go: every record up to `seq` has its rows; readers look through
 * the `personIds` of the records after it (at most a second of them, or what a crash left).
 */
@Entity('audit_person_read_indexed')
export class AuditPersonReadIndexed {
  /** Always 1: the table holds one row. */
  @PrimaryColumn('integer')
  id: number;

  @Column('integer')
  seq: number;
}
