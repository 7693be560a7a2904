import { loadConfig } from '../lib/config';

/**
 * `npm run findings:refresh`: asks the running system (through the gateway, like any client) to
 * re-evaluate every finding rule. The oversight service reads the agencies in pages of 500 persons.
 */
async function main() {
  const { gatewayUrl } = loadConfig();
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { refreshFindings { personsChecked open opened closed startedAt finishedAt } }' }),
  });
  const body = (await response.json()) as { data?: { refreshFindings: Record<string, unknown> }; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('\n'));
  console.log(body.data!.refreshFindings);
}

main().catch((error) => {
  console.error(`Findings refresh failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
