import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DemoManifest, DemoOptions, seedDatabases } from '../../tools/demo';
import { startSystem, RunningSystem, SystemOptions } from '../../tools/system';
import { freshDatabases } from './databases';
import { fixedClock } from '../../subgraphs/shared/clock';
import { SUBGRAPH_NAMES, SubgraphName } from '../../subgraphs';
import { RunningSubgraph } from '../../subgraphs/shared/subgraph';
import { TokenRequest } from '../../lib/auth';
import { authInMemory, InMemoryAuth } from '../../lib/auth-config';

/** The date the test data is built around and the services believe is today. */
export const TODAY = '2025-06-18';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

type Query = <T = any>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;

export interface TestSystem {
  system: RunningSystem;
  manifest: DemoManifest;
  subgraph(name: SubgraphName): RunningSubgraph;
  /** As an analyst with the pii clearance. */
  query: Query;
  /** As whoever the token request describes. */
  as(request: TokenRequest): Query;
  testAuth: TestAuth;
  stop(): Promise<void>;
}

export type TestAuth = InMemoryAuth<SubgraphName>;

/** In-memory keys per test file: an identity provider, the gateway's identity key, one per service. */
export const createTestAuth = (): Promise<TestAuth> => authInMemory(SUBGRAPH_NAMES);

export const ANALYST: TokenRequest = { subject: 'analyst-1', roles: ['analyst'], pii: true };

export const inMemory = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'sqlite::memory:'])) as Record<
  SubgraphName,
  string
>;

/** The real subgraphs and gateway on 127.0.0.1 ephemeral ports, on fresh databases seeded with demo data. */
export async function startTestSystem(
  demo: Partial<DemoOptions> = {},
  options: Partial<SystemOptions> = {},
  testAuth?: TestAuth,
): Promise<TestSystem> {
  testAuth ??= await createTestAuth();
  const databases = await freshDatabases();
  const system = await startSystem({
    databaseUrls: databases.urls,
    clock: fixedClock(TODAY),
    host: '127.0.0.1',
    auth: testAuth.auth,
    ...options,
  }).catch(async (error) => {
    await databases.drop();
    throw error;
  });
  const subgraph = (name: SubgraphName) => system.subgraphs[name]!;
  const manifest = await seedDatabases(
    { immigration: subgraph('immigration').db, manpower: subgraph('manpower').db, police: subgraph('police').db },
    { anchor: TODAY, ...demo },
  );
  return {
    testAuth,
    system,
    manifest,
    subgraph,
    query: async (query, variables) =>
      postGraphQL(system.gateway!.url, query, variables, await testAuth.token(ANALYST)),
    as: (request) => async (query, variables) =>
      postGraphQL(system.gateway!.url, query, variables, await testAuth.token(request)),
    stop: async () => {
      await system.stop();
      await databases.drop();
    },
  };
}

export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

export function readExample(name: string): string {
  return readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8');
}

/** A second gateway in front of the same subgraphs, some replaced (a logging proxy, a hung server). */
export async function startGatewayBeside(
  t: TestSystem,
  urls: Partial<Record<SubgraphName, string>>,
  options: Partial<SystemOptions> = {},
) {
  const subgraphUrls = { ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, t.subgraph(name).url])), ...urls };
  const system = await startSystem({
    only: ['gateway'],
    subgraphUrls,
    databaseUrls: inMemory,
    auth: t.testAuth.auth,
    host: '127.0.0.1',
    ...options,
  });
  return system.gateway!;
}
