import { chmodSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseCommandLine, runTool, UsageError } from './cli';
import { ConfigError, loadConfig, SERVICE_NAMES, ServiceName } from './config';

/**
 * `npm run restart -- police`, `npm run stop -- police`, `npm run status`: asks the supervisor of
 * `npm start` (tools/start.ts) to restart or stop one service, over a unix socket in the data
 * directory. A socket file, owner-only (0600), and no TCP port: nothing new to reach from a network.
 */
export const COMMANDS = ['restart', 'stop', 'status'] as const;
export type Command = (typeof COMMANDS)[number];

const SOCKET = 'supervisor.sock';
export const controlSocketPath = (dataDir: string) => path.join(dataDir, SOCKET);

interface Request {
  command: Command;
  service?: ServiceName;
}
interface Reply {
  ok: boolean;
  message: string;
}

export type ControlHandler = (command: Command, service?: ServiceName) => Promise<string>;

/**
 * Listens for control requests; a socket left by a supervisor that died is replaced, one that
 * answers means another `npm start` runs on this data directory (a ConfigError).
 */
export async function openControlSocket(dataDir: string, handle: ControlHandler): Promise<net.Server> {
  const file = controlSocketPath(dataDir);
  if (await answers(file))
    throw new ConfigError(`npm start already runs on ${dataDir} (${file} answers); stop it first, or set DATA_DIR`);
  rmSync(file, { force: true });
  const server = net.createServer((socket) => {
    createInterface({ input: socket }).once('line', (line) => {
      let request: Request;
      try {
        request = JSON.parse(line);
      } catch {
        return socket.end(JSON.stringify({ ok: false, message: 'not a control request' }) + '\n');
      }
      const valid =
        COMMANDS.includes(request.command) &&
        (request.command === 'status' || SERVICE_NAMES.includes(request.service!));
      const reply: Promise<Reply> = valid
        ? handle(request.command, request.service).then(
            (message) => ({ ok: true, message }),
            (error) => ({ ok: false, message: (error as Error).message }),
          )
        : Promise.resolve({ ok: false, message: 'not a control request' });
      void reply.then((answer) => socket.end(JSON.stringify(answer) + '\n'));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(file, resolve));
  chmodSync(file, 0o600);
  return server;
}

function answers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(file, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Sends one request to the supervisor and returns its reply. */
export function sendControl(dataDir: string, request: Request): Promise<Reply> {
  const file = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = net.connect(file, () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        ['ENOENT', 'ECONNREFUSED'].includes(error.code ?? '')
          ? new ConfigError(`No npm start is running on ${dataDir} (nothing answers at ${file})`)
          : error,
      ),
    );
    createInterface({ input: socket }).once('line', (line) => resolve(JSON.parse(line)));
  });
}

const CLI = {
  command: 'npm run restart|stop|status --',
  summary:
    'Restarts or stops services of the running `npm start` (a stopped one stays stopped until restarted); status lists them.',
  positionals: `<${COMMANDS.join('|')}> [service …] (${SERVICE_NAMES.join(', ')})`,
  options: {},
} as const;

async function main() {
  const [command, ...names] = parseCommandLine(CLI).positionals;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`Say one of ${COMMANDS.join(', ')}`);
  if (command !== 'status' && names.length === 0) throw new UsageError(`Name the service(s) to ${command}`);
  const unknown = names.filter((name) => !SERVICE_NAMES.includes(name as ServiceName));
  if (unknown.length)
    throw new UsageError(`Unknown service ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')}`);
  const services = names as ServiceName[];
  const { dataDir } = loadConfig();
  const requests: Request[] =
    command === 'status' ? [{ command }] : services.map((service) => ({ command: command as Command, service }));
  for (const request of requests) {
    const reply = await sendControl(dataDir, request);
    (reply.ok ? console.log : console.error)(reply.message);
    if (!reply.ok) process.exitCode = 1;
  }
}

if (require.main === module) runTool(main);
