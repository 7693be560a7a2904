import { DataSource } from 'typeorm';
import { findIn } from '../../lib/database';
import { manyByKey, oneByKey } from '../shared/loaders';
import { identityKey, passportKey } from '../shared/match-keys';
import { PoliceReport } from './entities/police-report';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';

export function createPoliceLoaders(db: DataSource) {
  return {
    reportById: oneByKey<string, PoliceReport>(
      (ids) => findIn(db, PoliceReport, 'id', ids),
      (report) => report.id,
    ),
    partyById: oneByKey<string, ReportParty>(
      (ids) => findIn(db, ReportParty, 'id', ids),
      (party) => party.id,
    ),
    partiesByReport: manyByKey<string, ReportParty>(
      (ids) => findIn(db, ReportParty, 'reportId', ids),
      (party) => party.reportId,
    ),
    partiesByPassport: manyByKey<string, ReportParty>(
      (keys) =>
        findIn(
          db,
          ReportParty,
          'passportNumber',
          keys.map((key) => passportKey.decode(key).number),
        ),
      (party) => passportKey(party.passportCountry ?? '', party.passportNumber ?? ''),
    ),
    /** Parties recorded without a passport, by name key, birth date and nationality. */
    partiesByIdentity: manyByKey<string, ReportParty>(
      (keys) =>
        findIn(
          db,
          ReportParty,
          'nameKey',
          keys.map((key) => identityKey.decode(key).nameKey),
          'passportNumber',
        ),
      (party) => identityKey(party.nameKey, party.dateOfBirth ?? '', party.nationality ?? ''),
    ),
    registrationsByPassport: manyByKey<string, PresenceRegistration>(
      (keys) =>
        findIn(
          db,
          PresenceRegistration,
          'passportNumber',
          keys.map((key) => passportKey.decode(key).number),
        ),
      (registration) => passportKey(registration.passportCountry, registration.passportNumber),
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
