import { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram } from 'prom-client';
import { Observability } from '../lib/observability';
import { GatewayContext } from './auth';

/** What the gateway counts beyond HTTP: operations and their error codes, and each agency's fetches. */
export interface GatewayMetrics {
  operations: Counter<'outcome'>;
  errors: Counter<'code'>;
  subgraphFetch: Histogram<'subgraph'>;
  subgraphErrors: Counter<'subgraph' | 'code'>;
}

export function gatewayMetrics(observability: Observability): GatewayMetrics {
  const registers = [observability.metrics];
  return {
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

/** Counts every answered operation and logs it with who asked (never what was answered). */
export interface MetricsOptions {
  /** The gateway's counters and histograms (`gatewayMetrics`). */
  metrics: GatewayMetrics;
  /** Where the request's log line goes. */
  observability: Observability;
}

export function useMetrics({ metrics, observability }: MetricsOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          const codes = (errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          const outcome = codes.length ? (data ? 'PARTIAL' : 'ERROR') : 'OK';
          metrics.operations.inc({ outcome });
          for (const code of codes) metrics.errors.inc({ code });
          observability.log.info(
            {
              requestId: contextValue.requestId,
              subject: contextValue.identity.subject,
              operationName,
              outcome,
              errors: codes,
            },
            'operation',
          );
        },
      };
    },
  };
}
