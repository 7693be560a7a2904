/**
 * Candidates as the API shows them: the best-scored persons of a record with what is decided
 * about each (a stored decision wins; otherwise what the thresholds would decide), and the persons
 * an analyst decided about always among them.
 */
import { DataSource } from 'typeorm';
import { findIn } from '../../../lib/database';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityDecision, IdentityRecord } from '../entities/identity';
import { automaticDecisions, Decision, thresholdsFromEnv } from './decisions';
import { Candidate, IdentityQuery, matchRecords, scoredCandidate } from './matcher';

export interface CandidateRequest {
  /** The police record's id, when the record is one (its stored decisions apply). */
  recordId: string | null;
  query: IdentityQuery;
  first: number;
}

export interface DecidedCandidate extends Candidate {
  /** The whole person, as the API shows them (scoring read only what it compares). */
  person: ForeignNational;
  decision: Decision;
  decided: IdentityDecision | null;
}

export async function candidatesFor(
  db: DataSource,
  requests: readonly CandidateRequest[],
): Promise<DecidedCandidate[][]> {
  const thresholds = thresholdsFromEnv();
  const recordIds = requests.flatMap((request) => (request.recordId ? [request.recordId] : []));
  const [stored, scored] = await Promise.all([
    findIn(db, IdentityDecision, 'recordId', recordIds),
    findIn(db, IdentityRecord, 'recordId', recordIds).then((rows) => new Set(rows.map((row) => row.recordId))),
  ]);
  const decidedOf = (recordId: string | null) => stored.filter((row) => row.recordId === recordId);
  const first = Math.max(...requests.map((request) => request.first));
  const found = await matchRecords(
    db,
    requests.map((request) => request.query),
    first,
    undefined,
    requests.map((request) => decidedOf(request.recordId).map((row) => row.personId)),
  );
  // matchRecords gave the best `first` of each and the decided ones: few persons, read whole.
  const ids = [...new Set(found.flat().map((candidate) => candidate.person.id))];
  const persons = new Map((await findIn(db, ForeignNational, 'id', ids)).map((person) => [person.id, person]));
  return requests.map((request, index) => {
    const decided = new Map(decidedOf(request.recordId).map((row) => [row.personId, row]));
    const list = found[index];
    const automatic = automaticDecisions(list.map(scoredCandidate), thresholds);
    return list
      .map((candidate, rank) => {
        const row = decided.get(candidate.person.id) ?? null;
        // A record already scored keeps what was decided then: whoever holds no row was not a match.
        const undecided = request.recordId && scored.has(request.recordId) ? Decision.NO_MATCH : automatic[rank];
        const decision = row ? (row.decision as Decision) : undecided;
        return { ...candidate, person: persons.get(candidate.person.id)!, decision, decided: row };
      })
      .filter((candidate, rank) => rank < request.first || candidate.decided);
  });
}
