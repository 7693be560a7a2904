import { ROLES, Role } from '../lib/auth';
import { loadAuth, toolToken } from '../lib/auth-config';
import { listOption, numberOption, parseCommandLine, runTool } from './cli';
import { ConfigError, loadConfig } from './config';

/**
 * `npm run -s token -- --role analyst [--role supervisor] [--pii] [--subject alice] [--hours 8]`:
 * prints a development token signed with the key generated under data/keys at first start.
 * Production has no such key: tokens come from the identity provider.
 */
const CLI = {
  command: 'npm run -s token --',
  summary: 'Prints a development token (development only; production tokens come from the identity provider).',
  options: {
    role: {
      type: 'string',
      multiple: true,
      value: 'ROLE',
      description: `a role the token carries, repeatable (${ROLES.join(', ')}; default analyst)`,
    },
    pii: { type: 'boolean', description: 'the clearance to see personal data unmasked' },
    subject: { type: 'string', value: 'NAME', description: 'who the token names (default dev-<roles>)' },
    hours: {
      type: 'string',
      value: 'H',
      description: 'how long it lives (default 8, at most AUTH_MAX_TOKEN_LIFETIME: 12 by default)',
    },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const roles: Role[] = (values.role ?? ['analyst']).flatMap((role) => listOption('role', role, ROLES));
  const config = loadConfig();
  // The gateway refuses tokens that live longer than AUTH_MAX_TOKEN_LIFETIME: do not print one.
  const maxHours = config.auth.maxTokenLifetime / 3600;
  const hours = numberOption('hours', values.hours, Math.min(8, maxHours), {
    above: 0,
    max: maxHours,
    note: 'hours; the maximum is AUTH_MAX_TOKEN_LIFETIME in hours',
  });
  if (config.auth.production)
    throw new ConfigError('npm run token is for development; in production tokens come from the identity provider');
  const auth = await loadAuth(config.auth);
  const subject = values.subject ?? `dev-${roles.join('+')}${values.pii ? '+pii' : ''}`;
  console.log(
    await toolToken(auth, { subject, roles, pii: values.pii, lifetimeSeconds: Math.round(hours * 3600) }, {}),
  );
}

runTool(main);
