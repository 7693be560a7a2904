import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { errors } from '../../lib/errors';
import { requireId } from '../shared/validation';
import { Case, CaseEvent, CaseFinding } from './entities/case';
import { Finding } from './entities/finding';
import { CaseStatus, DecisionKind } from './enums';

export interface Decision {
  kind: DecisionKind;
  legalBasis: string;
  reason?: string | null;
  amountRupiah?: number | null;
}

/**
 * Case work. Every change runs in one transaction with the event that records it, so the history
 * can never disagree with the case; a refused change writes nothing.
 */
export function openCase(
  db: DataSource,
  actor: string,
  title: string,
  findingIds: string[],
  assignee?: string | null,
): Promise<Case> {
  const name = requireText(title, 'title', 200);
  if (findingIds.length === 0) throw errors.badUserInput('A case is opened from at least one finding', 'findingIds');
  const ids = [...new Set(findingIds.map((id) => requireId(id, 'findingIds')))];
  return db.transaction(async (manager) => {
    const found = await manager.getRepository(Finding).findBy({ id: In(ids) });
    const missing = ids.filter((id) => !found.some((finding) => finding.id === id));
    if (missing.length) throw errors.badUserInput(`Unknown finding ${missing.join(', ')}`, 'findingIds');
    const now = new Date().toISOString();
    const created = await manager.getRepository(Case).save({
      id: randomUUID(),
      title: name,
      status: CaseStatus.OPEN,
      assignee: assignee ? requireText(assignee, 'assignee', 100) : null,
      openedBy: actor,
      openedAt: now,
      decision: null,
      decisionAmountRupiah: null,
      decisionLegalBasis: null,
      decisionReason: null,
    });
    await manager.getRepository(CaseFinding).insert(ids.map((findingId) => ({ caseId: created.id, findingId })));
    await recordEvent(
      manager,
      created.id,
      actor,
      'OPENED',
      `Opened from ${ids.length} finding(s): ${found.map((f) => f.kind).join(', ')}`,
    );
    if (created.assignee) await recordEvent(manager, created.id, actor, 'ASSIGNED', created.assignee);
    return created;
  });
}

export function assignCase(db: DataSource, actor: string, caseId: string, assignee: string): Promise<Case> {
  const who = requireText(assignee, 'assignee', 100);
  return change(db, caseId, [CaseStatus.OPEN, CaseStatus.DECIDED], 'assign', async (manager, item) => {
    item.assignee = who;
    await recordEvent(manager, item.id, actor, 'ASSIGNED', who);
  });
}

export function addNote(db: DataSource, actor: string, caseId: string, text: string): Promise<Case> {
  const note = requireText(text, 'text', 10_000);
  return change(db, caseId, [CaseStatus.OPEN, CaseStatus.DECIDED], 'add a note to', async (manager, item) => {
    await recordEvent(manager, item.id, actor, 'NOTE_ADDED', note);
  });
}

export function decideCase(db: DataSource, actor: string, caseId: string, decision: Decision): Promise<Case> {
  const legalBasis = requireText(decision.legalBasis, 'legalBasis', 200);
  if (decision.kind === DecisionKind.CHARGE) {
    if (!Number.isInteger(decision.amountRupiah) || decision.amountRupiah! <= 0)
      throw errors.badUserInput('A CHARGE needs a positive amountRupiah', 'amountRupiah');
  } else if (decision.amountRupiah != null) {
    throw errors.badUserInput(`A ${decision.kind} decision has no amount`, 'amountRupiah');
  }
  return change(db, caseId, [CaseStatus.OPEN], 'decide', async (manager, item) => {
    Object.assign(item, {
      status: CaseStatus.DECIDED,
      decision: decision.kind,
      decisionAmountRupiah: decision.amountRupiah ?? null,
      decisionLegalBasis: legalBasis,
      decisionReason: decision.reason ?? null,
    });
    const amount = decision.amountRupiah ? `, Rp${decision.amountRupiah}` : '';
    await recordEvent(
      manager,
      item.id,
      actor,
      'DECIDED',
      `${decision.kind}${amount} (${legalBasis})${decision.reason ? `: ${decision.reason}` : ''}`,
    );
  });
}

export function closeCase(db: DataSource, actor: string, caseId: string): Promise<Case> {
  return change(db, caseId, [CaseStatus.DECIDED], 'close', async (manager, item) => {
    item.status = CaseStatus.CLOSED;
    await recordEvent(manager, item.id, actor, 'CLOSED', 'Closed');
  });
}

/** Loads the case under a write lock, checks the transition is allowed, applies it and saves. */
async function change(
  db: DataSource,
  caseId: string,
  allowedFrom: CaseStatus[],
  verb: string,
  apply: (manager: EntityManager, item: Case) => Promise<void>,
): Promise<Case> {
  const id = requireId(caseId, 'caseId');
  return db.transaction(async (manager) => {
    const item = await manager.getRepository(Case).findOneBy({ id });
    if (!item) throw errors.badUserInput(`No case ${id}`, 'caseId');
    if (!allowedFrom.includes(item.status)) {
      throw errors.invalidTransition(`Cannot ${verb} a case that is ${item.status}`, item.status);
    }
    await apply(manager, item);
    return manager.getRepository(Case).save(item);
  });
}

async function recordEvent(manager: EntityManager, caseId: string, actor: string, action: string, details: string) {
  const events = manager.getRepository(CaseEvent);
  const sequence = (await events.countBy({ caseId })) + 1;
  await events.insert({ id: randomUUID(), caseId, sequence, at: new Date().toISOString(), actor, action, details });
}

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (!text || text.length > max) throw errors.badUserInput(`"${field}" must be 1 to ${max} characters`, field);
  return text;
}
