import http from 'node:http';
import { Auth } from '../lib/auth-config';
import { AuthenticationError, bearerToken, Identity, IDENTITY_ISSUER, peekIssuer, ROLES } from '../lib/auth';
import { errors } from '../lib/errors';
import { rateLimiter } from './rate-limit';
import { requestIdOf } from '../lib/observability';

/** What the gateway knows about one request; the audit and the subgraph calls read it. */
export interface GatewayContext {
  identity: Identity;
  /** The gateway's signed assertion of `identity`, sent to every subgraph. */
  identityToken: string;
  requestId: string;
  /** A subgraph asking on a user's behalf (oversight's refresh): the user's request was counted. */
  delegated: boolean;
  /** The service that asks on the user's behalf (`delegated`), else null; the audit names both. */
  actor: string | null;
  /** Foreign nationals whose data the subgraphs returned, for the read audit. */
  personIds: Set<string>;
}

/**
 * Builds the request context: a verified bearer token (the identity provider's, or the gateway's
 * own assertion passed back by a subgraph), at least one TIMPORA role, the user's rate limit.
 */
export function authenticator(auth: Auth, rateLimitPerMinute = 0) {
  const limit = rateLimitPerMinute > 0 ? rateLimiter(rateLimitPerMinute) : () => null;
  return async (req: http.IncomingMessage): Promise<GatewayContext> => {
    let identity: Identity;
    let delegated: boolean;
    try {
      const token = bearerToken(req.headers.authorization);
      delegated = peekIssuer(token) === IDENTITY_ISSUER;
      identity = await (delegated ? auth.verifyIdentity : auth.verifyUserToken)(token);
    } catch (error) {
      if (error instanceof AuthenticationError) throw errors.unauthenticated(`Not authenticated: ${error.message}`);
      throw error;
    }
    if (identity.roles.length === 0)
      throw errors.forbiddenRequest(
        `The token grants no TIMPORA role; its "roles" claim must name one of: ${ROLES.join(', ')}`,
      );
    const wait = delegated ? null : limit(identity.subject);
    if (wait !== null)
      throw errors.rateLimited(
        `Too many requests: the limit is ${rateLimitPerMinute} a minute per user; retry in ${wait} s`,
        wait,
      );
    const requestId = requestIdOf(req);
    return {
      identity,
      identityToken: await auth.signIdentity!(identity, requestId),
      requestId,
      delegated,
      actor: null,
      personIds: new Set(),
    };
  };
}
