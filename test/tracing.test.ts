import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { issueToken, loadOrCreateKeyPair } from '../lib/auth';

/**
 * Traces leave only when configured. Instrumentation must load before the HTTP modules, so this
 * runs `npm start`'s own program (from the build) as a child process, against a fake OTLP collector
 * on the loopback.
 */
describe('OpenTelemetry traces over OTLP', () => {
  let dataDir: string;
  let collector: http.Server;
  let child: ChildProcess;
  let gatewayUrl: string;
  const spans: {
    traceId: string;
    name: string;
    kind: number;
    attributes: { key: string; value: { stringValue?: string; intValue?: string } }[];
  }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-otel-'));
    collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const body = JSON.parse(Buffer.concat(chunks).toString());
          for (const resource of body.resourceSpans ?? [])
            for (const scope of resource.scopeSpans ?? []) spans.push(...scope.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      GATEWAY_PORT: '0',
      IMMIGRATION_PORT: '0',
      MANPOWER_PORT: '0',
      POLICE_PORT: '0',
      OVERSIGHT_PORT: '0',
      TIMPORA_TODAY: '2025-06-18',
      LOG_LEVEL: 'silent',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'timpora-test',
    };
    child = spawn(process.execPath, ['dist/tools/start.js'], { cwd: path.join(__dirname, '..'), env });
    gatewayUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /gateway\s+(http:\/\/\S+)/.exec(output);
        if (match && /Ready/.test(output)) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((resolve) => child?.once('close', resolve));
    await new Promise((resolve) => collector?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports one trace per analyst request, spanning the gateway and the agencies it called', async () => {
    const { privateKey } = await loadOrCreateKeyPair(path.join(dataDir, 'keys'), 'dev-issuer');
    const token = await issueToken(privateKey, { roles: ['analyst'], pii: true });
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query:
          'query TraceMe { foreignNationals(first: 2) { nodes { fullName workPermits { rptkaNumber } policeReports { role } } } }',
      }),
    });
    expect(response.status).toBe(200);
    const operation = (span: (typeof spans)[number]) =>
      span.attributes.find((attribute) => attribute.key === 'graphql.operation.name')?.value.stringValue;
    const deadline = Date.now() + 15_000;
    let root: (typeof spans)[number] | undefined;
    while (!root && Date.now() < deadline) {
      root = spans.find((span) => span.name === 'gateway.request' && operation(span) === 'TraceMe');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(root).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the agencies' spans may come in a later batch
    const trace = spans.filter((span) => span.traceId === root!.traceId);
    // The gateway's own spans (plan, fetch…), its calls to immigration, manpower and police (client
    // spans), and their server spans next to the gateway's: all one trace.
    expect(trace.filter((span) => span.name === 'gateway.fetch').length).toBeGreaterThanOrEqual(3);
    expect(trace.filter((span) => span.kind === 3).length).toBeGreaterThanOrEqual(3);
    expect(trace.filter((span) => span.kind === 2).length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
