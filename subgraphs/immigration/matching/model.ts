/**
 * The Fellegi-Sunter model: for each field and level, m = P(level | same person) and
 * u = P(level | different persons); a level weighs log2(m / u), and a pair's match weight is the
 * prior's log-odds plus the sum of its levels' weights, read as a probability. Common names weigh
 * less than rare ones (term frequency, as in Splink): an exact "wang wei" is evidence of about
 * 1 in (persons called Wang Wei), not of the average exact name.
 *
 * The defaults below are hand-set starting points. `estimateU` measures u on random pairs of
 * persons and `estimateM` runs expectation-maximisation over candidate pairs (training.ts), as
 * Splink does; the estimate is stored and used from then on.
 */
import { Comparison, Field, FIELDS, Level, LEVELS, MISSING } from './compare';

export type Probabilities = { [F in Field]: Partial<Record<Exclude<Level<F>, typeof MISSING>, number>> };

export interface ModelParameters {
  /** P(level | same person). */
  m: Probabilities;
  /** P(level | different persons). */
  u: Probabilities;
  /** Share of name-only records that are about someone immigration knows. */
  matchRate: number;
  /** How the parameters came about: "default", or what the last estimate used. */
  source: string;
}

export const DEFAULT_PARAMETERS: ModelParameters = {
  m: {
    name: { EXACT: 0.7, CLOSE: 0.18, SUBSET: 0.06, PARTIAL: 0.05, DIFFERENT: 0.01 },
    dateOfBirth: { EXACT: 0.8, DAY_MONTH_SWAPPED: 0.05, SAME_YEAR: 0.1, DIFFERENT: 0.05 },
    nationality: { EXACT: 0.97, DIFFERENT: 0.03 },
    sex: { EXACT: 0.98, DIFFERENT: 0.02 },
    passportNumber: { EXACT: 0.9, PARTIAL: 0.08, DIFFERENT: 0.02 },
  },
  u: {
    name: { EXACT: 0.0005, CLOSE: 0.001, SUBSET: 0.002, PARTIAL: 0.08, DIFFERENT: 0.9165 },
    dateOfBirth: { EXACT: 0.0001, DAY_MONTH_SWAPPED: 0.0001, SAME_YEAR: 0.03, DIFFERENT: 0.9698 },
    nationality: { EXACT: 0.25, DIFFERENT: 0.75 },
    sex: { EXACT: 0.5, DIFFERENT: 0.5 },
    passportNumber: { EXACT: 0.000001, PARTIAL: 0.0005, DIFFERENT: 0.999499 },
  },
  matchRate: 0.9,
  source: 'default',
};

/** No probability is ever taken as 0 or 1: a level never seen in training still weighs something finite. */
const SMALLEST = 1e-6;

/** Term-frequency adjustments are bounded, as one token's rarity must not outweigh every other field. */
const MAX_FREQUENCY_ADJUSTMENT = 12;

/** How often each name token occurs among the persons, and how many persons there are. */
export interface NameFrequencies {
  persons: number;
  count(token: string): number;
}

/** One line of a score's explanation (the waterfall): the field, its level, its weight. */
export interface WeightedComparison extends Comparison {
  weight: number;
}

export interface Score {
  /** The prior's log-odds: how unlikely any one person is before looking at the record. */
  prior: number;
  comparisons: WeightedComparison[];
  /** The name's term-frequency adjustment, with the share of persons who carry the matched tokens. */
  nameFrequency: { weight: number; share: number; tokens: string[] } | null;
  matchWeight: number;
  probability: number;
}

export function levelWeight(parameters: ModelParameters, field: Field, level: Level): number {
  if (level === MISSING) return 0;
  let weights = levelWeights.get(parameters);
  if (!weights) levelWeights.set(parameters, (weights = {}));
  const ofField = (weights[field] ??= {});
  return (ofField[level] ??= Math.log2(
    probability(parameters.m, field, level) / probability(parameters.u, field, level),
  ));
}

/**
 * Each model's level weights by field and level, computed once: a seed's linking weighs some 40
 * million comparisons, and a key string made per look-up was a share of its garbage.
 */
const levelWeights = new WeakMap<ModelParameters, Record<string, Record<string, number>>>();

function probability(table: Probabilities, field: Field, level: Level): number {
  return Math.max(SMALLEST, (table[field] as Record<string, number | undefined>)[level] ?? SMALLEST);
}

export function priorWeight(parameters: ModelParameters, persons: number): number {
  const lambda = Math.min(0.5, parameters.matchRate / Math.max(1, persons));
  return Math.log2(lambda / (1 - lambda));
}

/** Names that agree on all or most tokens are adjusted by how common those tokens are. */
const FREQUENCY_LEVELS = new Set<Level>(['EXACT', 'CLOSE', 'SUBSET']);

export function score(parameters: ModelParameters, comparisons: Comparison[], frequencies: NameFrequencies): Score {
  const prior = priorWeight(parameters, frequencies.persons);
  const weighted = comparisons.map((comparison) => ({
    ...comparison,
    weight: levelWeight(parameters, comparison.field, comparison.level),
  }));
  const nameFrequency = nameFrequencyOf(parameters, comparisons, frequencies);
  const matchWeight = prior + weighted.reduce((sum, item) => sum + item.weight, 0) + (nameFrequency?.weight ?? 0);
  return { prior, comparisons: weighted, nameFrequency, matchWeight, probability: 1 / (1 + 2 ** -matchWeight) };
}

/**
 * A pair's match weight alone, as score() sums it: what ranking the candidates needs, without the
 * explanation's objects (scoring makes tens of thousands of pairs a batch; few are shown).
 */
export function matchWeight(
  parameters: ModelParameters,
  comparisons: Comparison[],
  frequencies: NameFrequencies,
): number {
  let weight = priorWeight(parameters, frequencies.persons);
  for (const comparison of comparisons) weight += levelWeight(parameters, comparison.field, comparison.level);
  return weight + (nameFrequencyOf(parameters, comparisons, frequencies)?.weight ?? 0);
}

function nameFrequencyOf(
  parameters: ModelParameters,
  comparisons: Comparison[],
  frequencies: NameFrequencies,
): Score['nameFrequency'] {
  const name = comparisons.find((comparison) => comparison.field === 'name');
  return name && FREQUENCY_LEVELS.has(name.level) && name.matchedTokens?.length
    ? frequencyAdjustment(parameters, name, frequencies)
    : null;
}

/**
 * Splink's term-frequency adjustment: u of this level for this very name is about the share of
 * persons carrying its tokens (taken as independent), scaled by how much likelier this level is
 * than an exact match among random pairs; the adjustment is log2(u_level / u_name). A share
 * below one person in N, or below the average exact match, is taken as the smaller of the two: a
 * name carried by one person is as rare as names get.
 */
function frequencyAdjustment(parameters: ModelParameters, name: Comparison, frequencies: NameFrequencies) {
  const persons = Math.max(1, frequencies.persons);
  const tokens = name.matchedTokens!;
  const share = tokens.reduce((product, token) => product * (Math.max(1, frequencies.count(token)) / persons), 1);
  const uLevel = probability(parameters.u, 'name', name.level);
  const uExact = probability(parameters.u, 'name', 'EXACT');
  const uName = Math.max(share, Math.min(uExact, 1 / persons)) * (uLevel / uExact);
  const weight = Math.max(-MAX_FREQUENCY_ADJUSTMENT, Math.min(MAX_FREQUENCY_ADJUSTMENT, Math.log2(uLevel / uName)));
  return { weight, share, tokens };
}

/** Levels of one pair, field by field (what EM counts). */
export type PairLevels = Comparison[];

/**
 * u from random pairs of persons: nearly all are different persons, so their levels' shares are u
 * (add-one smoothed: a level no random pair reached, such as an exact birth date among 40,000
 * pairs, is taken as once in that many). A field the sample never compares keeps `fallback`'s u.
 */
export function estimateU(pairs: PairLevels[], fallback: Probabilities = DEFAULT_PARAMETERS.u): Probabilities {
  return shares(
    encodePairs(pairs),
    pairs.map(() => 1),
    fallback,
    1,
  );
}

/**
 * Pairs as numbers, made once for every round of EM (a million pairs times 25 rounds): each
 * comparison's field and level as indexes into FIELDS and LEVELS, in the pair's own order (sums
 * keep their order, so the estimates are the very same numbers), and each pair's level per field.
 */
interface EncodedPairs {
  count: number;
  /** Comparisons of pair p: from start[p] to start[p + 1]. */
  start: Int32Array;
  field: Int8Array;
  /** Index in LEVELS[field]; -1 for MISSING. */
  level: Int8Array;
  /** The level of pair p's first comparison of field f at p * FIELDS.length + f; -1 when none or MISSING. */
  levelOf: Int8Array;
}

function encodePairs(pairs: PairLevels[]): EncodedPairs {
  const comparisons = pairs.reduce((sum, pair) => sum + pair.length, 0);
  const encoded: EncodedPairs = {
    count: pairs.length,
    start: new Int32Array(pairs.length + 1),
    field: new Int8Array(comparisons),
    level: new Int8Array(comparisons),
    levelOf: new Int8Array(pairs.length * FIELDS.length).fill(-1),
  };
  let at = 0;
  pairs.forEach((pair, index) => {
    encoded.start[index] = at;
    const seen = new Set<number>();
    for (const comparison of pair) {
      const field = FIELDS.indexOf(comparison.field);
      const level = (LEVELS[comparison.field] as readonly string[]).indexOf(comparison.level);
      encoded.field[at] = field;
      encoded.level[at] = level;
      if (!seen.has(field)) encoded.levelOf[index * FIELDS.length + field] = level;
      seen.add(field);
      at += 1;
    }
  });
  encoded.start[pairs.length] = at;
  return encoded;
}

export interface EstimateOptions {
  iterations?: number;
  /**
   * The fields whose m is estimated and which score the pairs. A field the pairs were blocked on
   * (all pairs agree on it by construction) tells nothing here: it is left out, as Splink does,
   * and keeps its start m.
   */
  fields?: readonly Field[];
  /** Known outcomes (analysts' decisions): pair index to 1 (same person) or 0 (not). */
  known?: Map<number, 0 | 1>;
  /**
   * How many matched pairs the start m counts as (a Dirichlet prior, MAP-EM): the data must
   * outweigh it to move m far. Names shared by different persons make some levels hard to tell
   * apart from noise in the data alone (a namesake with another birth date, or the same person
   * with a wrong one); the prior keeps such a level near what is known of clerks' errors.
   */
  priorPairs?: number;
  /**
   * Estimate u among these pairs too (m and u jointly, as Winkler's EM does), instead of holding
   * the random-pair u: for pairs blocked on a field that others depend on (similar names share
   * nationalities far more than random pairs do). That u describes these pairs only and is not kept.
   */
  withinPairsU?: boolean;
}

/**
 * Expectation-maximisation of m (and of the share of matches among the pairs) over candidate
 * pairs, u held at its measured value (Splink's recommended procedure): each round scores every
 * pair with the current m, then sets m to the levels' shares weighted by those scores.
 */
export function estimateM(
  pairs: PairLevels[],
  start: ModelParameters,
  { iterations = 25, known = new Map(), fields = FIELDS, withinPairsU = false, priorPairs = 0 }: EstimateOptions = {},
): { m: Probabilities; matchShare: number; iterations: number } {
  let m = start.m;
  const encoded = encodePairs(pairs);
  const included = FIELDS.map((field) => fields.includes(field));
  let u = withinPairsU
    ? shares(
        encoded,
        pairs.map(() => 1),
        start.u,
        1,
      )
    : start.u;
  let lambda = 0.1;
  let rounds = 0;
  for (; rounds < iterations; rounds++) {
    const current = { ...start, m, u };
    // This round's weight of every field's level (MISSING, index -1, weighs nothing).
    const weights = FIELDS.map((field) => LEVELS[field].map((level) => levelWeight(current, field, level)));
    const prior = Math.log2(lambda / (1 - lambda));
    const posteriors: number[] = new Array(encoded.count);
    for (let index = 0; index < encoded.count; index++) {
      const fixed = known.get(index);
      if (fixed !== undefined) {
        posteriors[index] = fixed;
        continue;
      }
      let sum = 0;
      for (let at = encoded.start[index]; at < encoded.start[index + 1]; at++) {
        const field = encoded.field[at];
        if (included[field]) sum += encoded.level[at] < 0 ? 0 : weights[field][encoded.level[at]];
      }
      posteriors[index] = 1 / (1 + 2 ** -(prior + sum));
    }
    const nextLambda = Math.min(0.99, Math.max(SMALLEST, mean(posteriors)));
    const next = shares(encoded, posteriors, m, 0.5, { table: start.m, pairs: priorPairs });
    if (withinPairsU)
      u = shares(
        encoded,
        posteriors.map((posterior) => 1 - posterior),
        u,
        0.5,
      );
    const change = Math.abs(nextLambda - lambda);
    m = Object.fromEntries(
      FIELDS.map((field) => [field, fields.includes(field) ? next[field] : m[field]]),
    ) as Probabilities;
    lambda = nextLambda;
    if (change < 1e-6) break;
  }
  return { m, matchShare: lambda, iterations: rounds };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Each field's levels' shares among the pairs, each pair counted with its weight and each level
 * given `pseudoCount` to start with; MISSING is left out, and a field (almost) never compared
 * keeps `fallback`'s values (police records carry no sex and no passport number).
 */
function shares(
  pairs: EncodedPairs,
  weights: number[],
  fallback: Probabilities,
  pseudoCount: number,
  prior?: { table: Probabilities; pairs: number },
): Probabilities {
  const result = {} as Probabilities;
  FIELDS.forEach((field, fieldIndex) => {
    const levels: readonly string[] = LEVELS[field];
    const counts = levels.map(
      (level) => pseudoCount + (prior ? ((prior.table[field] as Record<string, number>)[level] ?? 0) * prior.pairs : 0),
    );
    let observed = 0;
    for (let index = 0; index < pairs.count; index++) {
      const level = pairs.levelOf[index * FIELDS.length + fieldIndex];
      if (level < 0) continue;
      counts[level] += weights[index];
      observed += weights[index];
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    (result as Record<string, Record<string, number>>)[field] =
      observed < MIN_OBSERVED
        ? { ...fallback[field] }
        : Object.fromEntries(levels.map((level, index) => [level, counts[index] / total]));
  });
  return result;
}

/** Fewer (weighted) pairs than this say too little about a field to replace what was there. */
const MIN_OBSERVED = 20;
