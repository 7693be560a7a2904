import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord } from './record';

export type AuditEntry = Omit<AuditRecord, 'seq' | 'previousHash' | 'hash'>;

export const GENESIS = '0'.repeat(64);

/**
 * The hash of a record: every field but `hash`, in a fixed order, with the previous hash. `actor`
 * came later: it is hashed (last, tagged) only when set, so the records written before it still
 * verify, and setting or clearing it on any record changes the hash.
 */
export function hashOf(record: Omit<AuditRecord, 'hash' | 'actor'> & { actor?: string | null }): string {
  const fields: unknown[] = [
    record.seq,
    record.at,
    record.subject,
    record.roles,
    record.delegated,
    record.operationName,
    record.documentHash,
    record.variables,
    record.outcome,
    record.errorCodes,
    record.personIds,
    record.requestId,
    record.previousHash,
  ];
  if (record.actor != null) fields.push({ actor: record.actor });
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainCheck {
  records: number;
  /** The first broken link, or null when the chain holds. */
  broken: { seq: number; reason: string } | null;
  /** The last record that holds (seq 0 and GENESIS for an empty chain). */
  headSeq: number;
  headHash: string;
}

/**
 * Walks the chain in order: every record must follow the previous one by seq, name its hash, and
 * hash to what it says; its person rows must match its list (after the rows' watermark, written
 * behind the records, they may also be missing yet). Reads in pages, so it scales. The
 * chain alone cannot see its tail cut off or the whole chain recomputed after an edit: the signed
 * checkpoints do (lib/audit/checkpoint.ts).
 */
export async function verifyChain(db: DataSource, pageSize = 5000): Promise<ChainCheck> {
  let previous = { seq: 0, hash: GENESIS, previousHash: '' };
  let records = 0;
  const indexedSeq = (await db.getRepository(AuditPersonReadIndexed).findOneBy({ id: 1 }))?.seq ?? 0;
  const rowsDiffer = (record: AuditRecord, rows: string[] = []) =>
    (record.seq <= indexedSeq || rows.length > 0) && [...rows].sort().join() !== [...record.personIds].sort().join();
  const result = (broken: ChainCheck['broken']) => ({
    records,
    broken,
    headSeq: previous.seq,
    headHash: previous.hash,
  });
  for (;;) {
    const page = await db
      .getRepository(AuditRecord)
      .createQueryBuilder('r')
      .where('r.seq > :seq', { seq: previous.seq })
      .orderBy('r.seq', 'ASC')
      .take(pageSize)
      .getMany();
    if (page.length === 0) return result(null);
    const reads = await db
      .getRepository(AuditPersonRead)
      .createQueryBuilder('p')
      .where('p.seq > :from AND p.seq <= :to', { from: previous.seq, to: page.at(-1)!.seq })
      .getMany();
    const readsBySeq = new Map<number, string[]>();
    for (const read of reads) readsBySeq.set(read.seq, [...(readsBySeq.get(read.seq) ?? []), read.personId]);
    for (const record of page) {
      // A record naming the same predecessor as the one before it: that one was slipped in between.
      if (record.seq === previous.seq + 1 && previous.seq > 0 && record.previousHash === previous.previousHash)
        return {
          ...result({
            seq: previous.seq,
            reason: `it was inserted: record ${record.seq} names the record before it as its predecessor`,
          }),
          records: records - 1,
          headSeq: previous.seq - 1,
          headHash: previous.previousHash,
        };
      const reason =
        record.seq !== previous.seq + 1
          ? `records ${previous.seq + 1}..${record.seq - 1} are missing (deleted)`
          : record.previousHash !== previous.hash
            ? 'it does not name the previous record’s hash (a record deleted or inserted before it, or its link edited)'
            : hashOf(record) !== record.hash
              ? 'its content does not match its hash (edited)'
              : rowsDiffer(record, readsBySeq.get(record.seq))
                ? 'its who-read-whom rows differ from the record'
                : null;
      if (reason) return result({ seq: record.seq, reason });
      previous = { seq: record.seq, hash: record.hash, previousHash: record.previousHash };
      records += 1;
    }
  }
}
