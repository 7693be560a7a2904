import { auditStorage } from '../lib/audit';
import { verifyChain } from '../lib/audit/chain';
import { DataSource } from 'typeorm';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord } from '../lib/audit/record';
import { openDatabase } from '../lib/database';
import { AuditLog, AuditLogOptions } from '../gateway/audit/log';
import { auditEntry } from './helpers/audit';
import { freshDatabases, FreshDatabases, onPostgres } from './helpers/databases';

/**
 * The gateway appends every answer to the read audit before the answer leaves. Under load the
 * answers that finish together are committed in one transaction: each still waits for its own
 * record's commit, the chain stays whole and in order, and a failed transaction refuses exactly
 * the answers that were in it.
 */
async function openLog(options: AuditLogOptions = {}) {
  const { dataSource, statements } = await openDatabase({ url: 'sqlite::memory:', ...auditStorage });
  return { log: await new AuditLog(dataSource, options).open(), statements };
}

const personRows = (db: DataSource) => db.getRepository(AuditPersonRead).count();
const watermark = async (db: DataSource) => (await db.getRepository(AuditPersonReadIndexed).findOneBy({ id: 1 }))?.seq;

describe('appending to the read audit under load', () => {
  it('commits the answers that finish together in one transaction, in the order they were appended', async () => {
    const { log, statements } = await openLog();
    statements.reset();
    const records = await Promise.all(
      Array.from({ length: 200 }, (_, index) => log.append(auditEntry(`analyst-${index}`, [`person-${index}`]))),
    );
    expect(records.map((record) => record.subject)).toEqual(records.map((_, index) => `analyst-${index}`));
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    // One transaction: BEGIN, one INSERT of the records (persons inside), COMMIT.
    expect(statements.count).toBeLessThanOrEqual(3);
    expect(await verifyChain(log.db)).toMatchObject({ records: 200, broken: null });
    // The who-read-whom rows follow in a batch of their own, here at the clean stop.
    expect(await personRows(log.db)).toBe(0);
    await log.close();
    expect(await personRows(log.db)).toBe(200);
    expect(await watermark(log.db)).toBe(200);
    expect(await verifyChain(log.db)).toMatchObject({ records: 200, broken: null });
    await log.db.destroy();
  });

  it('refuses every answer of a transaction that fails, writes none of them, and goes on from the last commit', async () => {
    const { log } = await openLog();
    await log.append(auditEntry('before'));
    await log.db.query(
      "CREATE TRIGGER refuse BEFORE INSERT ON audit_record WHEN NEW.subject = 'broken' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    // One record the database refuses: the whole transaction fails.
    const failing = [log.append(auditEntry('first', ['p-1'])), log.append(auditEntry('broken', ['p-1']))];
    const outcomes = await Promise.allSettled(failing);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    const after = await log.append(auditEntry('after', ['p-2']));
    expect(after.seq).toBe(2);
    const subjects = (await log.db.getRepository(AuditRecord).find({ order: { seq: 'ASC' } })).map(
      (record) => record.subject,
    );
    expect(subjects).toEqual(['before', 'after']);
    expect(await verifyChain(log.db)).toMatchObject({ records: 2, broken: null });
    await log.close();
    // No row for the refused answers' persons.
    expect(await log.db.getRepository(AuditPersonRead).find()).toEqual([{ personId: 'p-2', seq: 2 }]);
    await log.db.destroy();
  });

  it('splits a group larger than one statement can carry, and keeps the chain whole', async () => {
    const { log } = await openLog();
    // 600 records (more than one transaction's 500) with 12,000 person rows (several statements).
    const persons = Array.from({ length: 20 }, (_, index) => `person-${index}`);
    const records = await Promise.all(
      Array.from({ length: 600 }, (_, index) => log.append(auditEntry(`a-${index}`, persons))),
    );
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    expect(await verifyChain(log.db)).toMatchObject({ records: 600, broken: null });
    await log.close();
    expect(await personRows(log.db)).toBe(600 * 20);
    await log.db.destroy();
  });
});

describe('the who-read-whom rows, written behind the records', () => {
  it('writes them every interval while the gateway serves', async () => {
    const { log } = await openLog({ indexEveryMs: 50 });
    await log.append(auditEntry('a', ['p-1', 'p-2']));
    await log.append(auditEntry('b', ['p-2']));
    await waitFor(async () => (await watermark(log.db)) === 2);
    expect(await personRows(log.db)).toBe(3);
    await log.close();
    await log.db.destroy();
  });

  it('writes, at the next start, the rows a crash left unwritten, and the chain verifies throughout', async () => {
    // The first writer never writes its rows (it dies before its interval); the second one opens the same database.
    const { log: dying } = await openLog({ indexEveryMs: 3_600_000 });
    for (let i = 0; i < 1500; i += 1) await dying.append(auditEntry(`a-${i}`, [`p-${i % 7}`, `p-${(i + 1) % 7}`]));
    expect(await personRows(dying.db)).toBe(0);
    expect(await verifyChain(dying.db)).toMatchObject({ records: 1500, broken: null });
    const next = await new AuditLog(dying.db, { indexEveryMs: 3_600_000 }).open();
    expect(await personRows(dying.db)).toBe(3000);
    expect(await watermark(dying.db)).toBe(1500);
    expect(await verifyChain(dying.db)).toMatchObject({ records: 1500, broken: null });
    await next.close();
    await dying.db.destroy();
  });

  it('keeps going when a batch cannot be written, and writes it with the next one', async () => {
    const failures: Error[] = [];
    const { log } = await openLog({ indexEveryMs: 50, onIndexFailure: (error) => failures.push(error) });
    await log.db.query(
      "CREATE TRIGGER refuse BEFORE INSERT ON audit_person_read BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const record = await log.append(auditEntry('a', ['p-1']));
    expect(record.seq).toBe(1); // the answer was not held up
    await waitFor(async () => failures.length > 0);
    await log.db.query('DROP TRIGGER refuse');
    await log.append(auditEntry('b', ['p-2']));
    await waitFor(async () => (await watermark(log.db)) === 2);
    expect(await personRows(log.db)).toBe(2);
    expect(failures[0].message).toMatch(/disk full/);
    await log.close();
    await log.db.destroy();
  });

  it('tells verify of a row deleted behind the watermark', async () => {
    const { log } = await openLog();
    await log.append(auditEntry('a', ['p-1', 'p-2']));
    await log.close();
    await log.db.query("DELETE FROM audit_person_read WHERE personId = 'p-2'");
    expect(await verifyChain(log.db)).toMatchObject({
      broken: { seq: 1, reason: 'its who-read-whom rows differ from the record' },
    });
    await log.db.destroy();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Gateway replicas share the audit database (PostgreSQL): their appends interleave in one chain.
(onPostgres ? describe : describe.skip)('several gateway replicas appending to one audit', () => {
  let fresh: FreshDatabases;
  beforeAll(async () => {
    fresh = await freshDatabases();
  });
  afterAll(() => fresh.drop());
  const replica = async () => {
    const { dataSource } = await openDatabase({ url: fresh.urls.audit, ...auditStorage });
    return new AuditLog(dataSource, { indexEveryMs: 3_600_000 }).open();
  };

  it('chains every answer of both, in one order, with its who-read-whom rows, and a restarted replica goes on', async () => {
    const [first, second] = [await replica(), await replica()];
    const appended = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        (index % 2 ? first : second).append(auditEntry(`analyst-${index}`, [`person-${index % 11}`])),
      ),
    );
    expect(appended.map((record) => record.seq).sort((a, b) => a - b)).toEqual(appended.map((_, index) => index + 1));
    // The rows and their watermark were written with the records, whichever replica wrote them.
    expect(await personRows(first.db)).toBe(300);
    expect(await watermark(first.db)).toBe(300);
    expect(await verifyChain(first.db)).toMatchObject({ records: 300, broken: null });

    // One replica dies (no clean stop) while the other appends; it starts again and appends on.
    await first.db.destroy();
    await second.append(auditEntry('while-it-was-down', ['person-x']));
    const restarted = await replica();
    const after = await restarted.append(auditEntry('after-restart', ['person-y']));
    expect(after.seq).toBe(302);
    expect(await verifyChain(restarted.db)).toMatchObject({ records: 302, broken: null });
    for (const log of [second, restarted]) {
      await log.close();
      await log.db.destroy();
    }
  });
});
