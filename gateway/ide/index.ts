import http from 'node:http';
import net from 'node:net';
import { GraphQLError } from 'graphql';
import { Identity, ROLES } from '../../lib/auth';
import { Route, sendError, sendJson } from '../../lib/http-server';
import { errors } from '../../lib/errors';
import { DevToken } from '../../lib/auth-config';
import { compressedJson, IdeAssets, ideAssets } from './assets';
import { ExampleVariables, FULL_VIEW_OPERATION, readyMadeOperations, variablesOf } from './operations';
import type { IdeSchemas } from './schema';
import { schemaDocumentFor } from './schema';

export { ideSchemas, SCHEMA_DOCUMENT_READERS } from './schema';
export type { IdeSchemas } from './schema';
export type { ExampleVariables } from './operations';

/**
 * The analysts' IDE: GraphiQL (the maintained successor of GraphQL Playground) with the explorer,
 * docs and history, served entirely by the gateway from installed packages (assets.ts), so it works
 * on an air-gapped network: no asset comes from a CDN, and the Content-Security-Policy forbids it.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** What every IDE response carries besides its type and caching. */
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface IdeOptions {
  /** The schema documents per role (ideSchemas), once the gateway has loaded the schema. */
  schema: () => IdeSchemas | undefined;
  /** Verifies the request's bearer token; throws when it does not hold. */
  authenticate: (req: http.IncomingMessage) => Promise<{ identity: Identity }>;
  /** NODE_ENV=production: never any demo token, whatever `devTokens` says. */
  production?: boolean;
  /**
   * Development only: a fresh demo token per role, with and without the pii clearance, offered to
   * a developer at the machine alone (isLoopbackRequest).
   */
  devTokens?: () => Promise<DevToken[]>;
  /**
   * Variables for the ready-made operations by operation name, asked at each load of the IDE (the
   * demo data's people, from its manifest). @default none: a tab's required variables are empty
   * ("" or []), never a made-up person
   */
  exampleVariables?: () => ExampleVariables | undefined;
}

export function ideRoutes(options: IdeOptions): Record<string, Route> {
  const assets = ideAssets(SECURITY_HEADERS);
  const page = pageNaming(assets.paths);
  const operations = readyMadeOperations();
  const sendSchema = compressedJson();
  return {
    ...assets.routes,
    '/': (req, res) => {
      if (!(req.headers.accept ?? '').includes('text/html'))
        return sendJson(res, 404, { error: 'not found: GraphQL is at /graphql' });
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(page);
    },
    '/favicon.ico': (_req, res) => void res.writeHead(204).end(),
    // The IDE's configuration, and demo tokens only for a developer at the machine: anyone who
    // reaches the port, or a web page that rebinds its name to 127.0.0.1, gets the rest and a reason.
    '/ide/config.json': async (req, res) => {
      const withheld = devTokensWithheld(req, options);
      const examples = options.exampleVariables?.();
      res.setHeader('cache-control', 'no-store');
      sendJson(res, 200, {
        endpoint: '/graphql',
        roles: ROLES,
        devTokens: withheld === null ? await options.devTokens!() : null,
        devTokensUnavailable: withheld,
        fullView: FULL_VIEW_OPERATION,
        operations: operations.map((operation) => ({
          name: operation.name,
          query: operation.query,
          variables: variablesOf(operation, examples),
        })),
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
      await sendSchema(req, res, document);
    },
  };
}

/**
 * A browser that opens the GraphQL address itself (a GET asking for HTML) gets the IDE, with its
 * query string (`/graphql?passport=CHN:X1` opens that passport), instead of Apollo's CSRF refusal.
 * GraphQL clients never ask for HTML, so their requests go on as before. Runs before the routes.
 */
export function redirectBrowsersToIde(graphqlPath = '/graphql') {
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html')) return false;
    const target = req.url ?? '';
    const query = target.indexOf('?');
    if ((query < 0 ? target : target.slice(0, query)) !== graphqlPath) return false;
    res.writeHead(302, { location: `/${query < 0 ? '' : target.slice(query)}`, 'cache-control': 'no-store' });
    res.end();
    return true;
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

/** The page, naming the assets by their hashed paths. */
const pageNaming = (asset: IdeAssets['paths']) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>TIMPORA · GraphQL</title>
  <link rel="stylesheet" href="${asset['graphiql.css']}">
  <link rel="stylesheet" href="${asset['explorer.css']}">
  <style>
    html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
    body { display: flex; flex-direction: column; }
    #bar { display: flex; gap: 12px; align-items: center; padding: 6px 12px; background: #0b3d5c; color: #fff; font-size: 14px; }
    #bar select { font-size: 13px; }
    #bar .note { font-size: 12px; opacity: 0.85; }
    #ide { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <div id="bar"><strong>TIMPORA</strong><span>one view across immigration, manpower and police</span><span id="tokens"></span></div>
  <div id="ide">Loading the IDE…</div>
  <script src="${asset['react.js']}"></script>
  <script src="${asset['react-dom.js']}"></script>
  <script src="${asset['graphiql.js']}"></script>
  <script src="${asset['explorer.js']}"></script>
  <script src="${asset['app.js']}"></script>
</body>
</html>
`;
