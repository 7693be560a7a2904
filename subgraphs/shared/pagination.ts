import { ClassType, Field, Int, ObjectType, Directive } from 'type-graphql';
import { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { SelectQueryBuilder } from 'typeorm';
import { entitiesOf, inJsonList, isPostgres } from '../../lib/database';
import { ConfigError, errors } from '../../lib/errors';
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
  /** False when totalCount is an estimate: more matches than the exact-count bound. */
  totalCountIsExact: boolean | Promise<boolean>;
}

/** A count of matches: exact up to the bound (SEARCH_EXACT_COUNT_LIMIT), an estimate beyond it. */
export interface BoundedCount {
  count: number;
  exact: boolean;
}

export const DEFAULT_EXACT_COUNT_LIMIT = 10_000;

/**
 * SEARCH_EXACT_COUNT_LIMIT: up to how many matches totalCount is exact. Read where it is used (each
 * count), so a test can lower it; checked by tools/config.ts at start.
 */
export function exactCountLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv('SEARCH_EXACT_COUNT_LIMIT', DEFAULT_EXACT_COUNT_LIMIT, env);
}

/** A positive whole number from the environment, else the default; anything else is a ConfigError. */
export function wholeNumberFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
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

    @Field(() => Int, {
      description:
        'How many items match the filter, over all pages: exact up to a bound (SEARCH_EXACT_COUNT_LIMIT, ' +
        'default 10,000), beyond it an estimate above the bound (see totalCountIsExact).',
    })
    totalCount: number | Promise<number>;

    @Field(() => Boolean, { description: 'False when totalCount is an estimate: more items match than the bound.' })
    totalCountIsExact: boolean | Promise<boolean>;
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
 * exist. A count given as a function runs the first time `totalCount` or `totalCountIsExact` is
 * read (when the operation selects it), at most once; a number is exact.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  totalCount: number | (() => Promise<BoundedCount>),
  cursorOf: (row: T) => string[],
): Page<T> {
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  const page = {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  };
  if (typeof totalCount === 'number') return { ...page, totalCount, totalCountIsExact: true };
  let counted: Promise<BoundedCount> | undefined;
  const count = () => (counted ??= totalCount());
  return Object.defineProperties(page, {
    totalCount: { get: () => count().then(({ count }) => count), enumerable: true },
    totalCountIsExact: { get: () => count().then(({ exact }) => exact), enumerable: true },
  }) as Page<T>;
}

/**
 * Whether the operation selects `totalCount` or `totalCountIsExact` on this connection field, so
 * the count can start beside the page instead of after it.
 */
export function selectsCount(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) => selectsCountIn(node.selectionSet, info));
}

function selectsCountIn(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo): boolean {
  return (selectionSet?.selections ?? []).some((selection) => {
    if (selection.kind === 'Field') return COUNT_FIELDS.has(selection.name.value);
    if (selection.kind === 'InlineFragment') return selectsCountIn(selection.selectionSet, info);
    return selectsCountIn(info.fragments[selection.name.value]?.selectionSet, info);
  });
}

const COUNT_FIELDS = new Set(['totalCount', 'totalCountIsExact']);

export interface KeysetOrder<T> {
  alias: string;
  /** The property pages are ordered by (name key, detection time…). */
  sortBy: keyof T & string;
  /** A unique property that breaks ties; defaults to `id`. */
  tieBreaker?: keyof T & string;
  descending?: boolean;
  /**
   * For a filter that an index of its own finds but not in page order (a name part, through the
   * trigram index): walk at most this many rows of the sort order for the page; when fewer than a
   * page of them match, read all the matches through the filter's index and sort them. Without it
   * the database may walk the sort index a long way for a rare or clustered match ("wang", late in
   * name order), and sorting every match is slow for a frequent one ("an"). Default: the query as it is.
   */
  walkLimit?: number;
}

/**
 * One page of a filtered query, with `totalCount` counted only when asked for: keyset pagination
 * on (sortBy, tieBreaker), so page 1,000 costs what page 1 costs and rows inserted meanwhile
 * neither repeat nor vanish. `countNow` (the operation selects the count, `selectsCount`) starts
 * the bounded count beside the page query; without it the count starts when first read.
 */
export async function keysetPage<T extends object>(
  query: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  first: number | null | undefined,
  after: string | null | undefined,
  countNow = false,
): Promise<Page<T>> {
  const limit = pageSize(first);
  const tieBreaker = order.tieBreaker ?? ('id' as keyof T & string);
  const sortColumn = `${order.alias}.${order.sortBy}`;
  const tieColumn = `${order.alias}.${tieBreaker}`;
  const counting = query.clone();
  let counted: Promise<BoundedCount> | undefined;
  const count = () => (counted ??= boundedCount(counting, `${order.alias}.${tieBreaker}`));
  const descending = order.descending ?? false;
  const afterCursor = (page: SelectQueryBuilder<T>) => {
    if (!after) return page;
    const [afterSort, afterTie] = decodeCursor(after, 2);
    return page.andWhere(
      `(${sortColumn} ${descending ? '<' : '>'} :afterSort OR (${sortColumn} = :afterSort AND ${tieColumn} > :afterTie))`,
      { afterSort, afterTie },
    );
  };
  afterCursor(query);
  // After the cursor is checked: a bad one runs no statement at all.
  if (countNow) count().catch(() => undefined); // its error surfaces where totalCount is read
  const ordered = (page: SelectQueryBuilder<T>) => {
    page.orderBy(sortColumn, descending ? 'DESC' : 'ASC');
    // A unique sort column is its own tie-breaker: ordering by it again would replace its direction.
    if (tieColumn !== sortColumn) page.addOrderBy(tieColumn);
    return page.limit(limit + 1);
  };
  ordered(query);
  const rows = order.walkLimit
    ? await walkedOrSorted(query, {
        walk: order.walkLimit,
        limit,
        columns: [sortColumn, tieColumn],
        descending,
        sortOrder: () => ordered(afterCursor(sameEntity(query))),
        ordered,
      })
    : await entitiesOf(query);
  return toPage(rows, limit, count, (row) => [String(row[order.sortBy]), String(row[tieBreaker])]);
}

interface WalkOptions<T extends object> {
  walk: number;
  limit: number;
  columns: [sort: string, tie: string];
  descending: boolean;
  /** The entity's rows after the cursor in page order, unfiltered. */
  sortOrder: () => SelectQueryBuilder<T>;
  ordered: (page: SelectQueryBuilder<T>) => SelectQueryBuilder<T>;
}

/**
 * The page of an ordered query (walkLimit): first within the next `walk` rows of the sort order
 * (a bounded index range); when fewer than a page of those match, from all the matches, read
 * through the filter's own index (in no order) and sorted.
 */
async function walkedOrSorted<T extends object>(query: SelectQueryBuilder<T>, options: WalkOptions<T>): Promise<T[]> {
  const [sortColumn, tieColumn] = options.columns;
  const [boundary] = await options
    .sortOrder()
    .select(sortColumn, 'sort')
    .addSelect(tieColumn, 'tie')
    .offset(options.walk)
    .limit(1)
    .getRawMany();
  const walked = query.clone();
  if (boundary)
    walked.andWhere(
      `(${sortColumn} ${options.descending ? '>' : '<'} :walkSort OR (${sortColumn} = :walkSort AND ${tieColumn} <= :walkTie))`,
      { walkSort: boundary.sort, walkTie: boundary.tie },
    );
  const rows = await entitiesOf(walked);
  // A full page within the walk, or the walk reached the end: the page.
  if (rows.length > options.limit || !boundary) return rows;
  const [sql, parameters] = query
    .clone()
    .select(tieColumn, 'key')
    .addSelect(sortColumn, 'sort')
    .orderBy()
    .limit(undefined)
    .getQueryAndParameters();
  const sorted: { key: string }[] = await query.connection.query(
    `WITH "matches" AS MATERIALIZED (${sql})
     SELECT "key" FROM "matches" ORDER BY "sort" ${options.descending ? 'DESC' : 'ASC'}, "key" ASC LIMIT ${options.limit + 1}`,
    parameters,
  );
  if (sorted.length === 0) return [];
  const chosen = sameEntity(query).where(inJsonList(query.connection, tieColumn, 'pageKeys'), {
    pageKeys: JSON.stringify(sorted.map((row) => String(row.key))),
  });
  return entitiesOf(options.ordered(chosen));
}

/** A query of the same entity and alias, with no condition. */
function sameEntity<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return query.connection
    .getRepository<T>(query.expressionMap.mainAlias!.target)
    .createQueryBuilder(query.alias) as SelectQueryBuilder<T>;
}

/**
 * Counts the matches up to the bound and no further: the database stops reading at bound + 1 rows,
 * so a filter matching half the population costs what one matching 10,000 does. Beyond the bound,
 * an estimate (`estimateCount`), never below bound + 1.
 */
export async function boundedCount<T extends object>(
  query: SelectQueryBuilder<T>,
  keyColumn: string,
  bound = exactCountLimitFromEnv(),
): Promise<BoundedCount> {
  const limited = query
    .clone()
    .select(keyColumn)
    .orderBy()
    .limit(bound + 1);
  const [sql, parameters] = limited.getQueryAndParameters();
  const [row] = await query.connection.query(`SELECT COUNT(*) AS "count" FROM (${sql}) "bounded"`, parameters);
  const count = Number(row.count);
  if (count <= bound) return { count, exact: true };
  return { count: Math.max(bound + 1, await estimateCount(query, keyColumn)), exact: false };
}

/**
 * PostgreSQL: the planner's row estimate for the whole filter (EXPLAIN, nothing executed), from
 * the table statistics ANALYZE keeps: good for one column's value (a nationality), rougher for
 * combined conditions. SQLite keeps no such estimate: 0, so the caller reports bound + 1, a lower bound.
 */
async function estimateCount<T extends object>(query: SelectQueryBuilder<T>, keyColumn: string): Promise<number> {
  if (!isPostgres(query.connection)) return 0;
  const [sql, parameters] = query.clone().select(keyColumn).orderBy().getQueryAndParameters();
  const [row] = await query.connection.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
  const plan = row['QUERY PLAN'];
  return Math.round(Number((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan['Plan Rows']));
}
