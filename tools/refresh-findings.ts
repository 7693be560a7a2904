import { loadConfig } from './config';
import { queryGateway } from '../subgraphs/shared/gateway-client';
import { loadAuth, toolToken } from '../lib/auth-config';

/**
 * `npm run findings:refresh`: asks the running system (through the gateway, like any client) to
 * re-evaluate every finding rule. The oversight service reads the agencies in pages of 500 persons.
 * Runs as TIMPORA_TOKEN's user, or in development as a generated analyst token.
 */
const REFRESH = 'mutation { refreshFindings { personsChecked open opened closed startedAt finishedAt } }';

async function main() {
  const config = loadConfig();
  const token = await toolToken(await loadAuth(config.auth, false), {
    subject: 'findings-refresh',
    roles: ['analyst'],
  });
  const { refreshFindings } = await queryGateway<{ refreshFindings: Record<string, unknown> }>(
    config.gatewayUrl,
    REFRESH,
    {},
    token,
  );
  console.log(refreshFindings);
}

main().catch((error: Error) => {
  console.error(`Findings refresh failed: ${error.message}`);
  process.exit(1);
});
