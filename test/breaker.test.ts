import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RunningGateway } from '../gateway';
import { ANALYST, postGraphQL, startGatewayBeside, startTestSystem, TestSystem } from './helpers/system';

const VIEW = `query($id: ID!) { foreignNational(id: $id) { fullName stayPermits { permitNumber } policeReports { role } } }`;

/**
 * A hung agency (it accepts connections and never answers, as a frozen process does) costs each
 * request at most that agency's timeout, and once its breaker opens nothing at all: the other
 * agencies' data comes back at once.
 */
describe('an agency that hangs', () => {
  let t: TestSystem;
  let gateway: RunningGateway;
  let hung: http.Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    t = await startTestSystem({ persons: 50 });
    hung = http.createServer(() => undefined);
    hung.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const police = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    gateway = await startGatewayBeside(
      t,
      { police },
      {
        resilience: { timeoutMs: 400, breakerFailures: 3, halfOpenAfterMs: 60_000, retries: 0 },
      },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hung.close(resolve));
    await t.stop();
  });

  async function ask() {
    const token = await t.testAuth.token(ANALYST);
    const started = Date.now();
    const response = await postGraphQL(gateway.url, VIEW, { id: t.manifest.examples.cleanPerson.personId }, token);
    return { response, ms: Date.now() - started };
  }

  it('waits no longer than the timeout, then fails fast with the breaker open, keeping the other agencies’ data', async () => {
    const first = await ask();
    expect(first.ms).toBeGreaterThanOrEqual(350);
    expect(first.ms).toBeLessThan(3000);
    expect(first.response.data.foreignNational.stayPermits.length).toBeGreaterThan(0);
    expect(first.response.data.foreignNational.policeReports).toBeNull();
    expect(first.response.errors![0]).toMatchObject({
      message: expect.stringMatching(/Police \(Polri\) is unavailable.*no answer within 400 ms/),
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'police' },
    });
    await ask();
    await ask();
    const open = await ask();
    expect(open.ms).toBeLessThan(350);
    expect(open.response.data.foreignNational.fullName).toEqual(expect.any(String));
    expect(open.response.errors![0]).toMatchObject({
      message: expect.stringMatching(/circuit breaker is open after 3 failed calls/),
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'police' },
    });
  });

  it('reports the open breaker in readiness and in the metrics', async () => {
    const ready = await fetch(new URL('/health/ready', gateway.url));
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(ready.status).toBe(503);
    expect(body.checks.police).toMatch(/circuit breaker open since/);
    expect(body.checks.immigration).toBe('ok');
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(metrics).toMatch(/subgraph_breaker_state\{[^}]*subgraph="police"[^}]*\} 2/);
    expect(metrics).toMatch(/subgraph_breaker_state\{[^}]*subgraph="immigration"[^}]*\} 0/);
  });
});

describe('a half-open breaker', () => {
  it('lets one call probe the agency and fails the others fast instead of making them wait for it', async () => {
    const t = await startTestSystem({ persons: 20 });
    const hung = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const police = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    const gateway = await startGatewayBeside(
      t,
      { police },
      {
        resilience: { timeoutMs: 600, breakerFailures: 1, halfOpenAfterMs: 200, retries: 0 },
      },
    );
    try {
      const token = await t.testAuth.token(ANALYST);
      const ask = async () => {
        const started = Date.now();
        const response = await postGraphQL(gateway.url, VIEW, { id: t.manifest.examples.cleanPerson.personId }, token);
        return { ms: Date.now() - started, message: response.errors![0].message };
      };
      await ask(); // times out: the breaker opens
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [probe, other] = await Promise.all([ask(), new Promise((resolve) => setTimeout(resolve, 50)).then(ask)]);
      expect(probe.message).toMatch(/no answer within 600 ms|fetch failed/);
      expect(other.message).toMatch(/one call is probing whether it is back/);
      expect(other.ms).toBeLessThan(probe.ms);
    } finally {
      await gateway.stop();
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
      await t.stop();
    }
  });
});
