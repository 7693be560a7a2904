import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chooseEncoding, IDE_ASSET_FILES } from '../gateway/ide/assets';
import { readyMadeOperations } from '../gateway/ide/operations';
import { startTestSystem, TestSystem } from './helpers/system';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with exactly these headers and the body as sent (fetch would decompress it). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { headers, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

const root = path.join(__dirname, '..');
const origin = (t: TestSystem) => new URL(t.system.gateway!.url).origin;

/** The asset paths the page names, in its order. */
async function assetPaths(t: TestSystem): Promise<string[]> {
  const page = await get(`${origin(t)}/`, { accept: 'text/html' });
  return [...page.body.toString('utf8').matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
}

describe('the IDE’s assets: compressed, cacheable, and only its own', () => {
  let t: TestSystem;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-ide-'));
    t = await startTestSystem({ persons: 20 }, { demoManifestFile: path.join(dir, 'manifest.json') });
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(t.manifest));
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every asset by a hash of its content, cached for a year; the page itself is never cached', async () => {
    const page = await get(`${origin(t)}/`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const paths = await assetPaths(t);
    expect(paths).toHaveLength(Object.keys(IDE_ASSET_FILES).length);
    for (const asset of paths) {
      expect(asset).toMatch(/^\/ide\/[a-z-]+\.[0-9a-f]{16}\.(js|css)$/);
      const answer = await get(`${origin(t)}${asset}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect({ asset, status: answer.status, cache: answer.headers['cache-control'] }).toEqual({
        asset,
        status: 200,
        cache: 'public, max-age=31536000, immutable',
      });
      expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(answer.headers.vary).toBe('accept-encoding');
    }
    // The old names are gone: a browser holding a year-long copy must never get a stale file under one.
    expect((await get(`${origin(t)}/ide/graphiql.js`)).status).toBe(404);
  });

  it('sends brotli to browsers that take it, gzip to those that take only gzip, the file as is to the rest', async () => {
    const files = Object.values(IDE_ASSET_FILES).map((file) => readFileSync(path.join(root, file)));
    const paths = await assetPaths(t);
    const sizes = { identity: 0, gzip: 0, br: 0 };
    for (const asset of paths) {
      const original = files.find((file) => asset.includes(`.${hashOf(file)}.`))!;
      expect({ asset, known: Boolean(original) }).toEqual({ asset, known: true });
      const br = await get(`${origin(t)}${asset}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(Number(br.headers['content-length'])).toBe(br.body.length);
      expect(zlib.brotliDecompressSync(br.body).equals(original)).toBe(true);
      const gzip = await get(`${origin(t)}${asset}`, { 'accept-encoding': 'gzip, br;q=0' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gzip.body).equals(original)).toBe(true);
      const plain = await get(`${origin(t)}${asset}`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(original)).toBe(true);
      sizes.identity += plain.body.length;
      sizes.gzip += gzip.body.length;
      sizes.br += br.body.length;
    }
    console.log(
      `IDE assets (${paths.length} files): ${kb(sizes.identity)} as is, ${kb(sizes.gzip)} gzip, ${kb(sizes.br)} brotli`,
    );
    expect(sizes.br).toBeLessThan(sizes.identity / 4);
  });

  it('sends the schema document compressed too, and never for caching', async () => {
    const authorization = `Bearer ${await t.testAuth.token({ roles: ['analyst'] })}`;
    const plain = await get(`${origin(t)}/ide/schema.json`, { authorization });
    const br = await get(`${origin(t)}/ide/schema.json`, { authorization, 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('no-store');
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(JSON.parse(plain.body.toString('utf8')).data.__schema.queryType.name).toBe('Query');
    console.log(`IDE schema document: ${kb(plain.body.length)} as is, ${kb(br.body.length)} brotli`);
  });

  it('chooses the encoding from Accept-Encoding, weights included', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBeNull();
  });

  it('sends a browser that opens /graphql to the IDE, with the query string; GraphQL clients go on as before', async () => {
    const browser = await get(`${origin(t)}/graphql?passport=CHN:E1&role=supervisor`, {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe('/?passport=CHN:E1&role=supervisor');
    expect((await get(`${origin(t)}/graphql`, { accept: 'text/html' })).headers.location).toBe('/');
    // A GraphQL GET (no HTML asked for) and a POST are Apollo's, as ever.
    const client = await get(`${origin(t)}/graphql?query=%7B__typename%7D`, { accept: 'application/json' });
    expect(client.status).not.toBe(302);
    const post = await get(`${origin(t)}/graphql`, { accept: 'text/html' }, 'POST');
    expect(post.status).not.toBe(302);
  });

  it('offers every ready-made operation of examples/, filled from the demo manifest', async () => {
    const config = JSON.parse((await get(`${origin(t)}/ide/config.json`)).body.toString('utf8'));
    const names = config.operations.map((operation: { name: string }) => operation.name);
    expect(names).toEqual(readyMadeOperations().map((operation) => operation.name));
    expect(names[0]).toBe('FullViewByPassport');
    expect(names).toEqual(
      expect.arrayContaining([
        'PermitFigures',
        'OverstaysInKetapang',
        'PermitMisuse',
        'RefreshFindings',
        'OpenCase',
        'DecideCase',
        'LinksAndTimeline',
      ]),
    );
    const variables = Object.fromEntries(
      config.operations.map((operation: { name: string; variables: unknown }) => [operation.name, operation.variables]),
    );
    const { renewedPassport } = t.manifest.examples;
    expect(variables.FullViewByPassport).toEqual(renewedPassport.currentPassport);
    expect(variables.LinksAndTimeline).toEqual({ id: renewedPassport.personId });
    expect(variables.PermitMisuse).toEqual({ regency: Object.keys(t.manifest.personsByRegency)[0] });
    // A name as police wrote it, family name last: the analyst's "who could this be".
    const { fullName, nationality } = t.manifest.examples.nameOnlyPoliceMatch;
    expect(variables.WhoCouldThisBe).toEqual({ fullName: fullName.split(' ').reverse().join(' '), nationality });
    // No manifest gives these: their required variables are there, empty, to fill in.
    expect(variables.OpenCase).toEqual({ findingIds: [] });
    expect(variables.DecideCase).toEqual({ caseId: '', amountRupiah: 0 });
    // Each tab's text is the operation with what the comment above it says.
    expect(config.operations[0].query).toMatch(/^# The full view of one foreign national/);
  });

  it('makes up no person when there is no manifest (a deployment with real data)', async () => {
    rmSync(path.join(dir, 'manifest.json'));
    const config = JSON.parse((await get(`${origin(t)}/ide/config.json`)).body.toString('utf8'));
    const fullView = config.operations.find((operation: { name: string }) => operation.name === 'FullViewByPassport');
    expect(fullView.variables).toEqual({ number: '', country: '' });
    const links = config.operations.find((operation: { name: string }) => operation.name === 'LinksAndTimeline');
    expect(links.variables).toEqual({ id: '' });
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(t.manifest));
  });
});

const hashOf = (content: Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 16);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
