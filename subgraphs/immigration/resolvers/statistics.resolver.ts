import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { SubgraphContext } from '../../shared/subgraph';
import { byRegencyName, CountByKey, countByDimensions } from '../../shared/statistics';
import { matchRegency, whereRegency } from '../../shared/geography';
import { DOMICILE_REGENCIES } from '../search';
import { RecordedPermitStatus } from '../enums';
import { StayPermit } from '../entities/stay-permit';

@ObjectType({ description: 'Foreigners holding an active stay permit on a date, counted per person.' })
export class PermitStatistics {
  @Field(() => LocalDateResolver)
  asOf: string;

  @Field(() => String, {
    nullable: true,
    description: "The regency counted, in the Kalbar list's spelling when listed, or null for all.",
  })
  regency: string | null;

  @Field(() => Int)
  total: number;

  @Field(() => [CountByKey], { description: 'By StayPermitKind (VISIT, LIMITED, PERMANENT…).' })
  byKind: CountByKey[];

  @Field(() => [CountByKey], {
    description: 'By nationality (ISO 3166-1 alpha-3) of the passport the permit is on, largest first.',
  })
  byNationality: CountByKey[];

  @Field(() => [CountByKey], {
    description: "By domicile regency (spellings of one regency counted together, by the list's name), largest first.",
  })
  byRegency: CountByKey[];

  @Field(() => [CountByKey], { description: 'By visa index (C1, E23…).' })
  byVisaIndex: CountByKey[];
}

@Resolver()
export class StatisticsResolver {
  @Query(() => PermitStatistics, {
    nullable: true,
    description: 'Figures per permit kind, nationality, regency and visa index; asOf defaults to today.',
  })
  async permitStatistics(
    @Arg('asOf', () => LocalDateResolver, { nullable: true }) asOf: string | null,
    @Arg('regency', () => String, { nullable: true }) regency: string | null,
    @Ctx() { db, clock }: SubgraphContext,
  ): Promise<PermitStatistics> {
    const date = asOf ?? clock.today();
    const place = await matchRegency(db, regency, DOMICILE_REGENCIES);
    // Active on a date: not cancelled or converted, and the date within it. Immigration records one
    // active permit per person per day (a new permit converts the old one), so permits count persons;
    // the demo-data test holds the generator to it. The stay_permit_figures index covers the query.
    const active = db
      .getRepository(StayPermit)
      .createQueryBuilder('permit')
      .where('permit.recordedStatus = :status', { status: RecordedPermitStatus.ACTIVE })
      .andWhere('permit.validUntil >= :date AND permit.validFrom <= :date', { date });
    whereRegency(active, 'permit.domicileRegency', place, 'place');
    const { total, byKind, byNationality, byRegency, byVisaIndex } = await countByDimensions(active, {
      byKind: 'permit.kind',
      byNationality: 'permit.passportCountry',
      byRegency: 'permit.domicileRegency',
      byVisaIndex: 'permit.visaIndex',
    });
    return {
      asOf: date,
      regency: place?.name ?? null,
      total,
      byKind,
      byNationality,
      byRegency: byRegencyName(byRegency),
      byVisaIndex,
    };
  }
}
