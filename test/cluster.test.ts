import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster, startCluster } from '../tools/cluster';
import { onPostgres } from './helpers/databases';

/**
 * `npm run cluster` as CI starts it (built code, every service its own process): a PostgreSQL
 * primary and standby, two gateway replicas behind a round-robin, two immigration replicas behind
 * one URL. Interleaved traffic, one user's rate limit across both gateways, and a gateway and an
 * immigration replica killed mid-load.
 */
const LIMIT = 20;

(onPostgres ? describe : describe.skip)('the cluster: two gateways, two immigration replicas, a standby', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ basePort: 25400, persons: 200, rateLimitPerMinute: LIMIT });
  }, 240_000);
  afterAll(() => cluster?.stop(), 60_000);

  const ask = async (url: string, subject: string, query: string, requestId?: string) => {
    const token = await cluster.token({ subject, roles: ['analyst'], pii: true });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (response.status === 200 ? await response.json() : await response.text()) as any,
    };
  };
  const FULL_PAGE =
    '{ foreignNationals(first: 5) { totalCount nodes { id fullName stayPermits { kind validUntil } workPermits { employer { name sector } } policeReports { role } } } }';

  it('answers the same through either gateway', async () => {
    const [one, two] = await Promise.all(cluster.gateways.map((gateway) => ask(gateway.url!, 'compare', FULL_PAGE)));
    expect(one.status).toBe(200);
    expect(one.body.errors).toBeUndefined();
    expect(two).toEqual(one);
    expect(one.body.data.foreignNationals.totalCount).toBe(200);
  });

  it("holds one user's rate limit for the sum of both gateways", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 6; i += 1)
      statuses.push((await ask(cluster.gateways[i % 2].url!, 'scraper', '{ permitStatistics { total } }')).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(Array(6).fill(429));
  });

  it('keeps the audit record of every answered request when a gateway and an immigration replica are killed mid-load', async () => {
    const answered: string[] = [];
    let sent = 0;
    const client = async (subject: string) => {
      for (let i = 0; i < 12; i += 1) {
        const requestId = `cluster-${subject}-${i}`;
        sent += 1;
        if (sent === 60) {
          cluster.gateways[1].kill('SIGKILL');
          cluster.immigration[1].kill('SIGKILL');
        }
        const answer = await ask(cluster.url, subject, FULL_PAGE, requestId).catch(() => null);
        if (answer?.status === 200) answered.push(requestId);
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, index) => client(`analyst-${index}`)));
    expect([cluster.gateways[1].running, cluster.immigration[1].running]).toEqual([false, false]);
    // Most went through: the round-robin passes a refused connection to the other replica.
    expect(answered.length).toBeGreaterThan(100);
    // The surviving gateway stops cleanly: it signs its last checkpoint.
    await cluster.gateways[0].stop();
    const recorded = new Set(
      cluster.pair.primarySql('SELECT "requestId" FROM audit_record', 'cluster_audit').split('\n'),
    );
    expect(answered.filter((requestId) => !recorded.has(requestId))).toEqual([]);
    const files = cluster.checkpointFiles.flatMap((file) => ['--checkpoints', file]);
    const verify = await promisify(execFile)(
      process.execPath,
      [path.join(__dirname, '..', 'dist', 'tools', 'audit-verify.js'), ...files],
      { env: cluster.env },
    );
    expect(verify.stdout).toMatch(/Audit chain holds/);
  }, 120_000);
});
