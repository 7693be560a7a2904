import { READERS } from '../../shared/access';
import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadUnion } from '../../shared/loaders';
import { SubgraphContext } from '../../shared/subgraph';
import { Employer } from '../entities/employer';
import { WorkPermit } from '../entities/work-permit';
import { WorkPermitStatus } from '../enums';
import { ForeignNational } from '../external';
import { ManpowerLoaders } from '../loaders';
import { workPermitStatus } from '../rules';

type Context = SubgraphContext<ManpowerLoaders>;

const PASSPORTS = '@requires(fields: "passportKeys")';

@Authorized(READERS.employment)
@Resolver(() => ForeignNational)
export class ForeignNationalWorkResolver {
  @FieldResolver(() => [WorkPermit], {
    nullable: true,
    description: 'Work authorisations (RPTKA) filed under any passport of the person, newest first.',
  })
  @Directive(PASSPORTS)
  workPermits(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    return workPermitsOf(person, loaders);
  }

  @FieldResolver(() => Employer, {
    nullable: true,
    description: 'Employer on the active work authorisation that started last.',
  })
  @Directive(PASSPORTS)
  async currentEmployer(@Root() person: ForeignNational, @Ctx() { loaders, clock }: Context) {
    const active = (await workPermitsOf(person, loaders)).filter(
      (permit) => workPermitStatus(permit, clock.today()) === WorkPermitStatus.ACTIVE,
    );
    return active.length ? loaders.employerByNib.load(active[0].employerNib) : null;
  }
}

async function workPermitsOf(person: ForeignNational, loaders: ManpowerLoaders): Promise<WorkPermit[]> {
  const permits = await loadUnion(loaders.workPermitsByPassport, person.passportKeys ?? [], (permit) => permit.id);
  return permits.sort((a, b) => b.validFrom.localeCompare(a.validFrom));
}
