import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { inJsonList } from '../../lib/database';
import { columns, Outcome, ParsedRecord, RecordType, tally, upsertByKey, withoutRejected } from '../shared/import';
import { passportKey } from '../shared/match-keys';
import { nameKey } from '../shared/text';
import { BorderCrossing } from './entities/border-crossing';
import { indexPersons, IndexablePerson } from './matching/blocking';
import { ForeignNational } from './entities/foreign-national';
import { Passport } from './entities/passport';
import { StayPermit } from './entities/stay-permit';
import { CrossingDirection, RecordedPermitStatus, Sex, SponsorType, StayPermitKind, StayPurpose } from './enums';
import { refreshCrossingColumn, refreshSearchColumns } from './search-columns';
import { linkEmploymentHolders } from './employment-search';
import { countedPermits, recordPermitFigures } from './figures';

/** Immigration's files: persons with their passports, stay permits, border crossings. */

const holderColumns = [columns.country('passport_country'), columns.passportNumber('passport_number')];

/** The persons holding these passports, by passport key, in one statement. */
async function holders(
  manager: EntityManager,
  records: ParsedRecord[],
  extraKeys: string[] = [],
): Promise<Map<string, Passport>> {
  const keys = [...records.map((record) => passportKey(record.passport_country, record.passport_number)), ...extraKeys];
  const passports = await manager
    .getRepository(Passport)
    .createQueryBuilder('passport')
    // The number goes through the passport index; the key then checks the country.
    .where(inJsonList(manager.connection, 'passport.number', 'numbers'), {
      numbers: JSON.stringify(keys.map((key) => passportKey.decode(key).number)),
    })
    .andWhere(inJsonList(manager.connection, passportKey.sql('passport.country', 'passport.number'), 'keys'), {
      keys: JSON.stringify(keys),
    })
    .getMany();
  return new Map(passports.map((passport) => [passportKey(passport.country, passport.number), passport]));
}

/** Records whose passport nobody holds are refused; the rest get their person's id. */
async function withHolder(manager: EntityManager, records: ParsedRecord[]) {
  const byKey = await holders(manager, records);
  const rejected: { index: number; column: string; reason: string }[] = [];
  const resolved: { index: number; record: ParsedRecord; personId: string }[] = [];
  records.forEach((record, index) => {
    const passport = byKey.get(passportKey(record.passport_country, record.passport_number));
    if (passport) resolved.push({ index, record, personId: passport.personId });
    else
      rejected.push({
        index,
        column: 'passport_number',
        reason: `no person holds passport ${record.passport_country} ${record.passport_number} (import persons first)`,
      });
  });
  return { resolved, rejected };
}

export const persons: RecordType = {
  agency: 'immigration',
  name: 'persons',
  description:
    'One row per passport: the holder and the passport. previous_passport_number links a renewal to the person of the earlier passport (same country).',
  columns: [
    ...holderColumns,
    columns.date('passport_issued_on'),
    columns.date('passport_expires_on'),
    columns.passportNumber('previous_passport_number', false),
    columns.text('full_name'),
    columns.oneOf('sex', Sex),
    columns.date('date_of_birth'),
    columns.text('place_of_birth'),
    columns.country('nationality'),
  ],
  async write(manager, records) {
    const key = (record: ParsedRecord, number = record.passport_number) => passportKey(record.passport_country, number);
    const known = await holders(
      manager,
      records,
      records.filter((r) => r.previous_passport_number).map((r) => key(r, r.previous_passport_number)),
    );
    const people = new Map<string, Partial<ForeignNational>>();
    const stored = new Set(known.keys());
    const personOf = records.map((record) => {
      const personId =
        known.get(key(record))?.personId ??
        (record.previous_passport_number && known.get(key(record, record.previous_passport_number))?.personId) ??
        randomUUID();
      known.set(key(record), { personId } as Passport);
      people.set(personId, {
        id: personId,
        fullName: record.full_name,
        nameKey: nameKey(record.full_name),
        sex: record.sex,
        dateOfBirth: record.date_of_birth,
        placeOfBirth: record.place_of_birth,
        nationality: record.nationality,
      });
      return personId;
    });
    const personOutcome = new Map(
      zip([...people.keys()], await upsertByKey(manager, ForeignNational, ['id'], [...people.values()])),
    );
    // Entity resolution's index follows the persons in the same transaction.
    const changed = [...people.values()].filter((person) => personOutcome.get(person.id!) !== 'unchanged');
    await indexPersons(manager, changed as IndexablePerson[]);
    const passportOutcomes = await upsertByKey(
      manager,
      Passport,
      ['number', 'country'],
      records.map((record, index) => ({
        personId: personOf[index],
        country: record.passport_country,
        number: record.passport_number,
        issuedOn: record.passport_issued_on,
        expiresOn: record.passport_expires_on,
        // Only a renewal (a later row's previous_passport_number) makes a passport not current.
        ...(stored.has(key(record)) ? {} : { current: true }),
      })),
    );
    // Workers whose RPTKAs manpower recorded before immigration recorded their passport.
    await linkEmploymentHolders(manager, { passportNumbers: records.map((record) => record.passport_number) });
    const outcomes: Outcome[] = [];
    for (const [index, record] of records.entries()) {
      // A renewal: the earlier passport is no longer the current one.
      const retired = record.previous_passport_number
        ? (
            await manager.update(
              Passport,
              { country: record.passport_country, number: record.previous_passport_number, current: true },
              { current: false },
            )
          ).affected
        : 0;
      const own = passportOutcomes[index];
      outcomes.push(
        own === 'unchanged' && (retired || personOutcome.get(personOf[index]) === 'updated') ? 'updated' : own,
      );
    }
    return tally(outcomes);
  },
};

function zip<A, B>(left: A[], right: B[]): [A, B][] {
  return left.map((value, index) => [value, right[index]]);
}

export const stayPermits: RecordType = {
  agency: 'immigration',
  name: 'permits',
  description:
    'Stay permits (ITK, ITAS, ITAP), keyed by permit_number; the holder by the passport the permit was issued on.',
  columns: [
    columns.text('permit_number', 32),
    ...holderColumns,
    columns.oneOf('kind', StayPermitKind),
    columns.text('visa_index', 8),
    columns.oneOf('purpose', StayPurpose),
    columns.date('valid_from'),
    columns.date('valid_until'),
    columns.oneOf('status', RecordedPermitStatus),
    columns.oneOf('sponsor_type', SponsorType),
    columns.nib('sponsor_nib', false),
    columns.text('sponsor_name'),
    columns.text('domicile_address'),
    columns.text('domicile_regency', 40),
    columns.text('issuing_office'),
  ],
  async write(manager, records) {
    const { resolved, rejected } = await withHolder(manager, records);
    for (const { index, record } of resolved) {
      if (record.valid_until < record.valid_from)
        rejected.push({ index, column: 'valid_until', reason: 'is before valid_from' });
    }
    const valid = withoutRejected(resolved, rejected, ({ index }) => index);
    const numbers = valid.map(({ record }) => record.permit_number);
    const before = await countedPermits(manager, numbers, 'write');
    const outcomes = await upsertByKey(
      manager,
      StayPermit,
      ['permitNumber'],
      valid.map(({ record, personId }) => ({
        permitNumber: record.permit_number,
        personId,
        kind: record.kind,
        visaIndex: record.visa_index,
        purpose: record.purpose,
        validFrom: record.valid_from,
        validUntil: record.valid_until,
        recordedStatus: record.status,
        sponsorType: record.sponsor_type,
        sponsorNib: record.sponsor_nib,
        sponsorName: record.sponsor_name,
        domicileAddress: record.domicile_address,
        domicileRegency: record.domicile_regency,
        issuingOffice: record.issuing_office,
        passportNumber: record.passport_number,
        passportCountry: record.passport_country,
      })),
    );
    await refreshSearchColumns(manager, [...new Set(valid.map(({ personId }) => personId))]);
    await recordPermitFigures(manager, before, await countedPermits(manager, numbers));
    return tally(outcomes, rejected);
  },
};

export const crossings: RecordType = {
  agency: 'immigration',
  name: 'crossings',
  description: 'Entries and exits, keyed by passport, instant and direction.',
  columns: [
    ...holderColumns,
    columns.oneOf('direction', CrossingDirection),
    columns.instant('crossed_at'),
    columns.text('checkpoint'),
  ],
  async write(manager, records) {
    const { resolved, rejected } = await withHolder(manager, records);
    const rows = resolved.map(({ record, personId }) => ({
      personId,
      direction: record.direction as CrossingDirection,
      crossedAt: record.crossed_at as string,
      checkpoint: record.checkpoint as string,
      passportNumber: record.passport_number as string,
    }));
    // Bounded by the batch's instants, the lookup reads only the years' partitions they fall in.
    const outcomes = await upsertByKey(manager, BorderCrossing, ['personId', 'crossedAt', 'direction'], rows, {
      within: 'crossedAt',
    });
    await refreshCrossingColumn(manager, rows);
    return tally(outcomes, rejected);
  },
};

export const immigrationImports = [persons, stayPermits, crossings];
