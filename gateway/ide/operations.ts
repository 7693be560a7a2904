import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, OperationDefinitionNode, parse, TypeNode, VariableDefinitionNode } from 'graphql';
import { projectRoot } from '../../lib/paths';

/** The operation the IDE opens on, and the one a `/?passport=` link fills in. */
export const FULL_VIEW_OPERATION = 'FullViewByPassport';

/** Variables of ready-made operations by operation name, e.g. { LinksAndTimeline: { id: '…' } }. */
export type ExampleVariables = Record<string, Record<string, unknown>>;

export interface ReadyMadeOperation {
  name: string;
  /** The operation's text with the comment lines right above it. */
  query: string;
  /** What each required variable holds until an example fills it: "" for a string, [] for a list. */
  placeholders: Record<string, unknown>;
}

/**
 * Every named operation of examples/*.graphql, one tab each: the full view first, then the others
 * in file and text order. Read once: a broken example stops the gateway at start, not a page.
 */
export function readyMadeOperations(dir = path.join(projectRoot, 'examples')): ReadyMadeOperation[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const operations = files.flatMap((file) => operationsOf(readFileSync(path.join(dir, file), 'utf8')));
  const fullView = operations.filter((operation) => operation.name === FULL_VIEW_OPERATION);
  return [...fullView, ...operations.filter((operation) => operation.name !== FULL_VIEW_OPERATION)];
}

function operationsOf(text: string): ReadyMadeOperation[] {
  return parse(text)
    .definitions.filter(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && Boolean(definition.name),
    )
    .map((definition) => ({
      name: definition.name!.value,
      query: `${withCommentsAbove(text, definition.loc!.start)}${text.slice(definition.loc!.start, definition.loc!.end)}\n`,
      placeholders: Object.fromEntries(
        (definition.variableDefinitions ?? [])
          .filter(isRequired)
          .map((variable) => [variable.variable.name.value, placeholder(variable.type)]),
      ),
    }));
}

/** The comment lines right above `start` (a blank line ends them), which say what the operation is for. */
function withCommentsAbove(text: string, start: number): string {
  const lines = text.slice(0, start).split('\n');
  lines.pop();
  const comments: string[] = [];
  while (lines.length && lines[lines.length - 1].startsWith('#')) comments.unshift(lines.pop()!);
  return comments.map((line) => `${line}\n`).join('');
}

const isRequired = (variable: VariableDefinitionNode) =>
  variable.type.kind === Kind.NON_NULL_TYPE && variable.defaultValue === undefined;

function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  return { Int: 0, Float: 0, Boolean: false }[type.name.value] ?? '';
}

/** The variables a tab opens with: the example's where one is given, the placeholders otherwise. */
export function variablesOf(operation: ReadyMadeOperation, examples: ExampleVariables | undefined) {
  return { ...operation.placeholders, ...examples?.[operation.name] };
}
