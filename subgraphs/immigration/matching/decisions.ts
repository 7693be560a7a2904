/**
 * Decisions about records without passport, made once, here, where the persons are: above the
 * auto-link threshold a record is linked to its best candidate, between the thresholds it waits
 * for an analyst, below it is linked to nobody. An analyst's CONFIRMED or REJECTED is never
 * overturned by a later automatic run, and only a supervisor changes it. Every change is kept in
 * identity_decision_event. Police's views and immigration's read the same rows (identityLinks).
 */
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { bulkInsert, bulkUpsert } from '../../../lib/bulk';
import { ConfigError } from '../../../lib/errors';
import { groupBy } from '../../shared/loaders';
import { IdentityDecision, IdentityDecisionEvent, IdentityRecord } from '../entities/identity';
import {
  IdentityQuery,
  matchRecords,
  modelParameters,
  namesakesTogether,
  ScoredCandidate,
  scoredCandidate,
} from './matcher';
import { MatchPool, ScoredCandidates } from './parallel';

/** What is decided about a record and a candidate (GraphQL enum IdentityDecisionKind). */
export enum Decision {
  AUTO_LINKED = 'AUTO_LINKED',
  REVIEW = 'REVIEW',
  NO_MATCH = 'NO_MATCH',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}

/** Decisions an analyst made: automatic runs leave them alone. */
export const HUMAN_DECISIONS: readonly string[] = [Decision.CONFIRMED, Decision.REJECTED];
/** Decisions that link a record to the person. */
export const LINKING_DECISIONS: readonly string[] = [Decision.AUTO_LINKED, Decision.CONFIRMED];

export enum RecordKind {
  POLICE_REPORT_PARTY = 'POLICE_REPORT_PARTY',
  PRESENCE_REGISTRATION = 'PRESENCE_REGISTRATION',
}

export interface Thresholds {
  /** At or above: linked without review (IDENTITY_AUTO_LINK_PROBABILITY, default 0.99). */
  autoLink: number;
  /** At or above (and below autoLink): waits for an analyst (IDENTITY_REVIEW_PROBABILITY, default 0.2). */
  review: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { autoLink: 0.99, review: 0.2 };

/** The thresholds from the environment; a value that is not a probability, or a review above auto-link, is refused. */
export function thresholdsFromEnv(env: NodeJS.ProcessEnv = process.env): Thresholds {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!(value > 0 && value < 1)) throw new ConfigError(`${name} must be a probability between 0 and 1, got "${raw}"`);
    return value;
  };
  const thresholds = {
    autoLink: read('IDENTITY_AUTO_LINK_PROBABILITY', DEFAULT_THRESHOLDS.autoLink),
    review: read('IDENTITY_REVIEW_PROBABILITY', DEFAULT_THRESHOLDS.review),
  };
  if (thresholds.review > thresholds.autoLink)
    throw new ConfigError('IDENTITY_REVIEW_PROBABILITY must not be above IDENTITY_AUTO_LINK_PROBABILITY');
  return thresholds;
}

/**
 * What the thresholds decide for a record's candidates, best first (their probabilities share one
 * total, matcher.ts): the best is auto-linked when it clears the threshold, which leaves the
 * others too little to be worth a look (two near-equal namesakes both wait for an analyst), and
 * when its birth date agrees in full: among a million persons a name and a year are never enough
 * to link unseen. Candidates above the review threshold wait for review.
 */
export function automaticDecisions(
  candidates: readonly Pick<ScoredCandidate, 'probability' | 'linkable'>[],
  thresholds: Thresholds,
): Decision[] {
  return candidates.map(({ probability, linkable }, index) => {
    if (index === 0 && probability >= thresholds.autoLink && linkable) return Decision.AUTO_LINKED;
    return probability >= thresholds.review ? Decision.REVIEW : Decision.NO_MATCH;
  });
}

/** A record to decide about: which police record, and what it says. */
export interface RecordToLink {
  recordId: string;
  recordKind: RecordKind;
  query: IdentityQuery;
}

export interface LinkSummary {
  records: number;
  autoLinked: number;
  review: number;
  noMatch: number;
  /** Records an analyst had confirmed: left as they were. */
  decidedByAnalysts: number;
}

/** Candidates kept per record: the review queue shows up to this many. */
const CANDIDATES_KEPT = 5;
export const LINKER = 'identity-linker';

/**
 * Scores and decides records in batches, one transaction per batch: the records' snapshots, their
 * automatic decisions (old automatic rows replaced) and the events of what changed. With a pool
 * of workers (parallel.ts) batches are scored on every core, a few ahead of the one being written.
 * A batch of 1,000 records rather than 500 halves the statements per record: 20,000 of a seed's
 * records at 1,000,000 persons, alternated twice, 0.517 / 0.499 → 0.493 / 0.473 ms a record and
 * 11% less of the database's CPU, the same decisions (a record's candidates are its own).
 * Records are batched with their namesakes (namesakesTogether): a batch then reads fewer keys and
 * persons, and compares a name with a person's once. The same 20,000 records in id order and in
 * name order, alternated twice: 0.858 / 0.786 → 0.665 / 0.592 ms a record, the same decisions.
 */
export async function linkRecords(
  db: DataSource,
  records: readonly RecordToLink[],
  {
    thresholds,
    now,
    batchSize = 1000,
    pool,
  }: { thresholds: Thresholds; now: string; batchSize?: number; pool?: MatchPool | null },
): Promise<LinkSummary> {
  const summary: LinkSummary = { records: 0, autoLinked: 0, review: 0, noMatch: 0, decidedByAnalysts: 0 };
  const parameters = await modelParameters(db);
  const score = async (batch: readonly RecordToLink[]): Promise<ScoredCandidates[]> => {
    const queries = batch.map((record) => record.query);
    if (pool) return pool.match(queries, CANDIDATES_KEPT);
    return (await matchRecords(db, queries, CANDIDATES_KEPT, parameters)).map((candidates) =>
      candidates.map(scoredCandidate),
    );
  };
  const ordered = namesakesTogether(records, (record) => record.query);
  const batches: RecordToLink[][] = [];
  for (let start = 0; start < ordered.length; start += batchSize) batches.push(ordered.slice(start, start + batchSize));
  // Scoring runs ahead of writing by this many batches (one when on this thread alone).
  const ahead = pool ? 4 : 1;
  const scoring = batches.slice(0, ahead).map(score);
  for (let index = 0; index < batches.length; index++) {
    const candidates = await scoring[index];
    if (index + ahead < batches.length) scoring.push(score(batches[index + ahead]));
    await db.transaction((manager) => decideBatch(manager, batches[index], candidates, { thresholds, now, summary }));
  }
  return summary;
}

async function decideBatch(
  manager: EntityManager,
  batch: readonly RecordToLink[],
  candidates: ScoredCandidates[],
  { thresholds, now, summary }: { thresholds: Thresholds; now: string; summary: LinkSummary },
): Promise<void> {
  const ids = batch.map((record) => record.recordId);
  const existing = await manager.findBy(IdentityDecision, { recordId: In(ids) });
  const byRecord = groupBy(existing, (row) => row.recordId);
  const snapshots: IdentityRecord[] = [];
  const rows: IdentityDecision[] = [];
  const events: IdentityDecisionEvent[] = [];
  const stale: IdentityDecision[] = [];
  batch.forEach((record, index) => {
    summary.records++;
    const previous = byRecord.get(record.recordId) ?? [];
    const human = new Map(
      previous.filter((row) => HUMAN_DECISIONS.includes(row.decision)).map((row) => [row.personId, row]),
    );
    const confirmed = [...human.values()].find((row) => row.decision === Decision.CONFIRMED);
    // Rejected persons are out of the running: the next candidate may be linked instead.
    const open = candidates[index].filter((candidate) => !human.has(candidate.personId));
    const decisions = automaticDecisions(open, thresholds);
    const status = confirmed ? Decision.CONFIRMED : (decisions[0] ?? Decision.NO_MATCH);
    if (confirmed) summary.decidedByAnalysts++;
    else if (status === Decision.AUTO_LINKED) summary.autoLinked++;
    else if (status === Decision.REVIEW) summary.review++;
    else summary.noMatch++;
    snapshots.push({
      recordId: record.recordId,
      recordKind: record.recordKind,
      fullName: record.query.fullName,
      dateOfBirth: record.query.dateOfBirth,
      nationality: record.query.nationality,
      status,
      bestProbability: candidates[index][0]?.probability ?? null,
      scoredAt: now,
    });
    const automatic = new Map(
      previous.filter((row) => !HUMAN_DECISIONS.includes(row.decision)).map((row) => [row.personId, row]),
    );
    const kept = new Set<string>();
    if (!confirmed)
      open.forEach((candidate, rank) => {
        const decision = decisions[rank];
        if (decision === Decision.NO_MATCH) return;
        const personId = candidate.personId;
        kept.add(personId);
        const probability = candidate.probability;
        const before = automatic.get(personId);
        rows.push({
          recordId: record.recordId,
          personId,
          decision,
          probability,
          decidedBy: LINKER,
          decidedAt: now,
          reason: null,
        });
        if (before?.decision !== decision)
          events.push(
            event(record.recordId, personId, before?.decision ?? null, decision, probability, LINKER, now, null),
          );
      });
    for (const row of automatic.values())
      if (!kept.has(row.personId)) {
        stale.push(row);
        events.push(
          event(row.recordId, row.personId, row.decision, Decision.NO_MATCH, row.probability, LINKER, now, null),
        );
      }
  });
  for (const row of stale) await manager.delete(IdentityDecision, { recordId: row.recordId, personId: row.personId });
  await bulkUpsert(manager, IdentityRecord, snapshots);
  await bulkUpsert(manager, IdentityDecision, rows);
  await bulkInsert(manager, IdentityDecisionEvent, events);
}

export function event(
  recordId: string,
  personId: string,
  previous: string | null,
  decision: string,
  probability: number,
  decidedBy: string,
  decidedAt: string,
  reason: string | null,
): IdentityDecisionEvent {
  return { id: randomUUID(), recordId, personId, previous, decision, probability, decidedBy, decidedAt, reason };
}
