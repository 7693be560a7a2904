import { Writable } from 'node:stream';
import { metricCode } from '../gateway/metrics';
import { startTestSystem, TestSystem } from './helpers/system';

/** Operators follow one analyst request across the services, and scrape what each service counts. */
describe('logs and metrics', () => {
  let t: TestSystem;
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  beforeAll(async () => {
    t = await startTestSystem({ persons: 50 }, { logDestination: sink });
  });
  afterAll(() => t.stop());

  it('logs one request under one request id in the gateway and in every agency it reached, without personal data', async () => {
    const requestId = 'analyst-req-0001';
    const person = t.manifest.examples.renewedPassport.personId;
    const response = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        authorization: `Bearer ${await t.testAuth.token({ subject: 'alice', roles: ['analyst'], pii: true })}`,
      },
      body: JSON.stringify({
        query:
          'query Who($id: ID!) { foreignNational(id: $id) { fullName workPermits { rptkaNumber } policeReports { role } } }',
        variables: { id: person },
      }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mine = lines.filter((line) => line.requestId === requestId);
    expect(new Set(mine.map((line) => line.service))).toEqual(
      new Set(['gateway', 'immigration', 'manpower', 'police']),
    );
    // The gateway's one line for it says who asked which operation, and how it went.
    expect(mine.filter((line) => line.service === 'gateway')).toEqual([
      expect.objectContaining({
        msg: 'request',
        path: '/graphql',
        status: 200,
        subject: 'alice',
        operationName: 'Who',
        outcome: 'OK',
        errors: [],
      }),
    ]);
    const text = JSON.stringify(mine);
    expect(text).not.toContain(person);
    expect(text).not.toMatch(/Bearer|eyJ/);
  });

  it('serves Prometheus metrics: requests, errors by code, latency, per-agency fetches, database pool', async () => {
    await t.query('{ foreignNational(id: "not-a-uuid") { fullName } }');
    const gateway = await (await fetch(t.system.gateway!.url.replace('/graphql', '/metrics'))).text();
    expect(gateway).toMatch(/http_requests_total\{path="\/graphql",status="200",service="gateway"\} \d+/);
    expect(gateway).toMatch(/graphql_errors_total\{code="BAD_USER_INPUT",service="gateway"\} [1-9]/);
    expect(gateway).toMatch(/graphql_operations_total\{outcome="OK",service="gateway"\} [1-9]/);
    expect(gateway).toMatch(/http_request_duration_seconds_bucket\{le="0.1",service="gateway",path="\/graphql"\}/);
    expect(gateway).toMatch(/subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="police"\} [1-9]/);
    const immigration = await (await fetch(t.subgraph('immigration').url.replace('/graphql', '/metrics'))).text();
    expect(immigration).toMatch(/db_pool_connections\{state="total",service="immigration"\} [1-9]/);
    expect(immigration).toMatch(/process_cpu_seconds_total\{service="immigration"\}/);
  });
});

describe('error codes as metric labels', () => {
  it('are the documented codes, anything else OTHER, so a subgraph cannot grow the metrics without bound', () => {
    expect(metricCode('AGENCY_UNAVAILABLE')).toBe('AGENCY_UNAVAILABLE');
    expect(metricCode('GRAPHQL_PARSE_FAILED')).toBe('GRAPHQL_PARSE_FAILED');
    expect(metricCode(`CODE_${Math.random()}`)).toBe('OTHER');
    expect(metricCode('__proto__')).toBe('OTHER');
    expect(metricCode(undefined)).toBe('OTHER');
  });
});
