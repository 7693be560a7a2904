import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Identity } from '../../lib/auth';
import { IDENTITY_HEADER } from '../../lib/assertions';
import { loadAuth } from '../../lib/auth-config';
import { projectRoot } from '../../lib/paths';
import { loadConfig } from '../config';
import { numberOption, parseCommandLine, runTool } from '../cli';

/**
 * Hive Gateway (H of `npm run bench:gateway`): its runtime, as @graphql-hive/gateway 2.15 ships it
 * (@graphql-hive/gateway-runtime), on node:http, over the same supergraph and subgraphs as the
 * project's gateway. Like the Apollo reference (reference-gateway.ts) it adds only what our
 * subgraphs need to answer at all: each subgraph call carries its own identity assertion, signed
 * for that subgraph (a plugin's onFetch). No audit, limits, metrics or per-request token checks.
 *
 * It is not one of the project's dependencies: `installHiveGateway()` installs it, pinned, into a
 * folder of its own (`~/.cache/timpora-bench/hive-gateway`, or HIVE_GATEWAY_DIR), once.
 *
 * `node dist/tools/bench/hive-gateway.js --port 4200`, in the environment the subgraphs run in
 * (their URLs and keys), with HIVE_GATEWAY_DIR set; listens on 127.0.0.1.
 */
export const HIVE_GATEWAY_VERSION = '2.15.1';
const HIVE_PACKAGE = {
  name: 'timpora-bench-hive-gateway',
  private: true,
  // Node 20: @graphql-hive/gateway 2.15.1 declares engines node >=20.0.0.
  dependencies: { '@graphql-hive/gateway': HIVE_GATEWAY_VERSION, graphql: '16.15.0' },
  overrides: { graphql: '16.15.0' },
};

export const hiveGatewayDir = () =>
  process.env.HIVE_GATEWAY_DIR ?? path.join(os.homedir(), '.cache', 'timpora-bench', 'hive-gateway');

/**
 * Installs Hive Gateway into its folder unless the pinned version is there already; returns the
 * folder, or undefined (with why on standard error) when it cannot be installed, e.g. offline.
 */
export function installHiveGateway(dir = hiveGatewayDir()): string | undefined {
  const manifest = JSON.stringify(HIVE_PACKAGE, null, 2);
  const installed = path.join(dir, 'node_modules', '@graphql-hive', 'gateway', 'package.json');
  const current = existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === HIVE_GATEWAY_VERSION;
  if (current && readFileSync(path.join(dir, 'package.json'), 'utf8') === manifest) return dir;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), manifest);
    console.log(`Installing Hive Gateway ${HIVE_GATEWAY_VERSION} into ${dir} (once)…`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
    return dir;
  } catch (error) {
    console.error(`Hive Gateway could not be installed (${(error as Error).message}): H is unavailable`);
    return undefined;
  }
}

const CLI = {
  command: 'node dist/tools/bench/hive-gateway.js',
  summary: 'Hive Gateway over the running subgraphs: a reference of npm run bench:gateway.',
  options: {
    port: {
      type: 'string',
      default: '4200',
      value: 'PORT',
      description: 'where it listens on 127.0.0.1 (default 4200)',
    },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const port = numberOption('port', values.port, 4200, { integer: true, min: 1, max: 65535 });
  const config = loadConfig();
  const auth = await loadAuth(config.auth, { vouchesTo: Object.keys(config.subgraphUrls) });
  const sign = auth.signAgencyAssertion!;
  // Hive's own modules, from its folder (CommonJS build).
  const hive = createRequire(path.join(hiveGatewayDir(), 'package.json'))('@graphql-hive/gateway-runtime');
  const subgraphByUrl = new Map(Object.entries(config.subgraphUrls).map(([name, url]) => [url, name]));
  // The supergraph names the default ports; the subgraphs run where the environment says.
  let supergraph = readFileSync(path.join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(config.subgraphUrls))
    supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`), `$1"${url}"`);
  // Verified once per token: the reference pays for the gateway's work, not for authentication.
  const identities = new Map<string, Promise<Identity>>();
  const identityOf = (authorization: string | null) => {
    const token = String(authorization ?? '').replace(/^Bearer /, '');
    if (!identities.has(token)) identities.set(token, auth.verifyUserToken(token));
    return identities.get(token)!;
  };
  const signing = {
    async onFetch({ url, options, setOptions, context }: any) {
      const subgraph = subgraphByUrl.get(url);
      const request = context?.request as Request | undefined;
      if (!subgraph || !request) return;
      const identity = await identityOf(request.headers.get('authorization'));
      const assertion = await sign(identity, { audience: subgraph, requestId: 'hive' });
      setOptions({ ...options, headers: { ...options.headers, [IDENTITY_HEADER]: assertion } });
    },
  };
  // Hive's logger reads LOG_LEVEL too, and refuses ours ("silent"); only its errors, then.
  process.env.LOG_LEVEL = 'error';
  const gateway = hive.createGatewayRuntime({ supergraph, logging: 'error', plugins: () => [signing] });
  createServer(gateway).listen(port, '127.0.0.1', () => console.log('ready'));
}

if (require.main === module) runTool(main);
