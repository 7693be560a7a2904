import { DataSource, In } from 'typeorm';
import { manyByKey } from '../shared/loaders';
import { Finding } from './entities/finding';

export function createOversightLoaders(db: DataSource) {
  return {
    findingsByPerson: manyByKey<string, Finding>((ids) => db.getRepository(Finding).findBy({ personId: In(ids) }), (finding) => finding.personId),
  };
}

export type OversightLoaders = ReturnType<typeof createOversightLoaders>;
