import { DataSource } from 'typeorm';
import { findIn } from '../../lib/database';
import { manyByKey, oneByKey } from '../shared/loaders';
import { passportKey } from '../shared/match-keys';
import { Employer } from './entities/employer';
import { WorkPermit } from './entities/work-permit';

export function createManpowerLoaders(db: DataSource) {
  return {
    employerByNib: oneByKey<string, Employer>(
      (nibs) => findIn(db, Employer, 'nib', nibs),
      (employer) => employer.nib,
    ),
    workPermitById: oneByKey<string, WorkPermit>(
      (ids) => findIn(db, WorkPermit, 'id', ids),
      (permit) => permit.id,
    ),
    /** Passport key ("CHN:E123") to the work permits filed under that passport. */
    workPermitsByPassport: manyByKey<string, WorkPermit>(
      (keys) =>
        findIn(
          db,
          WorkPermit,
          'workerPassportNumber',
          keys.map((key) => passportKey.decode(key).number),
        ),
      (permit) => passportKey(permit.workerPassportCountry, permit.workerPassportNumber),
    ),
    workPermitsByEmployer: manyByKey<string, WorkPermit>(
      (nibs) => findIn(db, WorkPermit, 'employerNib', nibs),
      (permit) => permit.employerNib,
    ),
  };
}

export type ManpowerLoaders = ReturnType<typeof createManpowerLoaders>;
