/**
 * Who a record could be: blocking finds the candidates, each is compared field by field and
 * scored with the model, best first. Records are matched in batches: a batch costs two statements
 * for its keys, one for the persons, one for the token frequencies (and one for passports when a
 * record carries a passport number), whatever its size.
 */
import { DataSource } from 'typeorm';
import { findColumnsIn, findIn } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityModel } from '../entities/identity';
import { Passport } from '../entities/passport';
import { ALL_PERSONS, blockedCandidates, blockingKeys, counts as storedCounts } from './blocking';
import { compare, ComparableRecord, compareNames, Comparison } from './compare';
import { DEFAULT_PARAMETERS, matchWeight, ModelParameters, NameFrequencies, score, Score } from './model';
import { NameParts, nameParts } from './names';

/** A record to identify, as police wrote it (or an analyst typed it). */
export interface IdentityQuery {
  fullName: string;
  /** "YYYY-MM-DD", or "YYYY" when only the year is known. */
  dateOfBirth: string | null;
  nationality: string | null;
  sex: string | null;
  passportNumber: string | null;
}

/** A police record as a query: name, birth date and nationality are all a police record carries. */
export function policeRecordQuery(record: {
  fullName: string;
  dateOfBirth: string | null;
  nationality: string | null;
}): IdentityQuery {
  return {
    fullName: record.fullName,
    dateOfBirth: record.dateOfBirth || null,
    nationality: record.nationality || null,
    sex: null,
    passportNumber: null,
  };
}

/** What scoring reads of a person (all a candidate carries: the API reads the rest by id, candidates.ts). */
export const MATCHED_COLUMNS = ['id', 'nameKey', 'dateOfBirth', 'nationality', 'sex'] as const;
export type MatchedPerson = Pick<ForeignNational, (typeof MATCHED_COLUMNS)[number]>;

export interface Candidate {
  person: MatchedPerson;
  passportNumbers: readonly string[];
  score: Score;
  /**
   * The probability that the record is this person rather than another candidate or nobody: a
   * record is one person, so the candidates' odds share one total (two namesakes born the same
   * day get about half each, however strong each pair's evidence). Decisions read this.
   */
  probability: number;
}

/** A candidate as decisions need it: who, how likely, and whether the birth dates agree in full. */
export interface ScoredCandidate {
  personId: string;
  probability: number;
  linkable: boolean;
  /** The pair's comparisons, when asked for (training). */
  comparisons?: Comparison[];
}

/** Birth dates that agree in full (or with day and month swapped): without that, no record is linked unseen. */
const FULL_DATE_LEVELS = new Set(['EXACT', 'DAY_MONTH_SWAPPED']);

export function scoredCandidate(candidate: Candidate): ScoredCandidate {
  const date = candidate.score.comparisons.find((comparison) => comparison.field === 'dateOfBirth');
  return {
    personId: candidate.person.id,
    probability: candidate.probability,
    linkable: FULL_DATE_LEVELS.has(date?.level ?? ''),
  };
}

/** A scored candidate with its pair's comparisons, as training reads them. */
export function scoredWithComparisons(candidate: Candidate): ScoredCandidate {
  return { ...scoredCandidate(candidate), comparisons: candidate.score.comparisons };
}

/**
 * Records in the order of their names' tokens, then birth dates: the namesakes of a batch share
 * their blocking keys and candidates, read, parsed and held once for all of them. A record's
 * candidates are its own whatever batch it is in.
 */
export function namesakesTogether<T>(records: readonly T[], queryOf: (record: T) => IdentityQuery): T[] {
  return records
    .map((record) => {
      const query = queryOf(record);
      return { record, order: `${[...nameParts(query.fullName).tokens].sort().join(' ')}|${query.dateOfBirth ?? ''}` };
    })
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map(({ record }) => record);
}

export function comparableRecord(query: IdentityQuery): ComparableRecord {
  return { ...query, name: nameParts(query.fullName) };
}

const personNames = new Map<string, NameParts>();

/** A person's name parts, kept for the next record (persons are compared far more often than renamed). */
function personName(person: MatchedPerson): NameParts {
  let parts = personNames.get(person.nameKey);
  if (!parts) {
    if (personNames.size > 200_000) personNames.clear();
    parts = nameParts(person.nameKey);
    personNames.set(person.nameKey, parts);
  }
  return parts;
}

/** The `first` best candidates of each record, best first. */
export async function matchRecords(
  db: DataSource,
  queries: readonly IdentityQuery[],
  first: number,
  parameters?: ModelParameters,
  /** Persons to score for each record whatever blocking finds (those an analyst decided about). */
  include: readonly (readonly string[])[] = [],
): Promise<Candidate[][]> {
  if (queries.length === 0) return [];
  const model = parameters ?? (await modelParameters(db));
  const records = queries.map(comparableRecord);
  const keysOf = records.map((record) => blockingKeys(record.name, record.dateOfBirth, true));
  const blocked = await blockedCandidates(db, keysOf);
  const candidateIds = blocked.map((ids, index) => [...new Set([...ids, ...(include[index] ?? [])])]);
  const ids = [...new Set(candidateIds.flat())];
  const withPassport = records.some((record) => record.passportNumber);
  const [persons, passports] = await Promise.all([
    findColumnsIn(db, ForeignNational, 'id', ids, MATCHED_COLUMNS),
    withPassport ? findIn(db, Passport, 'personId', ids) : Promise.resolve([]),
  ]);
  const byId = new Map(persons.map((person) => [person.id, person]));
  const numbersOf = new Map<string, string[]>();
  for (const passport of passports)
    numbersOf.set(passport.personId, [...(numbersOf.get(passport.personId) ?? []), passport.number]);
  const counts = await storedCounts(
    db,
    persons.flatMap((person) => personName(person).tokens),
  );
  const frequencies: NameFrequencies = {
    persons: counts.get(ALL_PERSONS) ?? persons.length,
    count: (token) => counts.get(token) ?? 1,
  };
  // A record's name against a person's, compared once a batch: namesakes (namesakesTogether) meet the same persons.
  const names = new Map<string, Comparison>();
  return records.map((record, index) => {
    const recordName = `${record.name.tokens.join(' ')}|${record.name.initials.join(' ')}|`;
    // Every candidate is ranked by its match weight alone; only those kept get the whole score.
    const ranked = candidateIds[index]
      .map((id) => byId.get(id))
      .filter((person): person is MatchedPerson => person !== undefined)
      .map((person) => {
        const passportNumbers = numbersOf.get(person.id) ?? [];
        const name = personName(person);
        const pair = recordName + person.nameKey;
        let nameComparison = names.get(pair);
        if (!nameComparison) names.set(pair, (nameComparison = compareNames(record.name, name)));
        const comparisons = compare(record, { ...person, name, passportNumbers }, nameComparison);
        return { person, passportNumbers, comparisons, weight: matchWeight(model, comparisons, frequencies) };
      })
      .sort((a, b) => b.weight - a.weight || (a.person.id < b.person.id ? -1 : 1));
    const probabilities = exclusiveProbabilities(ranked.map((candidate) => candidate.weight));
    return ranked.flatMap(({ person, passportNumbers, comparisons }, rank) =>
      rank < first || include[index]?.includes(person.id)
        ? [{ person, passportNumbers, score: score(model, comparisons, frequencies), probability: probabilities[rank] }]
        : [],
    );
  });
}

/** odds_i / (1 + Σ odds), the odds 2^weight, computed without overflow. */
function exclusiveProbabilities(weights: number[]): number[] {
  const top = Math.max(0, ...weights);
  const scaled = weights.map((weight) => 2 ** (weight - top));
  const total = 2 ** -top + scaled.reduce((sum, odds) => sum + odds, 0);
  return scaled.map((odds) => odds / total);
}

const MODEL_ID = 'current';
/** The service re-reads the parameters this often, so an estimate made by `npm run identity:train` is taken up. */
const MODEL_TTL_MS = 30_000;
const cachedModels = new WeakMap<DataSource, { parameters: ModelParameters; until: number }>();

/** The estimated parameters, else the defaults. */
export async function modelParameters(db: DataSource): Promise<ModelParameters> {
  const cached = cachedModels.get(db);
  if (cached && cached.until > Date.now()) return cached.parameters;
  const row = await db.getRepository(IdentityModel).findOneBy({ id: MODEL_ID });
  const parameters = row ? (JSON.parse(row.parameters) as ModelParameters) : DEFAULT_PARAMETERS;
  cachedModels.set(db, { parameters, until: Date.now() + MODEL_TTL_MS });
  return parameters;
}

export async function saveModelParameters(db: DataSource, parameters: ModelParameters, at: string): Promise<void> {
  await db.getRepository(IdentityModel).save({ id: MODEL_ID, parameters: JSON.stringify(parameters), estimatedAt: at });
  cachedModels.delete(db);
}
