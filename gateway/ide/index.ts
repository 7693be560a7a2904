import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { GraphQLSchema, introspectionFromSchema } from 'graphql';
import { ROLES } from '../../lib/auth';
import { Route, sendError, sendJson } from '../../lib/http-server';
import { errors } from '../../lib/errors';
import { projectRoot } from '../../lib/paths';

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
  /** The API schema as the gateway serves it, once loaded. */
  schema: () => GraphQLSchema | undefined;
  /** Verifies the request's bearer token; throws when it does not hold. */
  authenticate: (req: http.IncomingMessage) => Promise<unknown>;
  /** Development only: a fresh demo token per role (with the pii clearance). */
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
    '/ide/config.json': async (_req, res) => {
      sendJson(res, 200, {
        endpoint: '/graphql',
        roles: ROLES,
        devTokens: options.devTokens ? await options.devTokens() : null,
        operations,
      });
    },
    // The schema for the IDE's docs and explorer, to signed-in users only: introspection through
    // /graphql stays off in production, and outsiders learn nothing from this route either.
    '/ide/schema.json': async (req, res) => {
      try {
        await options.authenticate(req);
      } catch (error) {
        return sendError(res, errors.unauthenticated((error as Error).message));
      }
      const schema = options.schema();
      if (!schema) return sendError(res, errors.notReady('The schema is not loaded yet'));
      sendJson(res, 200, { data: introspectionFromSchema(schema) });
    },
  };
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
