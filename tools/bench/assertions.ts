import { createSecretKey, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { assertionSigner, assertionVerifier, GATEWAY, IssuerKey, ReplayGuard } from '../../lib/assertions';
import { generateSigningKeys } from '../../lib/auth';
import { countOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:assertions [-- --runs 5000]`: what vouching for a user costs per call — signing
 * one assertion (the gateway, once per subgraph call) and verifying it with the replay check (the
 * subgraph) — in microseconds of CPU on this machine, with the agency's HMAC secret (what the
 * gateway uses) and with an Ed25519 key (what delegations use, and agency assertions used before).
 * A full view by passport makes three subgraph calls (immigration, then police and manpower).
 */
const CLI = {
  command: 'npm run bench:assertions --',
  summary: 'CPU per call of signing and verifying the per-call identity assertions.',
  options: { runs: { type: 'string', default: '5000', value: 'N', description: 'calls measured (default 5000)' } },
} as const;

const CALLS_PER_FULL_VIEW = 3;

async function main() {
  const runs = countOption('runs', parseCommandLine(CLI).values.runs);
  const ed25519 = await generateSigningKeys();
  const schemes: Array<[string, IssuerKey, IssuerKey]> = [
    ['HMAC-SHA256', ...twice({ algorithm: 'HS256', key: createSecretKey(randomBytes(32)) })],
    ['Ed25519', { algorithm: 'EdDSA', key: ed25519.privateKey }, { algorithm: 'EdDSA', key: ed25519.publicKey }],
  ];
  for (const [name, signingKey, verifyingKey] of schemes) {
    const { signing, verifying } = await measure(runs, signingKey, verifyingKey);
    console.log(
      `${name.padEnd(12)} sign ${signing.toFixed(1).padStart(6)} µs, verify (+replay) ${verifying.toFixed(1).padStart(6)} µs, ` +
        `full view (${CALLS_PER_FULL_VIEW} calls) ${(CALLS_PER_FULL_VIEW * (signing + verifying)).toFixed(0)} µs of CPU per request`,
    );
  }
}

function twice(key: IssuerKey): [IssuerKey, IssuerKey] {
  return [key, key];
}

async function measure(runs: number, signingKey: IssuerKey, verifyingKey: IssuerKey) {
  const sign = assertionSigner(GATEWAY, () => signingKey, 30);
  const verify = assertionVerifier({
    audience: 'police',
    trusted: async () => verifyingKey,
    maxLifetimeSeconds: 30,
    replays: new ReplayGuard(),
  });
  const identity = { subject: 'bench', roles: ['analyst' as const], pii: true };
  const tokens: string[] = [];
  for (let i = 0; i < 200; i += 1) await verify(await sign(identity, { audience: 'police', requestId: 'warm' }));
  const signing = await timed(runs, async () => {
    tokens.push(await sign(identity, { audience: 'police', requestId: 'bench' }));
  });
  const verifying = await timed(runs, async () => {
    await verify(tokens.pop()!);
  });
  return { signing, verifying };
}

async function timed(runs: number, work: () => Promise<void>): Promise<number> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) await work();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  return Math.max((used.user + used.system) / runs, 0) || (wall * 1000) / runs;
}

runTool(main);
