import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, ApolloServerOptionsWithGateway, BaseContext, HeaderMap } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { errors, formatted, httpStatus } from './errors';
import { Observability, observeRequest, requestIdOf } from './observability';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/** graphql-js's suggestions, as Apollo Server's own DisableSuggestions plugin finds them. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Error messages that tell a client nothing of the schema it was not given (or, with `hide` false,
 * graphql-js's "Did you mean …?" hints for developers). Apollo Server's
 * `hideSchemaDetailsFromClientErrors` strips them from validation errors only; the same hints in
 * a variable's coercion error ('Field "dateOfBirt" is not defined by type "ForeignNationalFilter".
 * Did you mean "dateOfBirth"?') go in formatError.
 */
export function schemaDetailsInErrors(hide: boolean) {
  return {
    hideSchemaDetailsFromClientErrors: hide,
    formatError: hide
      ? (formatted: GraphQLFormattedError): GraphQLFormattedError => ({
          ...formatted,
          message: formatted.message.replace(SUGGESTION, ''),
        })
      : undefined,
  } satisfies Partial<ApolloServerOptionsWithGateway<BaseContext>>;
}

/**
 * What every Apollo Server here shares: nothing reported to Apollo, no stack traces to clients,
 * and no signal handlers of its own (tools/start.ts stops the services in order). No schema
 * details in errors either: a subgraph answers only the gateway's query planner, whose documents
 * are valid by construction, so its hints could only help someone holding a captured identity
 * assertion. The gateway decides for itself (hidden in production).
 */
export const apolloDefaults = {
  includeStacktraceInErrorResponses: false,
  stopOnTerminationSignals: false,
  ...schemaDetailsInErrors(true),
} satisfies Partial<ApolloServerOptionsWithGateway<BaseContext>>;
// No HTTP caching of intelligence data, so no per-field cache-hint bookkeeping either.
export const apolloPluginDefaults = () => [
  ApolloServerPluginUsageReportingDisabled(),
  ApolloServerPluginCacheControlDisabled(),
];

/** Wraps a shutdown so that calling it twice (a test, then a signal) runs it once. */
export function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}

/** A plain route served beside GraphQL (health checks, metrics, the IDE). */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface ServeOptions<TContext extends BaseContext> {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  graphqlPath?: string;
  /** The request's context, given the request and its parsed body (a subgraph reads its operation's kind). */
  context: (req: http.IncomingMessage, body: unknown) => Promise<TContext>;
  /**
   * Runs before the body is read: may refuse the request (throw a GraphQLError), so that only
   * callers it admits may send bodies up to `maxBodyBytes` (the subgraphs admit the gateway alone).
   */
  admit?: (req: http.IncomingMessage) => Promise<void>;
  routes?: Record<string, Route>;
  /** Larger bodies are refused with 413 before they are read into memory. */
  maxBodyBytes?: number;
  /** Runs first on every request; returns true when it has answered (a CORS preflight, say). */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Request logs and metrics; also serves them at /metrics. */
  observability: Observability;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1_000_000;

/**
 * Serves an ApolloServer over node:http. Apollo Server 5 ships no HTTP framework; this small
 * integration keeps the gateway and the subgraphs on one code path, with routes of our own
 * beside /graphql and a hard cap on body size.
 */
export async function serveGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      // Last line of defence: the request fails, the process keeps serving.
      options.observability.log.error({ err: error, requestId: requestIdOf(req) }, 'request failed');
      if (!res.headersSent) sendError(res, errors.internalServerError('Internal server error'));
      else res.destroy(error);
    });
  });
  server.keepAliveTimeout = 65_000;

  const routes: Record<string, Route> = { ...options.routes, '/metrics': metricsRoute(options.observability) };
  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = requestUrl(req);
    if (!url) return sendError(res, errors.badRequest('The request target is not a valid path'));
    observeRequest(options.observability, req, res, url.pathname);
    if (options.intercept?.(req, res)) return;
    const route = routes[url.pathname];
    if (route) return route(req, res);
    if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'not found' });

    if (options.admit) {
      const refusal = await options.admit(req).then(
        () => null,
        (error: unknown) => error,
      );
      if (refusal instanceof GraphQLError) return sendError(res, refusal);
      if (refusal) throw refusal;
    }
    const body = await readJsonBody(req, maxBodyBytes);
    if (body.error) return sendError(res, body.error);

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: body.value },
      context: () => options.context(req, body.value),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') return void res.end(response.body.string);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}${graphqlPath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The request target as a URL, or null when a client sent one that is not a path (`//[`). */
function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

type BodyResult = { value: unknown; error?: undefined } | { error: GraphQLError; value?: undefined };

async function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<BodyResult> {
  if (req.method !== 'POST') return { value: undefined };
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return tooLarge(req, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return tooLarge(req, maxBytes);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!(req.headers['content-type'] ?? '').includes('json')) return { value: text };
  let value: unknown;
  try {
    value = text.length ? JSON.parse(text) : undefined;
  } catch {
    return { error: errors.badRequest('The request body is not valid JSON') };
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    return { error: errors.badUserInputRequest(`The request body nests deeper than ${MAX_JSON_DEPTH} levels`) };
  return { value };
}

/** No operation's variables need more; deeper ones are refused before anything reads them. */
const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `limit`, walked without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(item))
      if (inner !== null && typeof inner === 'object') pending.push([inner, depth + 1]);
  }
  return false;
}

function tooLarge(req: http.IncomingMessage, maxBytes: number): BodyResult {
  req.resume();
  return { error: errors.payloadTooLarge(`The request body is larger than ${maxBytes} bytes`) };
}

/**
 * An error answered outside GraphQL execution (a plain route, a body refused before Apollo Server
 * reads it): the code's status and the body Apollo Server would send. The code's headers are not
 * sent (the IDE's 401 never carried WWW-Authenticate).
 */
export function sendError(res: http.ServerResponse, error: GraphQLError): void {
  sendJson(res, httpStatus(error), { errors: [formatted(error)] });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export interface Readiness {
  ready: boolean;
  /** What was checked and how it went, e.g. { database: 'ok' } or { police: 'HTTP 503' }. */
  checks: Record<string, string>;
}

/**
 * Liveness (`/health/live`: the process serves requests) and readiness (`/health/ready`: it can do
 * its work, 503 otherwise) for docker-compose health checks and orchestrators' probes. No token
 * needed, and nothing in them is about people.
 */
export function healthRoutes(readiness: () => Promise<Readiness>): Record<string, Route> {
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'live' }),
    '/health/ready': async (_req, res) => {
      const result = await readiness().catch((error: Error) => ({ ready: false, checks: { error: error.message } }));
      sendJson(res, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', checks: result.checks });
    },
  };
}

/** Runs named checks together; each says 'ok' or why not. */
export async function checkAll(checks: Record<string, () => Promise<unknown>>): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) =>
        [
          name,
          await check().then(
            () => 'ok',
            (error: Error) => error.message,
          ),
        ] as const,
    ),
  );
  return { ready: results.every(([, result]) => result === 'ok'), checks: Object.fromEntries(results) };
}

/** Prometheus text: what the service counted, for a scraper on the operators' network. */
function metricsRoute(observability: Observability): Route {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': observability.metrics.contentType });
    res.end(await observability.metrics.metrics());
  };
}
