/**
 * OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; off otherwise, so nothing leaves the machine by
 * default. tools/start.ts imports this first, before any HTTP module is loaded, so that incoming
 * requests and the gateway's calls to the agencies (undici) are traced and the trace context
 * travels with them (W3C traceparent). The standard OTEL_* variables configure the rest.
 */
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;

/** Loaded only when tracing is on: the SDK and its instrumentations take about 28 MB of heap and a second to load. */
function startSdk() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'timpora',
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
  });
  sdk.start();
  return sdk;
}

const sdk = endpoint ? startSdk() : undefined;

/** Flushes the spans still buffered; called when the services stop. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
