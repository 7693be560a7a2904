import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import { READERS } from '../../shared/access';
import { passportKey } from '../../shared/match-keys';
import { loadUnion } from '../../shared/loaders';
import { LocalDateResolver } from '../../shared/scalars';
import { requireNib } from '../../shared/validation';
import { errors } from '../../../lib/errors';
import { SubgraphContext } from '../../shared/subgraph';
import { Employer } from '../entities/employer';
import { WorkPermit } from '../entities/work-permit';
import { RecordedWorkPermitStatus, Sector, WorkPermitStatus } from '../enums';
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

@InputType()
export class WorkerFilter {
  @Field({ nullable: true })
  employerNib?: string;

  @Field(() => Sector, { nullable: true })
  sector?: Sector;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Active on this day; default today.' })
  asOf?: string;
}

@Resolver()
export class WorkerPassportsResolver {
  @Query(() => [String], {
    description:
      'Passport match keys on the active RPTKAs of an employer or a sector: how immigration filters its search by employment.',
  })
  @Directive('@inaccessible')
  @Authorized(READERS.employment)
  async workerPassportKeys(@Arg('filter') filter: WorkerFilter, @Ctx() { db, clock }: Context): Promise<string[]> {
    if (!filter.employerNib && !filter.sector) throw errors.badUserInput('Give an employerNib or a sector', 'filter');
    const date = filter.asOf ?? clock.today();
    const query = db
      .getRepository(WorkPermit)
      .createQueryBuilder('permit')
      .select(['permit.workerPassportNumber AS number', 'permit.workerPassportCountry AS country'])
      .distinct(true)
      .where('permit.recordedStatus = :status AND permit.validFrom <= :date AND permit.validUntil >= :date', {
        status: RecordedWorkPermitStatus.ACTIVE,
        date,
      });
    if (filter.employerNib)
      query.andWhere('permit.employerNib = :nib', { nib: requireNib(filter.employerNib, 'employerNib') });
    if (filter.sector)
      query
        .innerJoin(Employer, 'employer', 'employer.nib = permit.employerNib')
        .andWhere('employer.sector = :sector', { sector: filter.sector });
    const rows = await query.getRawMany<{ number: string; country: string }>();
    return rows.map((row) => passportKey(row.country, row.number));
  }

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
