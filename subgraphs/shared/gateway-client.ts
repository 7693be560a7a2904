import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER } from '../../lib/assertions';
import { CODE, errors } from '../../lib/errors';

/**
 * A subgraph reading other agencies' data the way any client does: through the gateway, one
 * request per batch, on behalf of the user who asked (`token`: a fresh delegation from
 * SubgraphContext.delegate(GATEWAY), or a user token for command-line tools). An incomplete answer is an
 * error (its first error's code is kept), never a silently shorter list.
 */
export async function queryGateway<T>(
  gatewayUrl: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  if (!gatewayUrl) throw errors.notConfigured('This service does not know the gateway URL (GATEWAY_URL)');
  return post<T>(gatewayUrl, query, variables, { authorization: `Bearer ${token}` });
}

/**
 * Asks another agency's subgraph directly, with a fresh delegation for the user being served
 * (SubgraphContext.delegate): for joins on keys that the public API does not expose (`@inaccessible`).
 */
export async function queryPeer<T>(
  peerUrl: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  identityToken: string,
  /** Gives up after this long (AbortSignal.timeout); none: waits as long as the peer takes. */
  timeoutMs?: number,
): Promise<T> {
  if (!peerUrl) throw errors.notConfigured("This service does not know the other agency's URL (<AGENCY>_URL)");
  const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  return post<T>(peerUrl, query, variables, { [IDENTITY_HEADER]: identityToken }, signal);
}

/** Another agency as a caller names it: its subgraph name (SubgraphContext.peerUrl) and how analysts know it. */
export interface Peer {
  name: string;
  label: string;
}

/** What a subgraph needs to ask a peer on the user's behalf (SubgraphContext has both). */
export interface PeerAccess {
  peerUrl: (name: string) => string | undefined;
  delegate: (audience: string) => Promise<string>;
}

/**
 * One peer call for data that is only part of an answer (links, a timeline): with a fresh
 * single-use delegation for the user being served, within `timeoutMs`. Whatever goes wrong becomes
 * one error naming the agency (`extensions.agency`) and `missing`, what the answer lacks: the
 * peer's refusal of the user's role stays FORBIDDEN (its own READERS decide), an unknown URL
 * NOT_CONFIGURED, and anything else (down, timed out, failing) is AGENCY_UNAVAILABLE. The caller
 * answers without that part and notes the error (SubgraphContext.missing).
 */
export async function askPeer<T>(
  context: PeerAccess,
  peer: Peer,
  query: string,
  variables: Record<string, unknown>,
  options: { missing: string; timeoutMs: number },
): Promise<T> {
  try {
    const token = await context.delegate(peer.name);
    return await queryPeer<T>(context.peerUrl(peer.name), query, variables, token, options.timeoutMs);
  } catch (error) {
    throw peerError(peer, error as Error, options);
  }
}

function peerError(peer: Peer, error: Error, { missing, timeoutMs }: { missing: string; timeoutMs: number }) {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  const cause = (error.cause as { code?: string } | undefined)?.code;
  const reason =
    error.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : cause
        ? `${error.message}: ${cause}`
        : error.message;
  const lacking = `${missing} are missing from this answer (${reason})`;
  if (code === CODE.FORBIDDEN) return errors.passedOn(`${peer.label} refused: ${lacking}`, { code, agency: peer.name });
  if (code === CODE.NOT_CONFIGURED)
    return errors.passedOn(`${peer.label} cannot be asked: ${lacking}`, { code, agency: peer.name });
  return errors.agencyUnavailable(`${peer.label} is unavailable; ${lacking}`, peer.name);
}

/**
 * The peer's own entity resolution (`_entities`, the protocol the gateway uses for @requires), for
 * a list of representations in one call: the owner's resolvers, matching rules and READERS answer
 * exactly as they do for the gateway. One result per representation, in their order.
 */
export async function askPeerEntities<T>(
  context: PeerAccess,
  peer: Peer,
  typename: string,
  representations: Record<string, unknown>[],
  selection: string,
  options: { missing: string; timeoutMs: number },
): Promise<(T | null)[]> {
  if (representations.length === 0) return [];
  const { _entities } = await askPeer<{ _entities: (T | null)[] }>(
    context,
    peer,
    entitiesQuery(typename, selection),
    { representations: representations.map((representation) => ({ __typename: typename, ...representation })) },
    options,
  );
  return _entities;
}

/** The document askPeerEntities sends (exported so tests can validate it against the peer's schema). */
export function entitiesQuery(typename: string, selection: string): string {
  return `query PeerEntities($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
}

async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  const error = body.errors?.[0];
  if (error || !body.data) {
    throw errors.passedOn(`Other agencies' data came back incomplete: ${error?.message ?? `HTTP ${response.status}`}`, {
      code: error?.extensions?.code ?? CODE.AGENCY_UNAVAILABLE,
      ...(error?.extensions?.agency ? { agency: error.extensions.agency } : {}),
    });
  }
  return body.data;
}
