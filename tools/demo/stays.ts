/** Stays as immigration recorded them: stay permits, border crossings and administrative actions. */
import { CrossingDirection, StayPermitKind } from '../../subgraphs/immigration/enums';
import { fromDay, instant } from './dates';
import { passportOn } from './passports';
import { Person } from './person-state';
import { CHECKPOINT_OFFICE, pickCheckpoint, REGENCY_FACTS } from './places';

/** Writes the immigration rows of the planned timeline; the entry checkpoints are drawn first, as the permits need them. */
export function writeImmigration(person: Person): void {
  const entryCheckpoints = person.intervals.map(() => drawCheckpoint(person));
  writeStayPermits(person, entryCheckpoints);
  writeCrossings(person, entryCheckpoints);
  writeActions(person);
}

function writeStayPermits(person: Person, entryCheckpoints: string[]): void {
  for (const stay of person.stays) {
    const entryIndex = person.intervals.findIndex((interval) => interval.entry === stay.from);
    // A permit issued on arrival comes from the checkpoint's office; the rest from the domicile's.
    const onArrival = stay.kind === StayPermitKind.VISIT && entryIndex >= 0;
    const arrivalOffice = onArrival ? CHECKPOINT_OFFICE[entryCheckpoints[entryIndex]] : undefined;
    const office = stay.office ?? arrivalOffice ?? REGENCY_FACTS[person.domicile].immigrationOffice;
    const validFrom = fromDay(stay.from);
    person.records.stayPermits.push({
      id: person.rng.uuid(),
      permitNumber: person.context.numbers.stayPermit(stay.kind, office, validFrom),
      personId: person.personId,
      kind: stay.kind,
      visaIndex: stay.visaIndex,
      purpose: stay.purpose,
      validFrom,
      validUntil: fromDay(stay.until),
      recordedStatus: stay.status,
      sponsorType: stay.sponsor.type,
      sponsorNib: stay.sponsor.nib,
      sponsorName: stay.sponsor.name,
      domicileAddress: person.address,
      domicileRegency: person.domicile,
      issuingOffice: office,
      passportNumber: passportOn(person, stay.from).number,
      passportCountry: passportOn(person, stay.from).country,
    });
  }
}

function writeCrossings(person: Person, entryCheckpoints: string[]): void {
  person.intervals.forEach((interval, position) => {
    crossing(person, CrossingDirection.ENTRY, interval.entry, entryCheckpoints[position]);
    if (interval.exit !== null) crossing(person, CrossingDirection.EXIT, interval.exit, drawCheckpoint(person));
  });
}

function crossing(person: Person, direction: CrossingDirection, day: number, checkpoint: string): void {
  const rng = person.rng;
  person.records.crossings.push({
    id: rng.uuid(),
    personId: person.personId,
    direction,
    crossedAt: instant(fromDay(day), rng.int(5, 21), rng.int(0, 59), rng.int(0, 59)),
    checkpoint,
    passportNumber: passportOn(person, day).number,
  });
}

function drawCheckpoint(person: Person): string {
  return pickCheckpoint(person.rng, person.nationality.crossesByLand);
}

function writeActions(person: Person): void {
  for (const spec of person.actions) {
    person.records.actions.push({
      id: person.rng.uuid(),
      personId: person.personId,
      kind: spec.kind,
      decidedOn: fromDay(spec.day),
      reason: spec.reason,
      legalBasis: spec.legalBasis,
      amount: spec.amount,
      office: spec.office,
    });
  }
}
