import { daysBetween } from '../shared/clock';
import { CrossingDirection, PermitStatus, RecordedPermitStatus } from './enums';
import { BorderCrossing } from './entities/border-crossing';
import { StayPermit } from './entities/stay-permit';

/** A permit's status on `today`: what was recorded, unless the dates say otherwise. */
export function permitStatus(permit: StayPermit, today: string): PermitStatus {
  if (permit.recordedStatus === RecordedPermitStatus.CANCELLED) return PermitStatus.CANCELLED;
  if (permit.recordedStatus === RecordedPermitStatus.CONVERTED) return PermitStatus.CONVERTED;
  if (today < permit.validFrom) return PermitStatus.NOT_YET_VALID;
  if (today > permit.validUntil) return PermitStatus.EXPIRED;
  return PermitStatus.ACTIVE;
}

/**
 * The permit a person stands on today: the active one that runs longest, else the one that ends
 * last (the later start, then the smaller id, on a tie), whatever became of it. Its status is the
 * person's permit status (the search's `permitStatus`); `search.ts` holds the SQL of this order.
 */
export function standingPermit(permits: StayPermit[], today: string): StayPermit | null {
  const isActive = (permit: StayPermit) => permitStatus(permit, today) === PermitStatus.ACTIVE;
  const order = (a: StayPermit, b: StayPermit) => Number(isActive(b)) - Number(isActive(a)) || endsLaterFirst(a, b);
  return [...permits].sort(order)[0] ?? null;
}

/**
 * The permit that ends last (the later start, then the smaller id, on a tie): standingPermit's
 * order without the active rule, the permit whose facts the person row keeps (search-columns.ts).
 */
export function lastEndingPermit(permits: StayPermit[]): StayPermit | null {
  return [...permits].sort(endsLaterFirst)[0] ?? null;
}

function endsLaterFirst(a: StayPermit, b: StayPermit): number {
  return compare(b.validUntil, a.validUntil) || compare(b.validFrom, a.validFrom) || compare(a.id, b.id);
}

/** The active permit that runs longest, or null; a person normally has at most one. */
export function currentPermit(permits: StayPermit[], today: string): StayPermit | null {
  const standing = standingPermit(permits, today);
  return standing && permitStatus(standing, today) === PermitStatus.ACTIVE ? standing : null;
}

/** Code-unit order, as the databases compare ISO dates and ids. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "In the country" means the last recorded crossing is an entry. */
export function isInCountry(crossings: BorderCrossing[]): boolean {
  const last = [...crossings].sort((a, b) => a.crossedAt.localeCompare(b.crossedAt)).at(-1);
  return last?.direction === CrossingDirection.ENTRY;
}

/**
 * Days in the country past the end of the last stay permit (UU 6/2011 art. 78); 0 when the person
 * is abroad or holds an active permit. Cancelled permits end on their recorded validity too: the
 * cancellation itself is an administrative action with its own date.
 */
export function overstayDays(permits: StayPermit[], inCountry: boolean, today: string): number {
  if (!inCountry || currentPermit(permits, today)) return 0;
  const lastValidDay = permits
    .map((permit) => permit.validUntil)
    .sort()
    .at(-1);
  if (!lastValidDay) return 0;
  return Math.max(0, daysBetween(lastValidDay, today));
}
