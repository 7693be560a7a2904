import { parseArgs } from 'node:util';
import { ROLES, Role } from '../lib/auth';
import { loadAuth, toolToken } from '../lib/auth-config';
import { ConfigError, loadConfig } from './config';

/**
 * `npm run token -- --role analyst [--role supervisor] [--pii] [--subject alice] [--hours 8]`
 * (at most AUTH_MAX_TOKEN_LIFETIME, 12 h by default):
 * prints a development token signed with the key generated under data/keys at first start.
 * Production has no such key: tokens come from the identity provider.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: ['analyst'] },
      pii: { type: 'boolean', default: false },
      subject: { type: 'string' },
      hours: { type: 'string' },
    },
  });
  const roles = values.role as Role[];
  const unknown = roles.filter((role) => !ROLES.includes(role));
  if (unknown.length) throw new ConfigError(`Unknown role ${unknown.join(', ')}; roles: ${ROLES.join(', ')}`);
  const config = loadConfig();
  // The gateway refuses tokens that live longer than AUTH_MAX_TOKEN_LIFETIME: do not print one.
  const maxHours = config.auth.maxTokenLifetime / 3600;
  const hours = values.hours === undefined ? Math.min(8, maxHours) : Number(values.hours);
  if (!(hours > 0 && hours <= maxHours))
    throw new ConfigError(`--hours must be more than 0 and at most ${maxHours} (AUTH_MAX_TOKEN_LIFETIME)`);
  if (config.auth.production)
    throw new ConfigError('npm run token is for development; in production tokens come from the identity provider');
  const auth = await loadAuth(config.auth, false);
  const subject = values.subject ?? `dev-${roles.join('+')}${values.pii ? '+pii' : ''}`;
  console.log(
    await toolToken(auth, { subject, roles, pii: values.pii, lifetimeSeconds: Math.round(hours * 3600) }, {}),
  );
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
