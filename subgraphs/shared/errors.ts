import { GraphQLError } from 'graphql';

/** A client mistake: the request is refused before anything is read or written. */
export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}
