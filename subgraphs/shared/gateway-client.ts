import { IDENTITY_HEADER } from '../../lib/assertions';
import { CODE, errors } from '../../lib/errors';

/**
 * A subgraph reading other agencies' data the way any client does: through the gateway, one
 * request per batch, on behalf of the user who asked (`token`: the gateway's identity assertion
 * this request came with, or a user token for command-line tools). An incomplete answer is an
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
 * Asks another agency's subgraph directly, with the identity assertion of the request being
 * served: for joins on keys that the public API does not expose (`@inaccessible`).
 */
export async function queryPeer<T>(
  peerUrl: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  identityToken: string,
): Promise<T> {
  if (!peerUrl) throw errors.notConfigured("This service does not know the other agency's URL (<AGENCY>_URL)");
  return post<T>(peerUrl, query, variables, { [IDENTITY_HEADER]: identityToken });
}

async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
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
