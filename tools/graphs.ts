import { audit } from '../gateway/audit/api';
import { subgraphs } from '../subgraphs';
import { GraphName, SUBGRAPH_NAMES, SubgraphDefinition } from '../subgraphs/shared/subgraph';
import { SystemConfig } from '../lib/config';

/** Every part of the supergraph, in order: the services, then the audit the gateway serves itself. */
export const GRAPH_NAMES: GraphName[] = [...SUBGRAPH_NAMES, 'audit'];
export const graphs: Record<GraphName, SubgraphDefinition<any>> = { ...subgraphs, audit };

/** Each graph's own database, as configured. */
export function databaseUrlOf(config: SystemConfig, name: GraphName): string {
  return name === 'audit' ? config.auditDatabaseUrl : config.databaseUrls[name];
}
