import { addDays, daysBetween } from '../../subgraphs/shared/clock';

export { addDays, daysBetween };

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** `YYYY-MM-DD` plus a time of day as an ISO-8601 UTC instant (24 characters, sorts as text). */
export function instant(date: string, hour: number, minute: number, second = 0): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}.000Z`;
}

/** Police and manpower numbers carry the month in Roman numerals (LP/B/123/VI/2025/...). */
export function romanMonth(date: string): string {
  return ROMAN_MONTHS[Number(date.slice(5, 7)) - 1];
}

export function yearOf(date: string): string {
  return date.slice(0, 4);
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function isIsoDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString().startsWith(value)
  );
}

const DAY_MS = 86_400_000;

/** Dates as whole days since 1970-01-01: the generator does its arithmetic on these. */
export function toDay(date: string): number {
  return Math.round(Date.parse(date) / DAY_MS);
}

/** Day numbers seen so far: a run touches a few tens of thousands of distinct days, and formatting through Date is slow. */
const formatted = new Map<number, string>();

export function fromDay(day: number): string {
  let text = formatted.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    formatted.set(day, text);
  }
  return text;
}
