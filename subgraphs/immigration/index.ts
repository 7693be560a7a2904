import { migrations } from './migrations';
import { SubgraphDefinition } from '../shared/subgraph';
import { AdministrativeAction } from './entities/administrative-action';
import { BorderCrossing } from './entities/border-crossing';
import { EmploymentSearchRow } from './entities/employment-search';
import { ForeignNational } from './entities/foreign-national';
import { Passport } from './entities/passport';
import { StayPermit } from './entities/stay-permit';
import { StayPermitDailyChange, StayPermitMonthlyCount } from './entities/permit-figures';
import { identityEntities } from './entities/identity';
import { Employer, PresenceRegistration, ReportParty, WorkPermit } from './external';
import { createImmigrationLoaders, ImmigrationLoaders } from './loaders';
import { ForeignNationalResolver } from './resolvers/foreign-national.resolver';
import { WorkPermitWorkerResolver } from './resolvers/identity.resolver';
import {
  IdentityResolutionResolver,
  IdentityReviewResolver,
  PresenceRegistrationIdentityResolver,
  ReportPartyIdentityResolver,
} from './resolvers/identity-resolution.resolver';
import { LinksResolver } from './resolvers/links.resolver';
import { StatisticsResolver } from './resolvers/statistics.resolver';
import { StayPermitResolver } from './resolvers/stay-permit.resolver';

export const immigrationEntities = [
  ForeignNational,
  Passport,
  StayPermit,
  BorderCrossing,
  AdministrativeAction,
  EmploymentSearchRow,
  StayPermitDailyChange,
  StayPermitMonthlyCount,
  ...identityEntities,
];

/** Direktorat Jenderal Imigrasi: identity, passports, stay permits, crossings, administrative actions. */
export const immigration: SubgraphDefinition<ImmigrationLoaders> = {
  name: 'immigration',
  entities: immigrationEntities,
  migrations,
  // Crossings grow by tens of millions a year nationally (migration CrossingPartitions).
  partitionedByYear: [{ table: 'border_crossing', column: 'crossedAt' }],
  resolvers: [
    ForeignNationalResolver,
    LinksResolver,
    StatisticsResolver,
    StayPermitResolver,
    WorkPermitWorkerResolver,
    ReportPartyIdentityResolver,
    PresenceRegistrationIdentityResolver,
    IdentityResolutionResolver,
    IdentityReviewResolver,
  ],
  orphanedTypes: [Employer, WorkPermit, ReportParty, PresenceRegistration],
  references: {
    ForeignNational: (reference: { id: string }, { loaders }) => loaders.personById.load(reference.id),
    // Stubs carry the external fields the gateway fetched; the field resolvers do the lookups.
    WorkPermit: (reference) => reference,
    ReportParty: (reference) => reference,
    PresenceRegistration: (reference) => reference,
    Employer: (reference) => reference,
  },
  createLoaders: (db) => createImmigrationLoaders(db),
};
