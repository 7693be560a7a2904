import net from 'node:net';
import { startTestSystem, TestSystem } from './helpers/system';

/** Nothing a client sends gets a 5xx or shows an internal error (the fuzz suite, npm run fuzz, sends more). */
describe('hostile input', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 });
  });
  afterAll(() => t.stop());

  it('answers a request target that is not a path with 400, on the gateway and on a subgraph', async () => {
    for (const url of [t.system.gateway!.url, t.subgraph('police').url]) {
      const { port } = new URL(url);
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1');
        let text = '';
        socket.on('connect', () => socket.end('GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
        socket.on('data', (chunk) => (text += chunk));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toContain('"code":"BAD_REQUEST"');
    }
  });

  it('refuses variables nested 5,000 levels deep with BAD_USER_INPUT, before the audit reads them', async () => {
    const deep = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    const query = 'query($v: String) { foreignNationals(first: 1) { totalCount } }';
    const answer = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await t.testAuth.token({ roles: ['analyst'] })}`,
      },
      body: `{"query": ${JSON.stringify(query)}, "variables": {"v": ${deep}}}`,
    });
    const response = { status: answer.status, ...((await answer.json()) as { errors?: { message: string }[] }) };
    expect(response.status).toBe(400);
    expect(response.errors![0]).toMatchObject({
      message: 'The request body nests deeper than 64 levels',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('answers an unknown operation name with 400, not 500', async () => {
    const response = await t.query('query A { foreignNationals(first: 1) { totalCount } }', {});
    const named = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await t.testAuth.token({ roles: ['analyst'] })}`,
      },
      body: JSON.stringify({ query: 'query A { foreignNationals(first: 1) { totalCount } }', operationName: 'B' }),
    });
    expect(response.status).toBe(200);
    expect(named.status).toBe(400);
    expect(await named.json()).toMatchObject({
      errors: [{ message: 'The document has no operation named "B"', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});
