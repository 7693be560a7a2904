import { ANALYST, startTestSystem, TestSystem } from './helpers/system';

describe('cross-origin access for frontend applications', () => {
  let t: TestSystem;
  const allowed = 'https://dashboard.timpora.example';
  beforeAll(async () => {
    t = await startTestSystem({ persons: 50 }, { corsOrigins: [allowed] });
  });
  afterAll(() => t.stop());

  const preflight = (origin: string) =>
    fetch(t.system.gateway!.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  it('answers the preflight of an allowed origin and marks its responses', async () => {
    const response = await preflight(allowed);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const post = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: {
        origin: allowed,
        'content-type': 'application/json',
        authorization: `Bearer ${await t.testAuth.token(ANALYST)}`,
      },
      body: JSON.stringify({ query: '{ permitStatistics { total } }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('refuses the preflight of any other origin and gives it no CORS headers', async () => {
    const response = await preflight('https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
