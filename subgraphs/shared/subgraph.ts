import { YearlyPartitioning } from '../../lib/partitions';
import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { IResolvers, printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, GraphQLResolveInfo, GraphQLSchema, parse, responsePathAsArray } from 'graphql';
import { buildSchema, createResolversMap, NonEmptyArray } from 'type-graphql';
import { DataSource } from 'typeorm';
import { Clock, systemClock } from './clock';
import { openDatabase, StatementCounter } from '../../lib/database';
import http from 'node:http';
import {
  apolloDefaults,
  apolloPluginDefaults,
  checkAll,
  healthRoutes,
  once,
  serveGraphQL,
} from '../../lib/http-server';
import { Assertion, AssertionSigner, AssertionVerifier, GATEWAY, IDENTITY_HEADER } from '../../lib/assertions';
import { AuthenticationError, Identity } from '../../lib/auth';
import { errors } from '../../lib/errors';
import { roleChecker } from './access';
import { readPlainFieldsDirectly } from './plain-fields';
import { isMutationRequest, readRouting } from './standby';
import { createObservability, Observability, observeDatabasePool } from '../../lib/observability';
import { DestinationStream } from 'pino';

/** What every resolver of a subgraph receives: its own database, the clock and per-request loaders. */
export interface SubgraphContext<TLoaders = unknown> {
  db: DataSource;
  clock: Clock;
  loaders: TLoaders;
  /** Where the gateway answers, for a service that reads other agencies' data through it (oversight). */
  gatewayUrl: () => string | undefined;
  /** Where another agency's subgraph answers, for joins that are not part of the public API. */
  peerUrl: (name: string) => string | undefined;
  /** Who is asking, as the gateway (or a delegating service) asserted it; recorded on every change. */
  identity: Identity;
  /** The request this call belongs to. */
  requestId: string;
  /**
   * A fresh single-use assertion, signed with this service's own key, for asking `audience` (the
   * gateway: GATEWAY, or a peer subgraph by name) on the same user's behalf: one per call.
   */
  delegate: (audience: string) => Promise<string>;
  /** Foreign nationals whose fields this request resolved; reported to the gateway's read audit. */
  personsReturned: Set<string>;
  /**
   * What this answer lacks while its fields still stand (a peer that did not answer): one error
   * per key (the agency), added to the response's errors next to the data.
   */
  missing: Map<string, GraphQLError>;
}

/**
 * Notes every person whose fields are resolved, whichever resolver or subgraph serves them: each
 * field of ForeignNational is wrapped, and nothing else. (A type-graphql global middleware would
 * do the same at the price of making every field of every type asynchronous, a chain of promises
 * per field: more than half the time of a page of 500 persons with their 78,000 links.)
 */
function recordPersons(resolvers: Record<string, any>): void {
  const fields = resolvers.ForeignNational;
  if (!fields) return;
  for (const [name, resolve] of Object.entries(fields)) {
    if (name.startsWith('__') || typeof resolve !== 'function') continue;
    fields[name] = (root: any, args: unknown, context: Partial<SubgraphContext>, info: GraphQLResolveInfo) => {
      if (root?.id) context.personsReturned?.add(root.id);
      return (resolve as Function)(root, args, context, info);
    };
  }
}

/** Hands the gateway the ids of the persons in this answer (`extensions.persons`), for its audit. */
const reportPersons: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single' && contextValue.personsReturned.size > 0) {
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            persons: [...contextValue.personsReturned],
          };
        }
      },
    };
  },
};

/** Adds the errors of SubgraphContext.missing to the response, each once, next to the data. */
const reportMissing: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single' && contextValue.missing.size > 0) {
          const result = response.body.singleResult;
          result.errors = [
            ...(result.errors ?? []),
            ...[...contextValue.missing.values()].map((error) => error.toJSON()),
          ];
        }
      },
    };
  },
};

/**
 * Notes that `error`, another agency's (it names it in `extensions.agency`, as askPeer's errors
 * do), left this field's answer incomplete: once per agency, at the first field it concerns
 * (SubgraphContext.missing). Any other error is thrown: it fails the field as usual.
 */
export function noteMissing(context: Pick<SubgraphContext, 'missing'>, info: GraphQLResolveInfo, error: unknown): void {
  const agency = error instanceof GraphQLError ? error.extensions.agency : undefined;
  if (!(error instanceof GraphQLError) || typeof agency !== 'string') throw error;
  if (!context.missing.has(agency))
    context.missing.set(
      agency,
      new GraphQLError(error.message, { path: responsePathAsArray(info.path), extensions: error.extensions }),
    );
}

/** The part of a field's answer that another agency provides, or `fallback` when it does not come (noteMissing). */
export async function orMissing<T>(
  context: Pick<SubgraphContext, 'missing'>,
  info: GraphQLResolveInfo,
  part: Promise<T>,
  fallback: T,
): Promise<T> {
  try {
    return await part;
  } catch (error) {
    noteMissing(context, info, error);
    return fallback;
  }
}

type ReferenceResolver<TLoaders> = (representation: any, context: SubgraphContext<TLoaders>) => unknown;

/** One agency's subgraph: its domain, nothing else. The shared code below turns it into a service. */
export interface SubgraphDefinition<TLoaders = unknown> {
  /** Its key in subgraphs/index.ts. */
  name: string;
  entities: Function[];
  /** Checked-in PostgreSQL migrations of those entities, oldest first. */
  migrations: Function[];
  /** Its tables partitioned by year on PostgreSQL (by its migrations); `npm run migrate` adds the years ahead. */
  partitionedByYear?: YearlyPartitioning[];
  resolvers: NonEmptyArray<Function>;
  /** Types only referenced by other agencies' entities (stubs with @key). */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type; each must go through a loader. */
  references: Record<string, ReferenceResolver<TLoaders>>;
  /** A fresh set per request, so batching and caching never leak between callers. */
  createLoaders(db: DataSource, clock: Clock): TLoaders;
}

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

export async function buildFederatedSchema(definition: SubgraphDefinition<any>): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
    authChecker: roleChecker,
  });
  const references: IResolvers = Object.fromEntries(
    Object.entries(definition.references).map(([type, resolve]) => [type, { __resolveReference: resolve }]),
  );
  const resolvers = createResolversMap(schema) as Record<string, any>;
  readPlainFieldsDirectly(resolvers);
  recordPersons(resolvers);
  for (const [type, reference] of Object.entries(references)) resolvers[type] = { ...resolvers[type], ...reference };
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`),
    resolvers,
  });
}

/** The SDL checked in under schema/ and fed to composition. */
export async function subgraphSdl(definition: SubgraphDefinition<any>): Promise<string> {
  return printSubgraphSchema(await buildFederatedSchema(definition));
}

export interface SubgraphOptions {
  databaseUrl: string;
  /** A streaming standby of `databaseUrl` (PostgreSQL), for the reads that may go there (standby.ts). */
  readDatabaseUrl?: string;
  host?: string;
  port?: number;
  clock?: Clock;
  gatewayUrl?: () => string | undefined;
  peerUrl?: (name: string) => string | undefined;
  /** Checks the assertions addressed to this subgraph (the gateway's, a peer's delegation); nothing else is trusted. */
  verifyAssertion: AssertionVerifier;
  /** This service's own signer, to ask the gateway or a peer on a user's behalf; none: it cannot. */
  delegate?: AssertionSigner;
  /** Where the JSON log lines go (tests); standard output by default. */
  logDestination?: DestinationStream;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  db: DataSource;
  statements: StatementCounter;
  stop(): Promise<void>;
}

/**
 * An agency answers only requests that carry the gateway's identity assertion: reaching its port
 * is not enough, and a user's own token is refused too (it would skip the gateway's audit).
 */
async function verifiedAssertion(
  req: http.IncomingMessage,
  verify: AssertionVerifier,
  observability: Observability,
): Promise<Assertion> {
  const header = req.headers[IDENTITY_HEADER];
  const token = Array.isArray(header) ? header[0] : header;
  try {
    if (!token)
      throw new AuthenticationError(
        `no ${IDENTITY_HEADER} header: this agency answers through the TIMPORA gateway only`,
        'missing',
      );
    return await verify(token);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    observability.credentialsRefused.inc({ reason: error.kind });
    throw errors.unauthenticated(`Identity refused: ${error.message}`);
  }
}

/** The largest request body a subgraph reads from an admitted caller. */
const INTERNAL_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Signs one delegation per call, for the user of the request being served. */
function delegation(sign: AssertionSigner | undefined, service: string, assertion: Assertion) {
  return async (audience: string) => {
    if (!sign)
      throw errors.notConfigured(
        `${service} has no key of its own to ask ${audience === GATEWAY ? 'the gateway' : audience} on a user's behalf (SERVICE_KEYS_DIR)`,
      );
    return sign(assertion.identity, { audience, requestId: assertion.requestId });
  };
}

export async function startSubgraph<TLoaders>(
  definition: SubgraphDefinition<TLoaders>,
  options: SubgraphOptions,
): Promise<RunningSubgraph> {
  const clock = options.clock ?? systemClock;
  const { dataSource: db, statements } = await openDatabase({
    url: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
  });
  const observability = createObservability(definition.name, options.logDestination);
  observeDatabasePool(observability, db);
  const standby = options.readDatabaseUrl
    ? (
        await openDatabase({
          url: options.readDatabaseUrl,
          entities: definition.entities,
          migrations: definition.migrations,
        })
      ).dataSource
    : undefined;
  const readsFrom = readRouting(db, standby, observability);
  const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
    schema: await buildFederatedSchema(definition),
    ...apolloDefaults,
    // No Apollo Studio here: federated traces would only cost time on every request.
    plugins: [...apolloPluginDefaults(), ApolloServerPluginInlineTraceDisabled(), reportPersons, reportMissing],
  });
  await apollo.start();
  const admitted = new WeakMap<http.IncomingMessage, Assertion>();
  const server = await serveGraphQL(apollo, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes: healthRoutes(() => checkAll({ database: () => db.query('SELECT 1') })),
    observability,
    // Only the gateway (or a delegating peer) may send large bodies: a page of 500 persons with
    // everything a field @requires is several megabytes, far more than any client may send.
    admit: async (req) => {
      admitted.set(req, await verifiedAssertion(req, options.verifyAssertion, observability));
    },
    maxBodyBytes: INTERNAL_MAX_BODY_BYTES,
    context: async (req, body) => {
      const assertion = admitted.get(req)!;
      const reads = await readsFrom(isMutationRequest(body));
      return {
        db: reads,
        clock,
        loaders: definition.createLoaders(reads, clock),
        gatewayUrl: options.gatewayUrl ?? (() => undefined),
        peerUrl: options.peerUrl ?? (() => undefined),
        identity: assertion.identity,
        requestId: assertion.requestId,
        delegate: delegation(options.delegate, definition.name, assertion),
        personsReturned: new Set<string>(),
        missing: new Map<string, GraphQLError>(),
      };
    },
  });
  return {
    name: definition.name,
    url: server.url,
    db,
    statements,
    stop: once(async () => {
      await server.close();
      await apollo.stop();
      await db.destroy();
      await standby?.destroy();
    }),
  };
}
