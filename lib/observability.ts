import { randomUUID } from 'node:crypto';
import http from 'node:http';
import pino, { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Logs and metrics of one service. Logs are JSON lines (pino) carrying the request id the gateway
 * gives every analyst request and passes to the subgraphs (`x-request-id`), so one request can be
 * followed across all services; metrics are Prometheus text at /metrics. Neither carries personal
 * data: no tokens, no variables, no answers.
 */
export interface Observability {
  service: string;
  log: Logger;
  metrics: Registry;
  http: { requests: Counter<'path' | 'status'>; duration: Histogram<'path'> };
  /** Tokens and assertions refused with 401, by kind (lib/auth.ts RefusalKind). */
  credentialsRefused: Counter<'reason'>;
}

export function createObservability(service: string, destination?: pino.DestinationStream): Observability {
  // LOG_LEVEL (default info); a destination given by a test always gets the info lines.
  const log = pino(
    { level: destination ? 'info' : process.env.LOG_LEVEL || 'info', base: { service } },
    destination ?? standardOutput(),
  );
  const metrics = new Registry();
  metrics.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metrics });
  return {
    service,
    log,
    metrics,
    http: {
      requests: new Counter({
        name: 'http_requests_total',
        help: 'HTTP requests answered, by path and status',
        labelNames: ['path', 'status'],
        registers: [metrics],
      }),
      duration: new Histogram({
        name: 'http_request_duration_seconds',
        help: 'Time to answer an HTTP request',
        labelNames: ['path'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [metrics],
      }),
    },
    credentialsRefused: new Counter({
      name: 'credentials_refused_total',
      help: 'Tokens and assertions refused (HTTP 401), by reason: missing, expired, replayed, other-audience…',
      labelNames: ['reason'],
      registers: [metrics],
    }),
  };
}

/**
 * Standard output, written asynchronously: a request never waits for its log line's write (two
 * synchronous writes per request were a visible part of the gateway's CPU). Lines written but not
 * yet flushed are flushed when the process exits; a process killed with SIGKILL may lose its last.
 */
let standardOutputStream: pino.DestinationStream | undefined;
function standardOutput(): pino.DestinationStream {
  if (!standardOutputStream) {
    // One for the process, whatever the number of services it runs (tests run them all in one).
    const stream = pino.destination({ dest: 1, sync: false });
    process.once('exit', () => stream.flushSync());
    standardOutputStream = stream;
  }
  return standardOutputStream;
}

const requestIds = new WeakMap<http.IncomingMessage, string>();
const logFields = new WeakMap<http.IncomingMessage, Record<string, unknown>>();

/**
 * What a handler adds to its request's one log line (the gateway: who asked, the operation and its
 * outcome): one line per request, written when it is answered.
 */
export function requestLogFields(req: http.IncomingMessage): Record<string, unknown> {
  let fields = logFields.get(req);
  if (!fields) logFields.set(req, (fields = {}));
  return fields;
}

/** The caller's request id when it looks like one, else a new one; the same for the whole request. */
export function requestIdOf(req: http.IncomingMessage): string {
  let id = requestIds.get(req);
  if (!id) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** Counts, times and logs every request once it is answered. */
export function observeRequest(
  observability: Observability,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): void {
  const started = process.hrtime.bigint();
  const requestId = requestIdOf(req);
  res.setHeader('x-request-id', requestId);
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Known paths only as labels: a scanner's random URLs must not grow the metrics without bound.
    const label = /^\/(graphql|metrics|health\/(live|ready)|)$/.test(path)
      ? path
      : path.startsWith('/ide/')
        ? '/ide/*'
        : 'other';
    observability.http.requests.inc({ path: label, status: String(res.statusCode) });
    observability.http.duration.observe({ path: label }, seconds);
    observability.log.info(
      {
        requestId,
        method: req.method,
        path: label,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        ...logFields.get(req),
      },
      'request',
    );
  });
}

/** Connections of a service's database pool (PostgreSQL: total, idle, waiting; SQLite: one). */
export function observeDatabasePool(
  observability: Observability,
  db: { options: { type: string }; driver: unknown },
): void {
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [observability.metrics],
    collect() {
      const pool = (db.driver as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
      if (db.options.type === 'postgres' && pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        this.set({ state: 'total' }, 1);
      }
    },
  });
}
