import { Arg, Authorized, Ctx, Directive, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { READERS } from '../../shared/access';
import { passportKey } from '../../shared/match-keys';
import { loadUnion } from '../../shared/loaders';
import { errors } from '../../../lib/errors';
import { SubgraphContext } from '../../shared/subgraph';
import { Employer } from '../entities/employer';
import { WorkPermit } from '../entities/work-permit';
import { WorkPermitStatus } from '../enums';
import { ManpowerLoaders } from '../loaders';
import { workPermitStatus } from '../rules';

type Context = SubgraphContext<ManpowerLoaders>;

@Authorized(READERS.employment)
@Resolver(() => WorkPermit)
export class WorkPermitResolver {
  @Query(() => WorkPermit, { nullable: true })
  async workPermitByRptka(@Arg('rptkaNumber') rptkaNumber: string, @Ctx() { db }: Context) {
    const number = rptkaNumber.trim();
    if (!number || number.length > 40)
      throw errors.badUserInput('"rptkaNumber" must be 1 to 40 characters', 'rptkaNumber');
    return db.getRepository(WorkPermit).findOneBy({ rptkaNumber: number });
  }

  @FieldResolver(() => Employer)
  employer(@Root() permit: WorkPermit, @Ctx() { loaders }: Context) {
    return loaders.employerByNib.load(permit.employerNib);
  }

  @FieldResolver(() => String, { description: 'Match key of the passport on the RPTKA (shared/loaders.ts).' })
  @Directive('@inaccessible')
  workerPassportKey(@Root() permit: WorkPermit) {
    return passportKey(permit.workerPassportCountry, permit.workerPassportNumber);
  }

  @FieldResolver(() => WorkPermitStatus)
  status(@Root() permit: WorkPermit, @Ctx() { clock }: Context) {
    return workPermitStatus(permit, clock.today());
  }
}

@Resolver()
export class WorkerPassportsResolver {
  @Query(() => [Employer], {
    description:
      'The employers on any RPTKA filed under these passports (any status), each once: how immigration links co-workers ' +
      '(with `workPermits { workerPassportKey }` every worker once per employer, not once per person asking).',
  })
  @Directive('@inaccessible')
  @Authorized(READERS.employment)
  async employersOfWorkers(
    @Arg('workerPassportKeys', () => [String]) keys: string[],
    @Ctx() { loaders }: Context,
  ): Promise<Employer[]> {
    const permits = await loadUnion(loaders.workPermitsByPassport, keys, (permit) => permit.id);
    const employers = await loaders.employerByNib.loadMany([...new Set(permits.map((permit) => permit.employerNib))]);
    const failed = employers.find((employer) => employer instanceof Error);
    if (failed) throw failed;
    return employers.filter((employer): employer is Employer => employer !== null);
  }
}
