import { Kind, OperationDefinitionNode, parse, print, SelectionSetNode } from 'graphql';

type Fields = Map<string, Fields>;

/**
 * Selections on one type as one, fields in first-seen order: `a { b } a { c } d` gives `a { b c } d`.
 * GraphQL would merge repeated fields too, but the gateway's cost limit counts each repetition.
 */
export function mergeSelections(selections: readonly string[]): string {
  const fields: Fields = new Map();
  for (const selection of selections)
    add(fields, (parse(`{ ${selection} }`).definitions[0] as OperationDefinitionNode).selectionSet);
  return printFields(fields);
}

function add(fields: Fields, set: SelectionSetNode) {
  for (const node of set.selections) {
    if (node.kind !== Kind.FIELD || node.alias || node.arguments?.length || node.directives?.length) {
      throw new Error(`A rule reads plain fields only, not ${print(node)}`);
    }
    const inner = fields.get(node.name.value) ?? new Map();
    fields.set(node.name.value, inner);
    if (node.selectionSet) add(inner, node.selectionSet);
  }
}

const printFields = (fields: Fields): string =>
  [...fields].map(([name, inner]) => (inner.size ? `${name} { ${printFields(inner)} }` : name)).join(' ');
