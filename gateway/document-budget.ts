import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import {
  ASTVisitor,
  DefinitionNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/** How large a document the gateway parses and validates at all. */
export interface DocumentBudget {
  /**
   * Tokens a document may have; the parser stops at the first one over.
   * @default 5000
   */
  maxTokens?: number;
  /**
   * Fields and fragment spreads of the document with every fragment spread expanded.
   * @default 5000
   */
  maxSelections?: number;
  /**
   * Times one response name (or one fragment) may appear in one selection set.
   * @default 20
   */
  maxRepeats?: number;
  /**
   * Aliases in the whole document; beyond the operation limit (MAX_ALIASES) they are refused
   * anyway, this only stops a flood before validation.
   * @default 100
   */
  maxAliases?: number;
  /**
   * Memory for parsed and validated documents, kept so that a document sent again is neither
   * parsed nor validated again, in MiB as Apollo estimates it (the JSON size of the syntax tree).
   * Least recently used documents go first, so a flood of distinct documents cannot grow it.
   * @default 8
   */
  documentCacheMiB?: number;
}

export const DEFAULT_DOCUMENT_BUDGET: Required<DocumentBudget> = {
  maxTokens: 5000,
  maxSelections: 5000,
  maxRepeats: 20,
  maxAliases: 100,
  documentCacheMiB: 8,
};

/**
 * A budget for parsing and validating, so that no document within the body limit costs more than
 * a few milliseconds before it is refused. graphql-js's validation compares every pair of fields
 * of one name in a selection set (OverlappingFieldsCanBeMerged), so a document repeating one field
 * 20,000 times costs seconds; nested fragments that spread each other twice expand exponentially.
 * One linear walk of the document, as the first validation rule, refuses them; with `maxErrors: 1`
 * validation stops there before the other rules run.
 */
export function useDocumentBudget<TContext extends BaseContext>(
  budget: DocumentBudget = {},
): Pick<ApolloServerOptions<TContext>, 'parseOptions' | 'validationRules' | 'validationOptions' | 'documentStore'> {
  const limits = { ...DEFAULT_DOCUMENT_BUDGET, ...budget };
  const rule = (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const problem = overBudget(document, limits);
      if (problem) context.reportError(new GraphQLError(`The operation is too large to run: ${problem}`));
    },
  });
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [rule],
    validationOptions: { maxErrors: 1 },
    documentStore: documentStore(limits.documentCacheMiB),
  };
}

/** Apollo's KeyValueCache over lru-cache, bounded by the documents' estimated size. */
function documentStore(maxMiB: number) {
  const documents = new LRUCache<string, DocumentNode>({
    maxSize: Math.max(1, Math.round(maxMiB * 2 ** 20)),
    sizeCalculation: (document) => Math.max(1, JSON.stringify(document).length),
  });
  return {
    get: async (key: string) => documents.get(key),
    set: async (key: string, document: DocumentNode) => void documents.set(key, document),
    delete: async (key: string) => documents.delete(key),
  };
}

/** What breaks the budget, or null: one pass over the document, fragments counted once each. */
export function overBudget(document: DocumentNode, limits: Required<DocumentBudget>): string | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let aliases = 0;
  for (const definition of document.definitions) {
    for (const selectionSet of selectionSetsOf(definition)) {
      const names = new Map<string, number>();
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD && selection.alias) aliases += 1;
        const name =
          selection.kind === Kind.FIELD
            ? (selection.alias ?? selection.name).value
            : selection.kind === Kind.FRAGMENT_SPREAD
              ? `...${selection.name.value}`
              : `... on ${selection.typeCondition?.name.value ?? ''}`;
        const times = (names.get(name) ?? 0) + 1;
        if (times > limits.maxRepeats) return `"${name}" appears ${times} times in one selection`;
        names.set(name, times);
      }
    }
  }
  if (aliases > limits.maxAliases) return `${aliases} aliases`;
  const sizes = new Map<string, number>();
  const sizeOf = (selectionSet: SelectionSetNode, visiting: Set<string>): number => {
    let size = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue; // unknown or cyclic: validation says so
        if (!sizes.has(name)) sizes.set(name, sizeOf(fragment.selectionSet, new Set([...visiting, name])));
        size += sizes.get(name)!;
      } else {
        size += 1 + (selection.selectionSet ? sizeOf(selection.selectionSet, visiting) : 0);
      }
      if (size > limits.maxSelections) return size;
    }
    return size;
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const size = sizeOf(definition.selectionSet, new Set());
    if (size > limits.maxSelections) return `more than ${limits.maxSelections} fields once its fragments are spread`;
  }
  return null;
}

/** Every selection set of a definition, nested ones included, without recursion on the stack. */
function selectionSetsOf(definition: DefinitionNode): SelectionSetNode[] {
  if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) return [];
  const found: SelectionSetNode[] = [];
  const pending = [definition.selectionSet];
  while (pending.length) {
    const selectionSet = pending.pop()!;
    found.push(selectionSet);
    for (const selection of selectionSet.selections)
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) pending.push(selection.selectionSet);
  }
  return found;
}
