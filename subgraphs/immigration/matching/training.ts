/**
 * Estimating the model from the data, without labels, the way Splink does:
 * - u from random pairs of persons (nearly all are different persons);
 * - m by expectation-maximisation, twice: over pairs blocked on the exact birth date (which
 *   estimates the name and the nationality: among such pairs different persons agree on those by
 *   chance only), then over pairs blocked on the name (which estimates the birth date; there u is
 *   estimated among the pairs too, as similar names share nationalities and more). A field a pass
 *   is blocked on says nothing about matches in that pass, so its m is not taken from it.
 * Analysts' decisions enter as known outcomes. `npm run identity:train` runs it and stores the
 * result; the service takes it up within 30 seconds.
 */
import { DataSource } from 'typeorm';
import { groupBy } from '../../shared/loaders';
import { findColumnsIn, inJsonList } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityDecision } from '../entities/identity';
import { compare, ComparablePerson, ComparableRecord, FIELDS } from './compare';
import { Decision } from './decisions';
import {
  comparableRecord,
  IdentityQuery,
  MATCHED_COLUMNS,
  MatchedPerson,
  matchRecords,
  namesakesTogether,
  saveModelParameters,
  scoredWithComparisons,
} from './matcher';
import { DEFAULT_PARAMETERS, estimateM, estimateU, ModelParameters, PairLevels } from './model';
import { nameParts } from './names';
import { MatchPool, ScoredCandidates } from './parallel';

export interface TrainingRecord extends IdentityQuery {
  recordId: string;
}

export interface TrainingReport {
  parameters: ModelParameters;
  randomPairs: number;
  nameBlockedPairs: number;
  dateBlockedPairs: number;
  records: number;
  iterations: number[];
}

/** Persons drawn for u; every one is paired with the next RANDOM_PAIRS_PER_PERSON of the draw. */
const SAMPLED_PERSONS = 4000;
const RANDOM_PAIRS_PER_PERSON = 25;
/** The defaults weigh as much as this share of the records' pairs would (model.ts, priorPairs). */
const PRIOR_SHARE = 0.5;
/** Records used for m at most (a sample of the name-only records). */
const SAMPLED_RECORDS = 20_000;
/**
 * Date-blocked pairs at most: every person born on a record's birth date grows with the
 * population (some 55 a date at 1,000,000 persons, where the sample's records made 1.1 million
 * pairs and half of training's time); past this many the records are sampled again.
 */
const DATE_BLOCKED_PAIRS = 250_000;

export async function trainModel(
  db: DataSource,
  records: readonly TrainingRecord[],
  now: string,
  {
    pool,
    dateBlockedPairs: pairBound = DATE_BLOCKED_PAIRS,
  }: {
    /** Match the name-blocked pairs on these worker threads (parallel.ts), else on this one. */
    pool?: MatchPool | null;
    /** Date-blocked pairs at most (default DATE_BLOCKED_PAIRS). */
    dateBlockedPairs?: number;
  } = {},
): Promise<TrainingReport> {
  const sample = records.length > SAMPLED_RECORDS ? spread(records, SAMPLED_RECORDS) : records;
  const randomPairs = await randomPersonPairs(db);
  const u = estimateU(randomPairs);
  const start: ModelParameters = { ...DEFAULT_PARAMETERS, u, source: 'training' };
  const known = await knownOutcomes(db, sample);

  // Blocked on the birth date: the name and the nationality of different persons agree by chance alone.
  const dateBlocked = await dateBlockedPairs(db, sample, pairBound);
  const byDate = estimateM(dateBlocked.pairs, start, {
    fields: FIELDS.filter((field) => field !== 'dateOfBirth'),
    known: labels(dateBlocked.ids, known),
    priorPairs: sample.length * PRIOR_SHARE,
  });
  const named = { ...start, m: byDate.m };
  // Blocked on the name: different persons share names and nationalities far more than by chance,
  // so u is estimated among these pairs too; only the birth date's m is kept from this pass.
  const nameBlocked = await nameBlockedPairs(db, sample, named, pool);
  const byName = estimateM(nameBlocked.pairs, named, {
    fields: ['name', 'dateOfBirth', 'nationality'],
    known: labels(nameBlocked.ids, known),
    withinPairsU: true,
    priorPairs: sample.length * PRIOR_SHARE,
  });
  // Each record has at most one true person among its candidates: matches / records is the match rate.
  const matchRate = Math.min(0.99, (byName.matchShare * nameBlocked.pairs.length) / Math.max(1, sample.length));
  const parameters: ModelParameters = {
    m: { ...byDate.m, dateOfBirth: byName.m.dateOfBirth },
    u,
    matchRate,
    source: `estimated ${now}: u from ${randomPairs.length} random pairs, m by EM over ${nameBlocked.pairs.length} + ${dateBlocked.pairs.length} pairs of ${sample.length} records`,
  };
  await saveModelParameters(db, parameters, now);
  return {
    parameters,
    randomPairs: randomPairs.length,
    nameBlockedPairs: nameBlocked.pairs.length,
    dateBlockedPairs: dateBlocked.pairs.length,
    records: sample.length,
    iterations: [byDate.iterations, byName.iterations],
  };
}

/** Every n-th record, so a sample covers the whole list. */
function spread<T>(items: readonly T[], count: number): T[] {
  const step = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor(index * step)]);
}

function asPerson(person: MatchedPerson): ComparablePerson {
  return { ...person, name: nameParts(person.nameKey), passportNumbers: [] };
}

function asRecord(person: MatchedPerson): ComparableRecord {
  return {
    name: nameParts(person.nameKey),
    dateOfBirth: person.dateOfBirth,
    nationality: person.nationality,
    sex: person.sex,
    passportNumber: null,
  };
}

async function randomPersonPairs(db: DataSource): Promise<PairLevels[]> {
  const persons = await db
    .getRepository(ForeignNational)
    .createQueryBuilder('person')
    .select(['person.id', 'person.nameKey', 'person.dateOfBirth', 'person.nationality', 'person.sex'])
    // Ids are random UUIDs: the first ones in id order are a random sample, the same on every run.
    .orderBy('person.id')
    .limit(SAMPLED_PERSONS)
    .getMany();
  const pairs: PairLevels[] = [];
  for (let i = 0; i < persons.length; i++)
    for (let step = 1; step <= RANDOM_PAIRS_PER_PERSON && i + step < persons.length; step++)
      pairs.push(compare(asRecord(persons[i]), asPerson(persons[i + step])));
  return pairs;
}

interface BlockedPairs {
  pairs: PairLevels[];
  /** recordId and personId of each pair, for the known outcomes. */
  ids: [string, string][];
}

/** Records of a name-blocked batch: matching them is most of training's time, on the workers when given. */
const NAME_BLOCKED_BATCH = 500;
const NAME_BLOCKED_CANDIDATES = 10;

async function nameBlockedPairs(
  db: DataSource,
  records: readonly TrainingRecord[],
  parameters: ModelParameters,
  pool?: MatchPool | null,
): Promise<BlockedPairs> {
  // Matched with their namesakes (namesakesTogether); the pairs are kept in the records' order.
  const ordered = namesakesTogether(
    records.map((_, index) => index),
    (index) => records[index],
  );
  const batches: number[][] = [];
  for (let start = 0; start < ordered.length; start += NAME_BLOCKED_BATCH)
    batches.push(ordered.slice(start, start + NAME_BLOCKED_BATCH));
  const candidatesOf: ScoredCandidates[] = [];
  const matchBatch = async (batch: number[]): Promise<void> => {
    const queries = batch.map((index) => records[index]);
    const matched = pool
      ? await pool.match(queries, NAME_BLOCKED_CANDIDATES, { parameters, comparisons: true })
      : (await matchRecords(db, queries, NAME_BLOCKED_CANDIDATES, parameters)).map((candidates) =>
          candidates.map(scoredWithComparisons),
        );
    batch.forEach((index, at) => (candidatesOf[index] = matched[at]));
  };
  // The pool shares the batches out among its workers; on this thread they go one after another.
  if (pool) await Promise.all(batches.map(matchBatch));
  else for (const batch of batches) await matchBatch(batch);
  const result: BlockedPairs = { pairs: [], ids: [] };
  records.forEach((record, index) => {
    for (const candidate of candidatesOf[index]) {
      result.pairs.push(candidate.comparisons!);
      result.ids.push([record.recordId, candidate.personId]);
    }
  });
  return result;
}

/**
 * Records paired with every person born on the same day (records with a full birth date only, as
 * many as make `pairBound` pairs at most).
 */
async function dateBlockedPairs(
  db: DataSource,
  records: readonly TrainingRecord[],
  pairBound: number,
): Promise<BlockedPairs> {
  const dated = await withinPairBound(
    db,
    records.filter((record) => record.dateOfBirth?.length === 10),
    pairBound,
  );
  const dates = [...new Set(dated.map((record) => record.dateOfBirth!))];
  // At 1,000,000 persons nearly every one is born on a date of the sample: only what is compared is read.
  const persons = await findColumnsIn(db, ForeignNational, 'dateOfBirth', dates, MATCHED_COLUMNS);
  // Each person made comparable once: a person born on a common date meets dozens of records.
  const byDate = groupBy(
    persons.map((person) => ({ id: person.id, comparable: asPerson(person) })),
    (person) => person.comparable.dateOfBirth,
  );
  const result: BlockedPairs = { pairs: [], ids: [] };
  for (const record of dated) {
    const comparable = comparableRecord(record);
    for (const person of byDate.get(record.dateOfBirth!) ?? []) {
      result.pairs.push(compare(comparable, person.comparable));
      result.ids.push([record.recordId, person.id]);
    }
  }
  return result;
}

/** These records, or a spread of them that meets at most `pairBound` persons born on their days. */
async function withinPairBound(
  db: DataSource,
  records: TrainingRecord[],
  pairBound: number,
): Promise<TrainingRecord[]> {
  const dates = [...new Set(records.map((record) => record.dateOfBirth!))];
  if (dates.length === 0) return records;
  const born: { date: string; persons: string }[] = await db
    .getRepository(ForeignNational)
    .createQueryBuilder('person')
    .select('CAST(person.dateOfBirth AS varchar)', 'date')
    .addSelect('COUNT(*)', 'persons')
    .where(inJsonList(db, 'person.dateOfBirth', 'dates', 'date'), {
      dates: JSON.stringify(dates),
    })
    .groupBy('person.dateOfBirth')
    .getRawMany();
  const bornOn = new Map(born.map((row) => [row.date, Number(row.persons)]));
  const pairsOf = (record: TrainingRecord) => bornOn.get(record.dateOfBirth!) ?? 0;
  const pairs = records.reduce((sum, record) => sum + pairsOf(record), 0);
  if (pairs <= pairBound) return records;
  // A spread of the size the average record makes fit, its tail cut where it would not.
  let kept = 0;
  return spread(records, Math.floor((records.length * pairBound) / pairs)).filter(
    (record) => (kept += pairsOf(record)) <= pairBound,
  );
}

async function knownOutcomes(db: DataSource, records: readonly TrainingRecord[]): Promise<Map<string, 0 | 1>> {
  const ids = records.map((record) => record.recordId);
  const rows: IdentityDecision[] = [];
  for (let start = 0; start < ids.length; start += 5000)
    rows.push(
      ...(await db
        .getRepository(IdentityDecision)
        .createQueryBuilder('decision')
        .where(inJsonList(db, 'decision.recordId', 'ids'), { ids: JSON.stringify(ids.slice(start, start + 5000)) })
        .andWhere('decision.decision IN (:...human)', { human: [Decision.CONFIRMED, Decision.REJECTED] })
        .getMany()),
    );
  return new Map(rows.map((row) => [`${row.recordId} ${row.personId}`, row.decision === Decision.CONFIRMED ? 1 : 0]));
}

function labels(ids: [string, string][], known: Map<string, 0 | 1>): Map<number, 0 | 1> {
  const result = new Map<number, 0 | 1>();
  ids.forEach(([recordId, personId], index) => {
    const label = known.get(`${recordId} ${personId}`);
    if (label !== undefined) result.set(index, label);
  });
  return result;
}
