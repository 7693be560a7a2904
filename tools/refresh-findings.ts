import { loadConfig } from '../lib/config';
import { queryGateway } from '../subgraphs/shared/gateway-client';

/**
 * `npm run findings:refresh`: asks the running system (through the gateway, like any client) to
 * re-evaluate every finding rule. The oversight service reads the agencies in pages of 500 persons.
 */
const REFRESH = 'mutation { refreshFindings { personsChecked open opened closed startedAt finishedAt } }';

queryGateway<{ refreshFindings: Record<string, unknown> }>(loadConfig().gatewayUrl, REFRESH, {})
  .then(({ refreshFindings }) => console.log(refreshFindings))
  .catch((error: Error) => {
    console.error(`Findings refresh failed: ${error.message}`);
    process.exit(1);
  });
