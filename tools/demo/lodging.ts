/** Lodging reports to the police (APOA): where the person stayed after each arrival, and a few hotel nights. */
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { Regency } from '../../subgraphs/shared/geography';
import { fromDay, instant } from './dates';
import { indonesianName } from './names';
import { RecordNumbers } from './numbers';
import { passportOn } from './passports';
import { Person } from './person-state';
import { REGENCY_FACTS, streetAddress } from './places';
import { WrittenIdentity } from './police';
import { Random } from './prng';

const HOTEL_KINDS = ['Hotel', 'Hotel', 'Wisma', 'Penginapan', 'Guest House'];
const HOTEL_WORDS = [
  'Kapuas Indah',
  'Mahkota',
  'Khatulistiwa',
  'Borneo',
  'Pawan Permai',
  'Garuda',
  'Merpati',
  'Bintang Timur',
  'Sinar Baru',
  'Dharma',
  'Mutiara',
  'Permata',
  'Ayu',
  'Sentosa',
];

export function hotelName(rng: Random, regency: Regency): string {
  return `${rng.pick(HOTEL_KINDS)} ${rng.pick(HOTEL_WORDS)} ${regency}`;
}

/** A hotel address in the regency, for visitors and short stays. */
export function hotelAddress(rng: Random, regency: Regency): string {
  return streetAddress(rng, regency);
}

interface Lodging {
  regency: Regency;
  reportedBy: string;
  address: string;
  checkIn: number;
  checkOut: number | null;
}

/** The person's lodging reports: one per arrival at the first and last stay (some between), plus hotel nights away. */
export function writeRegistrations(person: Person): void {
  const rng = person.rng;
  person.intervals.forEach((interval, position) => {
    const isFirstOrLast = position === 0 || position === person.intervals.length - 1;
    if (!isFirstOrLast && !rng.chance(0.3)) return;
    const checkIn = Math.min(interval.entry + rng.int(0, 1), interval.exit ?? person.today);
    const stillHere = interval.exit === null;
    const checkOut = stillHere ? null : Math.max(checkIn, interval.exit!);
    register(person, {
      regency: person.domicile,
      reportedBy: lodgingHost(person),
      address: person.address,
      checkIn,
      checkOut,
    });
    const end = interval.exit ?? person.today;
    if (end - checkIn > 20 && rng.chance(0.35)) {
      // A business trip or weekend away, reported by the hotel.
      const regency = rng.pick(Object.keys(REGENCY_FACTS) as Regency[]);
      const nightFrom = rng.int(checkIn + 2, end - 6);
      const hotel = { regency, reportedBy: hotelName(rng, regency), address: hotelAddress(rng, regency) };
      register(person, { ...hotel, checkIn: nightFrom, checkOut: nightFrom + rng.int(1, 4) });
    }
  });
}

function lodgingHost(person: Person): string {
  if (person.address.startsWith('Mess Karyawan') && person.employer)
    return `Mess Karyawan ${person.employer.employer.name}`;
  if (person.group === 'visit') return person.address.split(',')[0];
  return `${indonesianName(person.rng)} (pemilik rumah sewa)`;
}

/** A hotel's registration of the foreigner on `day`, by name only (entity resolution's ground truth, unidentified.ts). */
export function nameOnlyRegistration(person: Person, written: WrittenIdentity, day: number): PresenceRegistration {
  const rng = person.rng;
  const regency = person.domicile;
  const lodging = {
    regency,
    reportedBy: hotelName(rng, regency),
    address: hotelAddress(rng, regency),
    checkIn: day,
    checkOut: day + rng.int(1, 5),
  };
  const registration = {
    ...presenceRegistration(rng, person.context.numbers, { fullName: written.fullName, passport: null }, lodging),
    dateOfBirth: written.dateOfBirth,
    nationality: written.nationality,
  };
  person.records.registrations.push(registration);
  return registration;
}

function register(person: Person, lodging: Lodging): void {
  const subject = { fullName: person.fullName, passport: passportOn(person, lodging.checkIn) };
  person.records.registrations.push(presenceRegistration(person.rng, person.context.numbers, subject, lodging));
}

function presenceRegistration(
  rng: Random,
  numbers: RecordNumbers,
  subject: { fullName: string; passport: { number: string; country: string } | null },
  lodging: Lodging,
): PresenceRegistration {
  const checkInDate = fromDay(lodging.checkIn);
  return {
    id: rng.uuid(),
    registrationNumber: numbers.presenceRegistration(REGENCY_FACTS[lodging.regency].code, checkInDate),
    passportNumber: subject.passport?.number ?? null,
    passportCountry: subject.passport?.country ?? null,
    fullName: subject.fullName,
    dateOfBirth: null,
    nationality: null,
    reportedBy: lodging.reportedBy,
    address: lodging.address,
    regency: lodging.regency,
    precinct: REGENCY_FACTS[lodging.regency].precinct,
    checkIn: instant(checkInDate, rng.int(8, 23), rng.int(0, 59)),
    checkOut: lodging.checkOut === null ? null : instant(fromDay(lodging.checkOut), rng.int(6, 12), rng.int(0, 59)),
  };
}
