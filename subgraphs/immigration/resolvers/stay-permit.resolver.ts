import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { SubgraphContext } from '../../shared/subgraph';
import { PermitStatus } from '../enums';
import { StayPermit } from '../entities/stay-permit';
import { Employer } from '../external';
import { permitStatus } from '../rules';

@Resolver(() => StayPermit)
export class StayPermitResolver {
  @FieldResolver(() => PermitStatus)
  status(@Root() permit: StayPermit, @Ctx() { clock }: SubgraphContext) {
    return permitStatus(permit, clock.today());
  }

  @FieldResolver(() => Employer, {
    nullable: true,
    description: 'The sponsoring employer, when the sponsor is a company.',
  })
  sponsor(@Root() permit: StayPermit): Pick<Employer, 'nib'> | null {
    return permit.sponsorNib ? { nib: permit.sponsorNib } : null;
  }
}
