/** The planted violations, checked: the finding rules run on each person's own rows must find exactly what the profile planted. */
import { checkPerson, MatchedParty } from './check';
import { fromDay } from './dates';
import { Person } from './person-state';
import { PLANTED } from './profiles';
import { PlantedViolation } from './types';

/** Returns the person's violations, or throws: a generator bug fails loudly instead of skewing the figures. */
export function verifyPlanted(person: Person): PlantedViolation[] {
  const records = person.records;
  const violations = checkPerson(
    {
      person: records.person,
      passports: records.passports,
      stayPermits: records.stayPermits,
      crossings: records.crossings,
      workPermits: records.workPermits,
      parties: ownParties(person),
    },
    fromDay(person.today),
    person.context.regencyOfEmployer,
  );
  const found = violations
    .map((violation) => violation.kind)
    .sort()
    .join(',');
  const planted = [...PLANTED[person.profile]].sort().join(',');
  if (found !== planted) {
    throw new Error(`Demo data: person ${person.index} (${person.profile}) shows [${found}] instead of [${planted}]`);
  }
  return violations;
}

/** The person's own report parties (not the Indonesians named beside them), matched the way the gateway would. */
function ownParties(person: Person): MatchedParty[] {
  const { parties, reports } = person.records;
  return parties
    .filter((party) => party.nationality !== null)
    .map((party) => ({
      party,
      report: reports.find((report) => report.id === party.reportId)!,
      matchedBy: party.passportNumber ? ('PASSPORT' as const) : ('NAME_BIRTH_DATE_NATIONALITY' as const),
    }));
}
