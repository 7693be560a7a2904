import http from 'node:http';
import { decodeJwt } from 'jose';
import { ROLES } from '../lib/auth';
import { isLoopbackRequest } from '../gateway/ide';
import { startTestSystem, TestSystem } from './helpers/system';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A GET with exactly these headers (fetch would not let a test choose the Host header). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: text ? JSON.parse(text) : null }),
      );
    });
    request.on('error', reject);
  });
}

const origin = (t: TestSystem) => new URL(t.system.gateway!.url).origin;
const port = (t: TestSystem) => new URL(t.system.gateway!.url).port;

describe('the IDE’s demo tokens: for a developer at the machine only', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 });
  });
  afterAll(() => t.stop());

  const config = (headers: Record<string, string> = {}) => get(`${origin(t)}/ide/config.json`, headers);

  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST'])(
    'offers one-hour tokens for every role to the loopback address with Host %s',
    async (host) => {
      const { status, headers, body } = await config({ host: `${host}:${port(t)}` });
      expect(status).toBe(200);
      expect(headers['cache-control']).toBe('no-store');
      // Each role with and without the pii clearance, the token saying which.
      const choices = body.devTokens.map(({ role, pii }: { role: string; pii: boolean }) => `${role}/${pii}`);
      expect(choices.sort()).toEqual(ROLES.flatMap((role) => [`${role}/false`, `${role}/true`]).sort());
      expect(body.devTokensUnavailable).toBeNull();
      for (const { role, pii, token } of body.devTokens) {
        const claims = decodeJwt(token);
        expect(claims.exp! - claims.iat!).toBe(3600);
        expect({ roles: claims.roles, pii: claims.pii === true }).toEqual({ roles: [role], pii });
      }
      // And they work.
      const analyst = body.devTokens.find((choice: { role: string; pii: boolean }) => choice.role === 'analyst');
      const figures = await fetch(t.system.gateway!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst.token}` },
        body: JSON.stringify({ query: '{ permitStatistics { total } }' }),
      });
      expect(figures.status).toBe(200);
    },
  );

  it.each([
    ['a foreign Host header (a page on evil.example rebinding its name to 127.0.0.1)', 'evil.example:4000'],
    ['a foreign Host header without a port', 'evil.example'],
    ['a name that merely starts like localhost', 'localhost.evil.example'],
    ['the machine’s LAN name', 'devbox.internal:4000'],
  ])('offers no tokens to %s, and says why', async (_label, host) => {
    const { status, body } = await config({ host });
    expect(status).toBe(200);
    expect(body.devTokens).toBeNull();
    expect(body.devTokensUnavailable).toMatch(/loopback/);
    // The IDE's non-secret configuration is still there.
    expect(body.endpoint).toBe('/graphql');
    expect(body.operations.length).toBeGreaterThanOrEqual(8);
    expect(JSON.stringify(body)).not.toMatch(/eyJ/);
  });

  it('offers no tokens to a request a proxy forwarded, nor to another site’s page', async () => {
    const host = `127.0.0.1:${port(t)}`;
    const refused: Record<string, string>[] = [
      { host, 'x-forwarded-for': '203.0.113.7' },
      { host, forwarded: 'for=203.0.113.7' },
      { host, 'sec-fetch-site': 'cross-site' },
      { host, origin: 'https://evil.example' },
    ];
    for (const headers of refused) {
      const { body } = await config(headers);
      expect({ headers, devTokens: body.devTokens }).toEqual({ headers, devTokens: null });
      expect(body.devTokensUnavailable).toMatch(/^demo tokens are/);
    }
    // The IDE's own fetch (same origin) still gets them.
    const own = await config({ host, 'sec-fetch-site': 'same-origin' });
    expect(own.body.devTokens).not.toBeNull();
  });

  it('tells loopback from other addresses, IPv4-mapped ones included', () => {
    const req = (remoteAddress: string | undefined, host: string | undefined) =>
      ({ socket: { remoteAddress }, headers: host === undefined ? {} : { host } }) as unknown as http.IncomingMessage;
    for (const remote of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect({ remote, local: isLoopbackRequest(req(remote, 'localhost:4000')) }).toEqual({ remote, local: true });
    for (const remote of ['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '::', '0.0.0.0', undefined])
      expect({ remote, local: isLoopbackRequest(req(remote, 'localhost:4000')) }).toEqual({ remote, local: false });
    for (const host of ['127.0.0.1', '127.0.0.1:4000', 'localhost', '[::1]:4000', '127.1.2.3:80'])
      expect({ host, local: isLoopbackRequest(req('127.0.0.1', host)) }).toEqual({ host, local: true });
    for (const host of [
      'evil.example:4000',
      '::1',
      '[::2]:4000',
      'localhost:4000@evil',
      '127.0.0.1.nip.io',
      '',
      undefined,
    ])
      expect({ host, local: isLoopbackRequest(req('127.0.0.1', host)) }).toEqual({ host, local: false });
  });
});

describe('the IDE in production', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 }, { production: true });
  });
  afterAll(() => t.stop());

  it('offers no demo tokens, even to the loopback address', async () => {
    const { status, body } = await get(`${origin(t)}/ide/config.json`, { host: `127.0.0.1:${port(t)}` });
    expect(status).toBe(200);
    expect(body.devTokens).toBeNull();
    expect(body.devTokensUnavailable).toMatch(/production/);
  });

  const schemaAs = async (roles: (typeof ROLES)[number][]) =>
    get(`${origin(t)}/ide/schema.json`, { authorization: `Bearer ${await t.testAuth.token({ roles })}` });
  const rootFields = (body: any, type = 'Query') =>
    body.data.__schema.types.find((candidate: any) => candidate.name === type).fields.map((field: any) => field.name);

  it('gives the schema document to the roles that may read what it shows', async () => {
    const supervisor = await schemaAs(['supervisor']);
    expect(supervisor.status).toBe(200);
    expect(rootFields(supervisor.body)).toEqual(
      expect.arrayContaining(['foreignNationals', 'policeReports', 'findings', 'auditReadsOfPerson']),
    );
    // Analysts read everything but the read audit: their document leaves its queries and types out.
    const analyst = await schemaAs(['analyst']);
    expect(analyst.status).toBe(200);
    expect(rootFields(analyst.body)).toEqual(expect.arrayContaining(['foreignNationals', 'policeReports', 'findings']));
    expect(rootFields(analyst.body).filter((name: string) => name.startsWith('audit'))).toEqual([]);
    expect(analyst.body.data.__schema.types.map((type: any) => type.name)).not.toContain('AuditRecord');
    expect(rootFields(analyst.body, 'Mutation')).toContain('openCase');
  });

  it.each(['immigration_officer', 'police_officer', 'manpower_officer'] as const)(
    'refuses the schema document to %s (FORBIDDEN, naming who may have it)',
    async (role) => {
      const { status, body } = await schemaAs([role]);
      expect(status).toBe(403);
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toMatch(/analyst.*supervisor|supervisor.*analyst/);
      expect(body.data).toBeUndefined();
    },
  );

  it('still refuses it without a token', async () => {
    const { status, body } = await get(`${origin(t)}/ide/schema.json`);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
