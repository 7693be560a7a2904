import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { errors } from '../../lib/errors';
import { requireId } from '../shared/validation';
import { Case, CaseEvent, CaseFinding } from './entities/case';
import { Finding } from './entities/finding';
import { CaseStatus, DecisionKind, SETTLED_AS } from './enums';
import { rupiah } from './rules/view';

export interface Decision {
  kind: DecisionKind;
  legalBasis: string;
  reason?: string | null;
  amountRupiah?: number | null;
}

/**
 * Case work. Every change runs in one transaction with the event that records it, so the history
 * can never disagree with the case; a refused change writes nothing. A finding is in at most one
 * case that is not yet closed (Finding.currentCaseId); closing the case settles its findings as
 * its decision says (SETTLED_AS) and frees them.
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
    const held = found.find((finding) => finding.currentCaseId);
    if (held) throw await conflict(manager, held);
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
    await claim(manager, created.id, ids);
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
  const reason = decision.reason == null ? null : requireText(decision.reason, 'reason', 2000);
  if (decision.kind === DecisionKind.CHARGE) {
    if (!Number.isInteger(decision.amountRupiah) || decision.amountRupiah! <= 0)
      throw errors.badUserInput('A CHARGE needs a positive amountRupiah', 'amountRupiah');
  } else if (decision.amountRupiah != null) {
    throw errors.badUserInput(`A ${decision.kind} decision has no amount`, 'amountRupiah');
  }
  return change(db, caseId, [CaseStatus.OPEN], 'decide', async (manager, item) => {
    const charge =
      decision.kind === DecisionKind.CHARGE ? await chargeAgainstComputed(manager, item, decision, reason) : '';
    Object.assign(item, {
      status: CaseStatus.DECIDED,
      decision: decision.kind,
      decisionAmountRupiah: decision.amountRupiah ?? null,
      decisionLegalBasis: legalBasis,
      decisionReason: reason,
    });
    await recordEvent(
      manager,
      item.id,
      actor,
      'DECIDED',
      `${decision.kind}${charge} (${legalBasis})${reason ? `: ${reason}` : ''}`,
    );
  });
}

/**
 * A charge other than the one the findings compute (the overstay charge of art. 78, Case.computedChargeRupiah)
 * needs its reason: the history then shows both amounts and why they differ.
 */
async function chargeAgainstComputed(
  manager: EntityManager,
  item: Case,
  decision: Decision,
  reason: string | null,
): Promise<string> {
  const computed = computedCharge(await findingsOf(manager, item.id));
  const amount = decision.amountRupiah!;
  if (amount === computed) return `, ${rupiah(amount)} (the computed charge)`;
  const expected = computed == null ? 'the findings compute no charge' : `the computed charge is ${rupiah(computed)}`;
  if (!reason) throw errors.badUserInput(`A charge of ${rupiah(amount)} where ${expected} needs a reason`, 'reason');
  return `, ${rupiah(amount)} where ${expected}`;
}

/** The charge the findings compute (overstays up to 60 days), summed; null when none computes one. */
export function computedCharge(findings: Pick<Finding, 'chargeRupiah'>[]): number | null {
  const charges = findings.map((finding) => finding.chargeRupiah).filter((charge): charge is number => charge != null);
  return charges.length ? charges.reduce((sum, charge) => sum + charge, 0) : null;
}

export function closeCase(db: DataSource, actor: string, caseId: string): Promise<Case> {
  return change(db, caseId, [CaseStatus.DECIDED], 'close', async (manager, item) => {
    item.status = CaseStatus.CLOSED;
    const settled = await settleFindings(manager, item);
    await recordEvent(manager, item.id, actor, 'CLOSED', `Closed; ${settled.count} finding(s) ${settled.as}`);
  });
}

/** The case's findings take the outcome of its decision and are free for another case. */
async function settleFindings(manager: EntityManager, item: Case) {
  const as = SETTLED_AS[item.decision!];
  const { affected } = await manager
    .createQueryBuilder()
    .update(Finding)
    .set({ status: as, closedAt: new Date().toISOString(), currentCaseId: null })
    .where('currentCaseId = :caseId', { caseId: item.id })
    .execute();
  return { as, count: affected ?? 0 };
}

/**
 * Marks the findings as held by the case, only where no other case holds them: the condition is
 * checked again by the database, so two cases racing for one finding cannot both win.
 */
async function claim(manager: EntityManager, caseId: string, findingIds: string[]) {
  const { affected } = await manager
    .createQueryBuilder()
    .update(Finding)
    .set({ currentCaseId: caseId })
    .where('id IN (:...findingIds) AND currentCaseId IS NULL', { findingIds })
    .execute();
  if (affected === findingIds.length) return;
  const held = await manager.getRepository(Finding).findBy({ id: In(findingIds) });
  throw await conflict(
    manager,
    held.find((finding) => finding.currentCaseId && finding.currentCaseId !== caseId)!,
  );
}

async function conflict(manager: EntityManager, held: Finding) {
  const holder = await manager.getRepository(Case).findOneBy({ id: held.currentCaseId! });
  return errors.conflict(
    `Finding ${held.id} is already in case ${held.currentCaseId} ("${holder?.title}", ${holder?.status}); ` +
      'a finding is in one case at a time until that case is closed',
    { caseId: held.currentCaseId!, findingId: held.id },
  );
}

function findingsOf(manager: EntityManager, caseId: string): Promise<Finding[]> {
  return manager
    .getRepository(Finding)
    .createQueryBuilder('finding')
    .innerJoin(CaseFinding, 'link', 'link.findingId = finding.id')
    .where('link.caseId = :caseId', { caseId })
    .getMany();
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
