import { parseCommandLine, runTool } from './cli';
import { loadConfig } from './config';
import { queryGateway } from '../subgraphs/shared/gateway-client';
import { loadAuth, toolToken } from '../lib/auth-config';

/**
 * `npm run findings:refresh`: asks the running system (through the gateway, like any client) to
 * re-evaluate every finding rule. The oversight service reads the agencies in pages of 500 persons.
 * Runs as TIMPORA_TOKEN's user, or in development as a generated analyst token.
 */
const REFRESH = 'mutation { refreshFindings { personsChecked open opened closed startedAt finishedAt } }';

const CLI = {
  command: 'npm run findings:refresh --',
  summary: "Re-evaluates every finding rule on the running system, through the gateway (as TIMPORA_TOKEN's user).",
  options: {},
} as const;

async function main() {
  parseCommandLine(CLI);
  const config = loadConfig();
  const token = await toolToken(await loadAuth(config.auth), {
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

runTool(main, { failure: 'Findings refresh failed' });
