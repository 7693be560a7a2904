import { auditStorage } from '../lib/audit';
import { verifyChain } from '../lib/audit/chain';
import { AuditPersonRead, AuditRecord } from '../lib/audit/record';
import { openDatabase } from '../lib/database';
import { AuditLog } from '../gateway/audit/log';

/**
 * The gateway appends every answer to the read audit before the answer leaves. Under load the
 * answers that finish together are committed in one transaction: each still waits for its own
 * record's commit, the chain stays whole and in order, and a failed transaction refuses exactly
 * the answers that were in it.
 */
const entry = (subject: string, personIds: string[] = []) => ({
  at: new Date().toISOString(),
  subject,
  roles: ['analyst'],
  delegated: false,
  actor: null,
  operationName: 'FullViewByPassport',
  documentHash: null,
  variables: '{}',
  outcome: 'OK',
  errorCodes: [],
  personIds,
  requestId: `request-${subject}`,
});

async function openLog() {
  const { dataSource, statements } = await openDatabase({ url: 'sqlite::memory:', ...auditStorage });
  return { log: await new AuditLog(dataSource).open(), statements };
}

describe('appending to the read audit under load', () => {
  it('commits the answers that finish together in one transaction, in the order they were appended', async () => {
    const { log, statements } = await openLog();
    statements.reset();
    const records = await Promise.all(
      Array.from({ length: 200 }, (_, index) => log.append(entry(`analyst-${index}`, [`person-${index}`]))),
    );
    expect(records.map((record) => record.subject)).toEqual(records.map((_, index) => `analyst-${index}`));
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    // One transaction: BEGIN, one INSERT of the records, one of their person rows, COMMIT.
    expect(statements.count).toBeLessThanOrEqual(4);
    expect(await verifyChain(log.db)).toMatchObject({ records: 200, broken: null });
    expect(await log.db.getRepository(AuditPersonRead).count()).toBe(200);
    await log.close();
    await log.db.destroy();
  });

  it('refuses every answer of a transaction that fails, writes none of them, and goes on from the last commit', async () => {
    const { log } = await openLog();
    await log.append(entry('before'));
    // A person listed twice breaks the person rows' primary key: the whole transaction fails.
    const failing = [log.append(entry('first')), log.append(entry('broken', ['p-1', 'p-1']))];
    const outcomes = await Promise.allSettled(failing);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    const after = await log.append(entry('after', ['p-2']));
    expect(after.seq).toBe(2);
    const subjects = (await log.db.getRepository(AuditRecord).find({ order: { seq: 'ASC' } })).map(
      (record) => record.subject,
    );
    expect(subjects).toEqual(['before', 'after']);
    expect(await verifyChain(log.db)).toMatchObject({ records: 2, broken: null });
    await log.close();
    await log.db.destroy();
  });

  it('splits a group larger than one statement can carry, and keeps the chain whole', async () => {
    const { log } = await openLog();
    // 600 records (more than one transaction's 500) with 12,000 person rows (several statements).
    const persons = Array.from({ length: 20 }, (_, index) => `person-${index}`);
    const records = await Promise.all(
      Array.from({ length: 600 }, (_, index) => log.append(entry(`a-${index}`, persons))),
    );
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    expect(await verifyChain(log.db)).toMatchObject({ records: 600, broken: null });
    expect(await log.db.getRepository(AuditPersonRead).count()).toBe(600 * 20);
    await log.close();
    await log.db.destroy();
  });
});
