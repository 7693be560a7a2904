import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_NAMES } from '../tools/config';

/**
 * `npm start` is a supervisor with one process per service: an operator restarts or stops one
 * agency alone, a crashed one comes back, and nothing outlives the supervisor, however it ends.
 */
const root = path.join(__dirname, '..');
const tool = (name: string) => path.join(root, 'dist', 'tools', `${name}.js`);
// Below Linux's ephemeral range (32768-60999): a fixed port there can be taken by any outgoing
// connection of the suites running beside this one, and the service would never start.
const BASE_PORT = 28610;
const FULL_VIEW = `query($number: String!, $country: String!) { foreignNationalByPassport(number: $number, country: $country) {
  fullName policeReports { role } } }`;

/** Whether the process runs (a zombie waiting to be reaped does not). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
};
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (a state to reach, not a time to meet); fails with `what` after a minute. */
async function until(what: string, check: () => boolean | Promise<boolean>) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`never: ${what}`);
}

describe('npm start: one supervised process per service', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-supervisor-'));
  const ports = Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, BASE_PORT + index]));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: 'false',
    TIMPORA_TODAY: '2025-06-18',
    LOG_LEVEL: 'silent',
    // The gateway tries a restarted agency again soon (the default is 5 s).
    BREAKER_HALF_OPEN_MS: '300',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [`${name.toUpperCase()}_PORT`, String(port)])),
  };
  let supervisor: ChildProcess;
  let output = '';
  let token: string;
  let passport: { number: string; country: string };
  let banner: string[];

  const control = (...args: string[]) =>
    promisify(execFile)(process.execPath, [tool('control'), ...args], { env }).then(({ stdout }) => stdout);
  const pids = async () =>
    Object.fromEntries(
      (await control('status'))
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/))
        .map(([name, state, pid]) => [name, { state, pid: Number(pid) }]),
    );
  const fullView = async () => {
    const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: FULL_VIEW, variables: passport }),
    });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [tool('seed'), '--persons', '60', '--anchor', '2025-06-18'], { env });
    passport = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')).examples.renewedPassport
      .currentPassport;
    supervisor = spawn(process.execPath, [tool('start')], { env });
    supervisor.stdout!.on('data', (chunk) => (output += chunk));
    supervisor.stderr!.on('data', (chunk) => (output += chunk));
    await until('the banner says Ready', () => /Ready in/.test(output)).catch((error: Error) => {
      throw new Error(`${error.message}; the supervisor printed:\n${output.slice(-4000)}`);
    });
    banner = output.split('\n').filter((line) => /^(IDE|[a-z]+)\s+http:/.test(line));
    token = execFileSync(process.execPath, [tool('token'), '--role', 'analyst', '--pii'], { env })
      .toString()
      .trim();
  }, 90_000);

  afterAll(() => {
    supervisor?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the IDE first, then every service in its own process, then the time to ready', async () => {
    expect(banner.map((line) => line.split(/\s+/)[0])).toEqual(['IDE', ...SERVICE_NAMES]);
    expect(banner[0]).toContain(`http://127.0.0.1:${ports.gateway}/ `);
    expect(output).toMatch(/Ready in \d+\.\d s/);
    const running = await pids();
    const distinct = new Set(SERVICE_NAMES.map((name) => running[name].pid));
    expect(distinct.size).toBe(SERVICE_NAMES.length);
    for (const name of SERVICE_NAMES) {
      expect(running[name].state).toBe('running');
      expect(parentOf(running[name].pid)).toBe(supervisor.pid);
    }
    expect((await fullView()).data.foreignNationalByPassport.policeReports.length).toBeGreaterThan(0);
  });

  it('restarts police alone: immigration answers meanwhile, police data comes back after', async () => {
    const before = await pids();
    let asking = true;
    const meanwhile: { fullName?: string }[] = [];
    const asker = (async () => {
      while (asking) meanwhile.push((await fullView()).data?.foreignNationalByPassport ?? {});
    })();
    expect(await control('restart', 'police')).toMatch(/police restarted/);
    asking = false;
    await asker;
    const after = await pids();
    expect(after.police.pid).not.toBe(before.police.pid);
    expect(alive(before.police.pid)).toBe(false);
    for (const name of SERVICE_NAMES.filter((service) => service !== 'police'))
      expect(after[name].pid).toBe(before[name].pid);
    expect(meanwhile.length).toBeGreaterThan(0);
    expect(meanwhile.every((person) => person.fullName)).toBe(true);
    await until('police data again', async () => {
      const answer = await fullView();
      return !answer.errors && answer.data.foreignNationalByPassport.policeReports.length > 0;
    });
  }, 60_000);

  it('restarts a service that crashed, and leaves a stopped one stopped until asked', async () => {
    const crashed = (await pids()).manpower.pid;
    process.kill(crashed, 'SIGKILL');
    await until('manpower back with a new pid', async () => {
      const now = (await pids()).manpower;
      return now.state === 'running' && now.pid !== crashed && alive(now.pid);
    });
    expect(output).toMatch(/manpower stopped unexpectedly \(signal SIGKILL\); restarting it/);

    const stopped = (await pids()).police.pid;
    expect(await control('stop', 'police')).toMatch(/police stopped/);
    expect(alive(stopped)).toBe(false);
    await sleep(1500); // longer than the first restart backoff
    expect((await pids()).police.state).toBe('stopped');
    await control('restart', 'police');
    expect((await pids()).police.state).toBe('running');
  }, 60_000);

  it('stops every service on SIGINT (Ctrl-C) and leaves no process behind', async () => {
    const children = Object.values(await pids()).map(({ pid }) => pid);
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
    supervisor.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of children) expect(alive(pid)).toBe(false);
  }, 30_000);
});

describe('a service started by a supervisor', () => {
  it('stops by itself when the supervisor is killed (SIGKILL): no orphan', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-orphan-'));
    // A stand-in supervisor: starts police as npm start does (with an IPC channel) and prints its pid.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const child = require('node:child_process').spawn(process.execPath, [${JSON.stringify(tool('start'))}, '--only', 'police'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true });
         child.on('message', (message) => console.log(message.pid));`,
      ],
      {
        env: { ...process.env, DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', LOG_LEVEL: 'silent', POLICE_PORT: '28619' },
      },
    );
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout!.once('data', (chunk) => resolve(Number(chunk))),
      );
      expect(alive(pid)).toBe(true);
      parent.kill('SIGKILL');
      await until('police gone after its supervisor', () => !alive(pid));
    } finally {
      parent.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
