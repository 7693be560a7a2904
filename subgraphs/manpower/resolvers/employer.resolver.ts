import { READERS } from '../../shared/access';
import { Authorized, Arg, Ctx, Field, FieldResolver, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Connection, keysetPage } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { requireNib } from '../../shared/validation';
import { matchRegency, RegencySource, whereRegency } from '../../shared/geography';
import { Employer } from '../entities/employer';
import { WorkPermit } from '../entities/work-permit';
import { Sector } from '../enums';
import { ManpowerLoaders } from '../loaders';

type Context = SubgraphContext<ManpowerLoaders>;

@InputType()
export class EmployerFilter {
  @Field(() => Sector, { nullable: true })
  sector?: Sector;

  @Field({
    nullable: true,
    description:
      "The employer's regency; case, accents and extra spaces are ignored. A regency neither in the Kalbar list " +
      'nor of any employer is BAD_USER_INPUT, naming the known ones.',
  })
  regency?: string;
}

/** Where manpower records regencies, for matching regency arguments: the employer's (indexed). */
export const EMPLOYER_REGENCIES: RegencySource<Employer> = { entity: Employer, property: 'regency' };

const EmployerConnection = Connection(Employer, 'Employer');

@Resolver(() => Employer)
export class EmployerResolver {
  @Query(() => Employer, { nullable: true })
  employer(@Arg('nib') nib: string, @Ctx() { loaders }: Context) {
    return loaders.employerByNib.load(requireNib(nib));
  }

  @Query(() => EmployerConnection, {
    nullable: true,
    description: 'Employers in NIB order.',
  })
  async employers(
    @Arg('filter', () => EmployerFilter, { nullable: true }) filter: EmployerFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const query = db.getRepository(Employer).createQueryBuilder('employer');
    if (filter?.sector) query.andWhere('employer.sector = :sector', { sector: filter.sector });
    const regency = await matchRegency(db, filter?.regency, EMPLOYER_REGENCIES);
    whereRegency(query, 'employer.regency', regency);
    return keysetPage(query, { alias: 'employer', sortBy: 'nib', tieBreaker: 'nib' }, first, after);
  }

  @FieldResolver(() => [WorkPermit], {
    nullable: true,
    description: "The employer's work authorisations, newest first.",
  })
  @Authorized(READERS.employment)
  async workPermits(@Root() employer: Employer, @Ctx() { loaders }: Context) {
    const permits = await loaders.workPermitsByEmployer.load(employer.nib);
    return [...permits].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  }
}
