import { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ERROR_CODES } from '../lib/errors';
import { Observability } from '../lib/observability';
import { GatewayContext } from './auth';
import { AgencyPolicy } from './resilience';

/** What the gateway counts beyond HTTP: operations and their error codes, and each agency's fetches. */
export interface GatewayMetrics {
  operations: Counter<'outcome'>;
  errors: Counter<'code'>;
  subgraphFetch: Histogram<'subgraph'>;
  subgraphErrors: Counter<'subgraph' | 'code'>;
  /** Follows an agency's circuit breaker in `subgraph_breaker_state` (0 closed, 1 half-open, 2 open). */
  watchBreaker(subgraph: string, policy: AgencyPolicy): void;
}

export function gatewayMetrics(observability: Observability): GatewayMetrics {
  const registers = [observability.metrics];
  const breakerState = new Gauge({
    name: 'subgraph_breaker_state',
    help: "Each agency's circuit breaker: 0 closed, 1 half-open (probing), 2 open (failing fast)",
    labelNames: ['subgraph'],
    registers,
  });
  const level = { closed: 0, 'half-open': 1, open: 2 } as const;
  return {
    watchBreaker: (subgraph, policy) => {
      breakerState.set({ subgraph }, level[policy.state()]);
      policy.onStateChange((state) => {
        breakerState.set({ subgraph }, level[state]);
        observability.log.warn({ subgraph, breaker: state }, `circuit breaker of ${subgraph} is ${state}`);
      });
    },
    operations: new Counter({
      name: 'graphql_operations_total',
      help: 'Operations answered, by outcome (OK, PARTIAL, ERROR)',
      labelNames: ['outcome'],
      registers,
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in answers, by extensions.code',
      labelNames: ['code'],
      registers,
    }),
    subgraphFetch: new Histogram({
      name: 'subgraph_fetch_duration_seconds',
      help: 'Time of one fetch from an agency’s subgraph',
      labelNames: ['subgraph'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    subgraphErrors: new Counter({
      name: 'subgraph_fetch_errors_total',
      help: 'Failed fetches and errors returned by subgraphs, by code',
      labelNames: ['subgraph', 'code'],
      registers,
    }),
  };
}

/**
 * An error code as a metric label: one of the documented codes, else OTHER, so that whatever a
 * subgraph puts in `extensions.code` cannot grow the metrics without bound.
 */
export function metricCode(code: unknown): string {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code) ? code : 'OTHER';
}

/** Counts every answered operation and puts who asked on its request's log line (never what was answered). */
export interface MetricsOptions {
  /** The gateway's counters and histograms (`gatewayMetrics`). */
  metrics: GatewayMetrics;
}

export function useMetrics({ metrics }: MetricsOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          const codes = (errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          const outcome = codes.length ? (data ? 'PARTIAL' : 'ERROR') : 'OK';
          metrics.operations.inc({ outcome });
          for (const code of codes) metrics.errors.inc({ code: metricCode(code) });
          Object.assign(contextValue.logFields, {
            subject: contextValue.identity.subject,
            operationName,
            outcome,
            errors: codes,
          });
        },
      };
    },
  };
}
