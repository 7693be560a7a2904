import 'reflect-metadata';
import { isIsoDate, toDay } from './dates';
import { EmployerDirectory, employerCount } from './employers';
import { RecordNumbers } from './numbers';
import { MAX_PERSONS } from './passports';
import { PersonContext, PersonRecords } from './person-state';
import { generatePerson } from './persons';
import { DEFAULT_PERSONS, DEFAULT_SEED, MIN_PERSONS, ProfilePlan } from './profiles';
import { DemoBatch, DemoOptions } from './types';

export const DEFAULT_BATCH_SIZE = 1000;
/** Employers of the default set: about 21 foreign workers each. */
export const DEFAULT_EMPLOYERS = 48;

export interface DemoSettings {
  persons: number;
  seed: number;
  anchor: string;
  batchSize: number;
}

export function resolveOptions(options: DemoOptions): DemoSettings {
  const persons = options.persons ?? DEFAULT_PERSONS;
  const seed = options.seed ?? DEFAULT_SEED;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!isIsoDate(options.anchor))
    throw new Error(`Demo data: anchor must be a date YYYY-MM-DD, got "${options.anchor}"`);
  if (!Number.isInteger(persons) || persons < MIN_PERSONS || persons > MAX_PERSONS) {
    throw new Error(`Demo data: persons must be an integer from ${MIN_PERSONS} to ${MAX_PERSONS}, got ${persons}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`Demo data: seed must be an integer from 0 to 2^32-1, got ${seed}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`Demo data: batchSize must be a positive integer, got ${batchSize}`);
  return { persons, seed, anchor: options.anchor, batchSize };
}

function emptyBatch(): DemoBatch {
  return {
    immigration: {
      foreignNationals: [],
      passports: [],
      stayPermits: [],
      borderCrossings: [],
      administrativeActions: [],
    },
    manpower: { employers: [], workPermits: [] },
    police: { policeReports: [], reportParties: [], presenceRegistrations: [] },
    violations: [],
    personsDone: 0,
    examples: {},
    identityTruth: [],
  };
}

function append(batch: DemoBatch, records: PersonRecords): void {
  batch.immigration.foreignNationals.push(records.person);
  batch.immigration.passports.push(...records.passports);
  batch.immigration.stayPermits.push(...records.stayPermits);
  batch.immigration.borderCrossings.push(...records.crossings);
  batch.immigration.administrativeActions.push(...records.actions);
  batch.manpower.workPermits.push(...records.workPermits);
  batch.police.policeReports.push(...records.reports);
  batch.police.reportParties.push(...records.parties);
  batch.police.presenceRegistrations.push(...records.registrations);
}

/**
 * Streams the demo data batch by batch: employers in the first batch, then `batchSize` persons
 * per batch with all their rows in every agency. Only the current batch is held, so a million
 * persons take the memory of a thousand. Output depends only on (seed, persons, anchor): the
 * batch size changes how rows are grouped, never what they are.
 */
export function* generateDemoData(options: DemoOptions): Generator<DemoBatch, void, undefined> {
  const settings = resolveOptions(options);
  const plan = new ProfilePlan(settings.persons, settings.seed);
  const employers = new EmployerDirectory(
    settings.seed,
    employerCount(settings.persons, DEFAULT_PERSONS, DEFAULT_EMPLOYERS),
  );
  const regencyByNib = new Map(employers.all.map(({ employer }) => [employer.nib, employer.regency]));
  const context: PersonContext = {
    seed: settings.seed,
    today: toDay(settings.anchor),
    employers,
    regencyOfEmployer: (nib) => regencyByNib.get(nib),
    numbers: new RecordNumbers(),
  };

  let batch = emptyBatch();
  batch.manpower.employers = employers.all.map(({ employer }) => employer);
  for (let index = 0; index < settings.persons; index++) {
    const generated = generatePerson(index, plan.assign(index), context);
    append(batch, generated.records);
    batch.violations.push(...generated.violations);
    batch.identityTruth.push(...generated.identityTruth);
    Object.assign(batch.examples, generated.examples);
    const done = index + 1;
    if (done % settings.batchSize === 0 || done === settings.persons) {
      batch.personsDone = done;
      yield batch;
      batch = emptyBatch();
    }
  }
}
