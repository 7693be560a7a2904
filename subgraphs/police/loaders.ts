import { DataSource, In, IsNull } from 'typeorm';
import { manyByKey, oneByKey } from '../shared/loaders';
import { identityKey, passportKey } from '../shared/match-keys';
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
    partyById: oneByKey<string, ReportParty>(
      (ids) => parties.findBy({ id: In(ids) }),
      (party) => party.id,
    ),
    partiesByReport: manyByKey<string, ReportParty>(
      (ids) => parties.findBy({ reportId: In(ids) }),
      (party) => party.reportId,
    ),
    partiesByPassport: manyByKey<string, ReportParty>(
      (keys) => parties.findBy({ passportNumber: In(keys.map((key) => passportKey.decode(key).number)) }),
      (party) => passportKey(party.passportCountry ?? '', party.passportNumber ?? ''),
    ),
    /** Parties recorded without a passport, by name key, birth date and nationality. */
    partiesByIdentity: manyByKey<string, ReportParty>(
      (keys) =>
        parties.findBy({ passportNumber: IsNull(), nameKey: In(keys.map((key) => identityKey.decode(key).nameKey)) }),
      (party) => identityKey(party.nameKey, party.dateOfBirth ?? '', party.nationality ?? ''),
    ),
    registrationsByPassport: manyByKey<string, PresenceRegistration>(
      (keys) =>
        db
          .getRepository(PresenceRegistration)
          .findBy({ passportNumber: In(keys.map((key) => passportKey.decode(key).number)) }),
      (registration) => passportKey(registration.passportCountry, registration.passportNumber),
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
