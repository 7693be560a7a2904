/** One person's generation, room by room: identity, timeline, passports, then the rows of each agency, then the self-check. */
import { isExample, recordCleanPerson } from './examples';
import { createPerson, settle } from './identity';
import { writeRegistrations } from './lodging';
import { issuePassports } from './passports';
import { PersonContext, PersonRecords } from './person-state';
import { verifyPlanted } from './planted';
import { writePoliceReports } from './police';
import { Assignment } from './profiles';
import { writeImmigration } from './stays';
import { planTimeline } from './timeline';
import { DemoExamples, IdentityTruth, PlantedViolation } from './types';
import { writeUnidentifiedRecords } from './unidentified';
import { writeWorkPermits } from './work';

export interface GeneratedPerson {
  records: PersonRecords;
  violations: PlantedViolation[];
  examples: Partial<DemoExamples>;
  identityTruth: IdentityTruth[];
}

/**
 * Builds one person's life as the agencies recorded it: a timeline of stays and crossings first
 * (in day numbers), then passports that cover it, then the rows, each filed under the passport
 * the person held on that day. The profile decides what the anchor date shows. The rooms draw
 * from the person's random stream in this order, and the order decides the data.
 */
export function generatePerson(index: number, assignment: Assignment, context: PersonContext): GeneratedPerson {
  const person = createPerson(index, assignment, context);
  settle(person);
  planTimeline(person);
  person.intervals.sort((a, b) => a.entry - b.entry);
  person.stays.sort((a, b) => a.from - b.from);
  issuePassports(person);
  writeImmigration(person);
  writeWorkPermits(person);
  writeRegistrations(person);
  writePoliceReports(person);
  const violations = verifyPlanted(person);
  if (isExample(person, 'cleanPerson')) recordCleanPerson(person);
  const identityTruth = writeUnidentifiedRecords(person);
  return { records: person.records, violations, examples: person.examples, identityTruth };
}
