/**
 * Nationality as records write it: an ISO 3166-1 alpha-3 code, a country's name in English or
 * Indonesian, or an adjective (CHN, China, Tiongkok, Chinese). i18n-iso-countries holds the codes
 * and the names; the adjectives and the Indonesian names it lacks are listed here.
 */
import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import indonesian from 'i18n-iso-countries/langs/id.json';
import { nameKey } from './text';

countries.registerLocale(english);
countries.registerLocale(indonesian);

const OTHER_NAMES: Readonly<Record<string, string>> = {
  chinese: 'CHN',
  tiongkok: 'CHN',
  cina: 'CHN',
  china: 'CHN',
  prc: 'CHN',
  malaysian: 'MYS',
  indian: 'IND',
  filipino: 'PHL',
  philippine: 'PHL',
  korean: 'KOR',
  korea: 'KOR',
  'south korean': 'KOR',
  vietnamese: 'VNM',
  japanese: 'JPN',
  taiwanese: 'TWN',
  singaporean: 'SGP',
  australian: 'AUS',
  american: 'USA',
  amerika: 'USA',
  'amerika serikat': 'USA',
  usa: 'USA',
  us: 'USA',
  dutch: 'NLD',
  belanda: 'NLD',
  british: 'GBR',
  inggris: 'GBR',
  uk: 'GBR',
  german: 'DEU',
  jerman: 'DEU',
  french: 'FRA',
  perancis: 'FRA',
  prancis: 'FRA',
  thai: 'THA',
  bangladeshi: 'BGD',
  indonesian: 'IDN',
  russian: 'RUS',
  rusia: 'RUS',
};

/** The alpha-3 code of a nationality as written, or null when it names no country. */
export function nationalityCode(written: string): string | null {
  const trimmed = written.trim();
  if (/^[A-Za-z]{3}$/.test(trimmed) && countries.isValid(trimmed.toUpperCase())) return trimmed.toUpperCase();
  const key = nameKey(trimmed);
  return (
    OTHER_NAMES[key] ??
    countries.getAlpha3Code(trimmed, 'en') ??
    countries.getAlpha3Code(trimmed, 'id') ??
    countries.getAlpha3Code(key, 'en') ??
    null
  );
}
