import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { AssertionSigner, IDENTITY_HEADER } from '../../lib/assertions';
import { Identity } from '../../lib/auth';
import { Answer } from '../load';

/**
 * D of `npm run bench:gateway`, the limit: the exact subgraph calls the project's gateway makes for
 * each request, captured once and replayed straight at the subgraphs with no gateway at all.
 *
 * Capture: a recording proxy per subgraph in the bench's process, with a gateway whose subgraph
 * URLs point at it (gateway/ is not changed for this). Requests are sent one at a time, so every
 * call the proxy sees between a request's start and its answer belongs to it.
 * Order: a call that starts after every call of the current stage has answered depends on them
 * (the plan's Sequence); calls started while one is still out run beside it (its Parallel). So
 * the full view is `Sequence[immigration, Parallel[police, manpower, manpower]]`. The recorder
 * holds each answer for HOLD_MS, so that the calls a gateway sends together all arrive while their
 * siblings are still out, however fast a subgraph answers or however busy the machine is.
 */
const HOLD_MS = 25;
export interface SubgraphCall {
  subgraph: string;
  path: string;
  /** The gateway's headers, less the identity assertion (replayed with a fresh one) and hop-by-hop ones. */
  headers: Record<string, string>;
  body: string;
}

/** One gateway request as stages: the calls of a stage in parallel, the stages in sequence. */
export type CapturedRequest = SubgraphCall[][];

interface Recorded extends SubgraphCall {
  startedAt: number;
  answeredAt: number;
}

const DROPPED_HEADERS = new Set([IDENTITY_HEADER, 'host', 'connection', 'content-length', 'keep-alive']);

/** A recording proxy in front of each subgraph; `proxyUrls` are what the capturing gateway calls. */
export async function startRecorder(subgraphUrls: Record<string, string>) {
  const pools = new Map(Object.entries(subgraphUrls).map(([name, url]) => [name, new Pool(new URL(url).origin)]));
  let recording: Recorded[] | undefined;
  const servers: Server[] = [];
  const proxyUrls: Record<string, string> = {};
  for (const [subgraph, url] of Object.entries(subgraphUrls)) {
    const server = createServer(async (request, response) => {
      const startedAt = performance.now();
      const body = await readBody(request);
      const answer = await pools.get(subgraph)!.request({
        path: request.url ?? new URL(url).pathname,
        method: request.method as 'POST',
        headers: request.headers as Record<string, string>,
        body: body || undefined,
      });
      const answerBody = Buffer.from(await answer.body.arrayBuffer());
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      response.writeHead(answer.statusCode, answer.headers as Record<string, string>);
      response.end(answerBody);
      // Health probes carry no user: only calls made for a request are kept.
      if (recording && request.headers[IDENTITY_HEADER])
        recording.push({
          subgraph,
          path: request.url ?? '/',
          headers: keptHeaders(request),
          body,
          startedAt,
          answeredAt: performance.now(),
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    proxyUrls[subgraph] = `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(url).pathname}`;
  }
  return {
    proxyUrls,
    /** The calls made while `send` ran, in stages. */
    async capture(send: () => Promise<unknown>): Promise<CapturedRequest> {
      recording = [];
      await send();
      const calls = recording;
      recording = undefined;
      return stagesOf(calls);
    },
    async close() {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

export function stagesOf(calls: Recorded[]): CapturedRequest {
  const stages: Recorded[][] = [];
  for (const call of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    const current = stages[stages.length - 1];
    if (current && current.some((earlier) => earlier.answeredAt > call.startedAt)) current.push(call);
    else stages.push([call]);
  }
  return stages.map((stage) => stage.map(({ subgraph, path, headers, body }) => ({ subgraph, path, headers, body })));
}

/** `Sequence[immigration, Parallel[police, manpower, manpower]]`, as the plan's shape. */
export function describePlan(request: CapturedRequest): string {
  const stages = request.map((stage) =>
    stage.length === 1 ? stage[0].subgraph : `Parallel[${stage.map((call) => call.subgraph).join(', ')}]`,
  );
  return stages.length === 1 ? stages[0] : `Sequence[${stages.join(', ')}]`;
}

/**
 * Replays captured requests straight at the subgraphs, each call with a fresh single-use assertion
 * for its subgraph (as the gateway signs them), on keep-alive pools as the gateway's fetcher.
 */
export function replayer(subgraphUrls: Record<string, string>, sign: AssertionSigner, identity: Identity) {
  const pools = new Map(
    Object.entries(subgraphUrls).map(([name, url]) => [name, new Pool(new URL(url).origin, { connections: 64 })]),
  );
  const send = async (call: SubgraphCall, requestId: string) => {
    const assertion = await sign(identity, { audience: call.subgraph, requestId });
    const response = await pools.get(call.subgraph)!.request({
      path: call.path,
      method: 'POST',
      headers: { ...call.headers, [IDENTITY_HEADER]: assertion },
      body: call.body,
    });
    const body = (await response.body.json().catch(() => ({}))) as Answer['body'];
    return { status: response.statusCode, body };
  };
  return {
    /** One request's calls, stage after stage; an answer like a gateway's (errors of any call). */
    async ask(request: CapturedRequest): Promise<Answer> {
      const started = performance.now();
      const requestId = randomUUID();
      const errors: NonNullable<Answer['body']['errors']> = [];
      let status = 200;
      try {
        for (const stage of request) {
          for (const answer of await Promise.all(stage.map((call) => send(call, requestId)))) {
            if (answer.status !== 200) status = answer.status;
            errors.push(...(answer.body.errors ?? []));
          }
        }
      } catch (error) {
        status = 0;
        errors.push({ message: String(error) });
      }
      return { status, ms: performance.now() - started, body: errors.length ? { errors } : { data: {} } };
    },
    close: () => Promise.all([...pools.values()].map((pool) => pool.close())).then(() => undefined),
  };
}

function keptHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name, value]) => !DROPPED_HEADERS.has(name) && typeof value === 'string')
      .map(([name, value]) => [name, value as string]),
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
