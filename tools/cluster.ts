import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { TokenRequest } from '../lib/auth';
import { loadAuth, toolToken } from '../lib/auth-config';
import { createDatabaseStatement } from '../lib/database';
import { SUBGRAPH_NAMES, SubgraphName } from '../subgraphs';
import { numberOption, parseCommandLine, runTool } from './cli';
import { loadConfig, ServiceName } from './config';
import { PostgresPair, startPostgresPair } from './postgres-standby';
import { distTool, ServiceProcess } from './processes';

/**
 * `npm run cluster [-- --persons 2000 --base-port 25400]`: the deployment of many machines, on
 * this one's loopback. A PostgreSQL 15 primary and a streaming standby (tools/postgres-standby.ts)
 * hold every database, migrated and seeded with the demo data; two gateway replicas sign into
 * checkpoint files of their own; two immigration replicas answer behind one URL; one of each
 * other service; every agency reads from the standby (`<NAME>_READ_DATABASE_URL`). A round-robin
 * in front of the gateways is the address analysts use. Ctrl-C stops everything and removes it.
 */
export interface Cluster {
  /** The round-robin in front of the gateways. */
  url: string;
  gateways: ServiceProcess[];
  immigration: ServiceProcess[];
  /** Each gateway replica's checkpoint file. */
  checkpointFiles: string[];
  /** The services' environment (primary URLs among it), for tools run beside them. */
  env: NodeJS.ProcessEnv;
  pair: PostgresPair;
  /** A development token for this cluster's gateways. */
  token(request: TokenRequest): Promise<string>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** The first of 12 consecutive ports (below the ephemeral range). @default 25400 */
  basePort?: number;
  /** Persons of demo data. @default 2000 */
  persons?: number;
  /** RATE_LIMIT_PER_MINUTE of the gateways. @default 300 */
  rateLimitPerMinute?: number;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const base = options.basePort ?? 25400;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-cluster-'));
  let pair: PostgresPair | undefined;
  const processes: ServiceProcess[] = [];
  const servers: http.Server[] = [];
  const stop = async () => {
    await Promise.all(processes.map((service) => service.stop()));
    for (const server of servers) server.closeAllConnections?.();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    pair?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A folder of its own (the servers' user must reach it; `dir` is this user's alone).
    const postgres = startPostgresPair({
      dir: mkdtempSync(path.join(os.tmpdir(), 'timpora-cluster-postgres-')),
      primaryPort: base,
      standbyPort: base + 1,
    });
    pair = postgres;
    const port = {
      front: base + 2,
      gateways: [base + 3, base + 4],
      immigration: base + 5,
      replicas: [base + 6, base + 7],
    };
    const others = SUBGRAPH_NAMES.filter((name) => name !== 'immigration');
    const otherPorts = Object.fromEntries(others.map((name, index) => [name, base + 8 + index])) as Record<
      SubgraphName,
      number
    >;
    const database = (name: SubgraphName) => `cluster_${name}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: path.join(dir, 'data'),
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      TIMPORA_TODAY: '2025-06-18',
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 300),
      GATEWAY_URL: `http://127.0.0.1:${port.front}/graphql`,
      IMMIGRATION_URL: `http://127.0.0.1:${port.immigration}/graphql`,
    };
    for (const name of SUBGRAPH_NAMES) {
      env[`${name.toUpperCase()}_DATABASE_URL`] = postgres.primaryUrl(database(name));
      env[`${name.toUpperCase()}_READ_DATABASE_URL`] = postgres.standbyUrl(database(name));
      postgres.primarySql(createDatabaseStatement(database(name)));
    }
    for (const name of others) {
      env[`${name.toUpperCase()}_PORT`] = String(otherPorts[name]);
      env[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${otherPorts[name]}/graphql`;
    }
    mkdirSync(env.DATA_DIR!, { recursive: true });
    const tool = (script: string, args: string[] = []) =>
      execFileSync(process.execPath, [distTool(script), ...args], { env, stdio: 'ignore' });
    tool('migrate.js');
    tool('seed.js', ['--persons', String(options.persons ?? 2000), '--anchor', '2025-06-18']);
    // One process makes the development keys, so that the services do not race to write them.
    const auth = await loadAuth(loadConfig(env).auth);
    const start = async (name: ServiceName, extra: NodeJS.ProcessEnv) => {
      const service = new ServiceProcess(name, { env: { ...env, ...extra }, cwd: env.DATA_DIR });
      processes.push(service);
      await service.start();
      return service;
    };
    const immigration = [];
    for (const replica of port.replicas)
      immigration.push(await start('immigration', { IMMIGRATION_PORT: String(replica) }));
    servers.push(await roundRobin(port.immigration, port.replicas));
    for (const name of others) await start(name, {});
    const checkpointFiles = port.gateways.map((_, index) =>
      path.join(dir, 'checkpoints', `gateway-${index + 1}.jsonl`),
    );
    const gateways = [];
    for (const [index, gatewayPort] of port.gateways.entries())
      gateways.push(
        await start('gateway', { GATEWAY_PORT: String(gatewayPort), AUDIT_CHECKPOINT_FILE: checkpointFiles[index] }),
      );
    servers.push(await roundRobin(port.front, port.gateways));
    return {
      url: `http://127.0.0.1:${port.front}/graphql`,
      gateways,
      immigration,
      checkpointFiles,
      env,
      pair: postgres,
      token: (request) => toolToken(auth, request, {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A round-robin on `port` over the upstream ports, as a load balancer does: each request goes to
 * the next upstream; one that refuses the connection (a replica that is down) passes the request
 * to the one after it. An upstream that fails once it has the request is the client's error (502):
 * the request may have been answered, and is not sent twice.
 */
export async function roundRobin(port: number, upstreams: number[]): Promise<http.Server> {
  let next = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const first = next++ % upstreams.length;
    const attempt = (tries: number) => {
      const upstream = upstreams[(first + tries) % upstreams.length];
      const forward = http.request(
        { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' && tries + 1 < upstreams.length) return attempt(tries + 1);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`upstream ${upstream}: ${error.message}`);
      });
      forward.end(body);
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

const CLI = {
  command: 'npm run cluster --',
  summary: 'Two gateways, two immigration replicas and a PostgreSQL primary and standby on loopback.',
  options: {
    persons: { type: 'string', value: 'N', description: 'demo persons (default 2000)' },
    'base-port': { type: 'string', value: 'PORT', description: 'the first of 12 consecutive ports (default 25400)' },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const cluster = await startCluster({
    persons: numberOption('persons', values.persons, 2000, { integer: true, min: 100 }),
    basePort: numberOption('base-port', values['base-port'], 25400, { integer: true, min: 1024 }),
  });

  console.log(`Gateways (round-robin): ${cluster.url}`);
  console.log(`Gateway replicas: ${cluster.gateways.map((gateway) => gateway.url).join(', ')}`);
  console.log(`Immigration replicas: ${cluster.immigration.map((service) => service.url).join(', ')}`);
  console.log(`Checkpoints: ${cluster.checkpointFiles.join(', ')}`);
  console.log(`Token: ${await cluster.token({ subject: 'dev-analyst', roles: ['analyst'], pii: true })}`);
  console.log('Ctrl-C stops everything and removes its data.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cluster.stop();
}

if (require.main === module) runTool(main);
