import { migrations } from './migrations';
import { SubgraphDefinition } from '../shared/subgraph';
import { PoliceReport } from './entities/police-report';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';
import { ForeignNational } from './external';
import { createPoliceLoaders, PoliceLoaders } from './loaders';
import { ForeignNationalPoliceResolver } from './resolvers/foreign-national.resolver';
import {
  PoliceReportResolver,
  PresenceRegistrationKeysResolver,
  ReportPartyKeysResolver,
} from './resolvers/police-report.resolver';

export const policeEntities = [PoliceReport, ReportParty, PresenceRegistration];

/** Polri / Polda Kalbar: police reports naming foreigners and registrations of their presence. */
export const police: SubgraphDefinition<PoliceLoaders> = {
  name: 'police',
  entities: policeEntities,
  migrations,
  resolvers: [
    PoliceReportResolver,
    ReportPartyKeysResolver,
    PresenceRegistrationKeysResolver,
    ForeignNationalPoliceResolver,
  ],
  orphanedTypes: [ForeignNational],
  references: {
    PoliceReport: (reference: { id: string }, { loaders }) => loaders.reportById.load(reference.id),
    ReportParty: (reference: { id: string }, { loaders }) => loaders.partyById.load(reference.id),
    PresenceRegistration: (reference: { id: string }, { loaders }) => loaders.registrationById.load(reference.id),
    // The representation carries the identity fields immigration supplied (@requires).
    ForeignNational: (reference) => reference,
  },
  createLoaders: (db) => createPoliceLoaders(db),
};
