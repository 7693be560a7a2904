import { Between, DataSource, EntityManager } from 'typeorm';
import { Counter } from 'prom-client';
import { AuditEntry, GENESIS, hashOf } from '../../lib/audit/chain';
import { Checkpointer, CheckpointOptions } from '../../lib/audit/checkpoint';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord } from '../../lib/audit/record';
import { isPostgres } from '../../lib/database';
import { Observability } from '../../lib/observability';

/** Most records one transaction appends; more wait for the next one. */
const MAX_BATCH = 500;
/** Rows per INSERT statement, within PostgreSQL's 65,535 and SQLite's 32,766 parameters. */
const RECORDS_PER_INSERT = 500;
/** Who-read-whom rows waiting beyond this are written at once, not at the next interval. */
const MAX_UNINDEXED_ROWS = 50_000;
/** Records read per statement when catching up on the rows a crash left unwritten. */
const CATCH_UP_PAGE = 1000;

interface PendingAppend {
  entry: AuditEntry;
  resolve(record: AuditRecord): void;
  reject(error: Error): void;
}

export interface AuditLogOptions {
  /** Signs the head every N records or T seconds and at `close()`. */
  checkpoints?: Checkpointer;
  /**
   * How often the who-read-whom rows of the records committed since are written, in ms.
   * @default 1000
   */
  indexEveryMs?: number;
  /** A batch of who-read-whom rows that could not be written (they are tried again next time). */
  onIndexFailure?: (error: Error) => void;
}

/**
 * The append-only, hash-chained read audit. Appends are serialized in this process and committed
 * in groups: the appends that arrive while one transaction commits go together in the next, so a
 * busy gateway pays one transaction for many answers, and each answer still waits for the commit
 * of its own record, persons included (`personIds` is hashed into it). A failed transaction
 * refuses every append in it; the chain head moves only after a commit.
 * The who-read-whom rows (an index of those `personIds` for "who read person X") are written
 * behind, every `indexEveryMs`, at `close()`, and at `open()` for what a crash left: a batch of
 * many answers writes each b-tree page once (on a page of 100 persons they were 1.3 ms of an
 * append's 1.5 ms of CPU). Readers look through the records after the rows' watermark
 * (`AuditPersonReadIndexed`), so a read is found the moment its answer leaves.
 * On PostgreSQL any number of gateway replicas append to the one chain: each transaction takes
 * an advisory lock, reads the head the last commit left (this replica's or another's) and chains
 * its records onto it, so the replicas' records interleave in one order and a replica that
 * restarts goes on from the head without a gap or a fork. There the who-read-whom rows and their
 * watermark go in the records' own transaction, under the lock: a watermark written behind by one
 * replica could pass another's records whose rows are not written yet. (Measured against a chain
 * per replica: README, Deployment.) On SQLite one gateway process writes the chain: a second
 * writer's appends would collide on `seq` and be refused, which fails closed rather than forking
 * it. With `checkpoints`, the head is signed every N records or T seconds and at `close()`
 * (lib/audit/checkpoint.ts), off the request path: an append waits for its own transaction only.
 */
export class AuditLog {
  private head = { seq: 0, hash: GENESIS };
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;
  /** [personId, seq] of committed records, not yet in audit_person_read. */
  private unindexed: Array<[string, number]> = [];
  /** Every record up to this one has its who-read-whom rows. */
  private indexedSeq = 0;
  private indexRequested = false;
  private indexTimer?: NodeJS.Timeout;
  constructor(
    readonly db: DataSource,
    private readonly options: AuditLogOptions = {},
  ) {}

  get checkpoints(): Checkpointer | undefined {
    return this.options.checkpoints;
  }

  async open(): Promise<this> {
    const last = await this.db.getRepository(AuditRecord).find({ order: { seq: 'DESC' }, take: 1 });
    if (last[0]) this.head = { seq: last[0].seq, hash: last[0].hash };
    await this.catchUpIndex();
    await this.checkpoints?.start(this.head, async (seq) => {
      const record = await this.db.getRepository(AuditRecord).findOne({ select: { hash: true }, where: { seq } });
      return record?.hash ?? null;
    });
    this.indexTimer = setInterval(() => this.requestIndex(), this.options.indexEveryMs ?? 1000);
    this.indexTimer.unref();
    return this;
  }

  /** Resolves once the record is committed; rejects when it could not be (the answer is refused). */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** At a clean stop: lets the queued appends finish, writes the rows behind them, signs the last checkpoint. */
  async close(): Promise<void> {
    clearInterval(this.indexTimer);
    await this.flushing;
    this.requestIndex();
    await this.flushing;
    await this.checkpoints?.close();
  }

  private requestIndex() {
    if (this.indexedSeq === this.head.seq) return;
    this.indexRequested = true;
    this.flushing ??= this.flush();
  }

  private async flush(): Promise<void> {
    // One turn of the event loop lets the answers finishing together join the first group.
    await new Promise(setImmediate);
    for (;;) {
      if (this.pending.length) {
        const group = this.pending.splice(0, MAX_BATCH);
        try {
          const records = await this.write(group.map((append) => append.entry));
          group.forEach((append, index) => append.resolve(records[index]));
        } catch (error) {
          for (const append of group) append.reject(error as Error);
        }
      } else if (this.indexRequested || this.unindexed.length > MAX_UNINDEXED_ROWS) {
        this.indexRequested = false;
        await this.writeIndex().catch((error) => this.options.onIndexFailure?.(error as Error));
      } else break;
    }
    this.flushing = null;
  }

  private async write(entries: AuditEntry[]): Promise<AuditRecord[]> {
    const shared = isPostgres(this.db);
    const records = await this.db.transaction(async (manager) => {
      const chained = chainedOnto(shared ? await lockedHead(manager) : this.head, entries);
      for (const rows of chunks(chained, RECORDS_PER_INSERT)) await insertRows(this.db, manager, AuditRecord, rows);
      if (shared) await this.writeIndexRows(manager, personReads(chained), chained.at(-1)!.seq);
      return chained;
    });
    const last = records.at(-1)!;
    this.head = { seq: last.seq, hash: last.hash };
    if (shared) this.indexedSeq = last.seq;
    else for (const read of personReads(records)) this.unindexed.push(read);
    this.checkpoints?.advanced(this.head);
    return records;
  }

  /** The rows of every record committed so far, and the watermark with them, in one transaction. */
  private async writeIndex(): Promise<void> {
    const rows = this.unindexed;
    const upTo = this.head.seq;
    this.unindexed = [];
    try {
      await this.db.transaction(async (manager) => {
        if (isPostgres(this.db)) await lockedHead(manager);
        await this.writeIndexRows(manager, rows, upTo);
      });
      this.indexedSeq = upTo;
    } catch (error) {
      this.unindexed = rows.concat(this.unindexed);
      throw error;
    }
  }

  /**
   * Who-read-whom rows and the watermark, which only moves forward (another replica may have
   * moved it past `upTo`): one statement on PostgreSQL, where it runs under the chain's lock.
   */
  private async writeIndexRows(manager: EntityManager, rows: Array<[string, number]>, upTo: number): Promise<void> {
    const postgres = isPostgres(this.db);
    const watermark =
      'INSERT INTO audit_person_read_indexed (id, seq) VALUES (1, ' +
      (postgres
        ? '$2) ON CONFLICT (id) DO UPDATE SET seq = GREATEST(audit_person_read_indexed.seq, excluded.seq)'
        : '?) ON CONFLICT (id) DO UPDATE SET seq = MAX(audit_person_read_indexed.seq, excluded.seq)');
    if (postgres)
      await manager.query(`WITH reads AS (${insertPersonReads(this.db)}) ${watermark}`, [JSON.stringify(rows), upTo]);
    else {
      if (rows.length) await manager.query(insertPersonReads(this.db), [JSON.stringify(rows)]);
      await manager.query(watermark, [upTo]);
    }
  }

  /** The rows a crash (or a kill) left unwritten: those of the records after the watermark. */
  private async catchUpIndex(): Promise<void> {
    this.indexedSeq = (await this.db.getRepository(AuditPersonReadIndexed).findOneBy({ id: 1 }))?.seq ?? 0;
    for (let from = this.indexedSeq; from < this.head.seq; from += CATCH_UP_PAGE) {
      const records = await this.db.getRepository(AuditRecord).find({
        select: { seq: true, personIds: true },
        where: { seq: Between(from + 1, from + CATCH_UP_PAGE) },
      });
      for (const read of personReads(records)) this.unindexed.push(read);
    }
    if (this.indexedSeq < this.head.seq) await this.writeIndex();
  }
}

/**
 * Every replica's appends wait here in turn (PostgreSQL), each then reading the head the previous
 * commit left: the lock is the transaction's, released at its commit or rollback, also when the
 * replica dies in it. The key is any constant of this application's own.
 */
const CHAIN_LOCK = 7_406_175_040_721; // "timpora" audit chain

async function lockedHead(manager: EntityManager): Promise<{ seq: number; hash: string }> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  // A statement of its own: it sees what the commit before the lock was released wrote (read committed).
  const [last]: { seq: number; hash: string }[] = await manager.query(
    'SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1',
  );
  return last ?? { seq: 0, hash: GENESIS };
}

/** The entries as records chained onto `head`, in order. */
function chainedOnto(head: { seq: number; hash: string }, entries: AuditEntry[]): AuditRecord[] {
  return entries.map((entry) => {
    const unsigned = { ...entry, seq: head.seq + 1, previousHash: head.hash };
    const record = { ...unsigned, hash: hashOf(unsigned) };
    head = { seq: record.seq, hash: record.hash };
    return record;
  });
}

/** [personId, seq] of each person each record names. */
function personReads(records: Pick<AuditRecord, 'seq' | 'personIds'>[]): Array<[string, number]> {
  return records.flatMap((record) => record.personIds.map((personId): [string, number] => [personId, record.seq]));
}

/**
 * Who read whom in one statement whatever the number of rows: the pairs bound as one JSON
 * parameter and unpacked by the database, so the statement is prepared once. A row already there
 * (written before a crash that lost the watermark's update) is left as it is.
 */
function insertPersonReads(db: DataSource): string {
  const { tableName, columns } = db.getMetadata(AuditPersonRead);
  const column = (property: string) => db.driver.escape(columns.find((c) => c.propertyName === property)!.databaseName);
  const into = `INTO ${db.driver.escape(tableName)} (${column('personId')}, ${column('seq')}) `;
  return db.options.type === 'postgres'
    ? `INSERT ${into}SELECT pair->>0, CAST(pair->>1 AS integer) FROM jsonb_array_elements(CAST($1 AS jsonb)) AS pair ON CONFLICT DO NOTHING`
    : `INSERT OR IGNORE ${into}SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`;
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
