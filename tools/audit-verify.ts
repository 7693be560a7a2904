import { loadConfig } from './config';
import { openDatabase } from '../lib/database';
import { auditStorage } from '../lib/audit';
import { verifyChain } from '../lib/audit/chain';

/**
 * `npm run audit:verify`: walks the read audit's hash chain (AUDIT_DATABASE_URL) and exits 1 at the
 * first edited, inserted or deleted record. Prints the head hash: kept elsewhere (a ticket, a
 * print-out), it also shows whether records were cut off the end since.
 */
async function main() {
  const { dataSource } = await openDatabase({ url: loadConfig().databaseUrls.audit, ...auditStorage });
  try {
    const check = await verifyChain(dataSource);
    if (check.broken) {
      console.error(
        `Audit chain BROKEN at record ${check.broken.seq}: ${check.broken.reason}. ${check.records} records before it hold.`,
      );
      process.exitCode = 1;
    } else {
      console.log(`Audit chain holds: ${check.records} records, head hash ${check.headHash}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  console.error(`Audit not verified: ${error.message}`);
  process.exit(2);
});
