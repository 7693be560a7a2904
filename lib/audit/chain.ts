import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditPersonRead, AuditRecord } from './record';

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
  headHash: string;
}

/**
 * Walks the chain in order: every record must follow the previous one by seq, name its hash, and
 * hash to what it says; its person rows must match its list. Reads in pages, so it scales.
 */
export async function verifyChain(db: DataSource, pageSize = 5000): Promise<ChainCheck> {
  let previous = { seq: 0, hash: GENESIS };
  let records = 0;
  for (;;) {
    const page = await db
      .getRepository(AuditRecord)
      .createQueryBuilder('r')
      .where('r.seq > :seq', { seq: previous.seq })
      .orderBy('r.seq', 'ASC')
      .take(pageSize)
      .getMany();
    if (page.length === 0) return { records, broken: null, headHash: previous.hash };
    const reads = await db
      .getRepository(AuditPersonRead)
      .createQueryBuilder('p')
      .where('p.seq > :from AND p.seq <= :to', { from: previous.seq, to: page.at(-1)!.seq })
      .getMany();
    const readsBySeq = new Map<number, string[]>();
    for (const read of reads) readsBySeq.set(read.seq, [...(readsBySeq.get(read.seq) ?? []), read.personId]);
    for (const record of page) {
      const reason =
        record.seq !== previous.seq + 1
          ? `records ${previous.seq + 1}..${record.seq - 1} are missing`
          : record.previousHash !== previous.hash
            ? 'it does not name the previous record’s hash'
            : hashOf(record) !== record.hash
              ? 'its content does not match its hash (edited)'
              : [...(readsBySeq.get(record.seq) ?? [])].sort().join() !== [...record.personIds].sort().join()
                ? 'its who-read-whom rows differ from the record'
                : null;
      if (reason) return { records, broken: { seq: record.seq, reason }, headHash: previous.hash };
      previous = { seq: record.seq, hash: record.hash };
      records += 1;
    }
  }
}
