import { AgencyName } from '../subgraphs/shared/subgraph';

/** Where each agency's subgraph listens by default on one machine (npm start). */
export const DEFAULT_PORTS: Record<AgencyName | 'gateway', number> = {
  gateway: 4000,
  immigration: 4001,
  manpower: 4002,
  police: 4003,
};

export function defaultSubgraphUrl(name: AgencyName): string {
  return `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}

/** IMMIGRATION_URL, MANPOWER_URL, POLICE_URL override the defaults. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<AgencyName, string> {
  return {
    immigration: env.IMMIGRATION_URL || defaultSubgraphUrl('immigration'),
    manpower: env.MANPOWER_URL || defaultSubgraphUrl('manpower'),
    police: env.POLICE_URL || defaultSubgraphUrl('police'),
  };
}
