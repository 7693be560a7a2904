/**
 * Entity resolution's ground truth: police parties and presence registrations that name a
 * foreigner without passport, written with the noise real records carry (a typo, another
 * romanisation, the other name order, a dropped particle, initials, a given name split or
 * joined; a birth date missing, swapped or only the year; no nationality), and decoys: records of
 * people immigration does not know, some with a name like a known person's, some with a known
 * person's very name and another birth date. The manifest lists the truth of each record.
 *
 * This room runs last for each person, after the planted violations are checked, so it changes
 * nothing the other rooms drew; its records name no suspect and plant no finding.
 */
import { fromDay } from './dates';
import { nameOnlyRegistration } from './lodging';
import { DATE_NOISES, DateNoise, NAME_NOISE, NameNoise, noisyDate } from './name-noise';
import { Person } from './person-state';
import { nameOnlyReport, WrittenIdentity } from './police';
import { IdentityTruth } from './types';

/** Share of persons with a noisy record about them, and with a decoy modelled on them. */
const NOISY_RECORD_SHARE = 0.2;
const DECOY_SHARE = 0.05;

const NAME_NOISE_WEIGHTS: Readonly<Record<NameNoise, number>> = {
  NONE: 2,
  TYPO: 3,
  TRANSLITERATION: 3,
  REORDERED: 2,
  PARTICLE: 2,
  INITIALS: 2,
  JOINED_OR_SPLIT: 2,
};
const DATE_NOISE_WEIGHTS: Readonly<Record<DateNoise, number>> = {
  NONE: 5,
  MISSING: 2,
  DAY_MONTH_SWAPPED: 2,
  YEAR_ONLY: 2,
};

/** Initials stand for given names in South Asian, Filipino and Western names, not in East Asian ones. */
const NAMED_BY_INITIALS = new Set(['IND', 'BGD', 'PHL', 'AUS', 'USA', 'GBR', 'NLD', 'DEU', 'FRA', 'MYS', 'SGP']);

export function writeUnidentifiedRecords(person: Person): IdentityTruth[] {
  const truth = asWritten(person);
  const rng = person.rng;
  if (rng.chance(NOISY_RECORD_SHARE)) truth.push(noisyRecord(person));
  if (rng.chance(DECOY_SHARE)) truth.push(decoy(person));
  return truth;
}

/** The name-only parties the police room wrote already: the person's name as it is. */
function asWritten(person: Person): IdentityTruth[] {
  return person.records.parties
    .filter((party) => party.nationality !== null && party.passportNumber === null)
    .map((party) => ({
      recordKind: 'POLICE_REPORT_PARTY',
      recordId: party.id,
      personId: person.personId,
      nameNoise: 'NONE',
      dateNoise: 'NONE',
      nationalityMissing: false,
      decoy: null,
      writtenName: party.fullName,
      writtenDateOfBirth: party.dateOfBirth,
      writtenNationality: party.nationality,
    }));
}

function noisyRecord(person: Person): IdentityTruth {
  const rng = person.rng;
  const registration = rng.chance(0.5);
  const [nameNoise, fullName] = noisyName(person);
  // A party's birth date is a date column: only a registration can hold the year alone.
  const dates = DATE_NOISES.filter((noise) => registration || noise !== 'YEAR_ONLY');
  let dateNoise = rng.weighted(
    Object.fromEntries(dates.map((noise) => [noise, DATE_NOISE_WEIGHTS[noise]])) as Record<DateNoise, number>,
  );
  let dateOfBirth = noisyDate(fromDay(person.dateOfBirth), dateNoise);
  if (dateNoise === 'DAY_MONTH_SWAPPED' && dateOfBirth === null) {
    dateNoise = 'NONE';
    dateOfBirth = fromDay(person.dateOfBirth);
  }
  // A party without nationality is an Indonesian citizen: only registrations leave it out.
  const nationalityMissing = registration && rng.chance(0.15);
  const written = { fullName, dateOfBirth, nationality: nationalityMissing ? null : person.nationality.code };
  return {
    ...record(person, written, registration),
    personId: person.personId,
    nameNoise,
    dateNoise,
    nationalityMissing,
    decoy: null,
  };
}

function noisyName(person: Person): [NameNoise, string] {
  const rng = person.rng;
  const allowed = (Object.keys(NAME_NOISE_WEIGHTS) as NameNoise[]).filter(
    (noise) => noise !== 'INITIALS' || NAMED_BY_INITIALS.has(person.nationality.code),
  );
  const first = rng.weighted(
    Object.fromEntries(allowed.map((noise) => [noise, NAME_NOISE_WEIGHTS[noise]])) as Record<NameNoise, number>,
  );
  // The drawn kind first; when it does not apply to this name, the next that does.
  for (const noise of [first, ...allowed.filter((other) => other !== first)]) {
    if (noise === 'NONE') return ['NONE', person.fullName];
    const written = NAME_NOISE[noise](rng, person.fullName);
    if (written) return [noise, written];
  }
  return ['NONE', person.fullName];
}

type Decoy = NonNullable<IdentityTruth['decoy']>;

/** Someone immigration does not know, modelled on this person. */
function decoy(person: Person): IdentityTruth {
  const rng = person.rng;
  const kind = rng.weighted<Decoy>({ SIMILAR_NAME: 2, SAME_NAME_OTHER_BIRTH_DATE: 2, NOBODY: 1 });
  const otherBirth = fromDay(person.dateOfBirth + (rng.chance(0.5) ? 1 : -1) * rng.int(3 * 365, 15 * 365));
  const stranger = person.nationality.name(rng, person.sex);
  const fullName =
    kind === 'SAME_NAME_OTHER_BIRTH_DATE'
      ? person.fullName
      : kind === 'SIMILAR_NAME'
        ? similarName(person.fullName, stranger)
        : stranger;
  const written = { fullName, dateOfBirth: otherBirth, nationality: person.nationality.code };
  return {
    ...record(person, written, rng.chance(0.5)),
    personId: null,
    nameNoise: 'NONE',
    dateNoise: 'NONE',
    nationalityMissing: false,
    decoy: kind,
  };
}

/** The person's first name part with the stranger's other parts: a sibling, a namesake's cousin. */
function similarName(name: string, stranger: string): string {
  const [first] = name.split(' ');
  const rest = stranger.split(' ').slice(1);
  return [first, ...(rest.length ? rest : [stranger])].join(' ');
}

function record(person: Person, written: WrittenIdentity, registration: boolean) {
  const rng = person.rng;
  const day = person.today - rng.int(10, 700);
  const row = registration ? nameOnlyRegistration(person, written, day) : nameOnlyReport(person, written, day);
  return {
    recordKind: registration ? ('PRESENCE_REGISTRATION' as const) : ('POLICE_REPORT_PARTY' as const),
    recordId: row.id,
    writtenName: row.fullName,
    writtenDateOfBirth: row.dateOfBirth,
    writtenNationality: row.nationality,
  };
}
