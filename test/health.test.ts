import { startTestSystem, TestSystem } from './helpers/system';

/** What docker-compose and orchestrators probe: no token needed, nothing about people inside. */
describe('liveness and readiness', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 });
  });
  afterAll(() => t.stop());

  const probe = async (graphqlUrl: string, path: string) => {
    const response = await fetch(new URL(path, graphqlUrl));
    return {
      status: response.status,
      body: (await response.json()) as { status: string; checks?: Record<string, string> },
    };
  };

  it('says each subgraph is live and ready once its database answers', async () => {
    for (const name of ['immigration', 'manpower', 'police', 'oversight'] as const) {
      expect(await probe(t.subgraph(name).url, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
      expect(await probe(t.subgraph(name).url, '/health/ready')).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'ok' } },
      });
    }
  });

  it('says the gateway is ready when the audit and every agency are, and names the one that is not', async () => {
    const ready = await probe(t.system.gateway!.url, '/health/ready');
    expect(ready).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: { audit: 'ok', immigration: 'ok', manpower: 'ok', police: 'ok', oversight: 'ok' },
      },
    });
    await t.subgraph('police').stop();
    const degraded = await probe(t.system.gateway!.url, '/health/ready');
    expect(degraded.status).toBe(503);
    expect(degraded.body.checks).toMatchObject({ immigration: 'ok', police: expect.not.stringMatching(/^ok$/) });
    expect((await probe(t.system.gateway!.url, '/health/live')).status).toBe(200);
  });
});
