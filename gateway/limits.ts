import { ApolloServerPlugin } from '@apollo/server';
import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { errors } from '../lib/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../lib/page-size';

export interface OperationLimits {
  /**
   * Deepest nesting of fields (a depth bomb nests person → permits → sponsor → workers → …).
   * @default 12
   */
  maxDepth: number;
  /**
   * Fields asked under another name; hundreds of aliases multiply one expensive field.
   * @default 30
   */
  maxAliases: number;
  /**
   * Estimated fields resolved, each list counted at its page size (`first`) or an assumed size.
   * @default 1_000_000
   */
  maxCost: number;
}

/**
 * A page of 500 persons with everything the findings rules read costs about 300,000; a nested
 * employer → workers → employer … bomb costs tens of millions.
 */
export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 30, maxCost: 1_000_000 };

/** Lists without a `first` argument (a person's permits, an employer's RPTKAs) are assumed this long. */
const ASSUMED_LIST_SIZE = 20;
const DEFAULT_PAGE = DEFAULT_PAGE_SIZE;

/**
 * Refuses operations too deep, too aliased or too costly before anything is fetched, each with its
 * own code and the limit in the message, so a client can tell what to change.
 */
export function useOperationLimits(limits: OperationLimits = DEFAULT_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          // No operation to run (an unknown operationName, several operations and no name): the
          // client's mistake, said in a 400 before the gateway's executor would answer it with a 500.
          if (!operation)
            throw errors.badRequest(
              request.operationName
                ? `The document has no operation named "${request.operationName.slice(0, 100)}"`
                : 'The document has several operations: say which to run with "operationName"',
            );
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const measure = new Measure(schema, fragments, request.variables ?? {});
          const rootType = operationRoot(schema, operation);
          const cost = rootType ? measure.cost(operation.selectionSet, rootType, 1, 1) : 0;
          // An oversized page is the client's mistake, whatever it would cost: say so in the subgraphs' words.
          if (measure.pageOutOfRange !== undefined)
            throw errors.badUserInputRequest(
              `"first" must be between 1 and ${MAX_PAGE_SIZE}, got ${measure.pageOutOfRange}`,
            );
          if (measure.depth > limits.maxDepth)
            throw errors.queryTooDeep(
              `The operation nests ${measure.depth} levels deep; the limit is ${limits.maxDepth}`,
            );
          if (measure.aliases > limits.maxAliases)
            throw errors.tooManyAliases(
              `The operation uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}`,
            );
          if (cost > limits.maxCost) {
            throw errors.queryTooCostly(
              `The operation could resolve about ${Math.round(cost)} fields; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists`,
            );
          }
        },
      };
    },
  };
}

class Measure {
  depth = 0;
  aliases = 0;
  /** The first `first` outside 1 to MAX_PAGE_SIZE, if any. */
  pageOutOfRange: number | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** Fields resolved under `selectionSet`, each weighted by how many times its parent lists repeat it. */
  cost(
    selectionSet: SelectionSetNode,
    parent: GraphQLObjectType,
    multiplier: number,
    depth: number,
    seen = new Set<string>(),
  ): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) this.aliases += 1;
        this.depth = Math.max(this.depth, depth);
        const field = fieldOf(parent, selection.name.value);
        total += multiplier;
        const child = field && getNamedType(field.type);
        if (selection.selectionSet && child && (isObjectType(child) || isInterfaceType(child))) {
          const inner = isObjectType(child) ? child : (this.schema.getPossibleTypes(child)[0] as GraphQLObjectType);
          total += this.cost(
            selection.selectionSet,
            inner,
            multiplier * this.listSize(selection, field, parent),
            depth + 1,
            seen,
          );
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (this.schema.getType(selection.typeCondition.name.value) as GraphQLObjectType)
          : parent;
        total += this.cost(selection.selectionSet, type ?? parent, multiplier, depth, seen);
      } else {
        const fragment = this.fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue; // cycles are refused by validation anyway
        const type = this.schema.getType(fragment.typeCondition.name.value) as GraphQLObjectType;
        total += this.cost(
          fragment.selectionSet,
          type ?? parent,
          multiplier,
          depth,
          new Set([...seen, fragment.name.value]),
        );
      }
    }
    return total;
  }

  private listSize(node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLObjectType): number {
    // A connection's `first` already counted its page: its edges and nodes are that page.
    if (parent.name.endsWith('Connection')) return 1;
    const first = node.arguments?.find((argument) => argument.name.value === 'first');
    if (first) {
      const value =
        first.value.kind === Kind.VARIABLE
          ? this.variables[first.value.name.value]
          : first.value.kind === Kind.INT
            ? Number(first.value.value)
            : null;
      if (typeof value !== 'number') return DEFAULT_PAGE;
      // Too small or too large is one mistake with one answer (a 400), wherever in the operation.
      if (value < 1 || value > MAX_PAGE_SIZE) this.pageOutOfRange ??= value;
      return Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
    }
    if (field.args.some((argument) => argument.name === 'first')) return DEFAULT_PAGE;
    return isListType(getNullableType(field.type)) ? ASSUMED_LIST_SIZE : 1;
  }
}

function fieldOf(parent: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
  return parent.getFields()[name];
}

function operationRoot(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): GraphQLObjectType | null | undefined {
  return operation.operation === 'mutation'
    ? schema.getMutationType()
    : operation.operation === 'subscription'
      ? schema.getSubscriptionType()
      : schema.getQueryType();
}
