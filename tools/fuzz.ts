import net from 'node:net';
import { authInMemory } from '../lib/auth-config';
import { SUBGRAPH_NAMES } from '../subgraphs';
import { fixedClock } from '../subgraphs/shared/clock';
import { seedDatabases } from './demo';
import { startSystem } from './system';
import { countOption, parseCommandLine, runTool } from './cli';

/**
 * `npm run fuzz [-- --requests 10000]`: malformed and hostile requests against the real gateway
 * and subgraphs on 127.0.0.1, in families, round robin, bounded in count. Prints the statuses per
 * family and fails (exit 1) on any 5xx, any answer that shows a stack trace or an internal path,
 * or a service that stops answering.
 */
type Send = (i: number) => Promise<{ status: number; body: string }>;

const ANALYST_QUERY = '{ foreignNationals(first: 2) { totalCount nodes { id fullName } } }';

function families(url: URL, token: string): Record<string, Send> {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetchText(url.href, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    });
  const json = (value: unknown, headers?: Record<string, string>) => post(JSON.stringify(value), headers);
  const nested = (levels: number) => {
    let value: unknown = 'x';
    for (let level = 0; level < levels; level += 1) value = { a: value };
    return value;
  };
  const raw = (request: string) => rawHttp(url, request);
  const oddText = ['\u0000', '\uD800', '\uFFFF', '💥', '\u202E', 'ﷺ', '\r\n', '\\', '"'];
  return {
    'broken JSON': (i) => post(['{', '{"query":', '{"query": "{ a }"', '[{]', 'nul', '{"query": "\\u00"}'][i % 6]),
    'wrong content type': (i) =>
      fetchText(url.href, {
        method: 'POST',
        body: ANALYST_QUERY,
        headers: {
          'content-type': ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''][i % 4],
          authorization: `Bearer ${token}`,
        },
      }),
    'bad request target': (i) =>
      raw(
        [
          `GET //[ HTTP/1.1`,
          `GET /%zz HTTP/1.1`,
          `GET http://[::1 HTTP/1.1`,
          `GET /${'a'.repeat(9000)} HTTP/1.1`,
          `GET * HTTP/1.1`,
        ][i % 5],
      ),
    'deep variables': (i) =>
      json({
        query: 'query($v: String) { foreignNationals(first: 1) { totalCount } }',
        variables: { v: nested(100 + (i % 5000)) },
      }),
    'huge strings': (i) =>
      json({
        query: ANALYST_QUERY,
        variables: { s: 'x'.repeat(200_000 + (i % 10) * 70_000) },
        operationName: 'y'.repeat(i % 3000),
      }),
    'alias flood': (i) =>
      json({
        query: `{ ${Array.from({ length: 50 + (i % 400) }, (_, k) => `a${k}: foreignNationals(first: 1) { totalCount }`).join(' ')} }`,
      }),
    'directive flood': (i) =>
      json({ query: `{ foreignNationals(first: 1) { totalCount ${'@include(if: true) '.repeat(50 + (i % 2000))} } }` }),
    'fragment cycle': (i) =>
      json({
        query: `{ foreignNationals(first: 1) { ...A } } fragment A on ForeignNationalConnection { ...B totalCount } fragment B on ForeignNationalConnection { ...${i % 2 ? 'A' : 'B'} }`,
      }),
    'batched array': (i) => json(Array.from({ length: 1 + (i % 50) }, () => ({ query: ANALYST_QUERY }))),
    'wrong variable types': (i) =>
      json({
        query:
          'query($first: Int, $f: ForeignNationalFilter) { foreignNationals(first: $first, filter: $f) { totalCount } }',
        variables: [
          { first: 'ten' },
          { first: 1e30 },
          { first: -1 },
          { f: 'x' },
          { f: { dateOfBirth: 12 } },
          { f: { nationality: [1, 2] } },
        ][i % 6],
      }),
    'NUL and odd Unicode': (i) =>
      json({
        query: `{ foreignNationals(filter: { name: "${oddText[i % oddText.length]}" }, first: 1) { totalCount } }${oddText[(i + 3) % oddText.length]}`,
      }),
    '__proto__ keys': (i) =>
      post(
        [
          `{"query": "${ANALYST_QUERY}", "__proto__": {"admin": true}}`,
          `{"query": "${ANALYST_QUERY}", "variables": {"__proto__": {"x": 1}, "constructor": {"prototype": {}}}}`,
          `{"query": "${ANALYST_QUERY}", "extensions": {"__proto__": null}}`,
        ][i % 3],
      ),
    'long headers': (i) =>
      fetchText(url.href, {
        method: 'POST',
        body: JSON.stringify({ query: ANALYST_QUERY }),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-filler': 'h'.repeat(2000 + (i % 14) * 1000),
        },
      }),
    'bad credentials': (i) =>
      post(JSON.stringify({ query: ANALYST_QUERY }), {
        authorization: [
          'Bearer',
          'Bearer a.b.c',
          `Bearer ${'x'.repeat(12_000)}`,
          'Basic Zm9vOmJhcg==',
          `Bearer ${token}x`,
        ][i % 5],
      }),
    'persisted query junk': (i) =>
      json({
        extensions: {
          persistedQuery: [
            { version: 1, sha256Hash: 'zz' },
            { version: 99, sha256Hash: 'a'.repeat(64) },
            { version: 1 },
            'x',
          ][i % 4],
        },
      }),
    'GET junk': (i) =>
      fetchText(
        `${url.href}?${['query=%7B', 'query={a}&variables=%7B', 'extensions=%zz', `query=${'x'.repeat(8000)}`][i % 4]}`,
        { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } },
      ),
    'oversized body': () => post(`{"query": "${'a'.repeat(1_100_000)}"}`),
    'byte flips': (i) => json({ query: flip(ANALYST_QUERY, i) }),
    'odd pages': (i) =>
      json({
        query: `{ foreignNationals(first: ${['0', '-1', '501', '1.5', '99999999999', '"1"'][i % 6]}) { totalCount } }`,
      }),
  };
}

function flip(text: string, seed: number): string {
  const chars = [...text];
  const at = (seed * 7919) % chars.length;
  chars[at] = String.fromCharCode((chars[at].charCodeAt(0) + seed) % 128);
  return chars.join('');
}

async function fetchText(url: string, init: RequestInit): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String((error as Error).message) };
  }
}

/** One request written byte for byte, for targets that fetch() would never send. */
function rawHttp(url: URL, requestLine: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('connect', () => socket.end(`${requestLine}\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.\d (\d{3})/.exec(answer)?.[1] ?? 0), body: answer }));
    socket.on('error', () => undefined);
  });
}

/** What an answer must never show: our stack frames, our files, the machine's paths. */
const LEAKS = /\n\s+at \S+ \(|node_modules|\/dist\/|\.ts:\d+|\/work\/|\/tmp\/|Error: [A-Z][a-z]+Error/;

const CLI = {
  command: 'npm run fuzz --',
  summary: 'Malformed and hostile requests against the real services on 127.0.0.1; exit 1 on any 5xx, leak or crash.',
  options: {
    requests: { type: 'string', default: '10000', value: 'N', description: 'requests in all (default 10000)' },
    concurrency: { type: 'string', default: '8', value: 'N', description: 'requests in flight at once (default 8)' },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const total = countOption('requests', values.requests);
  const concurrency = countOption('concurrency', values.concurrency);
  const { auth, token: tokenFor } = await authInMemory(SUBGRAPH_NAMES);
  const databaseUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'sqlite::memory:'])) as Record<
    (typeof SUBGRAPH_NAMES)[number],
    string
  >;
  const system = await startSystem({
    auth,
    databaseUrls,
    clock: fixedClock('2025-06-18'),
    host: '127.0.0.1',
    rateLimitPerMinute: 0,
  });
  try {
    const subgraph = (name: 'immigration' | 'manpower' | 'police') => system.subgraphs[name]!.db;
    await seedDatabases(
      { immigration: subgraph('immigration'), manpower: subgraph('manpower'), police: subgraph('police') },
      { anchor: '2025-06-18', persons: 200 },
    );
    const token = await tokenFor({ roles: ['analyst'], pii: false, lifetimeSeconds: 3600 });
    const url = new URL(system.gateway!.url);
    const all = families(url, token);
    const names = Object.keys(all);
    const counts: Record<string, Record<number, number>> = Object.fromEntries(names.map((name) => [name, {}]));
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < total && Date.now() - started < 15 * 60_000) {
        const i = next++;
        const family = names[i % names.length];
        const { status, body } = await all[family](Math.floor(i / names.length));
        counts[family][status] = (counts[family][status] ?? 0) + 1;
        if (status >= 500 || status === 0) failures.push(`${family} #${i}: HTTP ${status} ${body.slice(0, 200)}`);
        else if (LEAKS.test(body))
          failures.push(`${family} #${i}: leaks internals: ${body.match(LEAKS)![0]} in ${body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const alive = await fetchText(new URL('/health/ready', url).href, {});
    if (alive.status !== 200)
      failures.push(`the gateway is not ready after the run: HTTP ${alive.status} ${alive.body}`);
    for (const name of names)
      console.log(
        `${name.padEnd(22)} ${Object.entries(counts[name])
          .map(([status, count]) => `${status}×${count}`)
          .join('  ')}`,
      );
    console.log(
      `${next} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ${names.length} families; gateway RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (all services, one process)`,
    );
    for (const failure of failures.slice(0, 20)) console.log(`FAIL ${failure}`);
    console.log(`fuzz: ${next - failures.length} passed, ${failures.length} failed`);
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    await system.stop();
  }
}

runTool(main);
