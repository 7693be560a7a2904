import { DataSource } from 'typeorm';
import { AuditEntry, GENESIS, hashOf } from '../../lib/audit/chain';
import { AuditPersonRead, AuditRecord } from '../../lib/audit/record';

/**
 * The append-only, hash-chained read audit. Appends are serialized in this process; each is one
 * transaction (the record and its person rows), and the chain head moves only after the commit.
 * One gateway process writes a chain: a second writer's appends would collide on `seq` and be
 * refused, which fails closed rather than forking the chain.
 */
export class AuditLog {
  private head = { seq: 0, hash: GENESIS };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly db: DataSource) {}

  async open(): Promise<this> {
    const last = await this.db.getRepository(AuditRecord).find({ order: { seq: 'DESC' }, take: 1 });
    if (last[0]) this.head = { seq: last[0].seq, hash: last[0].hash };
    return this;
  }

  append(entry: AuditEntry): Promise<AuditRecord> {
    const write = this.queue.then(() => this.write(entry));
    this.queue = write.catch(() => undefined);
    return write;
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
    return record;
  }
}
