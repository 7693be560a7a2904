import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '../subgraphs';

/**
 * Every service of the system in its own process on 127.0.0.1, as each agency runs it in
 * production, over a fresh demo database in a temporary folder: what `npm run chaos` and
 * `npm run soak` put under load. Built JavaScript only (`dist/`), so run after `npm run build`.
 */
export interface ServiceProcesses {
  /** Ports by service name (the subgraphs and `gateway`). */
  ports: Record<string, number>;
  /** An analyst's development token with the pii clearance. */
  token: string;
  /** The demo's manifest: its example persons. */
  manifest: { examples: Record<string, any> };
  /** The environment the services run in, for tools that start more processes beside them. */
  env: NodeJS.ProcessEnv;
  /** The process of a running service. */
  child(name: string): ChildProcess;
  /** Starts (or restarts) one service and waits until it answers. */
  start(name: string): Promise<void>;
  /**
   * Starts another gateway beside the services, `node <script> ...args`, on `port`, and waits
   * until it answers: the reference gateway of the benchmarks (tools/bench/reference-gateway.ts).
   */
  startBeside(name: string, script: string, port: number, args?: string[]): Promise<void>;
  /** Kills every process and removes the data. */
  stop(): void;
}

export interface ProcessOptions {
  /** The first of the consecutive ports the services take (subgraphs in registry order, then the gateway). */
  basePort: number;
  /** Persons in the demo data. */
  persons: number;
  /** Extra Node options per service, for example `--cpu-prof` for the gateway. */
  nodeOptions?: Partial<Record<string, string[]>>;
  /** Extra environment for every service. */
  env?: NodeJS.ProcessEnv;
}

const root = path.join(__dirname, '..', '..');
export const distTool = (tool: string) => path.join(root, 'dist', 'tools', tool);

export async function startServiceProcesses(options: ProcessOptions): Promise<ServiceProcesses> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-processes-'));
  const ports = Object.fromEntries(
    [...SUBGRAPH_NAMES, 'gateway'].map((name, index) => [name, options.basePort + index]),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    TIMPORA_TODAY: '2025-06-18',
    // Load tools measure the system, not the per-user limit that would refuse them.
    RATE_LIMIT_PER_MINUTE: '0',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
    ...options.env,
  };
  execFileSync(
    process.execPath,
    [distTool('seed.js'), '--persons', String(options.persons), '--anchor', '2025-06-18'],
    {
      env,
      stdio: 'ignore',
    },
  );
  // One process creates the development keys, so that the services do not race to write them.
  const token = execFileSync(process.execPath, [distTool('token.js'), '--role', 'analyst', '--pii'], { env })
    .toString()
    .trim();
  const manifest = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'));
  const children = new Map<string, ChildProcess>();
  // A service that does not come up is started once more (a shared machine can stall one start);
  // the second failure names what the process wrote on standard error.
  const start = async (name: string, attempt = 1): Promise<void> => {
    const nodeOptions = options.nodeOptions?.[name] ?? [];
    const child = spawn(process.execPath, [...nodeOptions, distTool('start.js'), '--only', name], {
      env,
      cwd: dataDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    children.set(name, child);
    try {
      await waitUntilUp(`http://127.0.0.1:${ports[name]}/health/live`);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt > 1)
        throw new Error(`${(error as Error).message}; exit ${child.exitCode}; stderr: ${stderr}`, { cause: error });
      console.error(`${name} did not come up (exit ${child.exitCode}; stderr: ${stderr.trim()}); starting it again`);
      await start(name, attempt + 1);
    }
  };
  const startBeside = async (name: string, script: string, port: number, args: string[] = []) => {
    const nodeOptions = options.nodeOptions?.[name] ?? [];
    ports[name] = port;
    children.set(
      name,
      spawn(process.execPath, [...nodeOptions, script, '--port', String(port), ...args], {
        env,
        cwd: dataDir,
        stdio: 'ignore',
      }),
    );
    await waitUntilUp(`http://127.0.0.1:${port}/graphql`, true);
  };
  const stop = () => {
    for (const child of children.values()) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (const name of SUBGRAPH_NAMES) await start(name);
    await start('gateway');
  } catch (error) {
    stop();
    throw error;
  }
  return { ports, token, manifest, env, child: (name) => children.get(name)!, start, startBeside, stop };
}

/** Waits for `url` to answer 2xx (or, with `anyAnswer`, to answer at all). */
export async function waitUntilUp(url: string, anyAnswer = false): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const up = await fetch(url).then(
      (response) => anyAnswer || response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** A process's resident set in MB, from /proc (Linux), or undefined once it has gone. */
export function residentMegabytes(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kilobytes / 1024;
  } catch {
    return undefined;
  }
}

/** p50/p95/p99 of latencies in ms, as "p50 12 ms, p95 30 ms, p99 41 ms". */
export function percentiles(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]?.toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`;
}

/** CPU time (user and system) a process has used so far, in ms, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
