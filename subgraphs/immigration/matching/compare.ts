/**
 * Field comparisons with levels (Fellegi-Sunter, as Splink names them): each field of a record
 * against the same field of a person falls into one level, and each level carries a weight
 * (model.ts). A field either side lacks is MISSING and weighs nothing.
 */
import { alignSplitTokens, NameParts, tokenSimilarity } from './names';

/** The fields compared, and the levels of each from the strongest agreement to disagreement. */
export const LEVELS = {
  name: ['EXACT', 'CLOSE', 'SUBSET', 'PARTIAL', 'DIFFERENT'],
  dateOfBirth: ['EXACT', 'DAY_MONTH_SWAPPED', 'SAME_YEAR', 'DIFFERENT'],
  nationality: ['EXACT', 'DIFFERENT'],
  sex: ['EXACT', 'DIFFERENT'],
  passportNumber: ['EXACT', 'PARTIAL', 'DIFFERENT'],
} as const;

export type Field = keyof typeof LEVELS;
export const FIELDS = Object.keys(LEVELS) as Field[];
export const MISSING = 'MISSING';
export type Level<F extends Field = Field> = (typeof LEVELS)[F][number] | typeof MISSING;

/** A record as compared: a police party, a registration, or what an analyst typed. */
export interface ComparableRecord {
  name: NameParts;
  /** "YYYY-MM-DD", or "YYYY" when only the year is known. */
  dateOfBirth: string | null;
  nationality: string | null;
  sex: string | null;
  /** All or part of a passport number, upper case. */
  passportNumber: string | null;
}

export interface ComparablePerson {
  name: NameParts;
  dateOfBirth: string;
  nationality: string;
  sex: string;
  /** Numbers of every passport the person held; only read when the record has one. */
  passportNumbers: readonly string[];
}

export interface Comparison {
  field: Field;
  level: Level;
  /** The person's name tokens the record's name agreed with (for the term frequency of the name). */
  matchedTokens?: string[];
}

/** Tokens this alike (Jaro-Winkler, or sounding alike) count as the same token written differently. */
const CLOSE_TOKEN = 0.88;

/** Each field of the record against the person's (`name`: the names' comparison, when made already). */
export function compare(
  record: ComparableRecord,
  person: ComparablePerson,
  name: Comparison = compareNames(record.name, person.name),
): Comparison[] {
  return [
    name,
    { field: 'dateOfBirth', level: compareDates(record.dateOfBirth, person.dateOfBirth) },
    { field: 'nationality', level: equalOrNot(record.nationality, person.nationality) },
    { field: 'sex', level: equalOrNot(record.sex, person.sex) },
    { field: 'passportNumber', level: comparePassport(record.passportNumber, person.passportNumbers) },
  ];
}

/**
 * Names as sets of tokens, whatever their order: tokens are paired best first; an initial
 * accounts for an unpaired token it begins; what is left over on either side decides the level.
 */
export function compareNames(record: NameParts, person: NameParts): Comparison {
  if (record.tokens.length + record.initials.length === 0) return { field: 'name', level: MISSING };
  const ours = alignSplitTokens(record.tokens, person.tokens);
  const theirs = alignSplitTokens(person.tokens, ours);
  const candidates: [number, number, number][] = [];
  for (let i = 0; i < ours.length; i++)
    for (let j = 0; j < theirs.length; j++) {
      const similarity = tokenSimilarity(ours[i], theirs[j]);
      if (similarity >= CLOSE_TOKEN) candidates.push([similarity, i, j]);
    }
  candidates.sort((a, b) => b[0] - a[0]);
  const pairedOurs = new Set<number>();
  const pairedTheirs = new Set<number>();
  let exact = 0;
  for (const [similarity, i, j] of candidates) {
    if (pairedOurs.has(i) || pairedTheirs.has(j)) continue;
    pairedOurs.add(i);
    pairedTheirs.add(j);
    if (similarity === 1) exact++;
  }
  const paired = pairedOurs.size;
  const matchedTokens = [...pairedTheirs].map((j) => theirs[j]);
  if (paired === 0) return { field: 'name', level: 'DIFFERENT' };
  const leftOurs = explainByInitials(
    ours.filter((_, i) => !pairedOurs.has(i)),
    person.initials,
  );
  const leftTheirs = explainByInitials(
    theirs.filter((_, j) => !pairedTheirs.has(j)),
    record.initials,
  );
  const byInitials = ours.length - paired - leftOurs + (theirs.length - paired - leftTheirs);
  let level: Level<'name'>;
  if (leftOurs === 0 && leftTheirs === 0)
    level = exact === paired && byInitials === 0 && ours.length === theirs.length ? 'EXACT' : 'CLOSE';
  else if ((leftOurs === 0 || leftTheirs === 0) && paired + byInitials >= 2) level = 'SUBSET';
  else level = 'PARTIAL';
  return { field: 'name', level, matchedTokens };
}

/** How many of `tokens` no initial of the other name accounts for (each initial accounts for one). */
function explainByInitials(tokens: string[], initials: readonly string[]): number {
  const unused = [...initials];
  let left = 0;
  for (const token of tokens) {
    const at = unused.indexOf(token[0]);
    if (at >= 0) unused.splice(at, 1);
    else left++;
  }
  return left;
}

export function compareDates(record: string | null, person: string | null): Level<'dateOfBirth'> {
  if (!record || !person) return MISSING;
  if (record.length === 4) return record === person.slice(0, 4) ? 'SAME_YEAR' : 'DIFFERENT';
  if (record === person) return 'EXACT';
  const [year, month, day] = record.split('-');
  if (`${year}-${day}-${month}` === person) return 'DAY_MONTH_SWAPPED';
  return year === person.slice(0, 4) ? 'SAME_YEAR' : 'DIFFERENT';
}

function equalOrNot(record: string | null, person: string | null): 'EXACT' | 'DIFFERENT' | typeof MISSING {
  if (!record || !person) return MISSING;
  return record === person ? 'EXACT' : 'DIFFERENT';
}

/** A whole number matches EXACT; at least four characters found inside a number of theirs, PARTIAL. */
function comparePassport(record: string | null, numbers: readonly string[]): Level<'passportNumber'> {
  if (!record) return MISSING;
  if (numbers.includes(record)) return 'EXACT';
  if (record.length >= 4 && numbers.some((number) => number.includes(record))) return 'PARTIAL';
  return 'DIFFERENT';
}
