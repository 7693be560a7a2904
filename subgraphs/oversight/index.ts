import { migrations } from './migrations';
import { SubgraphDefinition } from '../shared/subgraph';
import { Case, CaseEvent, CaseFinding } from './entities/case';
import { Finding } from './entities/finding';
import { ForeignNational } from './external';
import { createOversightLoaders, OversightLoaders } from './loaders';
import { CaseResolver } from './resolvers/case.resolver';
import { TimelineResolver } from './resolvers/timeline.resolver';
import { FindingResolver, ForeignNationalFindingsResolver } from './resolvers/finding.resolver';

export const oversightEntities = [Finding, Case, CaseFinding, CaseEvent];

/**
 * TIMPORA's own service: findings computed from all agencies' data, with provenance. It owns no
 * agency's records; it reads them through the gateway like any analyst tool.
 */
export const oversight: SubgraphDefinition<OversightLoaders> = {
  name: 'oversight',
  entities: oversightEntities,
  migrations,
  resolvers: [FindingResolver, ForeignNationalFindingsResolver, CaseResolver, TimelineResolver],
  orphanedTypes: [ForeignNational],
  references: {
    // The representation carries immigration's fields the timeline requires.
    ForeignNational: (reference) => reference,
  },
  createLoaders: (db) => createOversightLoaders(db),
};
