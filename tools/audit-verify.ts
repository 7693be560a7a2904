import { parseCommandLine, runTool } from './cli';
import { loadConfig } from './config';
import { openDatabase } from '../lib/database';
import { auditStorage } from '../lib/audit';
import { loadAuditPublicKey, verifyAudit } from '../lib/audit/checkpoint';

/**
 * `npm run audit:verify`: walks the read audit's hash chain (AUDIT_DATABASE_URL) and checks it
 * against every signed checkpoint in AUDIT_CHECKPOINT_FILE, with the audit public key
 * (AUDIT_PUBLIC_KEY_FILE). Exits 1 and names what it found: records edited, deleted or inserted, the
 * chain cut off after a checkpoint or re-hashed without the key, a checkpoint with a bad signature,
 * or records with no checkpoint file at all. Records after the latest checkpoint are protected by
 * the chain alone; it says how many there are. Gateway replicas that each write their own file:
 * `--checkpoints` once per file.
 */
const CLI = {
  command: 'npm run audit:verify --',
  summary:
    "Checks the read audit's hash chain against every signed checkpoint; exit 1 names what it found (README, Security).",
  options: {
    checkpoints: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'a checkpoint file, repeatable: one per gateway replica (default AUDIT_CHECKPOINT_FILE)',
    },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const config = loadConfig();
  const { dataSource } = await openDatabase({ url: config.databaseUrls.audit, ...auditStorage });
  try {
    const report = await verifyAudit(dataSource, {
      files: values.checkpoints ?? [config.auditCheckpoints.file],
      keys: () => loadAuditPublicKey(config.auditCheckpoints),
    });
    const { chain, stored, latest } = report;
    console.log(
      `Audit: ${records(stored.records)}${stored.records ? ` (1..${stored.lastSeq})` : ''}, ${
        chain.broken ? `${chain.records} hold before the first break` : `head hash ${chain.headHash}`
      }.`,
    );
    console.log(
      latest
        ? `Checkpoints: ${report.checkpoints} signed by the audit key in ${report.files.join(', ')}; the latest: record ${latest.seq}, hash ${latest.hash}, signed at ${latest.at} (${latest.reason}).`
        : `Checkpoints: none signed by the audit key in ${report.files.join(', ')}.`,
    );
    console.log(
      !latest
        ? `No checkpoint: all ${records(stored.records)} are protected by the chain alone.`
        : stored.lastSeq < latest.seq
          ? `The chain ends ${records(latest.seq - stored.lastSeq)} before the latest checkpoint.`
          : `${records(report.afterLatest)} after the latest checkpoint: protected by the chain alone until the next checkpoint.`,
    );
    for (const warning of report.warnings) console.log(`Warning: ${warning}`);
    for (const failure of report.failures) console.error(failure.message);
    if (report.failures.length) {
      const kinds = [...new Set(report.failures.map((failure) => failure.kind))];
      console.error(`Audit NOT intact: ${kinds.join(', ')}.`);
      process.exitCode = 1;
    } else {
      console.log(
        `Audit chain holds: ${records(chain.records)}, head hash ${chain.headHash}, consistent with every signed checkpoint.`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

const records = (count: number) => `${count} ${count === 1 ? 'record' : 'records'}`;

runTool(main, { failure: 'Audit not verified', exitCode: 2 });
