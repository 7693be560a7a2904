import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../lib/paths';
import { portVariables, waitUntilUp } from '../processes';

/**
 * The `--ref` target of `npm run bench:gateway`: the whole system of another commit (today's main,
 * say), from its own build, beside ours. The ref is checked out into a git worktree under the OS's
 * temporary folder (`timpora-bench/ref-<commit>`, kept for the next run: `git worktree remove
 * --force <folder>` drops it); its dependencies are a symlink to ours when its package-lock.json
 * is the same, else its own `npm ci`; then its own `npm run build`. Its subgraphs (the supergraph's
 * graphs served on 127.0.0.1) and gateway each run in a process of their own
 * (`dist/tools/start.js --only <name>`, which every commit since the first one has), on their own
 * ports, over their own data dir seeded with the same persons, seed and anchor as ours.
 */
export interface RefSystem {
  commit: string;
  ports: Record<string, number>;
  token: string;
  gatewayPid: number;
  subgraphPids: number[];
  stop(): void;
}

export interface RefOptions {
  ref: string;
  basePort: number;
  persons: number;
  /** The environment our system runs in (today, rate limit, log level): the same for the ref's. */
  env: NodeJS.ProcessEnv;
}

export async function startRefSystem(options: RefOptions): Promise<RefSystem> {
  const commit = git(['rev-parse', '--verify', `${options.ref}^{commit}`]);
  const dir = checkout(commit);
  const node = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
    execFileSync(process.execPath, [path.join(dir, 'dist', 'tools', script), ...args], { env, cwd: dir })
      .toString()
      .trim();
  const subgraphs = servedSubgraphs(readFileSync(path.join(dir, 'schema', 'supergraph.graphql'), 'utf8'));
  const names = [...subgraphs, 'gateway'];
  const ports = Object.fromEntries(names.map((name, index) => [name, options.basePort + index]));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-ref-'));
  const env = {
    ...options.env,
    DATA_DIR: dataDir,
    ...portVariables(ports),
    ...Object.fromEntries(subgraphs.map((name) => [`${name.toUpperCase()}_URL`, graphqlUrl(ports[name])])),
    GATEWAY_URL: graphqlUrl(ports.gateway),
  };
  const anchor = options.env.TIMPORA_TODAY!;
  node('seed.js', ['--persons', String(options.persons), '--anchor', anchor], env);
  const token = node('token.js', ['--role', 'analyst', '--pii'], env);
  const children = new Map<string, ChildProcess>();
  const stop = () => {
    for (const child of children.values()) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Its services do not all stop with their parent (older commits have no IPC channel): we do.
  process.once('exit', stop);
  try {
    for (const name of names) {
      const script = path.join(dir, 'dist', 'tools', 'start.js');
      children.set(name, spawn(process.execPath, [script, '--only', name], { env, cwd: dataDir, stdio: 'ignore' }));
      await waitUntilUp(graphqlUrl(ports[name]), true);
    }
  } catch (error) {
    stop();
    throw error;
  }
  return {
    commit,
    ports,
    token,
    gatewayPid: children.get('gateway')!.pid!,
    subgraphPids: subgraphs.map((name) => children.get(name)!.pid!),
    stop,
  };
}

/** The ref's worktree, with its dependencies and build; made once per commit. */
function checkout(commit: string): string {
  const dir = path.join(os.tmpdir(), 'timpora-bench', `ref-${commit.slice(0, 12)}`);
  const built = path.join(dir, 'dist', '.bench-built');
  if (existsSync(built)) {
    console.log(`ref ${commit.slice(0, 7)}: reusing ${dir}`);
    return dir;
  }
  if (!existsSync(dir)) git(['worktree', 'add', '--detach', dir, commit]);
  if (!existsSync(path.join(dir, 'node_modules'))) {
    const sameLock =
      readFileSync(path.join(dir, 'package-lock.json'), 'utf8') ===
      readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8');
    console.log(
      `ref ${commit.slice(0, 7)}: package-lock.json ${sameLock ? 'same: node_modules linked' : 'differs: npm ci'}`,
    );
    if (sameLock) symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
    else execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  }
  console.log(`ref ${commit.slice(0, 7)}: building ${dir}`);
  execFileSync('npm', ['run', '-s', 'build'], { cwd: dir, stdio: 'inherit' });
  writeFileSync(built, commit);
  return dir;
}

/** The supergraph's graphs that run as services of their own (on 127.0.0.1), in its order. */
export function servedSubgraphs(supergraph: string): string[] {
  return [...supergraph.matchAll(/@join__graph\(name: "([^"]+)", url: "http:\/\/(?:127\.0\.0\.1|localhost)[:/]/g)].map(
    (match) => match[1],
  );
}

const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

const git = (args: string[]) => execFileSync('git', args, { cwd: projectRoot }).toString().trim();
