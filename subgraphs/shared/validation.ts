import { errors } from '../../lib/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../lib/page-size';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PASSPORT_NUMBER = /^[A-Z0-9]{5,12}$/;
const COUNTRY_CODE = /^[A-Z]{3}$/;
const NIB = /^[0-9]{13}$/;

export function requireId(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw errors.badUserInput(`"${field}" must be a UUID, got "${truncate(id)}"`, field);
  return id.toLowerCase();
}

/** Passport numbers are compared upper-case without spaces, the way they are printed on the document. */
export function normalizePassportNumber(number: string, field = 'number'): string {
  const normalized = number.replace(/\s+/g, '').toUpperCase();
  if (!PASSPORT_NUMBER.test(normalized)) {
    throw errors.badUserInput(
      `"${field}" must be a passport number of 5 to 12 letters and digits, got "${truncate(number)}"`,
      field,
    );
  }
  return normalized;
}

export function normalizeCountryCode(code: string, field = 'country'): string {
  const normalized = code.trim().toUpperCase();
  if (!COUNTRY_CODE.test(normalized)) {
    throw errors.badUserInput(
      `"${field}" must be an ISO 3166-1 alpha-3 country code such as "CHN", got "${truncate(code)}"`,
      field,
    );
  }
  return normalized;
}

export function requireNib(nib: string, field = 'nib'): string {
  if (!NIB.test(nib)) throw errors.badUserInput(`"${field}" must be a 13-digit NIB, got "${truncate(nib)}"`, field);
  return nib;
}

export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw errors.badUserInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  return first;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
