import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { SubgraphContext } from '../../shared/subgraph';
import { byRegencyName, CountByKey } from '../../shared/statistics';
import { readFigures, sumByDimension } from '../../shared/figures';
import { matchRegency } from '../../shared/geography';
import { EMPLOYER_REGENCIES } from './employer.resolver';
import { WORKFORCE_FIGURES } from '../figures';

@ObjectType({ description: 'Foreign workers with an active RPTKA on a date, counted per worker passport.' })
export class WorkforceStatistics {
  @Field(() => LocalDateResolver)
  asOf: string;

  @Field(() => String, {
    nullable: true,
    description: "The employer's regency counted, in the Kalbar list's spelling when listed, or null for all.",
  })
  regency: string | null;

  @Field(() => Int)
  total: number;

  @Field(() => [CountByKey], { description: 'By employer sector, largest first.' })
  bySector: CountByKey[];

  @Field(() => [CountByKey], {
    description:
      "By the employer's regency (spellings of one regency counted together, by the list's name), largest first.",
  })
  byRegency: CountByKey[];

  @Field(() => [CountByKey], { description: 'By worker nationality, largest first.' })
  byNationality: CountByKey[];
}

@Resolver()
export class WorkforceStatisticsResolver {
  @Query(() => WorkforceStatistics, {
    nullable: true,
    description: 'Foreign workers by employer sector, regency and nationality; asOf defaults to today.',
  })
  async workforceStatistics(
    @Arg('asOf', () => LocalDateResolver, { nullable: true }) asOf: string | null,
    @Arg('regency', () => String, { nullable: true }) regency: string | null,
    @Ctx() { db, clock }: SubgraphContext,
  ): Promise<WorkforceStatistics> {
    const date = asOf ?? clock.today();
    const place = await matchRegency(db, regency, EMPLOYER_REGENCIES);
    // Read from the maintained figures (subgraphs/shared/figures.ts). A worker holds one active
    // RPTKA on a day (the demo-data test holds the generator to it), so RPTKAs count workers.
    const groups = await readFigures(db, WORKFORCE_FIGURES, date, { column: 'regency', match: place });
    const { total, bySector, byRegency, byNationality } = sumByDimension(groups, [
      'bySector',
      'byRegency',
      'byNationality',
    ]);
    return {
      asOf: date,
      regency: place?.name ?? null,
      total,
      bySector,
      byRegency: byRegencyName(byRegency),
      byNationality,
    };
  }
}
