/** Presence in the country: entries and exits around the permits, home leave, earlier visits, days the person was here. */
import { SponsorType } from '../../subgraphs/immigration/enums';
import { visitChain } from './permit-chains';
import { Person, StaySpec } from './person-state';
import { EARLIER_VISITS } from './population';

/** One trip on a chain of visit permits: entry on the first day, exit (or still here). */
export function addVisit(person: Person, chain: StaySpec[], exit: number | null): void {
  person.stays.push(...chain);
  person.intervals.push({ entry: chain[0].from, exit });
}

/** Earlier short visits of a returning visitor, each an entry, a permit and an exit. */
export function earlierVisits(person: Person, before: number): void {
  const rng = person.rng;
  const count = Number(rng.weighted(EARLIER_VISITS));
  let cursor = before;
  for (let visit = 0; visit < count; visit++) {
    const until = cursor - rng.int(30, 400);
    const [stay] = visitChain(person, { endingOn: until }, rng.chance(0.5) ? 'B1' : 'C1');
    stay.sponsor = { type: SponsorType.PERSON, nib: null, name: person.fullName };
    person.stays.push(stay);
    person.intervals.push({ entry: stay.from, exit: stay.from + rng.int(2, stay.until - stay.from) });
    cursor = stay.from;
  }
}

/**
 * A long stay: entry when the chain starts, home-leave trips while it runs (up to `tripsUntil`),
 * and a final exit, or none while the person is still here.
 */
export function addResidence(person: Person, chain: StaySpec[], tripsUntil: number, exit: number | null): void {
  person.stays.push(...chain);
  let entry = chain[0].from;
  for (const trip of homeLeave(person, entry + 30, Math.min(tripsUntil, exit ?? tripsUntil) - 10)) {
    person.intervals.push({ entry, exit: trip.exit });
    entry = trip.back;
  }
  // A leave that would start before the last arrival is simply not taken.
  person.intervals.push({ entry, exit: exit !== null && exit <= entry ? null : exit });
}

function homeLeave(person: Person, from: number, to: number): { exit: number; back: number }[] {
  if (to - from < 60) return [];
  const rng = person.rng;
  const count = Math.min(5, Math.floor(((to - from) / 365) * rng.float() * 1.4));
  const exits = Array.from({ length: count }, () => rng.int(from, to - 35)).sort((a, b) => a - b);
  const trips: { exit: number; back: number }[] = [];
  for (const exit of exits) {
    if (trips.length > 0 && exit <= trips[trips.length - 1].back + 10) continue;
    trips.push({ exit, back: exit + rng.int(5, 30) });
  }
  return trips;
}

/** A few long-stay holders are abroad on leave today: still permit holders, just not here. */
export function abroadNow(person: Person): number | null {
  if (person.assignment.rank < 2 || !person.rng.chance(0.03)) return null;
  return person.today - person.rng.int(1, 20);
}

/** A day in [from, to] on which the person was in the country (falls back to `from`). */
export function dayInCountry(person: Person, from: number, to: number): number {
  const spans = person.intervals
    .map((interval) => [Math.max(from, interval.entry), Math.min(to, interval.exit ?? to)] as const)
    .filter(([start, end]) => start <= end);
  if (spans.length === 0) return Math.min(from, to);
  const [start, end] = person.rng.pick(spans);
  return person.rng.int(start, end);
}
