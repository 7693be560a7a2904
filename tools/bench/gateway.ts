import os from 'node:os';
import path from 'node:path';
import { loadAuth, readAuthSettings } from '../../lib/auth-config';
import { Answer, closedLoop, graphqlClient } from '../load';
import {
  distTool,
  latencyPercentiles,
  processCpuMs,
  residentMegabytes,
  ServiceProcess,
  ServiceProcesses,
  startServiceProcesses,
} from '../processes';
import { SUBGRAPH_NAMES } from '../../subgraphs';
import { analystWorkloads } from '../workloads';
import { runTool } from '../cli';
import { benchSettings, BenchSettings, QueryName, TargetName } from './gateway-options';
import { HIVE_GATEWAY_VERSION, installHiveGateway } from './hive-gateway';
import { CapturedRequest, describePlan, replayer, startRecorder } from './replay';
import { startRefSystem } from './ref-system';

/**
 * `npm run bench:gateway [-- --mode short|full --ref 79d07ce]`: the project's gateway against
 * other gateways and against no gateway at all, on the same subgraph processes and data, in one
 * run, target after target in each round (medians over the rounds):
 *   P  the project's gateway as `npm start --only gateway` runs it (auth, audit, limits, metrics, logs)
 *   A  plain @apollo/gateway + @apollo/server as shipped (reference-gateway.ts)
 *   B  A with the gateway's keep-alive undici fetcher
 *   H  Hive Gateway 2.15 (hive-gateway.ts; installed in a folder of its own, else unavailable)
 *   D  the limit: P's own subgraph calls, captured and replayed straight at the subgraphs (replay.ts)
 *   ref <commit>  with --ref: that commit's whole system, its own subgraphs and gateway (ref-system.ts)
 * Per target: requests/s, p50/p95/p99, errors (any error makes a target invalid), the gateway's
 * and the subgraphs' CPU per request (from /proc) and the gateway's peak RSS; then the ratios.
 * Variables vary per request (a different person or page each time), so no gateway can collapse
 * identical requests. Loopback only; bounded by rounds × targets × seconds.
 */
interface Target {
  name: string;
  /** Undefined for D: no gateway. */
  gatewayPid?: number;
  subgraphPids: number[];
  ask(query: QueryName): Promise<Answer>;
  close(): Promise<void>;
}

interface Run {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError?: string;
  gatewayCpuMs?: number;
  subgraphCpuMs: number;
  peakRssMb?: number;
}

const BASE_PORT = 27300;
const BESIDE_PORTS: Record<string, number> = { A: 27350, B: 27351, H: 27352 };
const CAPTURE_GATEWAY_PORT = 27353;
const REF_BASE_PORT = 27400;
/** Requests of each query captured for D (replayed in turn). */
const CAPTURED_REQUESTS = 64;
const WARM_MS = 1000;
/**
 * Every service as npm start runs it: its JSON log line per request at `info` (to /dev/null: the
 * formatting and the write are measured, not a terminal), and the per-user rate limit counting
 * every request, set too high to refuse the load.
 */
const AS_NPM_START: NodeJS.ProcessEnv = { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000' };

async function main() {
  const settings = benchSettings();
  const hiveDir = settings.targets.includes('H') ? installHiveGateway() : undefined;
  const targetNames = settings.targets.filter((name) => name !== 'H' || hiveDir);
  const system = await startServiceProcesses({ basePort: BASE_PORT, persons: settings.persons, env: AS_NPM_START });
  const targets: Target[] = [];
  let stopRef = () => {};
  try {
    const analyst = await analystWorkloads(graphqlClient(urlOf(system.ports.gateway), system.token, 4));
    const workloads = { Q1: analyst.fullView, Q2: analyst.page };
    const subgraphPids = SUBGRAPH_NAMES.map((name) => system.child(name).pid!);
    for (const name of targetNames) {
      if (name === 'D') targets.push(await directTarget(system, settings.queries, workloads, subgraphPids));
      else {
        if (name !== 'P') await startReference(system, name);
        const service = name === 'P' ? 'gateway' : name;
        const client = graphqlClient(urlOf(system.ports[service]), system.token, 64);
        targets.push(gatewayTarget(name, client, workloads, system.child(service).pid!, subgraphPids));
      }
    }
    if (settings.ref) {
      const ref = await startRefSystem({
        ref: settings.ref,
        basePort: REF_BASE_PORT,
        persons: settings.persons,
        env: system.env,
      });
      stopRef = ref.stop;
      const client = graphqlClient(urlOf(ref.ports.gateway), ref.token, 64);
      const own = await analystWorkloads(client);
      const name = `ref ${ref.commit.slice(0, 7)}`;
      targets.push(gatewayTarget(name, client, { Q1: own.fullView, Q2: own.page }, ref.gatewayPid, ref.subgraphPids));
    }
    const results = await measureAll(targets, settings);
    printReport(settings, results, hiveDir);
  } finally {
    await Promise.all(targets.map((target) => target.close()));
    stopRef();
    system.stop();
  }
}

const urlOf = (port: number) => `http://127.0.0.1:${port}/graphql`;

function gatewayTarget(
  name: string,
  client: ReturnType<typeof graphqlClient>,
  workloads: Record<QueryName, () => [string, Record<string, unknown>]>,
  gatewayPid: number,
  subgraphPids: number[],
): Target {
  return { name, gatewayPid, subgraphPids, ask: (query) => client.ask(...workloads[query]()), close: client.close };
}

const REFERENCE_ARGS: Partial<Record<TargetName, string[]>> = { A: [], B: ['--fetcher', 'undici'], H: [] };

async function startReference(system: ServiceProcesses, name: TargetName) {
  const script = distTool(name === 'H' ? 'bench/hive-gateway.js' : 'bench/reference-gateway.js');
  await system.startBeside(name, script, BESIDE_PORTS[name], REFERENCE_ARGS[name]);
}

/**
 * D: a second project gateway, in a process of its own, calls the subgraphs through the recorder
 * for a capture phase; then it is stopped, and its calls are replayed by this process.
 */
async function directTarget(
  system: ServiceProcesses,
  queries: QueryName[],
  workloads: Record<QueryName, () => [string, Record<string, unknown>]>,
  subgraphPids: number[],
): Promise<Target> {
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, urlOf(system.ports[name])]));
  const recorder = await startRecorder(subgraphUrls);
  const proxied = Object.fromEntries(
    Object.entries(recorder.proxyUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
  );
  const dataDir = system.env.DATA_DIR!;
  // An audit of its own: two writers of one hash chain would break P's (it reads the head once).
  const env: NodeJS.ProcessEnv = {
    ...system.env,
    ...proxied,
    GATEWAY_PORT: String(CAPTURE_GATEWAY_PORT),
    AUDIT_DATABASE_URL: `sqlite:${path.join(dataDir, 'capture-audit.sqlite')}`,
    AUDIT_CHECKPOINT_FILE: path.join(dataDir, 'capture-audit-checkpoints.jsonl'),
  };
  const gateway = new ServiceProcess('gateway', { env, cwd: dataDir });
  const captured: Partial<Record<QueryName, CapturedRequest[]>> = {};
  try {
    const client = graphqlClient(await gateway.start(), system.token, 1);
    for (const query of queries) {
      const requests: CapturedRequest[] = [];
      for (let i = 0; i < CAPTURED_REQUESTS; i += 1)
        requests.push(
          await recorder.capture(async () => {
            const answer = await client.ask(...workloads[query]());
            if (answer.status !== 200 || answer.body.errors)
              throw new Error(`D: capturing ${query} failed: ${JSON.stringify(answer.body.errors ?? answer.status)}`);
          }),
        );
      captured[query] = requests;
      console.log(`D: ${query} captured ${requests.length} requests, plan ${plansOf(requests)}`);
    }
    await client.close();
  } finally {
    await gateway.stop();
    await recorder.close();
  }
  const auth = await loadAuth(readAuthSettings(system.env, dataDir), { vouchesTo: SUBGRAPH_NAMES });
  const identity = await auth.verifyUserToken(system.token);
  const replay = replayer(subgraphUrls, auth.signAgencyAssertion!, identity);
  let turn = 0;
  return {
    name: 'D',
    subgraphPids,
    ask: (query) => replay.ask(captured[query]![turn++ % captured[query]!.length]),
    close: replay.close,
  };
}

/** The plan shapes seen, most frequent first ("… ×64"). */
function plansOf(requests: CapturedRequest[]): string {
  const counts = new Map<string, number>();
  for (const request of requests) counts.set(describePlan(request), (counts.get(describePlan(request)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([plan, count]) => `${plan} ×${count}`)
    .join('; ');
}

type Results = Map<string, Map<string, Run[]>>;
const cellKey = (query: QueryName, clients: number) => `${query} ${clients}`;

async function measureAll(targets: Target[], settings: BenchSettings): Promise<Results> {
  const results: Results = new Map();
  for (const query of settings.queries)
    for (const clients of settings.clients) {
      const cell = new Map<string, Run[]>();
      results.set(cellKey(query, clients), cell);
      for (let round = 0; round < settings.rounds; round += 1)
        for (const target of targets) {
          const run = await measure(target, query, clients, settings.seconds);
          (cell.get(target.name) ?? cell.set(target.name, []).get(target.name)!).push(run);
          console.error(
            `  ${query} ${clients} clients round ${round + 1} ${target.name}: ${run.rps.toFixed(0)} req/s, ` +
              `${run.errors} errors${run.firstError ? ` (${run.firstError.slice(0, 200)})` : ''}`,
          );
        }
    }
  return results;
}

async function measure(target: Target, query: QueryName, clients: number, seconds: number): Promise<Run> {
  // Warm: plans cached, connections open.
  await closedLoop(clients, WARM_MS, () => target.ask(query));
  const subgraphCpu = () => target.subgraphPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const gatewayCpuBefore = target.gatewayPid ? processCpuMs(target.gatewayPid) : 0;
  const subgraphCpuBefore = subgraphCpu();
  let peakRssMb = 0;
  // Sampled, not read per request: the load generator shares the cores with what it measures.
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, residentMegabytes(target.gatewayPid) ?? 0);
  }, 200);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  await closedLoop(clients, seconds * 1000, async () => {
    const answer = await target.ask(query);
    latencies.push(answer.ms);
    if (answer.status !== 200 || answer.body.errors) {
      errors += 1;
      firstError ??= `HTTP ${answer.status}: ${JSON.stringify(answer.body.errors ?? answer.body)}`;
    }
  });
  const elapsedSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const answers = latencies.length;
  return {
    rps: answers / elapsedSeconds,
    ...latencyPercentiles(latencies),
    errors,
    firstError,
    gatewayCpuMs: target.gatewayPid ? (processCpuMs(target.gatewayPid) - gatewayCpuBefore) / answers : undefined,
    subgraphCpuMs: (subgraphCpu() - subgraphCpuBefore) / answers,
    peakRssMb: target.gatewayPid ? peakRssMb : undefined,
  };
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];

/** Medians over the rounds; errors summed, RSS at its peak. */
function summarize(runs: Run[]): Run {
  const of = (key: 'rps' | 'p50' | 'p95' | 'p99' | 'subgraphCpuMs') => median(runs.map((run) => run[key]));
  return {
    rps: of('rps'),
    p50: of('p50'),
    p95: of('p95'),
    p99: of('p99'),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    firstError: runs.find((run) => run.firstError)?.firstError,
    gatewayCpuMs: runs[0].gatewayCpuMs === undefined ? undefined : median(runs.map((run) => run.gatewayCpuMs!)),
    subgraphCpuMs: of('subgraphCpuMs'),
    peakRssMb: runs[0].peakRssMb === undefined ? undefined : Math.max(...runs.map((run) => run.peakRssMb!)),
  };
}

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));

/** `a ÷ b` of requests/s, or — when either is invalid (had errors) or missing. */
function ratio(a: Run | undefined, b: Run | undefined): string {
  return a && b && !a.errors && !b.errors ? (a.rps / b.rps).toFixed(2) : '—';
}

function printReport(settings: BenchSettings, results: Results, hiveDir: string | undefined) {
  const refName = [...[...results.values()][0].keys()].find((name) => name.startsWith('ref '));
  const lines = [
    `\`npm run bench:gateway -- ${process.argv.slice(2).join(' ')}\` (${settings.mode} mode: ${settings.rounds} ` +
      `round(s) of ${settings.seconds} s per target; ${os.cpus().length} cores, Node ${process.version}; ` +
      `H: ${hiveDir ? `Hive Gateway ${HIVE_GATEWAY_VERSION}` : settings.targets.includes('H') ? 'unavailable' : 'not run'})`,
    '',
    '| query | clients | target | req/s | p50 ms | p95 ms | p99 ms | errors | gateway CPU ms/req | subgraph CPU ms/req | gateway peak RSS MB | ÷ D | ÷ A |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const ratioLines = [
    '',
    `| query | clients | P/D | P/A | P/B | P/H |${refName ? ` P-system/${refName}-system |` : ''}`,
    `| --- | --- | --- | --- | --- | --- |${refName ? ' --- |' : ''}`,
  ];
  const invalid: string[] = [];
  for (const [key, cell] of results) {
    const [query, clients] = key.split(' ');
    const row = Object.fromEntries([...cell].map(([name, runs]) => [name, summarize(runs)]));
    for (const [name, run] of Object.entries(row)) {
      if (run.errors) invalid.push(`${query} ${clients} clients ${name}: ${run.firstError}`);
      lines.push(
        `| ${query} | ${clients} | ${name} | ${run.rps.toFixed(0)} | ${run.p50.toFixed(1)} | ${run.p95.toFixed(1)} | ` +
          `${run.p99.toFixed(1)} | ${run.errors ? `${run.errors} (invalid)` : '0'} | ${fixed(run.gatewayCpuMs, 2)} | ` +
          `${run.subgraphCpuMs.toFixed(2)} | ${fixed(run.peakRssMb, 0)} | ${ratio(run, row.D)} | ${ratio(run, row.A)} |`,
      );
    }
    const references = ['D', 'A', 'B', 'H'].map((name) => ratio(row.P, row[name]));
    ratioLines.push(
      `| ${query} | ${clients} | ${references.join(' | ')} |${refName ? ` ${ratio(row.P, row[refName])} |` : ''}`,
    );
  }
  console.log(['', ...lines, ...ratioLines].join('\n'));
  if (invalid.length) console.log(`\nInvalid (any error): \n${invalid.map((line) => `  ${line}`).join('\n')}`);
}

runTool(main);
