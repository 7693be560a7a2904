import { getMetadataStorage } from 'type-graphql';
import { maskOf } from './access';

type Read = { property: string; mask: ((value: any) => unknown) | undefined };

/**
 * Makes the fields that only read a property synchronous. type-graphql gives every field a
 * resolver that allocates its arguments per call, and runs a field with middlewares (the pii
 * masks) as a chain of promises: on a page of 100 persons that is thousands of promises and
 * objects per answer, a visible share of a subgraph's CPU and GC. Here a plain field reads its
 * property directly and a masked one masks in the same call, with the same result; fields with a
 * resolver method, roles or any other middleware keep type-graphql's resolver.
 *
 * type-graphql's metadata holds every subgraph's classes, and several subgraphs have a class of
 * the same name (ForeignNational): a field is rewritten only when every class of that name that
 * has it reads it the same way, so a mask can never be lost to another subgraph's plain field.
 */
export function readPlainFieldsDirectly(resolvers: Record<string, Record<string, unknown>>): void {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    for (const [fieldName, resolve] of Object.entries(fields)) {
      if (typeof resolve !== 'function') continue;
      const read = plainRead(typeName, fieldName);
      if (!read) continue;
      const { property, mask } = read;
      fields[fieldName] = mask
        ? (root: any, _args: unknown, context: { identity: { pii: boolean } }) => {
            const value = root[property];
            return context.identity.pii || value == null ? value : mask(value);
          }
        : (root: any) => root[property];
    }
  }
}

/** How every class named `typeName` reads `fieldName`, when they all read a property the same way. */
function plainRead(typeName: string, fieldName: string): Read | undefined {
  const storage = getMetadataStorage();
  const reads: (Read | undefined)[] = storage.objectTypes
    .filter((objectType) => objectType.name === typeName)
    .flatMap((objectType) => (objectType.fields ?? []).filter((field) => field.schemaName === fieldName))
    .map((field) => {
      const hasMethod = storage.fieldResolvers.some(
        (resolver) => resolver.getObjectType?.() === field.target && resolver.methodName === field.name,
      );
      const middlewares = field.middlewares ?? [];
      if (hasMethod || field.roles?.length || middlewares.length > 1) return undefined;
      const mask = middlewares.length ? maskOf(middlewares[0]) : undefined;
      if (middlewares.length && !mask) return undefined;
      return { property: field.name, mask };
    });
  const [first] = reads;
  const same = (read: Read | undefined) => read && read.property === first!.property && read.mask === first!.mask;
  return first && reads.every(same) ? first : undefined;
}
