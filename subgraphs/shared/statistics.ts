import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { regencyName } from './geography';

@ObjectType({ description: 'How many are counted under one key (a permit kind, a nationality, a regency…).' })
@Directive('@shareable')
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

/**
 * Figures for several dimensions from one GROUP BY over all of them: the database reads the rows
 * once (not once per dimension) and the groups, a few thousand at most, are summed here. Each row
 * counts once, so the rows must be one per counted thing (one active permit per person, say).
 */
export async function countByDimensions<T extends object, D extends string>(
  query: SelectQueryBuilder<T>,
  expressions: Record<D, string>,
): Promise<{ total: number } & Record<D, CountByKey[]>> {
  const dimensions = Object.keys(expressions) as D[];
  dimensions.forEach((dimension, index) => {
    query[index === 0 ? 'select' : 'addSelect'](expressions[dimension], dimension);
    query[index === 0 ? 'groupBy' : 'addGroupBy'](expressions[dimension]);
  });
  const groups = await query.addSelect('COUNT(*)', 'count').getRawMany<Record<D | 'count', string | number>>();
  const byDimension = {} as Record<D, CountByKey[]>;
  for (const dimension of dimensions) {
    const counts = new Map<string, number>();
    for (const group of groups)
      counts.set(String(group[dimension]), (counts.get(String(group[dimension])) ?? 0) + Number(group.count));
    byDimension[dimension] = sortFigures([...counts].map(([key, count]) => ({ key, count })));
  }
  return { total: groups.reduce((sum, group) => sum + Number(group.count), 0), ...byDimension };
}

/** Largest first, ties by key, so figures print in a stable order. */
export function sortFigures(figures: CountByKey[]): CountByKey[] {
  return figures.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Figures under the same regency spelt differently ("Ketapang", "KETAPANG ") counted as one, by the list's name. */
export function byRegencyName(figures: CountByKey[]): CountByKey[] {
  const counts = new Map<string, number>();
  for (const { key, count } of figures) counts.set(regencyName(key), (counts.get(regencyName(key)) ?? 0) + count);
  return sortFigures([...counts].map(([key, count]) => ({ key, count })));
}
