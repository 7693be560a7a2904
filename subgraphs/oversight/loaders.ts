import { DataSource, In } from 'typeorm';
import { findIn } from '../../lib/database';
import { manyByKey, oneByKey } from '../shared/loaders';
import { Case, CaseEvent, CaseFinding } from './entities/case';
import { Finding } from './entities/finding';

export function createOversightLoaders(db: DataSource) {
  return {
    findingsByPerson: manyByKey<string, Finding>(
      (ids) => findIn(db, Finding, 'personId', ids),
      (finding) => finding.personId,
    ),
    caseById: oneByKey<string, Case>(
      (ids) => findIn(db, Case, 'id', ids),
      (item) => item.id,
    ),
    findingsByCase: manyByKey<string, Finding & { caseId: string }>(
      (caseIds) => acrossLinks(db, 'caseId', caseIds, Finding),
      (finding) => finding.caseId,
    ),
    casesByFinding: manyByKey<string, Case & { findingId: string }>(
      async (findingIds) =>
        (await acrossLinks(db, 'findingId', findingIds, Case)).sort((a, b) => a.openedAt.localeCompare(b.openedAt)),
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

type LinkEnd = 'caseId' | 'findingId';

/**
 * The rows at the other end of the case–finding links of `keys` (cases of findings, findings of
 * cases): one copy per link, tagged with the key it was asked by, so a finding in two cases of one
 * batch comes back for each (a join through TypeORM's entity mapping would merge them).
 */
async function acrossLinks<T extends { id: string }, K extends LinkEnd>(
  db: DataSource,
  asked: K,
  keys: string[],
  entity: new () => T,
): Promise<(T & Record<K, string>)[]> {
  const other: LinkEnd = asked === 'caseId' ? 'findingId' : 'caseId';
  const links = await findIn(db, CaseFinding, asked, keys);
  const rows = await findIn(db, entity, 'id', [...new Set(links.map((link) => link[other]))]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return links.flatMap((link) => {
    const row = byId.get(link[other]);
    return row ? [{ ...row, [asked]: link[asked] } as T & Record<K, string>] : [];
  });
}

export type OversightLoaders = ReturnType<typeof createOversightLoaders>;
