import { DataSource, EntityManager } from 'typeorm';
import { Counter } from 'prom-client';
import { AuditEntry, GENESIS, hashOf } from '../../lib/audit/chain';
import { Checkpointer, CheckpointOptions } from '../../lib/audit/checkpoint';
import { AuditPersonRead, AuditRecord } from '../../lib/audit/record';
import { Observability } from '../../lib/observability';

/** Most records one transaction appends; more wait for the next one. */
const MAX_BATCH = 500;
/** Rows per INSERT statement, within PostgreSQL's 65,535 and SQLite's 32,766 parameters. */
const RECORDS_PER_INSERT = 500;
const PERSON_ROWS_PER_INSERT = 5000;

interface PendingAppend {
  entry: AuditEntry;
  resolve(record: AuditRecord): void;
  reject(error: Error): void;
}

/**
 * The append-only, hash-chained read audit. Appends are serialized in this process and committed
 * in groups: the appends that arrive while one transaction commits go together in the next (each
 * record and its person rows), so a busy gateway pays one transaction for many answers, and each
 * answer still waits for the commit of its own record. A failed transaction refuses every append
 * in it; the chain head moves only after a commit.
 * One gateway process writes a chain: a second writer's appends would collide on `seq` and be
 * refused, which fails closed rather than forking the chain. With `checkpoints`, the head is
 * signed every N records or T seconds and at `close()` (lib/audit/checkpoint.ts), off the request
 * path: an append waits for its own transaction only.
 */
export class AuditLog {
  private head = { seq: 0, hash: GENESIS };
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    readonly db: DataSource,
    readonly checkpoints?: Checkpointer,
  ) {}

  async open(): Promise<this> {
    const last = await this.db.getRepository(AuditRecord).find({ order: { seq: 'DESC' }, take: 1 });
    if (last[0]) this.head = { seq: last[0].seq, hash: last[0].hash };
    await this.checkpoints?.start(this.head, async (seq) => {
      const record = await this.db.getRepository(AuditRecord).findOne({ select: { hash: true }, where: { seq } });
      return record?.hash ?? null;
    });
    return this;
  }

  /** Resolves once the record is committed; rejects when it could not be (the answer is refused). */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** At a clean stop: lets the queued appends finish, then signs the last checkpoint. */
  async close(): Promise<void> {
    await this.flushing;
    await this.checkpoints?.close();
  }

  private async flush(): Promise<void> {
    // One turn of the event loop lets the answers finishing together join the first group.
    await new Promise(setImmediate);
    while (this.pending.length) {
      const group = this.pending.splice(0, MAX_BATCH);
      try {
        const records = await this.write(group.map((append) => append.entry));
        group.forEach((append, index) => append.resolve(records[index]));
      } catch (error) {
        for (const append of group) append.reject(error as Error);
      }
    }
    this.flushing = null;
  }

  private async write(entries: AuditEntry[]): Promise<AuditRecord[]> {
    let head = this.head;
    const records = entries.map((entry) => {
      const unsigned = { ...entry, seq: head.seq + 1, previousHash: head.hash };
      const record = { ...unsigned, hash: hashOf(unsigned) };
      head = { seq: record.seq, hash: record.hash };
      return record;
    });
    const personRows = records.flatMap((record) => record.personIds.map((personId) => ({ seq: record.seq, personId })));
    await this.db.transaction(async (manager) => {
      for (const rows of chunks(records, RECORDS_PER_INSERT)) await insertRows(this.db, manager, AuditRecord, rows);
      for (const rows of chunks(personRows, PERSON_ROWS_PER_INSERT))
        await insertRows(this.db, manager, AuditPersonRead, rows);
    });
    this.head = head;
    this.checkpoints?.advanced(this.head);
    return records;
  }
}

/**
 * One multi-row INSERT in SQL written from the entity's TypeORM metadata, its values converted by
 * the driver as TypeORM's own insert would (JSON columns, SQLite's booleans): TypeORM's query
 * builder cost more CPU per answer than the insert itself.
 */
function insertRows(db: DataSource, manager: EntityManager, entity: Function, rows: object[]): Promise<unknown> {
  const { columns, tableName } = db.getMetadata(entity);
  const postgres = db.options.type === 'postgres';
  let parameter = 0;
  const tuple = () => `(${columns.map(() => (postgres ? `$${++parameter}` : '?')).join(', ')})`;
  const sql =
    `INSERT INTO ${db.driver.escape(tableName)} (${columns.map((column) => db.driver.escape(column.databaseName)).join(', ')}) ` +
    `VALUES ${rows.map(tuple).join(', ')}`;
  const values = rows.flatMap((row) =>
    columns.map((column) => db.driver.preparePersistentValue(column.getEntityValue(row), column)),
  );
  return manager.query(sql, values);
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/** The gateway's checkpoint writer: each checkpoint logged, each failed write logged and counted. */
export function auditCheckpointer(options: CheckpointOptions, observability: Observability): Checkpointer {
  const registers = [observability.metrics];
  const written = new Counter({
    name: 'audit_checkpoints_total',
    help: 'Signed checkpoints of the read audit written to the checkpoint file',
    registers,
  });
  const failed = new Counter({
    name: 'audit_checkpoint_failures_total',
    help: 'Checkpoints of the read audit that could not be written (retried at the next interval)',
    registers,
  });
  return new Checkpointer(options, {
    written: (checkpoint) => {
      written.inc();
      observability.log.info(
        { seq: checkpoint.seq, hash: checkpoint.hash, reason: checkpoint.reason, file: options.file },
        'audit checkpoint',
      );
    },
    failed: (error, head) => {
      failed.inc();
      observability.log.error(
        { seq: head.seq, file: options.file, err: error.message },
        'audit checkpoint not written; the chain is protected by its hashes alone until the next one',
      );
    },
    mismatch: (message) => observability.log.error({ file: options.file }, `read audit: ${message}`),
  });
}
