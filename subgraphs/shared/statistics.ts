import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { regencyName } from './geography';

@ObjectType({ description: 'How many are counted under one key (a permit kind, a nationality, a regency…).' })
@Directive('@shareable')
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
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
