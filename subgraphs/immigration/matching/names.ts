/**
 * How a name is taken apart for matching. Police and lodging clerks write one person's name in
 * many ways (DOMAIN.md, "Names across the nationalities"): in either order, with or without
 * "bin" or "a/l", with initials, in another romanisation, with given names joined or split.
 * Matching therefore compares canonical tokens as a set, never the string as written.
 */
import jaroWinkler from 'talisman/metrics/jaro-winkler';
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { nameKey } from '../../shared/text';

/** A name ready to compare: canonical full tokens and the initials it gives instead of names. */
export interface NameParts {
  tokens: string[];
  initials: string[];
}

/** Words that join names rather than name anyone: patronymic and nobiliary particles. */
const PARTICLES = new Set([
  'bin',
  'binti',
  'binte',
  'bte',
  'bt',
  'ibn',
  'ibni',
  'van',
  'von',
  'der',
  'den',
  'de',
  'da',
  'das',
  'dos',
  'del',
  'della',
  'di',
  'du',
  'la',
  'le',
  'al',
  'el',
]);

/** Malaysian Indian "a/l" and "a/p" (anak lelaki / perempuan), "s/o", "d/o": two letters once nameKey splits them. */
const SPLIT_PARTICLES = new Set(['a l', 'a p', 's o', 'd o']);

/**
 * Romanisations and spellings of one name, the canonical form first. Phonetic keys alone do not
 * join these (Zhang is JNK, Chang XNK; Chen and Tan share no consonant), so they are listed:
 * pinyin against Wade-Giles, Cantonese and Hokkien; the forms of Muhammad; common Arabic and
 * South Asian variants.
 */
const VARIANTS: readonly (readonly string[])[] = [
  ['zhang', 'chang', 'cheung', 'teo', 'chong'],
  ['chen', 'chan', 'tan', 'chin'],
  ['wang', 'wong', 'ong'],
  ['li', 'lee', 'lie', 'yi', 'rhee'],
  ['liu', 'lau', 'low'],
  ['lin', 'lim', 'lam'],
  ['huang', 'hwang', 'ng', 'oei'],
  ['wu', 'goh'],
  ['zhou', 'chow', 'chou', 'chew'],
  ['xu', 'hsu', 'koh'],
  ['yang', 'yeung', 'yeo'],
  ['zhao', 'chao', 'chiu'],
  ['zheng', 'cheng', 'tay'],
  ['guo', 'kuo', 'kwok', 'kuek'],
  ['he', 'ho'],
  ['liang', 'leung', 'neo'],
  ['xie', 'hsieh', 'tse', 'chia'],
  ['cao', 'tsao'],
  ['muhammad', 'mohammad', 'mohammed', 'mohamed', 'mohamad', 'muhammed', 'mohd', 'muhd', 'md', 'mohamud'],
  ['ahmad', 'ahmed', 'ahmet'],
  ['abdul', 'abd', 'abdel'],
  ['hussain', 'hussein', 'husain', 'hossain', 'hosain'],
  ['rahman', 'rehman'],
  ['nur', 'noor', 'nor'],
  ['siti', 'sitti'],
  ['kumar', 'kumaar'],
  ['krishnan', 'krishna'],
  ['lakshmi', 'laxmi'],
  ['choi', 'choe'],
  ['park', 'pak', 'bak'],
  ['kim', 'gim'],
];

const CANONICAL = new Map<string, string>();
for (const group of VARIANTS)
  for (const spelling of group) if (!CANONICAL.has(spelling)) CANONICAL.set(spelling, group[0]);

/** The spelling every variant of a token is compared as. */
export function canonicalToken(token: string): string {
  return CANONICAL.get(token) ?? token;
}

/** Splits a name (as written, or its nameKey) into canonical tokens and initials. */
export function nameParts(name: string): NameParts {
  const words = nameKey(name).split(' ').filter(Boolean);
  const kept: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const pair = `${words[index]} ${words[index + 1]}`;
    if (SPLIT_PARTICLES.has(pair) && index > 0 && index + 2 < words.length) {
      index++;
      continue;
    }
    if (PARTICLES.has(words[index]) && words.length > 2) continue;
    kept.push(words[index]);
  }
  return {
    tokens: kept.filter((word) => word.length > 1).map(canonicalToken),
    initials: kept.filter((word) => word.length === 1),
  };
}

const phoneticCache = new Map<string, string>();

/** The primary Double Metaphone key of a token ("" for a token without consonant sounds is kept as the token). */
export function phonetic(token: string): string {
  let key = phoneticCache.get(token);
  if (key === undefined) {
    key = doubleMetaphone(token)[0] || token;
    if (phoneticCache.size > 100_000) phoneticCache.clear();
    phoneticCache.set(token, key);
  }
  return key;
}

/**
 * How alike two tokens are: 1 when equal, Jaro-Winkler otherwise, and at least 0.93 when they
 * also sound alike. Sounding alike alone is not enough: Double Metaphone drops vowels and reads an
 * initial W or Y as a vowel, so Wang and Yinghui share a key.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const similarity = jaroWinkler(a, b);
  return similarity >= SOUNDS_ALIKE_FROM && phonetic(a) === phonetic(b) ? Math.max(similarity, 0.93) : similarity;
}

/** Jaro-Winkler from which a shared phonetic key counts. */
const SOUNDS_ALIKE_FROM = 0.75;

/** Short given-name syllables that clerks write joined or apart (Lianghui / Liang Hui). */
const JOINABLE_LENGTH = 6;

/** The tokens with each adjacent pair of short tokens also joined: what a split or joined given name may be. */
export function withJoinedPairs(tokens: readonly string[]): string[] {
  const joined = [...tokens];
  for (let index = 0; index + 1 < tokens.length; index++) {
    const [a, b] = [tokens[index], tokens[index + 1]];
    if (a.length <= JOINABLE_LENGTH && b.length <= JOINABLE_LENGTH) joined.push(a + b);
  }
  return joined;
}

/**
 * Rewrites `tokens` so that a pair the other name writes as one word (or one word it writes as
 * two) reads the same: ["liang", "hui"] against ["lianghui"] becomes ["lianghui"].
 */
export function alignSplitTokens(tokens: readonly string[], other: readonly string[]): string[] {
  const wanted = new Set(other);
  const result: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const joined = tokens[index] + (tokens[index + 1] ?? '');
    if (index + 1 < tokens.length && !wanted.has(tokens[index]) && wanted.has(joined)) {
      result.push(joined);
      index++;
    } else result.push(tokens[index]);
  }
  return result;
}
