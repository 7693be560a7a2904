import { DataSource, In } from 'typeorm';
import { manyByKey, oneByKey } from '../shared/loaders';
import { passportKey } from '../shared/match-keys';
import { Employer } from './entities/employer';
import { WorkPermit } from './entities/work-permit';

export function createManpowerLoaders(db: DataSource) {
  return {
    employerByNib: oneByKey<string, Employer>(
      (nibs) => db.getRepository(Employer).findBy({ nib: In(nibs) }),
      (employer) => employer.nib,
    ),
    workPermitById: oneByKey<string, WorkPermit>(
      (ids) => db.getRepository(WorkPermit).findBy({ id: In(ids) }),
      (permit) => permit.id,
    ),
    /** Passport key ("CHN:E123") to the work permits filed under that passport. */
    workPermitsByPassport: manyByKey<string, WorkPermit>(
      (keys) =>
        db
          .getRepository(WorkPermit)
          .findBy({ workerPassportNumber: In(keys.map((key) => passportKey.decode(key).number)) }),
      (permit) => passportKey(permit.workerPassportCountry, permit.workerPassportNumber),
    ),
    workPermitsByEmployer: manyByKey<string, WorkPermit>(
      (nibs) => db.getRepository(WorkPermit).findBy({ employerNib: In(nibs) }),
      (permit) => permit.employerNib,
    ),
  };
}

export type ManpowerLoaders = ReturnType<typeof createManpowerLoaders>;
