import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../shared/errors';
import { SubgraphContext } from '../../shared/subgraph';
import { Employer } from '../entities/employer';
import { WorkPermit } from '../entities/work-permit';
import { WorkPermitStatus } from '../enums';
import { ManpowerLoaders } from '../loaders';
import { workPermitStatus } from '../rules';

type Context = SubgraphContext<ManpowerLoaders>;

@Resolver(() => WorkPermit)
export class WorkPermitResolver {
  @Query(() => WorkPermit, { nullable: true })
  async workPermitByRptka(@Arg('rptkaNumber') rptkaNumber: string, @Ctx() { db }: Context) {
    const number = rptkaNumber.trim();
    if (!number || number.length > 40) throw badInput('"rptkaNumber" must be 1 to 40 characters', 'rptkaNumber');
    return db.getRepository(WorkPermit).findOneBy({ rptkaNumber: number });
  }

  @FieldResolver(() => Employer)
  employer(@Root() permit: WorkPermit, @Ctx() { loaders }: Context) {
    return loaders.employerByNib.load(permit.employerNib);
  }

  @FieldResolver(() => WorkPermitStatus)
  status(@Root() permit: WorkPermit, @Ctx() { clock }: Context) {
    return workPermitStatus(permit, clock.today());
  }
}
