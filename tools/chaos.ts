import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES } from '../subgraphs';

/**
 * `npm run chaos [-- --agencies police,manpower --seconds 15 --clients 20]`: every service in its
 * own process on 127.0.0.1, the analysts' full view under load from `clients` concurrent clients,
 * then each agency in turn frozen (SIGSTOP) and killed (SIGKILL, then restarted). Prints per
 * phase: answers that kept the other agencies' data, latency p50/p95/p99, the time until answers
 * are whole again, and whether the gateway stayed up. Exits 1 when an answer lost the other
 * agencies' data or the gateway crashed. Loopback only, bounded in time.
 */
const FULL_VIEW = `query($number: String!, $country: String!) { foreignNationalByPassport(number: $number, country: $country) {
  id fullName stayPermits { permitNumber } workPermits { rptkaNumber } policeReports { role } registrations { registrationNumber } } }`;

const root = path.join(__dirname, '..', '..');
const dist = (tool: string) => path.join(root, 'dist', 'tools', tool);

interface Sample {
  /** When it was sent, in ms since the phase began. */
  sentAt: number;
  ms: number;
  whole: boolean;
  keptOthers: boolean;
}

async function main() {
  const { values } = parseArgs({
    options: {
      agencies: { type: 'string', default: 'immigration,manpower,police,oversight' },
      seconds: { type: 'string', default: '15' },
      clients: { type: 'string', default: '20' },
      persons: { type: 'string', default: '400' },
    },
  });
  const seconds = Number(values.seconds);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-chaos-'));
  const ports = Object.fromEntries([...SUBGRAPH_NAMES, 'gateway'].map((name, index) => [name, 47100 + index]));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    TIMPORA_TODAY: '2025-06-18',
    RATE_LIMIT_PER_MINUTE: '0',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
  };
  execFileSync(process.execPath, [dist('seed.js'), '--persons', values.persons, '--anchor', '2025-06-18'], {
    env,
    stdio: 'ignore',
  });
  // One process creates the development keys, so that the services do not race to write them.
  const token = execFileSync(process.execPath, [dist('token.js'), '--role', 'analyst', '--pii'], { env })
    .toString()
    .trim();
  const manifest = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'));
  const passport = manifest.examples.renewedPassport.currentPassport;
  const services = new Map<string, ChildProcess>();
  const start = async (name: string) => {
    services.set(name, spawn(process.execPath, [dist('start.js'), '--only', name], { env, stdio: 'ignore' }));
    await ready(`http://127.0.0.1:${ports[name]}/health/live`);
  };
  let failed = false;
  try {
    for (const name of SUBGRAPH_NAMES) await start(name);
    await start('gateway');
    const gateway = services.get('gateway')!;
    const url = `http://127.0.0.1:${ports.gateway}/graphql`;
    const ask = async (phaseStarted: number): Promise<Sample> => {
      const started = performance.now();
      const sentAt = Date.now() - phaseStarted;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: FULL_VIEW, variables: passport }),
      }).catch(() => null);
      const body = response ? ((await response.json().catch(() => ({}))) as { data?: any; errors?: unknown[] }) : {};
      const person = body.data?.foreignNationalByPassport;
      return {
        sentAt,
        ms: performance.now() - started,
        whole: Boolean(person && !body.errors),
        keptOthers: Boolean(person?.fullName),
      };
    };
    const load = async (ms: number, stopWhenWhole = false) => {
      const samples: Sample[] = [];
      const phaseStarted = Date.now();
      const until = phaseStarted + ms;
      let whole = false;
      await Promise.all(
        Array.from({ length: Number(values.clients) }, async () => {
          while (Date.now() < until && !(stopWhenWhole && whole)) {
            const sample = await ask(phaseStarted);
            samples.push(sample);
            if (sample.whole) whole = true;
          }
        }),
      );
      return samples;
    };
    report('baseline, all up', await load(seconds * 1000));
    for (const agency of values.agencies.split(',')) {
      const process_ = services.get(agency)!;
      process_.kill('SIGSTOP');
      const frozen = await load(seconds * 1000);
      process_.kill('SIGCONT');
      const recoveryStarted = Date.now();
      await load(60_000, true);
      failed ||= report(`${agency} frozen`, frozen, agency === 'immigration', Date.now() - recoveryStarted);
      process_.kill('SIGKILL');
      const killed = await load(seconds * 1000);
      const restarted = Date.now();
      await start(agency);
      await load(60_000, true);
      failed ||= report(`${agency} killed`, killed, agency === 'immigration', Date.now() - restarted);
    }
    const gatewayUp = gateway.exitCode === null;
    console.log(`gateway crashes: ${gatewayUp ? 0 : 1}`);
    failed ||= !gatewayUp;
  } finally {
    for (const child of services.values()) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`chaos: ${failed ? '0 passed, 1 failed' : '1 passed, 0 failed'}`);
  process.exitCode = failed ? 1 : 0;
}

/** One line per phase; true when an answer lost what the agencies that were up hold. */
function report(phase: string, samples: Sample[], ownsTheRoot = false, recoveryMs?: number): boolean {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]?.toFixed(0);
  const kept = samples.filter((sample) => sample.keptOthers).length;
  const recovery =
    recoveryMs === undefined ? '' : `; whole again ${(recoveryMs / 1000).toFixed(1)} s after it came back`;
  // Answers sent once the first calls have had their timeout: the breaker should be open by then.
  const later = samples
    .filter((sample) => sample.sentAt > BREAKER_SETTLED_MS)
    .map((sample) => sample.ms)
    .sort((a, b) => a - b);
  const settled = later.length
    ? `; sent after ${BREAKER_SETTLED_MS / 1000} s: p95 ${later[Math.floor(0.95 * later.length)].toFixed(0)} ms`
    : '';
  console.log(
    `${phase.padEnd(22)} ${samples.length} answers, ${kept} with the other agencies' data; ` +
      `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms${settled}${recovery}`,
  );
  // With immigration (who owns the person) down there is no person to hang the rest on.
  return !ownsTheRoot && kept < samples.length;
}

/** The default agency timeout and a second: by then a frozen agency's breaker is open. */
const BREAKER_SETTLED_MS = 6000;

async function ready(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
