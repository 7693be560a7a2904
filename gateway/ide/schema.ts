import {
  EnumTypeDefinitionNode,
  EnumValueNode,
  GraphQLError,
  GraphQLSchema,
  introspectionFromSchema,
  IntrospectionQuery,
  Kind,
  ObjectTypeDefinitionNode,
  parse,
  StringValueNode,
} from 'graphql';
import { filterSchema, pruneSchema } from '@graphql-tools/utils';
import { Role } from '../../lib/auth';
import { errors } from '../../lib/errors';

/**
 * The IDE's schema document goes only to roles that may read every field it shows: the officers
 * read one agency's slice or two, so the document would tell them what the others hold (and with
 * introspection off in production, it is the only place the schema can be read). Supervisors read
 * everything; analysts everything but the read audit, so theirs leaves the audit's queries (and the
 * types only they reach) out. In that order: a user with both roles gets the supervisor's.
 */
export const SCHEMA_DOCUMENT_READERS = ['supervisor', 'analyst'] as const satisfies readonly Role[];
type SchemaReader = (typeof SCHEMA_DOCUMENT_READERS)[number];

/** The introspection result each reader gets, computed once per schema load. */
export type IdeSchemas = Record<SchemaReader, IntrospectionQuery>;

/** The subgraph whose root fields are for supervisors alone. */
const SUPERVISORS_ONLY_GRAPH = 'audit';

export function ideSchemas(apiSchema: GraphQLSchema, supergraphSdl: string): IdeSchemas {
  const hidden = rootFieldsServedOnlyBy(supergraphSdl, SUPERVISORS_ONLY_GRAPH);
  const withoutAudit = pruneSchema(
    filterSchema({ schema: apiSchema, rootFieldFilter: (operation, name) => !hidden.has(`${operation}.${name}`) }),
  );
  return { supervisor: introspectionFromSchema(apiSchema), analyst: introspectionFromSchema(withoutAudit) };
}

/** The document for these roles, or the FORBIDDEN refusal (HTTP 403) that names who may have it. */
export function schemaDocumentFor(schemas: IdeSchemas, roles: Role[]): IntrospectionQuery | GraphQLError {
  const reader = SCHEMA_DOCUMENT_READERS.find((role) => roles.includes(role));
  if (reader) return schemas[reader];
  return errors.forbiddenRequest(
    `The schema document is only for roles that may read every field it shows (${SCHEMA_DOCUMENT_READERS.join(', ')}); ` +
      `your token grants ${roles.join(', ') || 'none'}`,
  );
}

/** `Query.x` and `Mutation.y` that only `graph` serves, from the supergraph's join directives. */
function rootFieldsServedOnlyBy(supergraphSdl: string, graph: string): Set<string> {
  const document = parse(supergraphSdl);
  const graphs = document.definitions.find(
    (definition): definition is EnumTypeDefinitionNode =>
      definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  const value = graphs?.values?.find((candidate) =>
    candidate.directives?.some((directive) =>
      directive.arguments?.some(
        (argument) => argument.name.value === 'name' && (argument.value as StringValueNode).value === graph,
      ),
    ),
  )?.name.value;
  const found = new Set<string>();
  if (!value) return found;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = (definition as ObjectTypeDefinitionNode).name.value;
    if (type !== 'Query' && type !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const served = (field.directives ?? [])
        .filter((directive) => directive.name.value === 'join__field')
        .map(
          (directive) =>
            (directive.arguments?.find((argument) => argument.name.value === 'graph')?.value as EnumValueNode)?.value,
        );
      if (served.length > 0 && served.every((name) => name === value)) found.add(`${type}.${field.name.value}`);
    }
  }
  return found;
}
