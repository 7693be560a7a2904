import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportPKCS8, exportSPKI } from 'jose';
import { DataSource } from 'typeorm';
import { generateSigningKeys } from '../lib/auth';
import { auditStorage } from '../lib/audit';
import { GENESIS, hashOf } from '../lib/audit/chain';
import {
  auditSigningKeys,
  AuditSigningKeys,
  Checkpoint,
  Checkpointer,
  checkSignature,
  loadAuditSigningKeys,
  signCheckpoint,
} from '../lib/audit/checkpoint';
import { AuditRecord } from '../lib/audit/record';
import { openDatabase } from '../lib/database';
import { AuditLog } from '../gateway/audit/log';
import { auditEntry } from './helpers/audit';
import { freshDatabases, FreshDatabases, onPostgres } from './helpers/databases';
import { startTestSystem, TestSystem } from './helpers/system';

const root = path.join(__dirname, '..');
const EVERY = 5;
const RECORDS = 62;

/** `npm run audit:verify` as an operator runs it: the build's tool, on one copy of the audit. */
async function auditVerify(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['dist/tools/audit-verify.js'], {
    env: { ...process.env, ...env },
    cwd: root,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const readLines = (file: string): Checkpoint[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/**
 * The attacks on the read audit, each on its own copy of one real audit: the whole system ran,
 * answered RECORDS operations, and stopped cleanly (its gateway signing a checkpoint every EVERY
 * records and one at the stop). The attacker can write the database and the local checkpoint
 * file, but does not hold the audit's private key.
 */
describe('the read audit’s signed checkpoints', () => {
  let dir: string;
  let t: TestSystem;
  let keys: AuditSigningKeys;
  let publicKeyFile: string;
  let afterTwelve: Checkpoint[];
  let copies = 0;
  const auditFile = () => path.join(dir, 'audit.sqlite');
  const checkpointFile = () => path.join(dir, 'audit-checkpoints.jsonl');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-checkpoints-'));
    keys = await auditSigningKeys(await generateSigningKeys());
    publicKeyFile = path.join(dir, 'audit.pub.pem');
    writeFileSync(publicKeyFile, await exportSPKI(keys.publicKey));
    t = await startTestSystem(
      { persons: 20 },
      {
        auditDatabaseUrl: `sqlite:${auditFile()}`,
        auditCheckpoints: { file: checkpointFile(), keys, everyRecords: EVERY, everySeconds: 3600 },
      },
    );
    const ask = () => t.query('{ foreignNationals(first: 2) { totalCount nodes { id fullName } } }');
    for (let i = 0; i < 12; i += 1) expect((await ask()).errors).toBeUndefined();
    await t.system.gateway!.audit.checkpoints!.settled();
    afterTwelve = readLines(checkpointFile());
    for (let i = 12; i < RECORDS; i += 1) await ask();
    // Through the audit's API too: each record names its actor, none here (no service asked for a user).
    const reads = await t.as({ subject: 'boss', roles: ['supervisor'] })(
      `{ auditReadsByUser(subject: "analyst-1", first: 100) { totalCount nodes { actor } } }`,
    );
    expect(reads.data.auditReadsByUser.totalCount).toBe(RECORDS);
    expect(new Set(reads.data.auditReadsByUser.nodes.map((node: any) => node.actor))).toEqual(new Set([null]));
    await t.stop(); // a clean stop: the last checkpoint; that question of the supervisor is record RECORDS + 1
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the stopped system's audit (database and checkpoint file) to tamper with. */
  async function copy(tamper?: (db: DataSource, file: string) => Promise<void> | void) {
    const target = path.join(dir, `copy-${(copies += 1)}`);
    mkdirSync(target);
    for (const name of ['audit.sqlite', 'audit.sqlite-wal'])
      if (existsSync(path.join(dir, name))) copyFileSync(path.join(dir, name), path.join(target, name));
    const file = path.join(target, 'audit-checkpoints.jsonl');
    copyFileSync(checkpointFile(), file);
    const db = new DataSource({
      type: 'better-sqlite3',
      database: path.join(target, 'audit.sqlite'),
      entities: auditStorage.entities,
    });
    await db.initialize();
    try {
      await tamper?.(db, file);
    } finally {
      await db.destroy();
    }
    return {
      AUDIT_DATABASE_URL: `sqlite:${path.join(target, 'audit.sqlite')}`,
      AUDIT_CHECKPOINT_FILE: file,
      AUDIT_PUBLIC_KEY_FILE: publicKeyFile,
      DATA_DIR: target,
    };
  }

  /** What someone without the key can do after an edit: recompute every later hash. */
  async function rehashFrom(db: DataSource, seq: number) {
    const records = await db.getRepository(AuditRecord).find({ order: { seq: 'ASC' } });
    let previous = records.find((record) => record.seq === seq - 1)?.hash ?? GENESIS;
    for (const record of records.filter((candidate) => candidate.seq >= seq)) {
      record.previousHash = previous;
      record.hash = hashOf(record);
      await db.getRepository(AuditRecord).update({ seq: record.seq }, { previousHash: previous, hash: record.hash });
      previous = record.hash;
    }
  }

  /** Slips a forged record in at `seq`, moving every later record (and its person rows) up by one. */
  async function insertAt(db: DataSource, seq: number) {
    for (const table of ['audit_record', 'audit_person_read']) {
      await db.query(`UPDATE ${table} SET seq = seq + 100000 WHERE seq >= ?`, [seq]);
      await db.query(`UPDATE ${table} SET seq = seq - 99999 WHERE seq >= 100000`);
    }
    const before = await db.getRepository(AuditRecord).findOneByOrFail({ seq: seq - 1 });
    const forged = { ...before, seq, subject: 'nobody-read-this', personIds: [], previousHash: before.hash };
    await db.getRepository(AuditRecord).insert({ ...forged, hash: hashOf(forged) });
  }

  it('writes a signed checkpoint every N records, and one at a clean stop', async () => {
    expect(afterTwelve.map(({ seq, reason }) => ({ seq, reason }))).toEqual([
      { seq: 5, reason: 'records' },
      { seq: 10, reason: 'records' },
    ]);
    const all = readLines(checkpointFile());
    const expected = Array.from({ length: Math.floor(RECORDS / EVERY) }, (_, i) => (i + 1) * EVERY);
    expect(all.map((checkpoint) => checkpoint.seq)).toEqual([...expected, RECORDS + 1]);
    expect(all.at(-1)!.reason).toBe('stop');
    for (const checkpoint of all) {
      expect(checkpoint).toMatchObject({ log: 'timpora-read-audit', keyId: keys.keyId });
      expect(await checkSignature(checkpoint, keys)).toBeNull();
    }
  });

  it('passes an untouched audit and says how many records follow the latest checkpoint', async () => {
    const run = await auditVerify(await copy());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Audit: ${RECORDS + 1} records (1..${RECORDS + 1})`);
    expect(run.stdout).toMatch(
      new RegExp(`the latest: record ${RECORDS + 1}, hash [0-9a-f]{64}, signed at .* \\(stop\\)`),
    );
    expect(run.stdout).toContain('0 records after the latest checkpoint');
    expect(run.stdout).toContain('consistent with every signed checkpoint');
  }, 30_000);

  it('passes when the gateway stopped before its last checkpoint (a crash), and counts the records after it', async () => {
    const run = await auditVerify(
      await copy((_db, file) => {
        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
      }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`the latest: record 60`);
    expect(run.stdout).toContain(`${RECORDS + 1 - 60} records after the latest checkpoint`);
  }, 30_000);

  it('fails when the last record is deleted after a clean stop', async () => {
    const run = await auditVerify(
      await copy(async (db) => {
        await db.query('DELETE FROM audit_person_read WHERE seq = ?', [RECORDS + 1]);
        await db.query('DELETE FROM audit_record WHERE seq = ?', [RECORDS + 1]);
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Audit CUT OFF: the chain ends at record ${RECORDS}, but the checkpoint signed at`);
    expect(run.stderr).toContain(`record ${RECORDS + 1} was deleted after it was checkpointed`);
    expect(run.stdout).toContain('The chain ends 1 record before the latest checkpoint.');
  }, 30_000);

  it('fails when the last many records are deleted', async () => {
    const run = await auditVerify(
      await copy(async (db) => {
        await db.query('DELETE FROM audit_person_read WHERE seq > 20');
        await db.query('DELETE FROM audit_record WHERE seq > 20');
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the chain ends at record 20`);
    expect(run.stderr).toContain(`records 21..${RECORDS + 1} were deleted after they were checkpointed`);
    expect(run.stdout).toContain('Audit: 20 records (1..20)');
  }, 30_000);

  it('fails when a record is edited and every later hash recomputed', async () => {
    const run = await auditVerify(
      await copy(async (db) => {
        await db.query(`UPDATE audit_record SET subject = 'someone-else' WHERE seq = 33`);
        await rehashFrom(db, 33);
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Audit RE-HASHED: record 35's hash differs from the checkpoint signed at");
    expect(run.stderr).toContain('records 31..35 were edited, inserted or deleted');
    expect(run.stderr).not.toContain('BROKEN');
  }, 30_000);

  it('fails when a record is inserted, also with every later record renumbered and re-hashed', async () => {
    const rehashed = await auditVerify(
      await copy(async (db) => {
        await insertAt(db, 17);
        await rehashFrom(db, 18);
      }),
    );
    expect(rehashed.code).toBe(1);
    expect(rehashed.stderr).toContain("Audit RE-HASHED: record 20's hash differs");
    expect(rehashed.stderr).toContain('records 16..20 were edited, inserted or deleted');
    const plain = await auditVerify(await copy((db) => insertAt(db, 17)));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('Audit chain BROKEN at record 17: it was inserted');
  }, 30_000);

  it('fails on a checkpoint whose signature was tampered with, or that another key signed', async () => {
    const flipped = await auditVerify(
      await copy((_db, file) => {
        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        const third = JSON.parse(lines[2]);
        const last = third.signature.at(-2) === 'A' ? 'B' : 'A';
        third.signature = `${third.signature.slice(0, -2)}${last}${third.signature.at(-1)}`;
        lines[2] = JSON.stringify(third);
        writeFileSync(file, `${lines.join('\n')}\n`);
      }),
    );
    expect(flipped.code).toBe(1);
    expect(flipped.stderr).toContain('Checkpoint BAD SIGNATURE at line 3 (record 15');
    expect(flipped.stderr).toContain('does not verify with the audit public key');

    // A re-hashed chain with checkpoints re-signed by a key of the attacker's own.
    const other = await auditSigningKeys(await generateSigningKeys());
    const forged = await auditVerify(
      await copy(async (db, file) => {
        await db.query(`UPDATE audit_record SET subject = 'someone-else' WHERE seq = 3`);
        await rehashFrom(db, 3);
        const head = await db.getRepository(AuditRecord).findOneByOrFail({ seq: RECORDS + 1 });
        writeFileSync(file, `${JSON.stringify(await signCheckpoint(head, 'stop', other))}\n`);
      }),
    );
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain(`names key ${other.keyId}, not the audit key ${keys.keyId}`);
    expect(forged.stderr).toContain('NO CHECKPOINTS');
  }, 30_000);

  it('fails, and says so, when records exist but the checkpoint file does not', async () => {
    const run = await auditVerify(await copy((_db, file) => rmSync(file)));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NO CHECKPOINT FILE: there is no');
    expect(run.stderr).toContain(`yet the audit holds ${RECORDS + 1} records`);
  }, 30_000);
});

describe('the checkpoint writer', () => {
  let dir: string;
  let keys: AuditSigningKeys;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-checkpointer-'));
    keys = await auditSigningKeys(await generateSigningKeys());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const entry = (subject: string) => ({
    at: new Date().toISOString(),
    subject,
    roles: ['analyst'],
    delegated: false,
    actor: null,
    operationName: null,
    documentHash: null,
    variables: '{}',
    outcome: 'OK',
    errorCodes: [],
    personIds: [],
    requestId: `request-${subject}`,
  });

  async function openLog(checkpoints: Checkpointer) {
    const { dataSource } = await openDatabase({ url: 'sqlite::memory:', ...auditStorage });
    return new AuditLog(dataSource, { checkpoints }).open();
  }

  it('signs new records at least every T seconds', async () => {
    const file = path.join(dir, 'interval.jsonl');
    const log = await openLog(new Checkpointer({ file, keys, everyRecords: 1000, everySeconds: 1 }));
    try {
      await log.append(entry('a'));
      await log.append(entry('b'));
      const deadline = Date.now() + 5000;
      while (!existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await log.checkpoints!.settled();
      expect(readLines(file).map(({ seq, reason }) => ({ seq, reason }))).toEqual([{ seq: 2, reason: 'interval' }]);
    } finally {
      await log.close();
      await log.db.destroy();
    }
    expect(readLines(file)).toHaveLength(1); // the stop found the head signed already
  });

  it('logs and counts a checkpoint it cannot write, and the appends go on', async () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, '');
    const failures: Error[] = [];
    const checkpointer = new Checkpointer(
      { file: path.join(blocker, 'audit-checkpoints.jsonl'), keys, everyRecords: 2, everySeconds: 3600 },
      { failed: (error) => failures.push(error) },
    );
    const log = await openLog(checkpointer);
    try {
      for (const subject of ['a', 'b', 'c', 'd']) expect((await log.append(entry(subject))).subject).toBe(subject);
      await checkpointer.settled();
      expect(checkpointer.counts).toEqual({ written: 0, failed: 2 });
      expect(failures[0].message).toMatch(/ENOTDIR|EEXIST/);
    } finally {
      await log.close();
      await log.db.destroy();
    }
  });

  it('says at start when the database no longer holds what the latest checkpoint signed', async () => {
    const file = path.join(dir, 'restart.jsonl');
    const first = await openLog(new Checkpointer({ file, keys, everyRecords: 3, everySeconds: 3600 }));
    const mismatches: string[] = [];
    try {
      for (const subject of ['a', 'b', 'c']) await first.append(entry(subject));
      await first.close();
      expect(readLines(file).map(({ seq }) => seq)).toEqual([3]);
      await first.db.query('DELETE FROM audit_record WHERE seq = 3');
      const second = await new AuditLog(first.db, {
        checkpoints: new Checkpointer({ file, keys }, { mismatch: (message) => mismatches.push(message) }),
      }).open();
      await second.close();
    } finally {
      await first.db.destroy();
    }
    expect(mismatches).toEqual([expect.stringContaining('ends at record 2, before the latest checkpoint (record 3')]);
  });

  it('refuses to start a production gateway without AUDIT_PRIVATE_KEY_FILE, and loads the configured pair', async () => {
    const settings = { production: true, keysDir: path.join(dir, 'keys') };
    await expect(loadAuditSigningKeys(settings)).rejects.toThrow(/needs AUDIT_PRIVATE_KEY_FILE/);
    expect(existsSync(settings.keysDir)).toBe(false);
    const privateKeyFile = path.join(dir, 'audit.key.pem');
    const publicKeyFile = path.join(dir, 'audit.pub.pem');
    writeFileSync(privateKeyFile, await exportPKCS8(keys.privateKey));
    writeFileSync(publicKeyFile, await exportSPKI(keys.publicKey));
    expect((await loadAuditSigningKeys({ ...settings, privateKeyFile, publicKeyFile })).keyId).toBe(keys.keyId);
    expect((await loadAuditSigningKeys({ ...settings, privateKeyFile })).keyId).toBe(keys.keyId);
    const other = await generateSigningKeys();
    writeFileSync(publicKeyFile, await exportSPKI(other.publicKey));
    await expect(loadAuditSigningKeys({ ...settings, privateKeyFile, publicKeyFile })).rejects.toThrow(/not the pair/);
  });
});

describe('the actor of a record', () => {
  const record = {
    seq: 1,
    at: '2025-06-18T00:00:00.000Z',
    subject: 'analyst-1',
    roles: ['analyst'],
    delegated: true,
    operationName: null,
    documentHash: null,
    variables: '{}',
    outcome: 'OK',
    errorCodes: [],
    personIds: [],
    requestId: 'r1',
    previousHash: GENESIS,
  };

  it('is hashed only when set, so the records written before it keep their hashes', () => {
    const before = createHash('sha256')
      .update(
        JSON.stringify([1, record.at, 'analyst-1', ['analyst'], true, null, null, '{}', 'OK', [], [], 'r1', GENESIS]),
      )
      .digest('hex');
    expect(hashOf({ ...record, actor: null })).toBe(before);
    expect(hashOf({ ...record, actor: 'oversight' })).not.toBe(before);
    expect(hashOf({ ...record, actor: 'oversight' })).not.toBe(hashOf({ ...record, actor: 'audit' }));
  });
});

// Gateway replicas on PostgreSQL append to one chain, each signing its head into a file of its own:
// audit:verify reads them all as one.
(onPostgres ? describe : describe.skip)('the checkpoints of several gateway replicas', () => {
  let fresh: FreshDatabases;
  let dir: string;
  beforeAll(async () => {
    fresh = await freshDatabases();
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-replicas-'));
  });
  afterAll(async () => {
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the one chain against every replica’s file, and catches a tail cut off after either signed it', async () => {
    const keys = await auditSigningKeys(await generateSigningKeys());
    const publicKeyFile = path.join(dir, 'audit.pub.pem');
    writeFileSync(publicKeyFile, await exportSPKI(keys.publicKey));
    const files = ['gateway-1.jsonl', 'gateway-2.jsonl'].map((name) => path.join(dir, name));
    const replicas = await Promise.all(
      files.map(async (file) => {
        const { dataSource } = await openDatabase({ url: fresh.urls.audit, ...auditStorage });
        const checkpoints = new Checkpointer({ file, keys, everyRecords: 7, everySeconds: 3600 });
        return new AuditLog(dataSource, { checkpoints }).open();
      }),
    );
    for (let index = 0; index < 40; index += 1)
      await replicas[index % 2].append(auditEntry(`analyst-${index}`, [`person-${index}`]));
    for (const replica of replicas) await replica.close();
    for (const file of files) expect(readLines(file).length).toBeGreaterThan(1);
    const env = { AUDIT_DATABASE_URL: fresh.urls.audit, AUDIT_PUBLIC_KEY_FILE: publicKeyFile };
    const both = ['--checkpoints', files[0], '--checkpoints', files[1]];
    const verify = (args: string[]) =>
      promisify(execFile)(process.execPath, ['dist/tools/audit-verify.js', ...args], {
        env: { ...process.env, ...env },
        cwd: root,
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error) => ({ code: error.code as number, stdout: `${error.stdout}${error.stderr}` }),
      );
    const intact = await verify(both);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toContain(`in ${files[0]}, ${files[1]}`);
    expect(intact.stdout).toMatch(/Audit chain holds: 40 records/);

    // The last record is deleted: the replica that signed the head at its stop says so.
    await replicas[0].db.query('DELETE FROM audit_record WHERE seq = 40');
    const cut = await verify(both);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/Audit CUT OFF: the chain ends at record 39/);
    for (const replica of replicas) await replica.db.destroy();
  });
});
