/**
 * How clerks and hosts write a name they heard (DOMAIN.md, "Names across the nationalities"):
 * each function returns the name as written with one kind of noise, or null when that kind does
 * not apply to this name (no particle to drop, no romanisation to swap).
 */
import { canonicalToken } from '../../subgraphs/immigration/matching/names';
import { Random } from './prng';

export const NAME_NOISES = [
  'NONE',
  'TYPO',
  'TRANSLITERATION',
  'REORDERED',
  'PARTICLE',
  'INITIALS',
  'JOINED_OR_SPLIT',
] as const;
export type NameNoise = (typeof NAME_NOISES)[number];

export const DATE_NOISES = ['NONE', 'MISSING', 'DAY_MONTH_SWAPPED', 'YEAR_ONLY'] as const;
export type DateNoise = (typeof DATE_NOISES)[number];

/** Spellings a clerk may use for a token: the other members of the matcher's variant groups and a few more. */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  zhang: ['Chang', 'Cheung', 'Teo'],
  chen: ['Chan', 'Tan'],
  wang: ['Wong', 'Ong'],
  li: ['Lee'],
  liu: ['Lau'],
  lin: ['Lim', 'Lam'],
  huang: ['Hwang', 'Ng'],
  zhou: ['Chow'],
  yang: ['Yeung'],
  zhao: ['Chao'],
  zheng: ['Cheng'],
  guo: ['Kuo', 'Kwok'],
  liang: ['Leung'],
  xie: ['Hsieh'],
  muhammad: ['Mohammed', 'Mohd', 'Muhd', 'Mohamad'],
  ahmad: ['Ahmed'],
  abdul: ['Abd'],
  hussain: ['Hussein', 'Husain'],
  nur: ['Noor'],
  nguyen: ['Nguyễn'],
  tran: ['Trần'],
  le: ['Lê'],
  pham: ['Phạm'],
  park: ['Pak'],
  choi: ['Choe'],
};

const PARTICLE_WORDS = new Set(['bin', 'binti', 'a/l', 'a/p', 's/o', 'd/o', 'anak', 'van', 'de', 'der']);

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function typo(rng: Random, name: string): string | null {
  const words = name.split(' ');
  const candidates = words.map((word, index) => [word, index] as const).filter(([word]) => /^\p{L}{5,}$/u.test(word));
  if (candidates.length === 0) return null;
  const [word, index] = rng.pick(candidates);
  const at = rng.int(1, word.length - 2);
  const letters = [...word];
  switch (rng.int(0, 2)) {
    case 0: // one letter dropped
      letters.splice(at, 1);
      break;
    case 1: // two neighbours swapped
      [letters[at], letters[at + 1]] = [letters[at + 1], letters[at]];
      break;
    default: // one letter doubled
      letters.splice(at, 0, letters[at]);
  }
  const written = letters.join('');
  if (written.toLowerCase() === word.toLowerCase()) return null;
  words[index] = written;
  return words.join(' ');
}

export function transliteration(rng: Random, name: string): string | null {
  const words = name.split(' ');
  const swappable = words.flatMap((word, index) => {
    const spellings = SPELLINGS[canonicalToken(word.toLowerCase())] ?? SPELLINGS[word.toLowerCase()];
    const others = spellings?.filter((spelling) => spelling.toLowerCase() !== word.toLowerCase());
    return others?.length ? [{ index, others }] : [];
  });
  if (swappable.length === 0) return null;
  const { index, others } = rng.pick(swappable);
  words[index] = rng.pick(others);
  return words.join(' ');
}

/** Family name moved to the other end (Western forms), particles staying with the name they join. */
export function reordered(rng: Random, name: string): string | null {
  const words = name.split(' ');
  if (words.length < 2 || words.some((word) => PARTICLE_WORDS.has(word.toLowerCase()))) return null;
  return rng.chance(0.5)
    ? [...words.slice(1), words[0]].join(' ')
    : [words[words.length - 1], ...words.slice(0, -1)].join(' ');
}

export function particle(rng: Random, name: string): string | null {
  const words = name.split(' ');
  const at = words.findIndex((word) => PARTICLE_WORDS.has(word.toLowerCase()));
  if (at < 0) return null;
  const word = words[at].toLowerCase();
  if (word === 'bin' && rng.chance(0.5)) words[at] = 'B.';
  else if (word === 'binti' && rng.chance(0.5)) words[at] = 'Bt.';
  else words.splice(at, 1);
  return words.join(' ');
}

/** Given names written as initials, the last name in full (K. Ramesh, R. S. Kumar). */
export function initials(_rng: Random, name: string): string | null {
  const words = name.split(' ').filter((word) => !PARTICLE_WORDS.has(word.toLowerCase()));
  if (words.length < 2) return null;
  return [...words.slice(0, -1).map((word) => `${word[0].toUpperCase()}.`), words[words.length - 1]].join(' ');
}

/** A two-syllable given name split (Lianghui → Liang Hui), or two given names joined. */
export function joinedOrSplit(_rng: Random, name: string): string | null {
  const words = name.split(' ');
  if (words.length >= 3 && words.slice(1).every((word) => word.length <= 6 && /^\p{L}+$/u.test(word)))
    return [words[0], words.slice(1).join('')].join(' ');
  for (let index = 1; index < words.length; index++) {
    const split = syllableSplit(words[index]);
    if (split) {
      words.splice(index, 1, capitalised(split[0]), capitalised(split[1]));
      return words.join(' ');
    }
  }
  return null;
}

/** Where a pinyin given name splits into two syllables: after a vowel, n or ng, before a consonant. */
function syllableSplit(word: string): [string, string] | null {
  const lower = word.toLowerCase();
  if (lower.length < 5) return null;
  for (let at = 2; at <= lower.length - 2; at++) {
    const [before, after] = [lower[at - 1], lower[at]];
    const ends =
      /[aeiou]/.test(before) || (before === 'n' && !/[aeiou]/.test(after)) || (before === 'g' && lower[at - 2] === 'n');
    if (ends && /[bcdfghjklmpqrstwxyz]/.test(after) && !(before === 'n' && after === 'g'))
      return [lower.slice(0, at), lower.slice(at)];
  }
  return null;
}

export const NAME_NOISE: Readonly<Record<Exclude<NameNoise, 'NONE'>, (rng: Random, name: string) => string | null>> = {
  TYPO: typo,
  TRANSLITERATION: transliteration,
  REORDERED: reordered,
  PARTICLE: particle,
  INITIALS: initials,
  JOINED_OR_SPLIT: joinedOrSplit,
};

/** A birth date as written with the noise: null when missing, YYYY when only the year. */
export function noisyDate(date: string, noise: DateNoise): string | null {
  const [year, month, day] = date.split('-');
  switch (noise) {
    case 'MISSING':
      return null;
    case 'YEAR_ONLY':
      return year;
    case 'DAY_MONTH_SWAPPED':
      return Number(day) <= 12 && day !== month ? `${year}-${day}-${month}` : null;
    default:
      return date;
  }
}
