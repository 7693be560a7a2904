import { DataSource } from 'typeorm';
import { findIn } from '../../lib/database';
import { manyByKey, oneByKey } from '../shared/loaders';
import { passportKey } from '../shared/match-keys';
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
    registrationById: oneByKey<string, PresenceRegistration>(
      (ids) => findIn(db, PresenceRegistration, 'id', ids),
      (registration) => registration.id,
    ),
    registrationsByPassport: manyByKey<string, PresenceRegistration>(
      (keys) =>
        findIn(
          db,
          PresenceRegistration,
          'passportNumber',
          keys.map((key) => passportKey.decode(key).number),
        ),
      (registration) => passportKey(registration.passportCountry ?? '', registration.passportNumber ?? ''),
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
