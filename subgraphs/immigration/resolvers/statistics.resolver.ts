import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { SubgraphContext } from '../../shared/subgraph';
import { byRegencyName, CountByKey } from '../../shared/statistics';
import { readFigures, sumByDimension } from '../../shared/figures';
import { matchRegency } from '../../shared/geography';
import { DOMICILE_REGENCIES } from '../search';
import { PERMIT_FIGURES } from '../figures';

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
    // Read from the maintained figures (subgraphs/shared/figures.ts), not the permits: a few thousand
    // rows whatever their number. Immigration records one active permit per person per day (a new
    // permit converts the old one), so permits count persons; the demo-data test holds the generator to it.
    const groups = await readFigures(db, PERMIT_FIGURES, date, { column: 'domicileRegency', match: place });
    const { total, byKind, byNationality, byRegency, byVisaIndex } = sumByDimension(groups, [
      'byKind',
      'byNationality',
      'byRegency',
      'byVisaIndex',
    ]);
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
