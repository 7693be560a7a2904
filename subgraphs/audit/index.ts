import { auditStorage } from '../../lib/audit';
import { SubgraphDefinition } from '../shared/subgraph';
import { AuditResolver } from './audit.resolver';

/**
 * The read audit's API: supervisors ask who read a person and what a user read. It only reads the
 * audit database; the gateway alone writes it (gateway/audit/), through lib/audit's storage.
 */
export const audit: SubgraphDefinition = {
  name: 'audit',
  ...auditStorage,
  resolvers: [AuditResolver],
  references: {},
  createLoaders: () => ({}),
};
