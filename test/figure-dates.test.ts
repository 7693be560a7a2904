import {
  dayAfter,
  FIRST_SNAPSHOT,
  LAST_SNAPSHOT,
  monthStart,
  monthStartOf,
  snapshotFor,
  snapshotsWithin,
} from '../subgraphs/shared/figure-dates';

describe('dates of the maintained figures', () => {
  it('steps a day across month, year and leap-day boundaries', () => {
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(dayAfter('2024-02-29')).toBe('2024-03-01');
    expect(dayAfter('2023-02-28')).toBe('2023-03-01');
    expect(dayAfter('2025-12-31')).toBe('2026-01-01');
    expect(dayAfter('2025-04-30')).toBe('2025-05-01');
    expect(dayAfter('0999-12-31')).toBe('1000-01-01');
    expect(dayAfter('9999-12-30')).toBe('9999-12-31');
    expect(dayAfter('9999-12-31')).toBeNull();
  });

  it('finds the month start, also of a month number', () => {
    expect(monthStart('2024-02-29')).toBe('2024-02-01');
    expect(monthStart('2024-02-01')).toBe('2024-02-01');
    expect(monthStartOf(2024 * 12 + 11)).toBe('2024-12-01');
    expect(monthStartOf(2024 * 12 + 11 + 1)).toBe('2025-01-01');
    expect(monthStartOf(999 * 12 + 11 + 1)).toBe('1000-01-01');
  });

  it('lists the snapshots a validity covers, within the snapshot range', () => {
    expect(snapshotsWithin('2024-01-15', '2024-01-31')).toEqual([]);
    expect(snapshotsWithin('2024-02-01', '2024-02-01')).toEqual(['2024-02-01']);
    expect(snapshotsWithin('2024-01-02', '2024-04-01')).toEqual(['2024-02-01', '2024-03-01', '2024-04-01']);
    expect(snapshotsWithin('2024-11-30', '2025-01-31')).toEqual(['2024-12-01', '2025-01-01']);
    expect(snapshotsWithin('1900-01-01', '1950-02-01')).toEqual([FIRST_SNAPSHOT, '1950-02-01']);
    expect(snapshotsWithin('2099-12-02', '9999-12-31')).toEqual([LAST_SNAPSHOT]);
    expect(snapshotsWithin('1000-01-01', '9999-12-31')).toHaveLength(150 * 12 + 1);
  });

  it('reads a date from its month, the last snapshot after it, none before the first', () => {
    expect(snapshotFor('2024-02-29')).toBe('2024-02-01');
    expect(snapshotFor('2024-03-01')).toBe('2024-03-01');
    expect(snapshotFor('2100-01-01')).toBe(LAST_SNAPSHOT);
    expect(snapshotFor('2150-07-04')).toBe(LAST_SNAPSHOT);
    expect(snapshotFor(FIRST_SNAPSHOT)).toBe(FIRST_SNAPSHOT);
    expect(snapshotFor('1949-12-31')).toBeNull();
  });
});
