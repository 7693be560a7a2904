import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  base64url,
  calculateJwkThumbprint,
  CompactSign,
  compactVerify,
  exportJWK,
  importJWK,
  importPKCS8,
  importSPKI,
  KeyLike,
} from 'jose';
import { DataSource, In } from 'typeorm';
import { loadOrCreateKeyPair } from '../auth';
import { ConfigError } from '../errors';
import { ChainCheck, verifyChain } from './chain';
import { AuditRecord } from './record';

/**
 * Signed checkpoints of the read audit's chain, after Certificate Transparency's signed tree heads
 * (RFC 6962) and Sigstore Rekor's checkpoints. The hash chain (chain.ts) shows an edit, but anyone
 * who can write the database can also cut its tail off or recompute every hash after an edit: the
 * chain is SHA-256 without a key. So the gateway, the audit's one writer, signs the chain's head
 * (sequence, head hash, time) with an audit key of its own (Ed25519) at least every N records or
 * T seconds and at a clean stop, and appends each checkpoint as a JSON line to a file outside the
 * audit database, for the operators to ship elsewhere. `npm run audit:verify` checks every
 * checkpoint's signature with the audit public key, and that the record at each checkpoint's
 * sequence exists with exactly that hash. Records after the latest checkpoint are protected by
 * the chain alone.
 *
 * This module holds the whole format: the keys, signing, the file, the schedule and the checks.
 */

/** Names the log a checkpoint belongs to (Rekor's "origin"); part of what is signed. */
export const CHECKPOINT_LOG = 'timpora-read-audit';

/** Why a checkpoint was made: N records since the last one, T seconds with new records, a clean stop. */
export type CheckpointReason = 'records' | 'interval' | 'stop';

/** One line of the checkpoint file. */
export interface Checkpoint {
  log: string;
  /** The chain's head: its last record's sequence and hash. */
  seq: number;
  hash: string;
  /** When it was signed, ISO-8601 UTC. */
  at: string;
  /** RFC 7638 thumbprint (SHA-256) of the audit public key that signed it. */
  keyId: string;
  reason: CheckpointReason;
  /**
   * A detached JWS (RFC 7515 appendix F: `header..signature`, EdDSA, `kid` = keyId) over the
   * statement: the JSON array [log, seq, hash, at, keyId, reason].
   */
  signature: string;
}

export const DEFAULT_CHECKPOINT_RECORDS = 100;
export const DEFAULT_CHECKPOINT_SECONDS = 60;

// ------------------------------------------------------------------ keys

/** Where the audit key comes from (README, Configuration). */
export interface AuditKeySettings {
  /** AUDIT_PRIVATE_KEY_FILE: PKCS#8 Ed25519; the gateway signs with it. */
  privateKeyFile?: string;
  /** AUDIT_PUBLIC_KEY_FILE: its SPKI pair; `npm run audit:verify` checks with it. */
  publicKeyFile?: string;
  /** NODE_ENV=production: no generated development key. */
  production: boolean;
  /** Where the development pair is generated at first start (data/keys, never committed). */
  keysDir: string;
}

export interface AuditKeys {
  publicKey: KeyLike;
  keyId: string;
}

export interface AuditSigningKeys extends AuditKeys {
  privateKey: KeyLike;
}

const ALGORITHM = 'EdDSA';
const DEV_KEY_NAME = 'audit';

/** RFC 7638 thumbprint of a key's public part (the same for the private key of the pair). */
export async function auditKeyId(key: KeyLike): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(key));
}

/** A signing pair from in-memory keys (tests, generateSigningKeys). */
export async function auditSigningKeys(keys: { privateKey: KeyLike; publicKey: KeyLike }): Promise<AuditSigningKeys> {
  const [privateId, publicId] = await Promise.all([auditKeyId(keys.privateKey), auditKeyId(keys.publicKey)]);
  if (privateId !== publicId) throw new ConfigError('The audit public key is not the pair of the audit private key');
  return { ...keys, keyId: publicId };
}

/**
 * The gateway's audit key. Outside production a pair is generated under `keysDir` at first start
 * unless AUDIT_PRIVATE_KEY_FILE is set; in production the gateway refuses to start without it.
 */
export async function loadAuditSigningKeys(settings: AuditKeySettings): Promise<AuditSigningKeys> {
  if (settings.privateKeyFile) {
    const privateKey = await importPKCS8(readPem(settings.privateKeyFile, 'AUDIT_PRIVATE_KEY_FILE'), ALGORITHM);
    const publicKey = settings.publicKeyFile
      ? await importSPKI(readPem(settings.publicKeyFile, 'AUDIT_PUBLIC_KEY_FILE'), ALGORITHM)
      : await publicOf(privateKey);
    return auditSigningKeys({ privateKey, publicKey }).catch(() => {
      throw new ConfigError('AUDIT_PUBLIC_KEY_FILE is not the pair of AUDIT_PRIVATE_KEY_FILE');
    });
  }
  if (settings.production || settings.publicKeyFile)
    throw new ConfigError(
      'The gateway needs AUDIT_PRIVATE_KEY_FILE (PKCS#8 Ed25519): it signs the read audit’s checkpoints ' +
        '(see README, Security)',
    );
  return auditSigningKeys(await loadOrCreateKeyPair(settings.keysDir, DEV_KEY_NAME));
}

/**
 * The key `audit:verify` checks checkpoints with: AUDIT_PUBLIC_KEY_FILE, else the public part of
 * AUDIT_PRIVATE_KEY_FILE, else (outside production) the development key, never generated here.
 */
export async function loadAuditPublicKey(settings: AuditKeySettings): Promise<AuditKeys> {
  let publicKey: KeyLike;
  if (settings.publicKeyFile)
    publicKey = await importSPKI(readPem(settings.publicKeyFile, 'AUDIT_PUBLIC_KEY_FILE'), ALGORITHM);
  else if (settings.privateKeyFile)
    publicKey = await publicOf(
      await importPKCS8(readPem(settings.privateKeyFile, 'AUDIT_PRIVATE_KEY_FILE'), ALGORITHM),
    );
  else {
    const devFile = path.join(settings.keysDir, `${DEV_KEY_NAME}.pub.pem`);
    if (settings.production || !existsSync(devFile))
      throw new ConfigError(
        'Set AUDIT_PUBLIC_KEY_FILE to the audit public key (the pair of the gateway’s AUDIT_PRIVATE_KEY_FILE) ' +
          'to check the signed checkpoints',
      );
    publicKey = await importSPKI(readFileSync(devFile, 'utf8'), ALGORITHM);
  }
  return { publicKey, keyId: await auditKeyId(publicKey) };
}

async function publicOf(privateKey: KeyLike): Promise<KeyLike> {
  const { kty, crv, x } = await exportJWK(privateKey);
  return (await importJWK({ kty, crv, x }, ALGORITHM)) as KeyLike;
}

function readPem(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read "${file}" (${(error as NodeJS.ErrnoException).code})`);
  }
}

// ------------------------------------------------------------------ signing and checking one checkpoint

type Unsigned = Omit<Checkpoint, 'signature'>;

function statement(checkpoint: Unsigned): Uint8Array {
  const { log, seq, hash, at, keyId, reason } = checkpoint;
  return new TextEncoder().encode(JSON.stringify([log, seq, hash, at, keyId, reason]));
}

export async function signCheckpoint(
  head: { seq: number; hash: string },
  reason: CheckpointReason,
  keys: AuditSigningKeys,
  at = new Date(),
): Promise<Checkpoint> {
  const unsigned: Unsigned = {
    log: CHECKPOINT_LOG,
    seq: head.seq,
    hash: head.hash,
    at: at.toISOString(),
    keyId: keys.keyId,
    reason,
  };
  const jws = await new CompactSign(statement(unsigned))
    .setProtectedHeader({ alg: ALGORITHM, kid: keys.keyId })
    .sign(keys.privateKey);
  const [header, , signature] = jws.split('.');
  return { ...unsigned, signature: `${header}..${signature}` };
}

/** Null when the audit key signed exactly this checkpoint, else why not. */
export async function checkSignature(checkpoint: Checkpoint, keys: AuditKeys): Promise<string | null> {
  if (checkpoint.keyId !== keys.keyId)
    return `it names key ${checkpoint.keyId}, not the audit key ${keys.keyId} (another key, or forged)`;
  const [header, payload, signature, ...rest] = checkpoint.signature.split('.');
  if (!header || payload !== '' || !signature || rest.length)
    return 'its signature is not a detached JWS (header..signature)';
  try {
    const { protectedHeader } = await compactVerify(
      `${header}.${base64url.encode(statement(checkpoint))}.${signature}`,
      keys.publicKey,
      { algorithms: [ALGORITHM] },
    );
    if (protectedHeader.kid !== checkpoint.keyId) return 'its signature names another key';
    return null;
  } catch {
    return 'its signature does not verify with the audit public key (the checkpoint was altered or forged)';
  }
}

// ------------------------------------------------------------------ the file

/** Appends one checkpoint as a JSON line and flushes it to the disk (creating the folder). */
export async function appendCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.appendFile(`${JSON.stringify(checkpoint)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export interface CheckpointLine {
  /** 1-based line number in the file. */
  line: number;
  checkpoint: Checkpoint;
}

export interface CheckpointFile {
  /** False when there is no file at all. */
  found: boolean;
  lines: CheckpointLine[];
  malformed: { line: number; reason: string }[];
  /** A last line without its newline, as a crash during a write leaves it; not read. */
  torn: boolean;
}

export async function readCheckpoints(file: string): Promise<CheckpointFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { found: false, lines: [], malformed: [], torn: false };
    throw error;
  }
  const rows = text.split('\n');
  const last = rows.pop() ?? '';
  const result: CheckpointFile = { found: true, lines: [], malformed: [], torn: last.trim() !== '' };
  rows.forEach((row, index) => {
    if (!row.trim()) return;
    const parsed = parseCheckpoint(row);
    if (typeof parsed === 'string') result.malformed.push({ line: index + 1, reason: parsed });
    else result.lines.push({ line: index + 1, checkpoint: parsed });
  });
  return result;
}

/** The last complete checkpoint of the file, read from its end (the file only grows); null if none. */
export async function readLatestCheckpoint(file: string): Promise<Checkpoint | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const rows = buffer.toString('utf8').split('\n');
    rows.pop();
    for (const row of rows.reverse()) {
      const parsed = parseCheckpoint(row);
      if (typeof parsed !== 'string') return parsed;
    }
    return null;
  } finally {
    await handle.close();
  }
}

const REASONS: CheckpointReason[] = ['records', 'interval', 'stop'];

function parseCheckpoint(row: string): Checkpoint | string {
  let value: any;
  try {
    value = JSON.parse(row);
  } catch {
    return 'not JSON';
  }
  if (value === null || typeof value !== 'object') return 'not a checkpoint';
  if (value.log !== CHECKPOINT_LOG) return `not a checkpoint of ${CHECKPOINT_LOG}`;
  if (!Number.isInteger(value.seq) || value.seq < 1) return 'no valid seq';
  if (typeof value.hash !== 'string' || !/^[0-9a-f]{64}$/.test(value.hash)) return 'no valid hash';
  if (typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at))) return 'no valid time';
  if (typeof value.keyId !== 'string' || typeof value.signature !== 'string') return 'no key id or signature';
  if (!REASONS.includes(value.reason)) return 'no valid reason';
  const { log, seq, hash, at, keyId, reason, signature } = value;
  return { log, seq, hash, at, keyId, reason, signature };
}

// ------------------------------------------------------------------ the schedule (the gateway)

export interface CheckpointOptions {
  /** The append-only JSON-lines file, outside the audit database (AUDIT_CHECKPOINT_FILE). */
  file: string;
  keys: AuditSigningKeys;
  /**
   * A checkpoint after this many records since the last one (AUDIT_CHECKPOINT_RECORDS).
   * @default 100
   */
  everyRecords?: number;
  /**
   * A checkpoint of new records at least this often, in seconds (AUDIT_CHECKPOINT_SECONDS).
   * @default 60
   */
  everySeconds?: number;
}

/** What the writer tells its owner: the gateway logs these and counts them. */
export interface CheckpointEvents {
  written?(checkpoint: Checkpoint): void;
  failed?(error: Error, head: { seq: number; hash: string }): void;
  /** The audit database disagrees with the latest checkpoint at start. */
  mismatch?(message: string): void;
}

/**
 * Makes the checkpoints of one chain as its writer (gateway/audit/log.ts) moves the head. Never in
 * the request's way: `advanced` only notes the head and queues the signing and the append, which
 * run one after another (so the file stays in order) off the request path. A failed write is
 * reported to `events.failed` and retried at the next interval, never thrown.
 */
export class Checkpointer {
  readonly file: string;
  readonly keys: AuditSigningKeys;
  readonly everyRecords: number;
  readonly everySeconds: number;
  /** Checkpoints written and writes failed since start. */
  readonly counts = { written: 0, failed: 0 };
  private head = { seq: 0, hash: '' };
  private queuedSeq = 0;
  private writtenSeq = 0;
  private inFlight = 0;
  private queue: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    options: CheckpointOptions,
    private readonly events: CheckpointEvents = {},
  ) {
    this.file = options.file;
    this.keys = options.keys;
    this.everyRecords = options.everyRecords ?? DEFAULT_CHECKPOINT_RECORDS;
    this.everySeconds = options.everySeconds ?? DEFAULT_CHECKPOINT_SECONDS;
  }

  /**
   * Starts from the chain's head as the writer found it: the latest checkpoint in the file tells
   * how many records are not yet signed, and whether the database still holds what it signed.
   */
  async start(head: { seq: number; hash: string }, hashAt: (seq: number) => Promise<string | null>): Promise<void> {
    this.head = head;
    let latest: Checkpoint | null = null;
    try {
      latest = await readLatestCheckpoint(this.file);
    } catch (error) {
      this.events.mismatch?.(`the checkpoint file ${this.file} cannot be read (${(error as Error).message})`);
    }
    const unsigned = latest && (await checkSignature(latest, this.keys));
    if (unsigned)
      this.events.mismatch?.(
        `the latest checkpoint in ${this.file} (record ${latest!.seq}) does not hold for this gateway's audit key: ${unsigned}; ` +
          'a new key needs a new checkpoint file (README, Security)',
      );
    else if (latest) {
      if (latest.seq > head.seq)
        this.events.mismatch?.(
          `the audit database ends at record ${head.seq}, before the latest checkpoint (record ${latest.seq}, ${latest.at}): ` +
            'records were cut off, or the database was restored from an older copy; run npm run audit:verify',
        );
      else if ((await hashAt(latest.seq)) !== latest.hash)
        this.events.mismatch?.(
          `record ${latest.seq} differs from the latest checkpoint (${latest.at}): the audit was rewritten; run npm run audit:verify`,
        );
      else this.queuedSeq = this.writtenSeq = latest.seq;
    }
    this.timer = setInterval(() => this.tick(), this.everySeconds * 1000);
    this.timer.unref();
  }

  /** The writer committed a record: the chain's head is now `head`. */
  advanced(head: { seq: number; hash: string }): void {
    if (this.closed) return;
    this.head = head;
    if (head.seq - this.queuedSeq >= this.everyRecords) this.enqueue('records');
  }

  /** Resolves when every queued checkpoint is written (or has failed). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** At a clean stop: a last checkpoint of the head, unless one already covers it. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.queue;
    if (this.head.seq > this.writtenSeq) this.enqueue('stop');
    this.closed = true;
    await this.queue;
  }

  private tick(): void {
    if (!this.closed && this.inFlight === 0 && this.head.seq > this.writtenSeq) this.enqueue('interval');
  }

  private enqueue(reason: CheckpointReason): void {
    const head = this.head;
    this.queuedSeq = head.seq;
    this.inFlight += 1;
    this.queue = this.queue
      .then(async () => {
        const checkpoint = await signCheckpoint(head, reason, this.keys);
        await appendCheckpoint(this.file, checkpoint);
        this.writtenSeq = Math.max(this.writtenSeq, head.seq);
        this.counts.written += 1;
        this.events.written?.(checkpoint);
      })
      .catch((error: Error) => {
        this.counts.failed += 1;
        this.events.failed?.(error, head);
      })
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}

// ------------------------------------------------------------------ checking the audit (audit:verify)

export type AuditFindingKind =
  'broken' | 'cut-off' | 'deleted' | 're-hashed' | 'differs' | 'bad-signature' | 'malformed' | 'no-checkpoints';

export interface AuditFinding {
  kind: AuditFindingKind;
  message: string;
}

export interface AuditVerification {
  chain: ChainCheck;
  /** What the database holds: its number of records and its last sequence. */
  stored: { records: number; lastSeq: number };
  /** The checkpoint files read: one per gateway replica, or one they share. */
  files: string[];
  /** Checkpoints whose signature holds. */
  checkpoints: number;
  latest: Checkpoint | null;
  /** Records after the latest checkpoint: protected by the chain alone. */
  afterLatest: number;
  /** Each one is a reason to exit 1. */
  failures: AuditFinding[];
  warnings: string[];
}

/**
 * The chain (chain.ts), then every checkpoint: its signature with the audit key, and the record at
 * its sequence, which must exist with exactly its hash. A chain that holds among itself but not
 * with a signed checkpoint was re-hashed by someone without the key; one that ends before the
 * latest checkpoint was cut off. Gateway replicas each sign the one chain's head into a file of
 * their own (or all into one): every file given is read, as one.
 */
export async function verifyAudit(
  db: DataSource,
  options: { files: string[]; keys: () => Promise<AuditKeys> },
): Promise<AuditVerification> {
  const chain = await verifyChain(db);
  const stored = await storedRange(db);
  const file = await readCheckpointFiles(options.files);
  const failures: AuditFinding[] = [];
  const warnings: string[] = [];
  if (chain.broken)
    failures.push({
      kind: 'broken',
      message: `Audit chain BROKEN at record ${chain.broken.seq}: ${chain.broken.reason}. ${chain.records} records before it hold.`,
    });
  for (const { line, reason } of file.malformed)
    failures.push({ kind: 'malformed', message: `Checkpoint file ${line} is not a checkpoint (${reason}).` });
  for (const torn of file.torn)
    warnings.push(
      `The checkpoint file ${torn} ends in an incomplete line, as a crash during a write leaves it; it was not read.`,
    );

  const valid: Checkpoint[] = [];
  if (file.lines.length) {
    const keys = await options.keys();
    for (const { line, checkpoint } of file.lines) {
      const reason = await checkSignature(checkpoint, keys);
      if (reason)
        failures.push({
          kind: 'bad-signature',
          message: `Checkpoint BAD SIGNATURE at ${line} (record ${checkpoint.seq}, ${checkpoint.at}): ${reason}.`,
        });
      else valid.push(checkpoint);
    }
  }
  if (valid.length === 0 && stored.records > 0)
    failures.push({
      kind: 'no-checkpoints',
      message: file.found
        ? `NO CHECKPOINTS: ${options.files.join(', ')} ${options.files.length > 1 ? 'hold' : 'holds'} no checkpoint signed by the audit key, yet the audit holds ${stored.records} records: nothing signed vouches for them, so a cut-off tail or a re-hashed chain would go unseen.`
        : `NO CHECKPOINT FILE: there is no ${options.files.join(' nor ')}, yet the audit holds ${stored.records} records: nothing signed vouches for them, so a cut-off tail or a re-hashed chain would go unseen. Point AUDIT_CHECKPOINT_FILE at the checkpoints the gateway wrote (the copy shipped off the machine).`,
    });

  valid.sort((a, b) => a.seq - b.seq || a.at.localeCompare(b.at));
  const hashes = await hashesAt(
    db,
    valid.map((checkpoint) => checkpoint.seq),
  );
  const latest = valid.at(-1) ?? null;
  if (latest && latest.seq > stored.lastSeq)
    failures.push({
      kind: 'cut-off',
      message:
        `Audit CUT OFF: the chain ends at record ${stored.lastSeq}, but the checkpoint signed at ${latest.at} names record ${latest.seq}: ` +
        `${span(stored.lastSeq + 1, latest.seq)} deleted after ${latest.seq - stored.lastSeq === 1 ? 'it was' : 'they were'} checkpointed.`,
    });
  let matched = 0;
  let mismatches = 0;
  for (const checkpoint of valid) {
    if (checkpoint.seq > stored.lastSeq) continue;
    const hash = hashes.get(checkpoint.seq);
    if (hash === checkpoint.hash) {
      if (mismatches === 0) matched = checkpoint.seq;
      continue;
    }
    mismatches += 1;
    if (mismatches > 1) continue;
    if (hash === undefined)
      failures.push({
        kind: 'deleted',
        message: `Audit record ${checkpoint.seq} is missing (deleted), though the checkpoint signed at ${checkpoint.at} names it.`,
      });
    else if (!chain.broken || chain.broken.seq > checkpoint.seq)
      failures.push({
        kind: 're-hashed',
        message:
          `Audit RE-HASHED: record ${checkpoint.seq}'s hash differs from the checkpoint signed at ${checkpoint.at}, ` +
          `though the chain up to it holds among itself: ${span(matched + 1, checkpoint.seq)} edited, inserted or deleted ` +
          'and every later hash recomputed by someone without the audit key.',
      });
    else
      failures.push({
        kind: 'differs',
        message: `Audit record ${checkpoint.seq}'s hash differs from the checkpoint signed at ${checkpoint.at}.`,
      });
  }
  if (mismatches > 1)
    failures.push({
      kind: 'differs',
      message: `${mismatches - 1} later checkpoints differ from the database too.`,
    });

  return {
    chain,
    stored,
    files: options.files,
    checkpoints: valid.length,
    latest,
    afterLatest: latest ? Math.max(0, stored.lastSeq - latest.seq) : stored.records,
    failures,
    warnings,
  };
}

/** Several checkpoint files read as one, each line named by its file when there are several ("b.jsonl line 3"). */
async function readCheckpointFiles(files: string[]): Promise<{
  found: boolean;
  lines: { line: string; checkpoint: Checkpoint }[];
  malformed: { line: string; reason: string }[];
  torn: string[];
}> {
  const read = await Promise.all(files.map(readCheckpoints));
  const where = (index: number, line: number) => (files.length > 1 ? `${files[index]} line ${line}` : `line ${line}`);
  return {
    found: read.some((file) => file.found),
    lines: read.flatMap((file, index) =>
      file.lines.map(({ line, checkpoint }) => ({ line: where(index, line), checkpoint })),
    ),
    malformed: read.flatMap((file, index) =>
      file.malformed.map(({ line, reason }) => ({ line: where(index, line), reason })),
    ),
    torn: files.filter((_, index) => read[index].torn),
  };
}

/** "record 7 was" or "records 3..7 were". */
function span(from: number, to: number): string {
  return from === to ? `record ${from} was` : `records ${from}..${to} were`;
}

async function storedRange(db: DataSource): Promise<AuditVerification['stored']> {
  const row = await db
    .getRepository(AuditRecord)
    .createQueryBuilder('r')
    .select('COUNT(*)', 'records')
    .addSelect('MAX(r.seq)', 'lastSeq')
    .getRawOne<{ records: string | number; lastSeq: string | number | null }>();
  return { records: Number(row?.records ?? 0), lastSeq: Number(row?.lastSeq ?? 0) };
}

async function hashesAt(db: DataSource, seqs: number[]): Promise<Map<number, string>> {
  const hashes = new Map<number, string>();
  const unique = [...new Set(seqs)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db.getRepository(AuditRecord).find({
      select: { seq: true, hash: true },
      where: { seq: In(unique.slice(start, start + 500)) },
    });
    for (const row of rows) hashes.set(row.seq, row.hash);
  }
  return hashes;
}
