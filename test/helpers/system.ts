import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DemoManifest, DemoOptions, seedDatabases } from '../../tools/demo';
import { startSystem, RunningSystem, SystemOptions } from '../../tools/system';
import { fixedClock } from '../../subgraphs/shared/clock';
import { SubgraphName, RunningSubgraph } from '../../subgraphs/shared/subgraph';

/** The date the test data is built around and the services believe is today. */
export const TODAY = '2025-06-18';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestSystem {
  system: RunningSystem;
  manifest: DemoManifest;
  subgraph(name: SubgraphName): RunningSubgraph;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export const inMemory = { immigration: 'sqlite::memory:', manpower: 'sqlite::memory:', police: 'sqlite::memory:', oversight: 'sqlite::memory:' };

/** The real subgraphs and gateway on 127.0.0.1 ephemeral ports, on fresh databases seeded with demo data. */
export async function startTestSystem(
  demo: Partial<DemoOptions> = {},
  options: Partial<SystemOptions> = {},
): Promise<TestSystem> {
  const system = await startSystem({ databaseUrls: inMemory, clock: fixedClock(TODAY), host: '127.0.0.1', ...options });
  const subgraph = (name: SubgraphName) => system.subgraphs[name]!;
  const manifest = await seedDatabases(
    { immigration: subgraph('immigration').db, manpower: subgraph('manpower').db, police: subgraph('police').db },
    { anchor: TODAY, ...demo },
  );
  return {
    system,
    manifest,
    subgraph,
    query: (query, variables) => postGraphQL(system.gateway!.url, query, variables),
    stop: () => system.stop(),
  };
}

export async function postGraphQL<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

export function readExample(name: string): string {
  return readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8');
}
