import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; off otherwise, so nothing leaves the machine by
 * default. tools/start.ts imports this first, before any HTTP module is loaded, so that incoming
 * requests and the gateway's calls to the agencies (undici) are traced and the trace context
 * travels with them (W3C traceparent). The standard OTEL_* variables configure the rest.
 */
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;

const sdk = endpoint
  ? new NodeSDK({
      serviceName: process.env.OTEL_SERVICE_NAME || 'timpora',
      traceExporter: new OTLPTraceExporter(),
      instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
    })
  : undefined;
sdk?.start();

/** Flushes the spans still buffered; called when the services stop. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
