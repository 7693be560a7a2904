import { performance } from 'node:perf_hooks';
import { assertionSigner, assertionVerifier, GATEWAY, ReplayGuard } from '../../lib/assertions';
import { generateSigningKeys } from '../../lib/auth';
import { countOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:assertions [-- --runs 5000]`: what vouching for a user costs per call — signing
 * one assertion (the gateway, once per subgraph call) and verifying it with the replay check (the
 * subgraph) — in microseconds of CPU on this machine. A full view by passport makes four subgraph
 * calls (immigration, then police and manpower twice), so it signs and verifies four.
 */
const CLI = {
  command: 'npm run bench:assertions --',
  summary: 'CPU per call of signing and verifying the per-call identity assertions.',
  options: { runs: { type: 'string', default: '5000', value: 'N', description: 'calls measured (default 5000)' } },
} as const;

async function main() {
  const runs = countOption('runs', parseCommandLine(CLI).values.runs);
  const keys = await generateSigningKeys();
  const sign = assertionSigner(GATEWAY, keys.privateKey, 30);
  const verify = assertionVerifier({
    audience: 'police',
    trusted: async () => keys.publicKey,
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
  console.log(`sign one assertion:   ${signing.toFixed(1)} µs`);
  console.log(`verify one (+replay): ${verifying.toFixed(1)} µs`);
  console.log(`full view (4 calls):  ${(4 * (signing + verifying)).toFixed(0)} µs of CPU per request`);
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
