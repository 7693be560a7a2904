import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { IResolvers, printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema, createResolversMap, NonEmptyArray } from 'type-graphql';
import { DataSource } from 'typeorm';
import { Clock, systemClock } from './clock';
import { createDataSource, StatementCounter } from './database';
import { apolloDefaults, apolloPluginDefaults, once, serveGraphQL } from '../../lib/http-server';

/** The three agencies' subgraphs and TIMPORA's own (oversight), in the order the system starts them. */
export const SUBGRAPH_NAMES = ['immigration', 'manpower', 'police', 'oversight'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** What every resolver of a subgraph receives: its own database, the clock and per-request loaders. */
export interface SubgraphContext<TLoaders = unknown> {
  db: DataSource;
  clock: Clock;
  loaders: TLoaders;
  /** Where the gateway answers, for a service that reads other agencies' data through it (oversight). */
  gatewayUrl: () => string | undefined;
  /** Who is asking, recorded on every change. No authentication yet: always "anonymous". */
  actor: string;
}

type ReferenceResolver<TLoaders> = (representation: any, context: SubgraphContext<TLoaders>) => unknown;

/** One agency's subgraph: its domain, nothing else. The shared code below turns it into a service. */
export interface SubgraphDefinition<TLoaders = unknown> {
  name: SubgraphName;
  entities: Function[];
  resolvers: NonEmptyArray<Function>;
  /** Types only referenced by other agencies' entities (stubs with @key). */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type; each must go through a loader. */
  references: Record<string, ReferenceResolver<TLoaders>>;
  /** A fresh set per request, so batching and caching never leak between callers. */
  createLoaders(db: DataSource, clock: Clock): TLoaders;
}

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@external", "@requires", "@provides"])`;

export async function buildFederatedSchema(definition: SubgraphDefinition<any>): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  const references: IResolvers = Object.fromEntries(
    Object.entries(definition.references).map(([type, resolve]) => [type, { __resolveReference: resolve }]),
  );
  const resolvers = createResolversMap(schema) as Record<string, any>;
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
  host?: string;
  port?: number;
  clock?: Clock;
  gatewayUrl?: () => string | undefined;
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  db: DataSource;
  statements: StatementCounter;
  stop(): Promise<void>;
}

export async function startSubgraph<TLoaders>(
  definition: SubgraphDefinition<TLoaders>,
  options: SubgraphOptions,
): Promise<RunningSubgraph> {
  const clock = options.clock ?? systemClock;
  const { dataSource: db, statements } = createDataSource({ url: options.databaseUrl, entities: definition.entities });
  await db.initialize();
  const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
    schema: await buildFederatedSchema(definition),
    ...apolloDefaults,
    // No Apollo Studio here: federated traces would only cost time on every request.
    plugins: [...apolloPluginDefaults(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = await serveGraphQL(apollo, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    context: async () => ({ db, clock, loaders: definition.createLoaders(db, clock), gatewayUrl: options.gatewayUrl ?? (() => undefined), actor: 'anonymous' }),
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
    }),
  };
}
