/**
 * An analyst's decision about a record and a candidate: confirmed or rejected, with who, when and
 * why, in one transaction with its history. An analyst's decision stands against every later
 * automatic run; changing it (or confirming someone else for the record) takes a supervisor.
 */
import { DataSource, EntityManager } from 'typeorm';
import { Identity } from '../../../lib/auth';
import { errors } from '../../../lib/errors';
import { READERS } from '../../shared/access';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityDecision, IdentityDecisionEvent, IdentityRecord } from '../entities/identity';
import { Decision, event, HUMAN_DECISIONS } from './decisions';
import { matchRecords, policeRecordQuery } from './matcher';

export type DecisionChange = Decision.CONFIRMED | Decision.REJECTED;

export interface DecisionRequest {
  recordId: string;
  personId: string;
  reason: string;
  decision: DecisionChange;
}

export async function decide(db: DataSource, identity: Identity, request: DecisionRequest): Promise<IdentityRecord> {
  const reason = request.reason.trim();
  if (reason.length === 0 || reason.length > 1000)
    throw errors.badUserInput('"reason" must say why, in 1 to 1000 characters', 'reason');
  const record = await db.getRepository(IdentityRecord).findOneBy({ recordId: request.recordId });
  if (!record)
    throw errors.badUserInput(
      `No record ${request.recordId} has been scored (police records without passport are, when imported)`,
      'recordId',
    );
  const exists = await db.getRepository(ForeignNational).exists({ where: { id: request.personId } });
  if (!exists) throw errors.badUserInput(`No foreign national ${request.personId}`, 'foreignNationalId');
  const [scored] = await matchRecords(db, [policeRecordQuery(record)], 1, undefined, [[request.personId]]);
  const probability = scored.find((candidate) => candidate.person.id === request.personId)?.probability ?? 0;
  return db.transaction((manager) => write(manager, identity, record, { ...request, reason }, probability));
}

async function write(
  manager: EntityManager,
  identity: Identity,
  record: IdentityRecord,
  request: DecisionRequest,
  probability: number,
): Promise<IdentityRecord> {
  const rows = await manager.findBy(IdentityDecision, { recordId: record.recordId });
  const own = rows.find((row) => row.personId === request.personId);
  if (own?.decision === request.decision) return record;
  const otherConfirmed =
    request.decision === Decision.CONFIRMED
      ? rows.filter((row) => row.personId !== request.personId && row.decision === Decision.CONFIRMED)
      : [];
  const overturns = [...(own && HUMAN_DECISIONS.includes(own.decision) ? [own] : []), ...otherConfirmed];
  const supervisor = identity.roles.some((role) => READERS.identityOverride.includes(role as never));
  if (overturns.length > 0 && !supervisor)
    throw errors.forbidden(
      `Record ${record.recordId} was already decided by ${overturns[0].decidedBy} (${overturns[0].decision}); only a supervisor changes an analyst's decision`,
    );
  const now = new Date().toISOString();
  const events: IdentityDecisionEvent[] = [];
  const change = (row: IdentityDecision | undefined, personId: string, decision: string, at: number) => {
    events.push(
      event(record.recordId, personId, row?.decision ?? null, decision, at, identity.subject, now, request.reason),
    );
    return {
      recordId: record.recordId,
      personId,
      decision,
      probability: at,
      decidedBy: identity.subject,
      decidedAt: now,
      reason: request.reason,
    };
  };
  const written = [change(own, request.personId, request.decision, probability)];
  // Confirming one person settles the record: a confirmed other is rejected, automatic candidates go.
  for (const row of otherConfirmed) written.push(change(row, row.personId, Decision.REJECTED, row.probability));
  if (request.decision === Decision.CONFIRMED)
    for (const row of rows.filter(
      (each) => each.personId !== request.personId && !HUMAN_DECISIONS.includes(each.decision),
    )) {
      events.push(
        event(
          record.recordId,
          row.personId,
          row.decision,
          Decision.NO_MATCH,
          row.probability,
          identity.subject,
          now,
          request.reason,
        ),
      );
      await manager.delete(IdentityDecision, { recordId: row.recordId, personId: row.personId });
    }
  await manager.upsert(IdentityDecision, written, ['recordId', 'personId']);
  await manager.insert(IdentityDecisionEvent, events);
  const remaining = await manager.findBy(IdentityDecision, { recordId: record.recordId });
  const status = [Decision.CONFIRMED, Decision.AUTO_LINKED, Decision.REVIEW].find((decision) =>
    remaining.some((row) => row.decision === decision),
  );
  record.status = status ?? Decision.NO_MATCH;
  await manager.save(IdentityRecord, record);
  return record;
}
