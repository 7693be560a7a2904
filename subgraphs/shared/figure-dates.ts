/**
 * Date arithmetic of the maintained figures, on YYYY-MM-DD strings only (no time zones, no Date
 * objects leaking out): the day after a date, the month a date falls in, and which month starts
 * hold a snapshot of the permits active on them.
 */

/**
 * Snapshots exist for the month starts from FIRST_SNAPSHOT to LAST_SNAPSHOT: a permit recorded as
 * valid for ever (until 9999-12-31) then adds at most 1,801 snapshot rows, not 96,000. A date past
 * the last snapshot is counted from it plus the changes since (few: only permits ending that late),
 * a date before the first from the changes alone (few too: records that old are rare).
 */
export const FIRST_SNAPSHOT = '1950-01-01';
export const LAST_SNAPSHOT = '2100-01-01';

/** The day after `date`, or null after 9999-12-31 (a permit valid until then never ends). */
export function dayAfter(date: string): string | null {
  if (date >= '9999-12-31') return null;
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
  return next.toISOString().slice(0, 10);
}

/** The first of the month `date` falls in: 2024-02-29 → 2024-02-01. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The snapshot a date's figures start from: its month's first, or the nearest one there is; null before the first. */
export function snapshotFor(date: string): string | null {
  if (date < FIRST_SNAPSHOT) return null;
  const month = monthStart(date);
  return month > LAST_SNAPSHOT ? LAST_SNAPSHOT : month;
}

/** The snapshot month starts within [from, until] (a permit's validity): the snapshots it is counted in. */
export function snapshotsWithin(from: string, until: string): string[] {
  const [first, last] = snapshotRange(from, until);
  const months: string[] = [];
  for (let month = first; month <= last; month++) months.push(monthStartOf(month));
  return months;
}

/**
 * The snapshots within [from, until] as month numbers (year × 12 + month − 1), first and last
 * (first > last when there is none): counting millions of permits into the snapshots walks
 * numbers, not date strings.
 */
export function snapshotRange(from: string, until: string): [number, number] {
  const start = from < FIRST_SNAPSHOT ? FIRST_SNAPSHOT : from;
  const first = monthNumber(start) + (start.endsWith('-01') ? 0 : 1);
  const end = until > LAST_SNAPSHOT ? LAST_SNAPSHOT : until;
  return [first, monthNumber(end)];
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The first of a month number's month: 24299 → 2024-12-01. */
export function monthStartOf(month: number): string {
  const year = Math.floor(month / 12);
  return `${String(year).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}-01`;
}
