import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Answer, closedLoop, graphqlClient } from './load';
import { distTool, percentiles, residentMegabytes, startServiceProcesses } from './processes';
import { analystWorkloads } from './workloads';
import { countOption, listOption, parseCommandLine, runTool } from './cli';

/**
 * `npm run soak [-- --clients 20 --seconds 300 --gateways P,A --heap-snapshots DIR]`: the analysts'
 * mix (half full views, a third searches, the rest figures) from `clients` concurrent clients for
 * `seconds`, against each gateway in turn over the same subgraph processes and data:
 *   P  the project's gateway as `npm start --only gateway` runs it
 *   A  plain @apollo/gateway as shipped (tools/bench/reference-gateway.ts), the memory reference
 * Prints per gateway: errors, p50/p95/p99 per kind of operation, and the gateway's RSS at start,
 * at the end of the warm-up (the first fifth), at its peak and at the end. Exits 1 on any error,
 * when P's peak RSS is more than 50 MB above A's, or when P grows 10 % or more after the warm-up.
 * With `--heap-snapshots DIR`, P writes a heap snapshot there at the end of the warm-up and at the
 * end (SIGUSR2), for Chrome DevTools' comparison view. Loopback only; bounded by `seconds`.
 */
const MIX: [kind: 'fullView' | 'search' | 'figures', share: number][] = [
  ['fullView', 0.5],
  ['search', 0.3],
  ['figures', 0.2],
];
const ALLOWED_ABOVE_REFERENCE_MB = 50;
const ALLOWED_GROWTH = 0.1;
const SERIES_EVERY_MS = 30_000;

interface Memory {
  start: number;
  warm: number;
  peak: number;
  end: number;
}

const CLI = {
  command: 'npm run soak --',
  summary:
    "The analysts' mix against the gateway, then plain @apollo/gateway, on the same subgraph processes; exit 1 on an error or on growth.",
  options: {
    clients: { type: 'string', default: '20', value: 'N', description: 'concurrent clients (default 20)' },
    seconds: { type: 'string', default: '300', value: 'S', description: 'seconds per gateway (default 300)' },
    persons: { type: 'string', default: '2000', value: 'N', description: 'persons in the demo data (default 2000)' },
    gateways: {
      type: 'string',
      default: 'P,A',
      value: 'P,A',
      description: "P the project's gateway, A plain @apollo/gateway (default P,A)",
    },
    'heap-snapshots': { type: 'string', value: 'DIR', description: 'write two heap snapshots of P there' },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const clients = countOption('clients', values.clients);
  const seconds = countOption('seconds', values.seconds);
  const gateways = listOption('gateways', values.gateways, ['P', 'A']);
  const snapshots = values['heap-snapshots'] && path.resolve(values['heap-snapshots']);
  if (snapshots) mkdirSync(snapshots, { recursive: true });
  const system = await startServiceProcesses({
    basePort: 27500,
    persons: countOption('persons', values.persons),
    nodeOptions: snapshots ? { gateway: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`] } : {},
  });
  const memory: Record<string, Memory> = {};
  let errors = 0;
  try {
    if (gateways.includes('A')) await system.startBeside('A', distTool('bench/reference-gateway.js'), 27550);
    for (const name of gateways) {
      const service = name === 'P' ? 'gateway' : name;
      const client = graphqlClient(`http://127.0.0.1:${system.ports[service]}/graphql`, system.token, 64);
      const workloads = await analystWorkloads(client);
      const pid = system.child(service).pid;
      const durationMs = seconds * 1000;
      const rss = () => residentMegabytes(pid) ?? NaN;
      const seen: Memory = { start: rss(), warm: NaN, peak: 0, end: NaN };
      const series: number[] = [];
      const sampler = setInterval(() => {
        seen.peak = Math.max(seen.peak, rss());
        if (series.length * SERIES_EVERY_MS <= performance.now() - started) series.push(rss());
      }, 1000);
      const started = performance.now();
      const warmUp = setTimeout(() => {
        seen.warm = rss();
        if (snapshots && name === 'P') system.child(service).kill('SIGUSR2');
      }, durationMs / 5);
      const latencies: Record<string, number[]> = {};
      const failures = new Map<string, number>();
      let turn = 0;
      await closedLoop(clients, durationMs, async () => {
        const kind = kindOf(turn++);
        const answer = await client.ask(...workloads[kind]());
        (latencies[kind] ??= []).push(answer.ms);
        const failure = failureOf(answer);
        if (failure) failures.set(failure, (failures.get(failure) ?? 0) + 1);
      });
      clearInterval(sampler);
      clearTimeout(warmUp);
      seen.end = rss();
      seen.peak = Math.max(seen.peak, seen.end);
      if (snapshots && name === 'P') system.child(service).kill('SIGUSR2');
      await client.close();
      memory[name] = seen;
      const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
      if (name === 'P') errors = failed;
      const answers = Object.values(latencies).reduce((sum, list) => sum + list.length, 0);
      console.log(`${name}: ${answers} answers in ${seconds} s, ${failed} errors`);
      for (const [failure, count] of failures) console.log(`  ${count} × ${failure}`);
      for (const [kind, list] of Object.entries(latencies)) console.log(`  ${kind.padEnd(9)} ${percentiles(list)}`);
      console.log(
        `  gateway RSS: start ${mb(seen.start)}, after warm-up ${mb(seen.warm)}, peak ${mb(seen.peak)}, end ${mb(seen.end)};` +
          ` growth after warm-up ${percent(growth(seen))}`,
      );
      console.log(`  RSS every ${SERIES_EVERY_MS / 1000} s: ${series.map((value) => value.toFixed(0)).join(' ')} MB`);
    }
    if (snapshots) await new Promise((resolve) => setTimeout(resolve, 5000)); // the last snapshot is written
  } finally {
    system.stop();
  }
  const verdicts = verdictsOf(memory, errors);
  for (const verdict of verdicts) console.log(verdict.line);
  const failed = verdicts.some((verdict) => !verdict.holds);
  console.log(`soak: ${failed ? '0 passed, 1 failed' : '1 passed, 0 failed'}`);
  process.exitCode = failed ? 1 : 0;
}

/** The mix, deterministic: turn by turn through the shares. */
function kindOf(turn: number): (typeof MIX)[number][0] {
  const point = (turn * 0.618034) % 1;
  let sum = 0;
  for (const [kind, share] of MIX) if (point < (sum += share)) return kind;
  return MIX[0][0];
}

/** An answer that is not a whole answer: HTTP status, or the first error's code and message. */
function failureOf(answer: Answer): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.errors?.[0]?.message ?? ''}`.slice(0, 160);
  const error = answer.body.errors?.[0];
  return error ? `${error.extensions?.code ?? 'error'}: ${error.message}`.slice(0, 160) : undefined;
}

function verdictsOf(memory: Record<string, Memory>, errors: number) {
  const verdicts = [{ holds: errors === 0, line: `errors: ${errors}` }];
  const project = memory.P;
  if (!project) return verdicts;
  verdicts.push({
    holds: growth(project) < ALLOWED_GROWTH,
    line: `P grew ${percent(growth(project))} after the warm-up (allowed: less than ${percent(ALLOWED_GROWTH)})`,
  });
  if (memory.A)
    verdicts.push({
      holds: project.peak - memory.A.peak <= ALLOWED_ABOVE_REFERENCE_MB,
      line: `P's peak RSS is ${(project.peak - memory.A.peak).toFixed(0)} MB above A's (allowed: ${ALLOWED_ABOVE_REFERENCE_MB} MB)`,
    });
  return verdicts;
}

/** Growth from the end of the warm-up to the end of the run (the peak can be a passing GC high). */
const growth = (memory: Memory) => (memory.end - memory.warm) / memory.warm;
const mb = (value: number) => `${value.toFixed(0)} MB`;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

runTool(main);
