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
      (caseIds) =>
        db
          .getRepository(Finding)
          .createQueryBuilder('finding')
          .innerJoin(CaseFinding, 'link', 'link.findingId = finding.id')
          .addSelect('link.caseId', 'caseId')
          .where('link.caseId IN (:...caseIds)', { caseIds })
          .getRawAndEntities()
          .then(({ raw, entities }) =>
            entities.map((finding, index) => Object.assign(finding, { caseId: raw[index].caseId as string })),
          ),
      (finding) => finding.caseId,
    ),
    eventsByCase: manyByKey<string, CaseEvent>(
      (caseIds) => db.getRepository(CaseEvent).find({ where: { caseId: In(caseIds) }, order: { sequence: 'ASC' } }),
      (event) => event.caseId,
    ),
  };
}

export type OversightLoaders = ReturnType<typeof createOversightLoaders>;
