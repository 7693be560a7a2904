import { ClassType, Field, Int, ObjectType, Directive } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { entitiesOf } from '../../lib/database';
import { errors } from '../../lib/errors';
import { pageSize } from './validation';

@ObjectType({ description: 'Where a page stands in the whole list.' })
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page.' })
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Counted when asked for: a page that does not select it never waits for the count. */
  totalCount: number | Promise<number>;
}

/** A Relay-style connection type named `<name>Connection`, with `totalCount` and a `nodes` shortcut. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Page<T> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [nodeType])
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items match the filter, over all pages.' })
    totalCount: number | Promise<number>;
  }
  return ConnectionType;
}

/**
 * Cursors are opaque to clients: the sort key of the last row, base64url-encoded. Keyset
 * pagination on (sort key, id) keeps every page equally fast and stable under inserts.
 */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== arity || !values.every((v) => typeof v === 'string')) {
    throw errors.badUserInput('"after" is not a cursor returned by this API', 'after');
  }
  return values as string[];
}

/**
 * Builds a page from `limit + 1` rows read after the cursor: the extra row only tells that more
 * exist. A count given as a function runs the first time `totalCount` is read (when the operation
 * selects it), at most once.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  totalCount: number | (() => Promise<number>),
  cursorOf: (row: T) => string[],
): Page<T> {
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  const page = {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  };
  if (typeof totalCount === 'number') return { ...page, totalCount };
  let counted: Promise<number> | undefined;
  return Object.defineProperty(page, 'totalCount', {
    get: () => (counted ??= totalCount()),
    enumerable: true,
  }) as Page<T>;
}

export interface KeysetOrder<T> {
  alias: string;
  /** The property pages are ordered by (name key, detection time…). */
  sortBy: keyof T & string;
  /** A unique property that breaks ties; defaults to `id`. */
  tieBreaker?: keyof T & string;
  descending?: boolean;
}

/**
 * One page of a filtered query, with `totalCount` counted only when asked for: keyset pagination
 * on (sortBy, tieBreaker), so page 1,000 costs what page 1 costs and rows inserted meanwhile
 * neither repeat nor vanish.
 */
export async function keysetPage<T extends object>(
  query: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<T>> {
  const limit = pageSize(first);
  const tieBreaker = order.tieBreaker ?? ('id' as keyof T & string);
  const sortColumn = `${order.alias}.${order.sortBy}`;
  const tieColumn = `${order.alias}.${tieBreaker}`;
  const counting = query.clone();
  if (after) {
    const [afterSort, afterTie] = decodeCursor(after, 2);
    query.andWhere(
      `(${sortColumn} ${order.descending ? '<' : '>'} :afterSort OR (${sortColumn} = :afterSort AND ${tieColumn} > :afterTie))`,
      {
        afterSort,
        afterTie,
      },
    );
  }
  query.orderBy(sortColumn, order.descending ? 'DESC' : 'ASC');
  // A unique sort column is its own tie-breaker: ordering by it again would replace its direction.
  if (tieColumn !== sortColumn) query.addOrderBy(tieColumn);
  const rows = await entitiesOf(query.limit(limit + 1));
  return toPage(
    rows,
    limit,
    () => counting.getCount(),
    (row) => [String(row[order.sortBy]), String(row[tieBreaker])],
  );
}
