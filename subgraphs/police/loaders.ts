import { DataSource } from 'typeorm';
import DataLoader from 'dataloader';
import { findIn, inJsonList, jsonListValues } from '../../lib/database';
import { groupBy, manyByKey, oneByKey } from '../shared/loaders';
import { passportKey } from '../shared/match-keys';
import { PoliceReport } from './entities/police-report';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';

/** A person's police record as a person names it: by one of their passports, or as a record entity resolution linked to them. */
export type RecordName = { passportKey: string } | { id: string };

/**
 * Records by passport key or by id, both in one statement whatever the mix: a person's records
 * are those under their passports and those immigration linked to them without one.
 */
function byPassportOrId<T extends { id: string; passportNumber: string | null; passportCountry: string | null }>(
  db: DataSource,
  entity: new () => T,
) {
  return new DataLoader<RecordName, T[], string>(
    async (names) => {
      const ids = names.flatMap((name) => ('id' in name ? [name.id] : []));
      const numbers = names.flatMap((name) =>
        'passportKey' in name ? [passportKey.decode(name.passportKey).number] : [],
      );
      // The ids of both kinds united, then the records by primary key: an OR of the two lists
      // would read the whole table on PostgreSQL (hashed subplans, no index: 134 ms at 450,000
      // registrations, against 0.7 ms).
      const table = db.getMetadata(entity).tableName;
      const underPassports = `SELECT holder.id FROM "${table}" holder WHERE ${inJsonList(db, 'holder."passportNumber"', 'numbers')}`;
      const rows = await db
        .getRepository(entity)
        .createQueryBuilder('record')
        .where(`record.id IN (${underPassports} UNION ALL ${jsonListValues(db, ':ids')})`, {
          numbers: JSON.stringify([...new Set(numbers)]),
          ids: JSON.stringify(ids),
        })
        .getMany();
      const byKey = groupBy(
        rows.filter((row) => row.passportNumber),
        (row) => passportKey(row.passportCountry ?? '', row.passportNumber!),
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      return names.map((name) =>
        'id' in name ? [byId.get(name.id)].filter((row) => row !== undefined) : (byKey.get(name.passportKey) ?? []),
      );
    },
    { cacheKeyFn: (name) => ('id' in name ? `id ${name.id}` : `passport ${name.passportKey}`) },
  );
}

export function createPoliceLoaders(db: DataSource) {
  return {
    /** Parties and registrations of a person: by passport key, or linked by entity resolution (by id). */
    partiesNamed: byPassportOrId(db, ReportParty),
    registrationsNamed: byPassportOrId(db, PresenceRegistration),
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
    registrationById: oneByKey<string, PresenceRegistration>(
      (ids) => findIn(db, PresenceRegistration, 'id', ids),
      (registration) => registration.id,
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createPoliceLoaders>;
