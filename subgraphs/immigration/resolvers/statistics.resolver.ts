import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { SubgraphContext } from '../../shared/subgraph';
import { countBy, CountByKey, countDistinct } from '../../shared/statistics';
import { regencyArgument } from '../../shared/validation';
import { RecordedPermitStatus } from '../enums';
import { StayPermit } from '../entities/stay-permit';
import { ForeignNational } from '../entities/foreign-national';

@ObjectType({ description: 'Foreigners holding an active stay permit on a date, counted per person.' })
export class PermitStatistics {
  @Field(() => LocalDateResolver)
  asOf: string;

  @Field(() => String, { nullable: true, description: 'The regency counted, or null for all.' })
  regency: string | null;

  @Field(() => Int)
  total: number;

  @Field(() => [CountByKey], { description: 'By StayPermitKind (VISIT, LIMITED, PERMANENT…).' })
  byKind: CountByKey[];

  @Field(() => [CountByKey], { description: 'By nationality (ISO 3166-1 alpha-3), largest first.' })
  byNationality: CountByKey[];

  @Field(() => [CountByKey], { description: 'By domicile regency, largest first.' })
  byRegency: CountByKey[];

  @Field(() => [CountByKey], { description: 'By visa index (C1, E23…).' })
  byVisaIndex: CountByKey[];
}

@Resolver()
export class StatisticsResolver {
  @Query(() => PermitStatistics, { description: 'Figures per permit kind, nationality, regency and visa index; asOf defaults to today.' })
  async permitStatistics(
    @Arg('asOf', () => LocalDateResolver, { nullable: true }) asOf: string | null,
    @Arg('regency', () => String, { nullable: true }) regency: string | null,
    @Ctx() { db, clock }: SubgraphContext,
  ): Promise<PermitStatistics> {
    const date = asOf ?? clock.today();
    const place = regencyArgument(regency);
    // A permit is active on a date when it was not cancelled or converted and the date is within it.
    const active = () => {
      const query = db
        .getRepository(StayPermit)
        .createQueryBuilder('permit')
        .innerJoin(ForeignNational, 'person', 'person.id = permit.personId')
        .where('permit.recordedStatus = :status', { status: RecordedPermitStatus.ACTIVE })
        .andWhere('permit.validFrom <= :date AND permit.validUntil >= :date', { date });
      return place ? query.andWhere('permit.domicileRegency = :place', { place }) : query;
    };
    const [total, byKind, byNationality, byRegency, byVisaIndex] = await Promise.all([
      countDistinct(active, 'permit.personId'),
      countBy(active, 'permit.kind', 'permit.personId'),
      countBy(active, 'person.nationality', 'permit.personId'),
      countBy(active, 'permit.domicileRegency', 'permit.personId'),
      countBy(active, 'permit.visaIndex', 'permit.personId'),
    ]);
    return { asOf: date, regency: place, total, byKind, byNationality, byRegency, byVisaIndex };
  }
}
