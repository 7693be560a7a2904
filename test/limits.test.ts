import { DataSource } from 'typeorm';
import { useRateLimit } from '../gateway/rate-limit';
import { auditStorage } from '../lib/audit';
import { openDatabase } from '../lib/database';
import { FINDINGS_INPUT } from '../subgraphs/oversight/refresh';
import { freshDatabases, FreshDatabases, onPostgres } from './helpers/databases';
import { startTestSystem, TestSystem } from './helpers/system';

describe('abuse limits at the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 100 });
  });
  afterAll(() => t.stop());

  it('refuses a depth bomb with QUERY_TOO_DEEP before fetching anything', async () => {
    const bomb = `{ foreignNationals(first: 1) { nodes { workPermits { employer { workPermits { worker { workPermits { employer {
      workPermits { worker { workPermits { employer { workPermits { worker { id } } } } } } } } } } } } } } }`;
    t.subgraph('immigration').statements.reset();
    const response = await t.query(bomb);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(response.errors?.[0]?.message).toMatch(/limit is 12/);
    expect(t.subgraph('immigration').statements.count).toBe(0);
  });

  it('refuses a cost bomb that stays under the depth limit with QUERY_TOO_COSTLY', async () => {
    const bomb = `{ foreignNationals(first: 500) { nodes { workPermits { employer { workPermits { worker { workPermits { employer { name } } } } } } } } }`;
    const response = await t.query(bomb);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses too many aliases with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: permitStatistics { total }`).join(' ');
    const response = await t.query(`{ ${aliases} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
  });

  it('lets the real work through: the findings refresh page and a page of full views', async () => {
    const refreshPage = await t.query(FINDINGS_INPUT, { first: 500, after: null });
    expect(refreshPage.errors).toBeUndefined();
    const refresh = await t.query(`mutation { refreshFindings { open } }`);
    expect(refresh.errors).toBeUndefined();
  });
});

describe('the per-user rate limit', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 }, { rateLimitPerMinute: 5 });
  });
  afterAll(() => t.stop());

  it('answers 429 RATE_LIMITED with Retry-After once a user is over the limit, and not another user', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    const token = await t.testAuth.token({ subject: 'scraper', roles: ['analyst'] });
    for (let i = 0; i < 7; i += 1) {
      last = await fetch(t.system.gateway!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ permitStatistics { total } }' }),
      });
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    const other = await t.as({ subject: 'colleague', roles: ['analyst'] })('{ permitStatistics { total } }');
    expect(other.status).toBe(200);
  });
});

// Gateway replicas share one audit database: on PostgreSQL each user's bucket is there, so the
// limit holds for the sum of the replicas, each with a connection pool of its own.
(onPostgres ? describe : describe.skip)('the per-user rate limit across gateway replicas', () => {
  let fresh: FreshDatabases;
  let replicas: DataSource[];
  beforeAll(async () => {
    fresh = await freshDatabases();
    replicas = await Promise.all(
      [1, 2].map(async () => (await openDatabase({ url: fresh.urls.audit, ...auditStorage })).dataSource),
    );
  });
  afterAll(async () => {
    for (const replica of replicas) if (replica.isInitialized) await replica.destroy();
    await fresh.drop();
  });

  it('lets a user make the limit in all, whichever replica each request reaches', async () => {
    const limits = replicas.map((database) => useRateLimit({ perMinute: 5, database })!);
    const waits: (number | null)[] = [];
    for (let i = 0; i < 8; i += 1) waits.push(await limits[i % 2].take('scraper'));
    expect(waits.slice(0, 5)).toEqual([null, null, null, null, null]);
    for (const wait of waits.slice(5)) expect(wait).toBeGreaterThanOrEqual(1);
    // Taken at once on both, no more than the bucket holds either.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => limits[i % 2].take('burst')));
    expect(burst.filter((wait) => wait === null)).toHaveLength(5);
    expect(await limits[1].take('colleague')).toBeNull();
  });

  it('counts on its own bucket when the shared one cannot be read', async () => {
    const { dataSource: gone } = await openDatabase({ url: fresh.urls.audit, ...auditStorage });
    await gone.destroy();
    const limit = useRateLimit({ perMinute: 3, database: gone })!;
    const waits = [];
    for (let i = 0; i < 4; i += 1) waits.push(await limit.take('analyst'));
    expect(waits.slice(0, 3)).toEqual([null, null, null]);
    expect(waits[3]).toBeGreaterThanOrEqual(1);
  });
});
