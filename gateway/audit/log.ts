import { DataSource } from 'typeorm';
import { Counter } from 'prom-client';
import { AuditEntry, GENESIS, hashOf } from '../../lib/audit/chain';
import { Checkpointer, CheckpointOptions } from '../../lib/audit/checkpoint';
import { AuditPersonRead, AuditRecord } from '../../lib/audit/record';
import { Observability } from '../../lib/observability';

/**
 * The append-only, hash-chained read audit. Appends are serialized in this process; each is one
 * transaction (the record and its person rows), and the chain head moves only after the commit.
 * One gateway process writes a chain: a second writer's appends would collide on `seq` and be
 * refused, which fails closed rather than forking the chain. With `checkpoints`, the head is
 * signed every N records or T seconds and at `close()` (lib/audit/checkpoint.ts), off the request
 * path: an append waits for its own transaction only.
 */
export class AuditLog {
  private head = { seq: 0, hash: GENESIS };
  private queue: Promise<unknown> = Promise.resolve();

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

  append(entry: AuditEntry): Promise<AuditRecord> {
    const write = this.queue.then(() => this.write(entry));
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** At a clean stop: lets the queued appends finish, then signs the last checkpoint. */
  async close(): Promise<void> {
    await this.queue;
    await this.checkpoints?.close();
  }

  private async write(entry: AuditEntry): Promise<AuditRecord> {
    const unsigned = { ...entry, seq: this.head.seq + 1, previousHash: this.head.hash };
    const record = { ...unsigned, hash: hashOf(unsigned) };
    await this.db.transaction(async (manager) => {
      await manager.insert(AuditRecord, record);
      if (record.personIds.length) {
        await manager.insert(
          AuditPersonRead,
          record.personIds.map((personId) => ({ seq: record.seq, personId })),
        );
      }
    });
    this.head = { seq: record.seq, hash: record.hash };
    this.checkpoints?.advanced(this.head);
    return record;
  }
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
