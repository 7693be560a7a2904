import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Route } from '../../lib/http-server';
import { projectRoot } from '../../lib/paths';

/**
 * The IDE's scripts and styles, from installed packages (no CDN: air-gapped networks). Each is
 * served under a name carrying a hash of its content, so a browser keeps it for a year and asks
 * again only when an upgrade changes it; the page that names them is never cached.
 */
export const IDE_ASSET_FILES = {
  'react.js': 'node_modules/react/umd/react.production.min.js',
  'react-dom.js': 'node_modules/react-dom/umd/react-dom.production.min.js',
  'graphiql.js': 'node_modules/graphiql/graphiql.min.js',
  'graphiql.css': 'node_modules/graphiql/graphiql.min.css',
  'explorer.js': 'node_modules/@graphiql/plugin-explorer/dist/index.umd.js',
  'explorer.css': 'node_modules/@graphiql/plugin-explorer/dist/style.css',
  'app.js': 'gateway/ide/app.js',
} as const;
export type IdeAssetName = keyof typeof IDE_ASSET_FILES;

/** What a content-hashed asset may be cached for: it never changes under its name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Brotli quality 9: on graphiql.js (3.5 MB) 630 KB in 0.4 s of CPU, where 11 saves another 60 KB
 * for 7 s. Gzip is the fallback for clients without brotli.
 */
const ENCODERS = {
  br: (body: Buffer) =>
    promisify(zlib.brotliCompress)(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    }),
  gzip: (body: Buffer) => promisify(zlib.gzip)(body, { level: 9 }),
};
type Encoding = keyof typeof ENCODERS;

/** The encodings a client accepts (q > 0), the preferred one first; null: none of ours, send it as is. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...parameters] = part.split(';').map((piece) => piece.trim());
    if (!name) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const wildcard = accepted.get('*') ?? 0;
  return (Object.keys(ENCODERS) as Encoding[]).find((name) => (accepted.get(name) ?? wildcard) > 0) ?? null;
}

export interface IdeAssets {
  /** The hashed path of each asset, for the page to name (`/ide/graphiql.3f9a….js`). */
  paths: Record<IdeAssetName, string>;
  routes: Record<string, Route>;
}

/**
 * Hashes every asset at start and keeps nothing of it but its size. Each encoding is compressed
 * once, at the first request that asks for it (a gateway nobody opens the IDE on, such as every
 * test gateway, spends nothing on it), and kept: about 1 MB for all of them in brotli. A client
 * that accepts neither encoding gets the file streamed from disk.
 */
export function ideAssets(headers: Record<string, string>): IdeAssets {
  const paths = {} as Record<IdeAssetName, string>;
  const routes: Record<string, Route> = {};
  for (const [name, file] of Object.entries(IDE_ASSET_FILES) as [IdeAssetName, string][]) {
    const absolute = path.join(projectRoot, file);
    const content = readFileSync(absolute);
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
    const extension = path.extname(name);
    const route = `/ide/${path.basename(name, extension)}.${hash}${extension}`;
    paths[name] = route;
    routes[route] = assetRoute(
      absolute,
      content.length,
      extension === '.css' ? 'text/css' : 'text/javascript',
      headers,
    );
  }
  return { paths, routes };
}

function assetRoute(file: string, size: number, type: string, headers: Record<string, string>): Route {
  const compressed: Partial<Record<Encoding, Promise<Buffer>>> = {};
  const encoded = (encoding: Encoding) =>
    (compressed[encoding] ??= readFile(file)
      .then(ENCODERS[encoding])
      .catch((error: Error) => {
        delete compressed[encoding];
        throw error;
      }));
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const encoding = chooseEncoding(req.headers['accept-encoding'] as string | undefined);
    const common = { ...headers, 'content-type': type, 'cache-control': IMMUTABLE, vary: 'accept-encoding' };
    if (!encoding) {
      res.writeHead(200, { ...common, 'content-length': size });
      if (req.method === 'HEAD') return void res.end();
      return void createReadStream(file).pipe(res);
    }
    const body = await encoded(encoding);
    res.writeHead(200, { ...common, 'content-encoding': encoding, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * Sends `{ data: document }` as JSON, compressed like the assets. The schema document is built once
 * per schema load, so each one is serialised and compressed once: 100 KB on every visit becomes ~10.
 */
export function compressedJson() {
  const cache = new WeakMap<object, { json: Buffer; encoded: Partial<Record<Encoding, Promise<Buffer>>> }>();
  return async (req: http.IncomingMessage, res: http.ServerResponse, document: object) => {
    let entry = cache.get(document);
    if (!entry) cache.set(document, (entry = { json: Buffer.from(JSON.stringify({ data: document })), encoded: {} }));
    const encoding = chooseEncoding(req.headers['accept-encoding'] as string | undefined);
    const body = encoding ? await (entry.encoded[encoding] ??= ENCODERS[encoding](entry.json)) : entry.json;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      vary: 'accept-encoding',
      'content-length': body.length,
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    res.end(body);
  };
}
