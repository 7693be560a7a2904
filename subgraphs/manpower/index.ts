import { migrations } from './migrations';
import { SubgraphDefinition } from '../shared/subgraph';
import { Employer } from './entities/employer';
import { WorkPermit } from './entities/work-permit';
import { WorkPermitDailyChange, WorkPermitMonthlyCount } from './entities/workforce-figures';
import { ForeignNational } from './external';
import { createManpowerLoaders, ManpowerLoaders } from './loaders';
import { EmployerResolver } from './resolvers/employer.resolver';
import { ForeignNationalWorkResolver } from './resolvers/foreign-national.resolver';
import { WorkforceStatisticsResolver } from './resolvers/statistics.resolver';
import { WorkerPassportsResolver, WorkPermitResolver } from './resolvers/work-permit.resolver';

export const manpowerEntities = [Employer, WorkPermit, WorkPermitDailyChange, WorkPermitMonthlyCount];

/** Kementerian Ketenagakerjaan / Disnaker: employers and work authorisations (RPTKA). */
export const manpower: SubgraphDefinition<ManpowerLoaders> = {
  name: 'manpower',
  entities: manpowerEntities,
  migrations,
  resolvers: [
    EmployerResolver,
    WorkPermitResolver,
    WorkerPassportsResolver,
    ForeignNationalWorkResolver,
    WorkforceStatisticsResolver,
  ],
  orphanedTypes: [ForeignNational],
  references: {
    Employer: (reference: { nib: string }, { loaders }) => loaders.employerByNib.load(reference.nib),
    WorkPermit: (reference: { id: string }, { loaders }) => loaders.workPermitById.load(reference.id),
    // The representation already carries the person's passports (@requires): nothing to read.
    ForeignNational: (reference) => reference,
  },
  createLoaders: (db) => createManpowerLoaders(db),
};
