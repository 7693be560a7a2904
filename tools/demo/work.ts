/** Work: the RPTKAs behind a worker's permits, and their work_permit rows with the Indonesian counterpart. */
import { RecordedPermitStatus, Sex, StayPermitKind, StayPurpose } from '../../subgraphs/immigration/enums';
import { RecordedWorkPermitStatus } from '../../subgraphs/manpower/enums';
import { Regency } from '../../subgraphs/shared/geography';
import { fromDay } from './dates';
import { indonesianName } from './names';
import { passportOn } from './passports';
import { Person, StaySpec } from './person-state';
import { kalbarNik } from './places';
import { RPTKA_MAX_DAYS } from './population';

/** Plans the RPTKAs for the work permits of a chain: one per ITAS, one per two years of ITAP. */
export function addWorkPermits(person: Person, chain: StaySpec[]): void {
  chain.forEach((stay, position) => {
    if (stay.purpose !== StayPurpose.WORK) return;
    if (stay.kind === StayPermitKind.LIMITED) {
      // The first RPTKA is approved shortly before the worker's ITAS starts.
      const lead = position === 0 && stay.until - stay.from < 700 ? person.rng.int(0, 20) : 0;
      const until =
        stay.status === RecordedPermitStatus.CONVERTED && stay.endedOn !== undefined ? stay.endedOn - 1 : stay.until;
      const status =
        stay.status === RecordedPermitStatus.CANCELLED
          ? RecordedWorkPermitStatus.REVOKED
          : RecordedWorkPermitStatus.ACTIVE;
      person.rptkas.push({ from: stay.from - lead, until, status });
    } else if (stay.kind === StayPermitKind.PERMANENT) {
      // An ITAP holder still needs an RPTKA, renewed every two years at most.
      for (let from = stay.from; from <= Math.min(person.today, stay.until); from += RPTKA_MAX_DAYS) {
        person.rptkas.push({
          from,
          until: Math.min(from + RPTKA_MAX_DAYS - 1, stay.until),
          status: RecordedWorkPermitStatus.ACTIVE,
        });
      }
    }
  });
}

export function writeWorkPermits(person: Person): void {
  if (person.rptkas.length === 0 || !person.employer) return;
  const rng = person.rng;
  const employer = person.employer.employer;
  const counterpartFemale = rng.chance(0.3);
  const counterpartName = indonesianName(rng, counterpartFemale ? Sex.FEMALE : Sex.MALE);
  const counterpartNik = kalbarNik(rng, employer.regency as Regency, counterpartFemale);
  // RPTKAs often write the name in capitals, as on the passport's data page.
  const workerName = rng.chance(0.5) ? person.fullName.toUpperCase() : person.fullName;
  for (const spec of person.rptkas) {
    const validFrom = fromDay(spec.from);
    const passport = passportOn(person, spec.from);
    person.records.workPermits.push({
      id: rng.uuid(),
      rptkaNumber: person.context.numbers.rptka(validFrom, rng.int(1, 40)),
      employerNib: employer.nib,
      workerName,
      workerPassportNumber: passport.number,
      workerPassportCountry: passport.country,
      workerNationality: person.nationality.code,
      position: person.position,
      workRegencies: person.workRegencies,
      validFrom,
      validUntil: fromDay(spec.until),
      recordedStatus: spec.status,
      counterpartName,
      counterpartNik,
      dkptkaPaidUntil: rng.chance(0.05)
        ? null
        : fromDay(rng.chance(0.85) ? spec.until : Math.min(spec.until, spec.from + 364)),
    });
  }
}
