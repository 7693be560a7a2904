import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  visit,
} from 'graphql';

/**
 * One HTTP call for the fetches a query plan sends to one agency at the same time.
 *
 * @apollo/gateway sends each fetch of a plan on its own, so the full view of a person, whose plan
 * is `Sequence[immigration, Parallel[police, manpower, manpower]]`, calls manpower twice at once
 * (the person's work permits, the sponsors of their stay permits). Each call costs the gateway a
 * signature and a request, and the agency a verification, a request and a context. Here such
 * fetches become one operation: each part's root fields and variables get a prefix of their own
 * (`_1_`), the agency answers them together, and each part gets its answer back under its own
 * names, errors included, exactly as if it had been sent alone.
 */
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface FetchPart {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface MergedFetch {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  /** Each part's answer, from the merged one. */
  split(response: GatewayGraphQLResponse): GatewayGraphQLResponse[];
}

/** A part's operation with its names prefixed, and its root fields' response keys (prefixed → own). */
interface PrefixedPart {
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
  keys: Map<string, string>;
}

/** Merged documents by their parts' queries: a plan's fetches are a handful of fixed texts. */
const MAX_CACHED = 500;
const printed = new Map<string, { query: string; name: string | undefined; keys: Map<string, string>[] }>();

/** The parts as one operation, or undefined when one of them cannot be merged (not a plain query). */
export function mergeFetches(parts: FetchPart[]): MergedFetch | undefined {
  const cacheKey = parts.map((part) => part.query).join('\u0000');
  let merged = printed.get(cacheKey);
  if (!merged) {
    const prefixed = parts.map((part, index) => prefix(part.query, `_${index}_`));
    if (prefixed.some((part) => part === undefined)) return undefined;
    const document = documentOf(prefixed as PrefixedPart[]);
    merged = {
      query: print(document),
      name: (document.definitions[0] as OperationDefinitionNode).name?.value,
      keys: prefixed.map((part) => part!.keys),
    };
    if (printed.size >= MAX_CACHED) printed.delete(printed.keys().next().value!);
    printed.set(cacheKey, merged);
  }
  const { query, name, keys } = merged;
  const variables: Record<string, unknown> = {};
  parts.forEach((part, index) => {
    for (const [name, value] of Object.entries(part.variables ?? {})) variables[`_${index}_${name}`] = value;
  });
  return {
    query,
    variables,
    operationName: name,
    split: (response) => splitResponse(response, keys),
  };
}

function prefix(query: string, tag: string): PrefixedPart | undefined {
  const document = visit(parse(query), {
    Variable: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
    FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
    FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: tag + node.name.value } }),
  }) as DocumentNode;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (operations.length !== 1 || operation.operation !== OperationTypeNode.QUERY) return undefined;
  if (operation.directives?.length || operation.selectionSet.selections.some((node) => node.kind !== Kind.FIELD))
    return undefined;
  const keys = new Map<string, string>();
  const selections = (operation.selectionSet.selections as FieldNode[]).map((field) => {
    const own = field.alias?.value ?? field.name.value;
    keys.set(tag + own, own);
    return { ...field, alias: { kind: Kind.NAME, value: tag + own } } as FieldNode;
  });
  return {
    operation: { ...operation, selectionSet: { ...operation.selectionSet, selections } },
    fragments: document.definitions.filter(
      (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
    ),
    keys,
  };
}

function documentOf(parts: PrefixedPart[]): DocumentNode {
  const [first] = parts;
  const name = first.operation.name;
  const operation: OperationDefinitionNode = {
    ...first.operation,
    // FullView__manpower__1 and …__2 sent together: FullView__manpower__1__merged.
    name: name && { ...name, value: `${name.value}__merged` },
    variableDefinitions: parts.flatMap((part) => part.operation.variableDefinitions ?? []),
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: parts.flatMap((part) => part.operation.selectionSet.selections),
    },
  };
  return { kind: Kind.DOCUMENT, definitions: [operation, ...parts.flatMap((part) => part.fragments)] };
}

/**
 * Each part's data under its own response keys, and the errors on its paths. An error without a
 * path concerns them all when no data came back (the agency refused the whole call), else the first.
 */
function splitResponse(response: GatewayGraphQLResponse, keys: Map<string, string>[]): GatewayGraphQLResponse[] {
  const data = response.data as Record<string, unknown> | null | undefined;
  const errors = response.errors ?? [];
  return keys.map((own, index) => {
    const partData = data ? Object.fromEntries([...own].map(([merged, key]) => [key, data[merged] ?? null])) : data;
    const partErrors = errors.flatMap((error) => {
      const [head, ...rest] = error.path ?? [];
      if (typeof head === 'string' && own.has(head)) return [{ ...error, path: [own.get(head)!, ...rest] }];
      if (head === undefined && (!data || index === 0)) return [error];
      return [];
    });
    return {
      ...(partData !== undefined ? { data: partData } : {}),
      ...(partErrors.length ? { errors: partErrors } : {}),
      // Extensions (the persons an answer carried, for the audit) once: the first part keeps them.
      ...(index === 0 && response.extensions ? { extensions: response.extensions } : {}),
    } as GatewayGraphQLResponse;
  });
}
