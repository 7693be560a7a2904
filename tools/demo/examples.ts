/** The manifest's cross-agency examples: which persons carry them, and what each example records about its person. */
import { StayPermitKind } from '../../subgraphs/immigration/enums';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { fromDay } from './dates';
import { Person } from './person-state';
import { Profile } from './profiles';
import { DemoExamples } from './types';

/** The first two workers and the first working suspect carry the examples, so every run has them. */
export function isExample(person: Person, example: keyof DemoExamples): boolean {
  const { profile, rank } = person.assignment;
  if (example === 'renewedPassport') return profile === Profile.WORKER && rank === 0;
  if (example === 'cleanPerson') return profile === Profile.WORKER && rank === 1;
  return profile === Profile.WORKER_SUSPECT && rank === 0;
}

/** A worker whose RPTKA, first registration and a police report carry the passport renewed since. */
export function recordRenewedPassport(person: Person, reportNumber: string): void {
  const { passports, workPermits, registrations } = person.records;
  const [old] = passports;
  const current = passports[passports.length - 1];
  const activeRptka = workPermits[workPermits.length - 1];
  const registration = registrations[0];
  if (
    old === current ||
    activeRptka.workerPassportNumber !== old.number ||
    registration.passportNumber !== old.number
  ) {
    throw new Error(
      `Demo data: the renewed-passport example (person ${person.index}) is not filed under the old passport`,
    );
  }
  person.examples.renewedPassport = {
    personId: person.personId,
    oldPassport: { number: old.number, country: old.country },
    currentPassport: { number: current.number, country: current.country },
    rptkaNumber: activeRptka.rptkaNumber,
    reportNumber,
    registrationNumber: registration.registrationNumber,
  };
}

/** A suspect the report knows only by name, date of birth and nationality. */
export function recordNameOnlyPoliceMatch(person: Person, reportNumber: string, party: ReportParty): void {
  person.examples.nameOnlyPoliceMatch = {
    personId: person.personId,
    reportNumber,
    role: party.role,
    fullName: party.fullName,
    dateOfBirth: party.dateOfBirth!,
    nationality: party.nationality!,
  };
}

/** A worker with no finding: the ITAS, RPTKA and passport in force on the anchor date. */
export function recordCleanPerson(person: Person): void {
  const today = fromDay(person.today);
  const { stayPermits, workPermits, passports } = person.records;
  const permit = stayPermits.find(
    (stay) => stay.validFrom <= today && today <= stay.validUntil && stay.kind === StayPermitKind.LIMITED,
  )!;
  const rptka = workPermits.find((work) => work.validFrom <= today && today <= work.validUntil)!;
  const current = passports[passports.length - 1];
  person.examples.cleanPerson = {
    personId: person.personId,
    passport: { number: current.number, country: current.country },
    employerNib: rptka.employerNib,
    rptkaNumber: rptka.rptkaNumber,
    stayPermitNumber: permit.permitNumber,
  };
}
