// talisman ships no type declarations; these are the two functions the matcher uses.
declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity of two strings, 0 (nothing alike) to 1 (equal). */
  export default function jaroWinkler(a: string, b: string): number;
}

declare module 'talisman/phonetics/double-metaphone' {
  /** Primary and alternate Double Metaphone keys of a word. */
  export default function doubleMetaphone(word: string): [string, string];
}
