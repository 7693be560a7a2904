/** Passports: a chain covering the person's whole timeline, unique numbers, and which passport was held on a given day. */
import { fromDay } from './dates';
import { isExample } from './examples';
import { Person } from './person-state';
import { mix32, scatter } from './prng';

/** Passports per person are numbered index x 4 + ordinal, so a run holds at most 10^7 / 4 persons. */
export const MAX_PASSPORTS_PER_PERSON = 4;
export const MAX_PERSONS = 10_000_000 / MAX_PASSPORTS_PER_PERSON;
const PASSPORT_MULTIPLIER = 3_456_789; // coprime with 10^7

/**
 * Passports covering the whole timeline, built backwards from the current one. About one person
 * in eight renewed during the stay, so older records carry the old number; long stays force it.
 */
export function issuePassports(person: Person): void {
  const rng = person.rng;
  const first = Math.min(person.intervals[0].entry, person.stays[0].from);
  const lastInterval = person.intervals[person.intervals.length - 1];
  const end = lastInterval.exit ?? person.today;
  const validity = Math.round(person.nationality.passportYears * 365.25);
  const issued = issueDayOfCurrent(person, first, end, validity);
  const chain: { issued: number; expires: number }[] = [{ issued, expires: issued + validity }];
  while (chain[0].issued > first - 10 && chain.length < MAX_PASSPORTS_PER_PERSON) {
    const expires = chain[0].issued + rng.int(0, 300);
    let previousIssued = expires - validity;
    if (chain.length === MAX_PASSPORTS_PER_PERSON - 1 && previousIssued > first - 10)
      previousIssued = first - rng.int(10, 400);
    chain.unshift({ issued: previousIssued, expires });
  }
  person.passports = chain.map((dates, ordinal) => ({ ...dates, number: passportNumber(person, ordinal) }));
  person.records.passports = person.passports.map((spec, ordinal) => ({
    id: rng.uuid(),
    personId: person.personId,
    number: spec.number,
    country: person.nationality.code,
    issuedOn: fromDay(spec.issued),
    expiresOn: fromDay(spec.expires),
    current: ordinal === person.passports.length - 1,
  }));
}

/** The day the current passport was issued: a renewal during the stay (setting `renewalDay`), or before the first entry. */
function issueDayOfCurrent(person: Person, first: number, end: number, validity: number): number {
  const rng = person.rng;
  const renewalWindow: [number, number] = [Math.max(first + 60, end - validity + 60), end - 30];
  if (isExample(person, 'renewedPassport')) person.renewalDay = person.today - rng.int(10, 40);
  else if (rng.chance(0.13) && renewalWindow[0] <= renewalWindow[1]) person.renewalDay = rng.int(...renewalWindow);
  if (person.renewalDay !== null) return person.renewalDay;
  const earliest = end + 60 - validity;
  const latest = first - 10;
  if (earliest <= latest) return rng.int(Math.max(earliest, latest - 2000), latest);
  // A stay longer than one passport: the renewal is not optional.
  person.renewalDay = renewalWindow[0] <= renewalWindow[1] ? rng.int(...renewalWindow) : first + 60;
  return person.renewalDay;
}

/** Unique across the run: 7 digits scattered from (person, ordinal), wrapped in the country's format. */
function passportNumber(person: Person, ordinal: number): string {
  const key = person.index * MAX_PASSPORTS_PER_PERSON + ordinal;
  const core = scatter(key, 10_000_000, PASSPORT_MULTIPLIER, mix32(person.context.seed) % 10_000_000);
  return person.nationality.passportNumber(person.rng, String(core).padStart(7, '0'));
}

/** The passport the person held on `day`: the latest issued on or before it. */
export function passportOn(person: Person, day: number): { number: string; country: string } {
  let held = person.passports[0];
  for (const spec of person.passports) if (spec.issued <= day) held = spec;
  return { number: held.number, country: person.nationality.code };
}
