/**
 * "Today" for every rule that depends on the date (permit status, overstay days).
 * Injected so tests and demos can pin it; production uses the wall clock.
 */
export interface Clock {
  /** Today's date in UTC as YYYY-MM-DD. */
  today(): string;
}

export const systemClock: Clock = { today: () => new Date().toISOString().slice(0, 10) };

export function fixedClock(date: string): Clock {
  return { today: () => date };
}

/** TIMPORA_TODAY pins the date for a whole deployment (demos, rehearsals); unset means the wall clock. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  return env.TIMPORA_TODAY ? fixedClock(env.TIMPORA_TODAY) : systemClock;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}
