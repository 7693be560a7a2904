import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { Identity, ROLES } from '../../lib/auth';
import { Route, sendError, sendJson } from '../../lib/http-server';
import { errors } from '../../lib/errors';
import { projectRoot } from '../../lib/paths';
import type { IdeSchemas } from './schema';
import { schemaDocumentFor } from './schema';

export { ideSchemas, SCHEMA_DOCUMENT_READERS } from './schema';
export type { IdeSchemas } from './schema';

/**
 * The analysts' IDE: GraphiQL (the maintained successor of GraphQL Playground) with the explorer,
 * docs and history, served entirely by the gateway from installed packages, so it works on an
 * air-gapped network: no asset comes from a CDN, and the Content-Security-Policy forbids it.
 */
const ASSETS: Record<string, [file: string, type: string]> = {
  '/ide/react.js': ['node_modules/react/umd/react.production.min.js', 'text/javascript'],
  '/ide/react-dom.js': ['node_modules/react-dom/umd/react-dom.production.min.js', 'text/javascript'],
  '/ide/graphiql.js': ['node_modules/graphiql/graphiql.min.js', 'text/javascript'],
  '/ide/graphiql.css': ['node_modules/graphiql/graphiql.min.css', 'text/css'],
  '/ide/explorer.js': ['node_modules/@graphiql/plugin-explorer/dist/index.umd.js', 'text/javascript'],
  '/ide/explorer.css': ['node_modules/@graphiql/plugin-explorer/dist/style.css', 'text/css'],
  '/ide/app.js': ['gateway/ide/app.js', 'text/javascript'],
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Ready-made operations, one tab each (full view first): the examples analysts start from. */
const IDE_OPERATIONS = [
  { file: 'full-view.graphql', operation: 'FullViewByPassport', variables: { number: 'E12345678', country: 'CHN' } },
  { file: 'analyst-tasks.graphql', operation: 'OverstaysInKetapang', variables: {} },
  { file: 'analyst-tasks.graphql', operation: 'PermitMisuse', variables: { regency: 'Ketapang' } },
  { file: 'analyst-tasks.graphql', operation: 'PermitFigures', variables: {} },
];

export interface IdeOptions {
  /** The schema documents per role (ideSchemas), once the gateway has loaded the schema. */
  schema: () => IdeSchemas | undefined;
  /** Verifies the request's bearer token; throws when it does not hold. */
  authenticate: (req: http.IncomingMessage) => Promise<{ identity: Identity }>;
  /** NODE_ENV=production: never any demo token, whatever `devTokens` says. */
  production?: boolean;
  /**
   * Development only: a fresh demo token per role (with the pii clearance), offered to a
   * developer at the machine alone (isLoopbackRequest).
   */
  devTokens?: () => Promise<Record<string, string>>;
}

export function ideRoutes(options: IdeOptions): Record<string, Route> {
  const assets = Object.fromEntries(
    Object.entries(ASSETS).map(([route, [file, type]]) => {
      const body = readFileSync(path.join(projectRoot, file));
      return [route, ((_req, res) => send(res, 200, type, body, 'public, max-age=3600')) as Route];
    }),
  );
  // Read once: a missing example operation stops the gateway at start, not an analyst's page.
  const operations = IDE_OPERATIONS.map(({ file, operation, variables }) => ({
    query: operationText(file, operation),
    variables,
  }));
  return {
    ...assets,
    '/': (req, res) => {
      if (!(req.headers.accept ?? '').includes('text/html'))
        return sendJson(res, 404, { error: 'not found: GraphQL is at /graphql' });
      send(res, 200, 'text/html; charset=utf-8', PAGE, 'no-store');
    },
    '/favicon.ico': (_req, res) => void res.writeHead(204).end(),
    // The IDE's configuration, and demo tokens only for a developer at the machine: anyone who
    // reaches the port, or a web page that rebinds its name to 127.0.0.1, gets the rest and a reason.
    '/ide/config.json': async (req, res) => {
      const withheld = devTokensWithheld(req, options);
      res.setHeader('cache-control', 'no-store');
      sendJson(res, 200, {
        endpoint: '/graphql',
        roles: ROLES,
        devTokens: withheld === null ? await options.devTokens!() : null,
        devTokensUnavailable: withheld,
        operations,
      });
    },
    // The schema for the IDE's docs and explorer, to signed-in users whose roles may read what it
    // shows (SCHEMA_DOCUMENT_READERS): introspection through /graphql stays off in production, and
    // outsiders and officers learn nothing of the other agencies' data from this route either.
    '/ide/schema.json': async (req, res) => {
      let identity: Identity;
      try {
        ({ identity } = await options.authenticate(req));
      } catch (error) {
        return sendError(res, error instanceof GraphQLError ? error : errors.unauthenticated((error as Error).message));
      }
      const schemas = options.schema();
      if (!schemas) return sendError(res, errors.notReady('The schema is not loaded yet'));
      const document = schemaDocumentFor(schemas, identity.roles);
      if (document instanceof GraphQLError) return sendError(res, document);
      res.setHeader('cache-control', 'no-store');
      sendJson(res, 200, { data: document });
    },
  };
}

/** Why this request gets no demo tokens, or null when it may have them. */
function devTokensWithheld(req: http.IncomingMessage, options: IdeOptions): string | null {
  if (options.production)
    return 'no demo tokens in production: paste a token from your identity provider into the Headers pane';
  if (!options.devTokens) return 'no demo tokens here: paste your token into the Headers pane';
  if (!isLoopbackRequest(req)) {
    const port = req.socket.localPort ? `:${req.socket.localPort}` : '';
    return (
      "demo tokens are offered only on this machine's loopback address " +
      `(open http://127.0.0.1${port}/ on the machine the gateway runs on); otherwise paste your token into the Headers pane`
    );
  }
  if (FORWARDED.some((name) => req.headers[name] !== undefined))
    return 'demo tokens are not offered through a proxy: open the IDE on the gateway’s own loopback address';
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (
    (site !== undefined && site !== 'same-origin' && site !== 'none') ||
    (origin && origin !== `http://${req.headers.host}`)
  )
    return 'demo tokens are offered to the IDE’s own page only, not to another site’s';
  return null;
}

/** Headers a reverse proxy adds: behind one, every remote user would come from the loopback address. */
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * A request from this machine, for this machine: the peer is a loopback address (127.0.0.0/8,
 * ::1, ::ffff:127.x) and the Host header names one (127.x.x.x, localhost, [::1], any port). The
 * second half stops DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1
 * reaches the loopback address, but its requests say `Host: evil.example`.
 */
export function isLoopbackRequest(req: http.IncomingMessage): boolean {
  const address = req.socket.remoteAddress;
  if (!address || net.isIP(address) === 0) return false;
  if (!LOOPBACK.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4')) return false;
  const host = /^(\[[0-9a-f:.]+\]|[^:[\]@/]+)(?::\d{1,5})?$/.exec((req.headers.host ?? '').trim().toLowerCase());
  if (!host) return false;
  const name = host[1];
  return name === 'localhost' || name === '[::1]' || (net.isIPv4(name) && name.startsWith('127.'));
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, cache: string) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** One named operation of an examples/ file, with the comment lines right above it. */
function operationText(file: string, operation: string): string {
  const text = readFileSync(path.join(projectRoot, 'examples', file), 'utf8');
  const blocks = text.split(/\n(?=(?:#[^\n]*\n)*(?:query|mutation) )/);
  const block = blocks.find((candidate) =>
    new RegExp(`^(?:#[^\\n]*\\n)*(?:query|mutation) ${operation}\\b`).test(candidate.trim() + '\n'),
  );
  if (!block) throw new Error(`examples/${file} has no operation ${operation}`);
  return `${block.trim()}\n`;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>TIMPORA · GraphQL</title>
  <link rel="stylesheet" href="/ide/graphiql.css">
  <link rel="stylesheet" href="/ide/explorer.css">
  <style>
    html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
    body { display: flex; flex-direction: column; }
    #bar { display: flex; gap: 12px; align-items: center; padding: 6px 12px; background: #0b3d5c; color: #fff; font-size: 14px; }
    #bar select { font-size: 13px; }
    #no-tokens { font-size: 12px; opacity: 0.85; }
    #ide { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <div id="bar"><strong>TIMPORA</strong><span>one view across immigration, manpower and police</span><span id="tokens"></span></div>
  <div id="ide">Loading the IDE…</div>
  <script src="/ide/react.js"></script>
  <script src="/ide/react-dom.js"></script>
  <script src="/ide/graphiql.js"></script>
  <script src="/ide/explorer.js"></script>
  <script src="/ide/app.js"></script>
</body>
</html>
`;
