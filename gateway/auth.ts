import http from 'node:http';
import { Auth } from '../lib/auth-config';
import { GATEWAY } from '../lib/assertions';
import { AuthenticationError, bearerToken, Identity, peekIssuer, ROLES } from '../lib/auth';
import { errors } from '../lib/errors';
import { RateLimit } from './rate-limit';
import { Observability, requestIdOf, requestLogFields } from '../lib/observability';

/** What the gateway knows about one request; the audit and the subgraph calls read it. */
export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** A service asking on a user's behalf (oversight's refresh): the user's request was counted. */
  delegated: boolean;
  /** The service that asks on the user's behalf (`delegated`), else null; the audit names both. */
  actor: string | null;
  /** Foreign nationals whose data the subgraphs returned, for the read audit. */
  personIds: Set<string>;
  /** Added to the request's log line (requestLogFields). */
  logFields: Record<string, unknown>;
}

/**
 * Builds the request context: a verified bearer token — the identity provider's, or a service's
 * single-use delegation naming the user it acts for (never an assertion the gateway signed for an
 * agency) — at least one TIMPORA role, and the user's rate limit. Delegated requests do not count
 * against the user's limit: the user's own request that started them did, and each delegation is
 * good for one call within seconds, so a captured one cannot be used to scrape.
 */
export function authenticator(auth: Auth, observability: Observability, rateLimit: RateLimit | null = null) {
  const verifyDelegation = auth.assertionVerifier(GATEWAY);
  const caller = async (token: string) => {
    const issuer = peekIssuer(token);
    if (issuer === GATEWAY)
      throw new AuthenticationError('the gateway never accepts an assertion it signed for an agency', 'own-assertion');
    if (issuer && (await auth.isService(issuer))) return verifyDelegation(token);
    return { identity: await auth.verifyUserToken(token), actor: null };
  };
  return async (req: http.IncomingMessage): Promise<GatewayContext> => {
    let identity: Identity;
    let actor: string | null;
    try {
      ({ identity, actor } = await caller(bearerToken(req.headers.authorization)));
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      observability.credentialsRefused.inc({ reason: error.kind });
      throw errors.unauthenticated(`Not authenticated: ${error.message}`);
    }
    if (identity.roles.length === 0)
      throw errors.forbiddenRequest(
        `The token grants no TIMPORA role; its "roles" claim must name one of: ${ROLES.join(', ')}`,
      );
    const delegated = actor !== null;
    const wait = delegated || !rateLimit ? null : await rateLimit.take(identity.subject);
    if (wait !== null)
      throw errors.rateLimited(
        `Too many requests: the limit is ${rateLimit!.perMinute} a minute per user; retry in ${wait} s`,
        wait,
      );
    return {
      identity,
      requestId: requestIdOf(req),
      delegated,
      actor,
      personIds: new Set(),
      logFields: requestLogFields(req),
    };
  };
}
