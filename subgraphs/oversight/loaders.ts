import { DataSource, In } from 'typeorm';
import { manyByKey, oneByKey } from '../shared/loaders';
import { Case, CaseEvent, CaseFinding } from './entities/case';
import { Finding } from './entities/finding';

export function createOversightLoaders(db: DataSource) {
  return {
    findingsByPerson: manyByKey<string, Finding>(
      (ids) => db.getRepository(Finding).findBy({ personId: In(ids) }),
      (finding) => finding.personId,
    ),
    caseById: oneByKey<string, Case>(
      (ids) => db.getRepository(Case).findBy({ id: In(ids) }),
      (item) => item.id,
    ),
    findingsByCase: manyByKey<string, Finding & { caseId: string }>(
      async (caseIds) => {
        const links = await db.getRepository(CaseFinding).findBy({ caseId: In(caseIds) });
        return joinLinks(
          links,
          await byIds(
            db,
            Finding,
            links.map((link) => link.findingId),
          ),
          'findingId',
          'caseId',
        );
      },
      (finding) => finding.caseId,
    ),
    casesByFinding: manyByKey<string, Case & { findingId: string }>(
      async (findingIds) => {
        const links = await db.getRepository(CaseFinding).findBy({ findingId: In(findingIds) });
        const cases = joinLinks(
          links,
          await byIds(
            db,
            Case,
            links.map((link) => link.caseId),
          ),
          'caseId',
          'findingId',
        );
        return cases.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
      },
      (item) => item.findingId,
    ),
    caseMilestonesByPerson: manyByKey<string, CaseMilestone>(
      (personIds) =>
        db
          .createQueryBuilder(CaseEvent, 'event')
          .innerJoin(Case, 'item', 'item.id = event.caseId')
          .innerJoin(CaseFinding, 'link', 'link.caseId = item.id')
          .innerJoin(Finding, 'finding', 'finding.id = link.findingId')
          .select('finding.personId', 'personId')
          .addSelect('event.id', 'eventId')
          .addSelect('event.caseId', 'caseId')
          .addSelect('item.title', 'title')
          .addSelect('event.at', 'at')
          .addSelect('event.action', 'action')
          .addSelect('event.details', 'details')
          .where('finding.personId IN (:...personIds)', { personIds })
          .andWhere('event.action IN (:...actions)', { actions: CASE_MILESTONES })
          .distinct(true)
          .getRawMany<CaseMilestone>(),
      (milestone) => milestone.personId,
    ),
    eventsByCase: manyByKey<string, CaseEvent>(
      (caseIds) => db.getRepository(CaseEvent).find({ where: { caseId: In(caseIds) }, order: { sequence: 'ASC' } }),
      (event) => event.caseId,
    ),
  };
}

/** The case events a person's timeline shows; notes and assignments stay in the case. */
export const CASE_MILESTONES = ['OPENED', 'DECIDED', 'CLOSED'];

/** One milestone of a case opened on one of a person's findings. */
export interface CaseMilestone {
  personId: string;
  eventId: string;
  caseId: string;
  title: string;
  at: string;
  action: string;
  details: string;
}

const byIds = <T extends { id: string }>(db: DataSource, entity: new () => T, ids: string[]): Promise<T[]> =>
  ids.length ? db.getRepository(entity).findBy({ id: In([...new Set(ids)]) } as never) : Promise.resolve([]);

/**
 * One copy of the linked row per link, tagged with the other end's id: a finding in two cases of
 * one batch comes back for each (a join through TypeORM's entity mapping would merge them).
 */
function joinLinks<T extends { id: string }, K extends 'caseId' | 'findingId'>(
  links: CaseFinding[],
  rows: T[],
  rowKey: keyof CaseFinding,
  tag: K,
): (T & Record<K, string>)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return links.flatMap((link) => {
    const row = byId.get(link[rowKey]);
    return row ? [{ ...row, [tag]: link[tag] } as T & Record<K, string>] : [];
  });
}

export type OversightLoaders = ReturnType<typeof createOversightLoaders>;
