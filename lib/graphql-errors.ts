import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** A refusal before execution, with its HTTP status (Apollo Server honours extensions.http). */
function refusal(message: string, code: string, status: number, headers: Record<string, string> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status, headers: new HeaderMap(Object.entries(headers)) } } });
}

export const unauthenticated = (reason: string) => refusal(reason, 'UNAUTHENTICATED', 401, { 'www-authenticate': 'Bearer' });
export const forbiddenRequest = (reason: string) => refusal(reason, 'FORBIDDEN', 403);
export const rateLimited = (reason: string, retryAfterSeconds: number) => refusal(reason, 'RATE_LIMITED', 429, { 'retry-after': String(retryAfterSeconds) });
