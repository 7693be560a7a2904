import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../lib/paths';
import { SERVICE_NAMES, ServiceName } from './config';

/**
 * Every service of the system in its own process on 127.0.0.1, as each agency runs it in
 * production, over a fresh demo database in a temporary folder: what `npm run chaos` and
 * `npm run soak` put under load. Built JavaScript only (`dist/`), so run after `npm run build`.
 * `npm start`'s supervisor (tools/start.ts) starts its services with the same ServiceProcess.
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
  /**
   * The first of the consecutive ports the services take (subgraphs in registry order, then the gateway).
   * Keep it below Linux's ephemeral range (32768-60999): a fixed port there can be held by any outgoing
   * connection on the machine, and the service would never start (seen in CI: chaos on 47104).
   */
  basePort: number;
  /** Persons in the demo data seeded into a fresh temporary folder. @default 2000 */
  persons?: number;
  /** An already seeded data directory instead: used as it is, neither seeded nor removed. */
  dataDir?: string;
  /** Extra Node options per service, for example `--cpu-prof` for the gateway. */
  nodeOptions?: Partial<Record<string, string[]>>;
  /** Extra environment for every service. */
  env?: NodeJS.ProcessEnv;
}

/** A built tool, from the sources (tests) as from the build. */
export const distTool = (tool: string) => path.join(projectRoot, 'dist', 'tools', tool);

export async function startServiceProcesses(options: ProcessOptions): Promise<ServiceProcesses> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'timpora-processes-'));
  const ports = Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, options.basePort + index]));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    TIMPORA_TODAY: '2025-06-18',
    // Load tools measure the system, not the per-user limit that would refuse them.
    RATE_LIMIT_PER_MINUTE: '0',
    ...portVariables(ports),
    ...options.env,
  };
  if (!options.dataDir)
    execFileSync(
      process.execPath,
      [distTool('seed.js'), '--persons', String(options.persons ?? 2000), '--anchor', '2025-06-18'],
      { env, stdio: 'ignore' },
    );
  // One process creates the development keys, so that the services do not race to write them.
  const token = execFileSync(process.execPath, [distTool('token.js'), '--role', 'analyst', '--pii'], { env })
    .toString()
    .trim();
  const manifestFile = path.join(dataDir, 'manifest.json');
  const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { examples: {} };
  const services = new Map<string, ServiceProcess>();
  const besides = new Map<string, ChildProcess>();
  // A service that does not come up is started once more (a shared machine can stall one start);
  // the second failure names what the process wrote on standard error.
  const start = async (name: string) => {
    const service = new ServiceProcess(name as ServiceName, {
      env,
      cwd: dataDir,
      nodeOptions: options.nodeOptions?.[name],
    });
    services.set(name, service);
    await service.start().catch((error) => {
      console.error(`${(error as Error).message}; starting it again`);
      return service.start();
    });
  };
  const startBeside = async (name: string, script: string, port: number, args: string[] = []) => {
    const nodeOptions = options.nodeOptions?.[name] ?? [];
    ports[name] = port;
    besides.set(
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
    for (const service of services.values()) service.kill('SIGKILL');
    for (const child of besides.values()) child.kill('SIGKILL');
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (const name of SERVICE_NAMES) await start(name);
  } catch (error) {
    stop();
    throw error;
  }
  const child = (name: string) => (services.get(name)?.child ?? besides.get(name))!;
  return { ports, token, manifest, env, child, start, startBeside, stop };
}

/** `<NAME>_PORT` for each service's port. */
export function portVariables(ports: Partial<Record<string, number>>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)]));
}

/** What a service's process tells the one that started it, over the IPC channel (tools/service.ts). */
export interface ServiceMessage {
  type: 'listening';
  service: ServiceName;
  url: string;
  pid: number;
}

export interface ServiceProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra Node options, for example `--cpu-prof`. */
  nodeOptions?: string[];
  /** Each line the service writes; without it, standard output is dropped (the last of standard error is kept). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called when the process exits, whether asked to or not. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** @default 30000 */
  startTimeoutMs?: number;
}

/** How long a service has to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * One service (`node dist/tools/start.js --only <name>`) in a process of its own, in its own
 * process group (a Ctrl-C reaches whoever started it, who stops it in order). It says when it
 * listens over an IPC channel, and stops by itself when that channel closes: a service never
 * outlives the process that started it, even one killed with SIGKILL.
 */
export class ServiceProcess {
  child?: ChildProcess;
  url?: string;
  private stderrTail = '';

  constructor(
    readonly name: ServiceName,
    private readonly options: ServiceProcessOptions,
  ) {}

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns it and resolves with its URL once it listens; a start that fails kills it and says why. */
  start(): Promise<string> {
    const child = spawn(
      process.execPath,
      [...(this.options.nodeOptions ?? []), distTool('start.js'), '--only', this.name],
      {
        env: this.options.env,
        cwd: this.options.cwd,
        stdio: ['ignore', this.options.onLine ? 'pipe' : 'ignore', 'pipe', 'ipc'],
        detached: true,
      },
    );
    this.child = child;
    this.stderrTail = '';
    this.readLines(child);
    child.on('exit', (code, signal) => this.options.onExit?.(code, signal));
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    return new Promise<string>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${this.name} did not come up (${why}; stderr: ${this.stderrTail.trim() || 'nothing'})`));
      };
      const exitedEarly = (code: number | null, signal: NodeJS.Signals | null) => fail(`exit ${signal ?? code}`);
      const timer = setTimeout(() => fail(`no answer in ${timeoutMs / 1000} s`), timeoutMs);
      child.once('exit', exitedEarly);
      child.on('message', (message: ServiceMessage) => {
        if (message?.type !== 'listening') return;
        clearTimeout(timer);
        child.off('exit', exitedEarly);
        this.url = message.url;
        resolve(message.url);
      });
    });
  }

  /** SIGTERM, and SIGKILL if it has not stopped within 10 s; resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child!.kill(signal);
  }

  private readLines(child: ChildProcess) {
    const onLine = this.options.onLine;
    if (onLine) createInterface({ input: child.stdout! }).on('line', (line) => onLine(line, 'stdout'));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderrTail = `${this.stderrTail}\n${line}`.slice(-2000);
      onLine?.(line, 'stderr');
    });
  }
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
  const { p50, p95, p99 } = latencyPercentiles(latencies);
  return `p50 ${p50?.toFixed(0)} ms, p95 ${p95?.toFixed(0)} ms, p99 ${p99?.toFixed(0)} ms`;
}

/** p50/p95/p99 of latencies in ms, as numbers (undefined without latencies). */
export function latencyPercentiles(latencies: number[]): Record<'p50' | 'p95' | 'p99', number> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** CPU time (user and system) a process has used so far, in ms, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
