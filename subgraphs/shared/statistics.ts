import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';

@ObjectType({ description: 'How many are counted under one key (a permit kind, a nationality, a regency…).' })
@Directive('@shareable')
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

/**
 * Counts distinct `countedExpression` values per `keyExpression` in one GROUP BY statement, largest
 * first (ties by key, so figures print in a stable order). `base` builds a fresh filtered query.
 */
export async function countBy<T extends object>(
  base: () => SelectQueryBuilder<T>,
  keyExpression: string,
  countedExpression: string,
): Promise<CountByKey[]> {
  const rows = await base()
    .select(keyExpression, 'key')
    .addSelect(`COUNT(DISTINCT ${countedExpression})`, 'count')
    .groupBy(keyExpression)
    .getRawMany<{ key: string; count: string | number }>();
  return rows
    .map((row) => ({ key: String(row.key), count: Number(row.count) }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export async function countDistinct<T extends object>(base: () => SelectQueryBuilder<T>, countedExpression: string): Promise<number> {
  const row = await base().select(`COUNT(DISTINCT ${countedExpression})`, 'count').getRawOne<{ count: string | number }>();
  return Number(row?.count ?? 0);
}
