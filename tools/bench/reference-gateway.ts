import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Identity } from '../../lib/auth';
import { IDENTITY_HEADER } from '../../lib/assertions';
import { loadAuth } from '../../lib/auth-config';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSubgraphFetcher } from '../../gateway/fetcher';
import { projectRoot } from '../../lib/paths';
import { loadConfig } from '../config';
import { listOption, numberOption, parseCommandLine, runTool } from '../cli';

// As the gateway does: no usage reports to Apollo, no cloud metadata probes.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/**
 * The reference the benchmarks and `npm run soak` hold the gateway against: plain @apollo/gateway
 * and @apollo/server as shipped, over the same supergraph and subgraphs, with only what our
 * subgraphs need to answer at all: each call carries an identity assertion signed for that agency
 * (they refuse calls without one). No audit, limits, metrics, logs or per-request token checks.
 * `--fetcher undici` swaps Apollo's default fetcher for the gateway's keep-alive one.
 *
 * `node dist/tools/bench/reference-gateway.js --port 4100 [--fetcher undici]`, in the environment
 * the subgraphs run in (their URLs and keys); prints "ready" when it listens on 127.0.0.1.
 */
const CLI = {
  command: 'node dist/tools/bench/reference-gateway.js',
  summary: "Plain @apollo/gateway over the running subgraphs: the benchmarks' reference.",
  options: {
    port: {
      type: 'string',
      default: '4100',
      value: 'PORT',
      description: 'where it listens on 127.0.0.1 (default 4100)',
    },
    fetcher: {
      type: 'string',
      default: 'apollo',
      value: 'apollo|undici',
      description: 'how it calls the subgraphs (default apollo)',
    },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const port = numberOption('port', values.port, 4100, { integer: true, min: 1, max: 65535 });
  listOption('fetcher', values.fetcher, ['apollo', 'undici']);
  const config = loadConfig();
  const auth = await loadAuth(config.auth, { vouchesTo: Object.keys(config.subgraphUrls) });
  const sign = auth.signAgencyAssertion!;
  const fetcher = values.fetcher === 'undici' ? createSubgraphFetcher().forDataSource : undefined;
  // Verified once per token: the reference pays for the gateway's work, not for authentication.
  const identities = new Map<string, Promise<Identity>>();
  class SigningDataSource extends RemoteGraphQLDataSource<{ identity: Identity }> {
    async willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource['willSendRequest'] & {}>[0]) {
      const identity = (context as { identity?: Identity }).identity;
      if (identity)
        request.http!.headers.set(
          IDENTITY_HEADER,
          await sign(identity, { audience: this.name, requestId: 'reference' }),
        );
    }
    constructor(
      readonly name: string,
      url: string,
    ) {
      super({ url, ...(fetcher ? { fetcher } : {}) });
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(path.join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8'),
    buildService: ({ name, url }) => new SigningDataSource(name, config.subgraphUrls[name as never] ?? url!),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port },
    context: async ({ req }) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!identities.has(token)) identities.set(token, auth.verifyUserToken(token));
      return { identity: await identities.get(token)! };
    },
  });
  console.log('ready');
}

runTool(main);
