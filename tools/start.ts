// First: tracing must hook the HTTP modules before anything loads them (off unless configured).
import '../lib/tracing';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { ConfigError, loadConfig, SERVICE_NAMES, SystemConfig } from './config';
import { Auth, loadAuth, toolToken } from '../lib/auth-config';
import { openDatabase } from '../lib/database';
import { auditStorage } from '../lib/audit';
import { queryGateway } from '../subgraphs/shared/gateway-client';
import { listOption, parseCommandLine, runTool } from './cli';
import { Command, openControlSocket } from './control';
import { portVariables, ServiceProcess } from './processes';
import { seedDemoDatabases } from './seed';
import type { ServiceName } from './system';
import type { DemoManifest } from './demo';

/**
 * `npm start`: a supervisor that seeds the demo data once, then runs every service in a process
 * of its own (tools/processes.ts), names their log lines, restarts one that crashes (with a
 * backoff, giving up after repeated crashes), and stops them all on Ctrl-C or SIGTERM.
 * `npm run restart -- police` / `npm run stop -- police` reach it over a unix socket in the
 * data directory (tools/control.ts). `--only <service>` runs that one service in this process
 * instead, as each agency does in production (tools/service.ts).
 */
const CLI = {
  command: 'npm start --',
  summary: 'Every service in its own process, supervised; --only runs one service in this process.',
  options: {
    only: { type: 'string', value: 'SERVICE', description: `run only this one (${SERVICE_NAMES.join(', ')})` },
  },
} as const;

/** A crashed service is started again after 0.5 s, 1 s, 2 s… (at most 10 s)… */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** …unless it crashed this many times within the window: then the supervisor gives up on it. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

type State = 'starting' | 'running' | 'restarting' | 'stopped' | 'given up';

/** One service under the supervisor: its process, and what the supervisor wants of it. */
class Supervised {
  state: State = 'starting';
  private crashes: number[] = [];
  private retry?: NodeJS.Timeout;
  readonly process: ServiceProcess;

  constructor(
    readonly name: ServiceName,
    env: NodeJS.ProcessEnv,
    private readonly say: (line: string) => void,
  ) {
    this.process = new ServiceProcess(name, {
      env,
      onLine: (line, stream) => (stream === 'stderr' ? console.error : console.log)(`${name.padEnd(11)} | ${line}`),
      onExit: (code, signal) => this.exited(code, signal),
    });
  }

  async start(): Promise<void> {
    clearTimeout(this.retry);
    this.state = 'starting';
    await this.process.start();
    this.state = 'running';
  }

  /** Stops it and keeps it stopped until it is asked to start again. */
  async stop(): Promise<void> {
    clearTimeout(this.retry);
    this.state = 'stopped';
    await this.process.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.crashes = [];
    await this.start();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null) {
    if (this.state !== 'running') return; // asked to stop, or a failed start its caller hears of
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (this.crashes.length >= MAX_CRASHES) {
      this.state = 'given up';
      this.say(
        `!! ${this.name} crashed ${this.crashes.length} times within ${CRASH_WINDOW_MS / 1000} s (last: ${how}); ` +
          `NOT restarting it. Fix it, then: npm run restart -- ${this.name}`,
      );
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.crashes.length - 1));
    this.state = 'restarting';
    this.say(`${this.name} stopped unexpectedly (${how}); restarting it in ${delay / 1000} s`);
    this.retry = setTimeout(() => {
      this.start().then(
        () => this.say(`${this.name} is up again (pid ${this.process.pid})`),
        (error) => {
          this.state = 'running'; // counts as one more crash
          this.exited(null, null);
          this.say((error as Error).message);
        },
      );
    }, delay);
  }
}

async function supervise(config: SystemConfig) {
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });
  const services = new Map<ServiceName, Supervised>();
  const say = (line: string) => console.log(line);
  // Refuses to start beside another supervisor of this data directory.
  const control = await openControlSocket(config.dataDir, (command, name) => answerControl(command, name));
  let stopping = false;
  const stopAll = async (why: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say(`\n${why}: stopping every service…`);
    control.close();
    // The gateway first, so no analyst request reaches a half-stopped system.
    await services.get('gateway')?.stop();
    await Promise.all([...services.values()].map((service) => service.stop()));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll('SIGINT'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
  process.on('SIGHUP', () => void stopAll('SIGHUP'));

  const seeded = config.seedDemoData && (await seedDemoDatabases(config));
  const auth = await prepareSharedFiles(config);
  const ports = await choosePorts(config);
  const env: NodeJS.ProcessEnv = { ...process.env, SEED_DEMO_DATA: 'false', ...portVariables(ports) };
  for (const name of SERVICE_NAMES) services.set(name, new Supervised(name, env, say));
  try {
    await Promise.all([...services.values()].map((service) => service.start()));
  } catch (error) {
    console.error((error as Error).message);
    await stopAll('A service did not start', 1);
  }

  printBanner(services, started, config);
  if (seeded) await refreshDemoFindings(services.get('gateway')!.process.url!, auth);

  async function answerControl(command: Command, name?: ServiceName): Promise<string> {
    if (command === 'status') return status(services);
    const service = services.get(name!);
    if (!service || stopping) throw new Error(`the supervisor is ${stopping ? 'stopping' : 'starting'}; try again`);
    if (command === 'stop') {
      await service.stop();
      return `${name} stopped; the supervisor leaves it stopped until: npm run restart -- ${name}`;
    }
    const before = service.process.pid;
    await service.restart();
    return `${name} restarted (pid ${before ?? 'none'} -> ${service.process.pid})`;
  }
}

/**
 * What services would otherwise race to create at their first start: the development keys and
 * the read audit's database (the gateway writes it, the audit subgraph reads it).
 */
async function prepareSharedFiles(config: SystemConfig): Promise<Auth> {
  // Creates every agency's identity secret (development) before the gateway and the agencies read them.
  const auth = await loadAuth(config.auth, { vouchesTo: Object.keys(config.subgraphUrls) });
  const { dataSource } = await openDatabase({ url: config.databaseUrls.audit, ...auditStorage });
  await dataSource.destroy();
  return auth;
}

/** Each service's port; a 0 (any free port) is chosen here, as every service must know the others'. */
async function choosePorts(config: SystemConfig): Promise<Record<ServiceName, number>> {
  const ports = { ...config.ports };
  for (const name of SERVICE_NAMES) if (!ports[name]) ports[name] = await freePort(config.host);
  return ports;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The IDE's address first (what a newcomer opens), then every service, then the time to ready. */
function printBanner(services: Map<ServiceName, Supervised>, started: number, config: SystemConfig) {
  const gateway = services.get('gateway')!.process.url!;
  // /graphql in a browser is a CSRF refusal: the IDE is at the root.
  console.log(`\n${'IDE'.padEnd(12)} ${new URL('/', gateway).href}  (open in a browser)`);
  for (const service of services.values())
    console.log(`${service.name.padEnd(12)} ${service.process.url}  pid ${service.process.pid}`);
  console.log(
    `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s, one process per service. Ctrl-C stops them all; ` +
      '`npm run restart -- <service>` or `npm run stop -- <service>` one.',
  );
  if (!config.auth.production)
    console.log('Development mode: tokens from "npm run -s token -- --role analyst --pii" (README, Security).');
  const anchor = demoAnchor(config.demoManifestFile);
  if (anchor)
    console.log(
      `Demo data anchored on ${anchor}: the article's figures hold for that date (README, Demo data; TIMPORA_TODAY pins it).`,
    );
}

/** The day the demo data was built around, from its manifest; none for real data. */
function demoAnchor(manifestFile: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifestFile, 'utf8')) as Pick<DemoManifest, 'anchor'>).anchor;
  } catch {
    return undefined;
  }
}

function status(services: Map<ServiceName, Supervised>): string {
  return [...services.values()]
    .map((service) => `${service.name.padEnd(12)} ${service.state.padEnd(10)} ${service.process.pid ?? '-'}`)
    .join('\n');
}

/** Fresh demo data comes with its findings, so analysts see them on first start. */
async function refreshDemoFindings(gatewayUrl: string, auth: Auth) {
  try {
    const token = await toolToken(auth, { subject: 'npm-start', roles: ['analyst'] });
    const { refreshFindings } = await queryGateway<{ refreshFindings: { open: number } }>(
      gatewayUrl,
      'mutation { refreshFindings { open } }',
      {},
      token,
    );
    console.log(`Findings refreshed: ${refreshFindings.open} open.`);
  } catch (error) {
    console.log(`Findings not refreshed (npm run findings:refresh retries): ${(error as Error).message}`);
  }
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const only = values.only === undefined ? undefined : listOption('only', values.only, SERVICE_NAMES);
  const config = loadConfig();
  if (only?.length !== 1 && only) throw new ConfigError('--only takes one service');
  if (only) {
    const { runService } = await import('./service');
    return runService(only[0]);
  }
  await supervise(config);
}

runTool(main, { failure: 'Start failed' });
