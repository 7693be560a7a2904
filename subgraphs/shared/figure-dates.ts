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

/** The first of the month after `month` (itself a first): 2024-12-01 → 2025-01-01. */
export function nextMonthStart(month: string): string {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  const [nextYear, nextMonth] = number === 12 ? [year + 1, 1] : [year, number + 1];
  return `${String(nextYear).padStart(4, '0')}-${String(nextMonth).padStart(2, '0')}-01`;
}

/** The snapshot a date's figures start from: its month's first, or the nearest one there is; null before the first. */
export function snapshotFor(date: string): string | null {
  if (date < FIRST_SNAPSHOT) return null;
  const month = monthStart(date);
  return month > LAST_SNAPSHOT ? LAST_SNAPSHOT : month;
}

/** The snapshot month starts within [from, until] (a permit's validity): the snapshots it is counted in. */
export function snapshotsWithin(from: string, until: string): string[] {
  const months: string[] = [];
  let month = from < FIRST_SNAPSHOT ? FIRST_SNAPSHOT : from.endsWith('-01') ? from : nextMonthStart(monthStart(from));
  for (; month <= until && month <= LAST_SNAPSHOT; month = nextMonthStart(month)) months.push(month);
  return months;
}
