import { DataSource, In, IsNull } from 'typeorm';
import { identityKey, manyByKey, oneByKey, passportKey } from '../shared/loaders';
import { PoliceReport } from './entities/police-report';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';

export function createPoliceLoaders(db: DataSource) {
  const parties = db.getRepository(ReportParty);
  return {
    reportById: oneByKey<string, PoliceReport>(
      (ids) => db.getRepository(PoliceReport).findBy({ id: In(ids) }),
      (report) => report.id,
    ),
    partyById: oneByKey<string, ReportParty>((ids) => parties.findBy({ id: In(ids) }), (party) => party.id),
    partiesByReport: manyByKey<string, ReportParty>((ids) => parties.findBy({ reportId: In(ids) }), (party) => party.reportId),
    partiesByPassport: manyByKey<string, ReportParty>(
      (keys) => parties.findBy({ passportNumber: In(keys.map((key) => key.split(':')[1])) }),
      (party) => passportKey(party.passportCountry ?? '', party.passportNumber ?? ''),
    ),
    /** Parties recorded without a passport, by name key, birth date and nationality. */
    partiesByIdentity: manyByKey<string, ReportParty>(
      (keys) => parties.findBy({ passportNumber: IsNull(), nameKey: In(keys.map((key) => key.split('|')[0])) }),
      (party) => identityKey(party.nameKey, party.dateOfBirth ?? '', party.nationality ?? ''),
    ),
    registrationsByPassport: manyByKey<string, PresenceRegistration>(
      (keys) => db.getRepository(PresenceRegistration).findBy({ passportNumber: In(keys.map((key) => key.split(':')[1])) }),
      (registration) => passportKey(registration.passportCountry, registration.passportNumber),
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
