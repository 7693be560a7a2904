import { GraphQLError } from 'graphql';

/**
 * A subgraph reading other agencies' data the way any client does: through the gateway, one
 * request per batch. An incomplete answer is an error (its first error's code is kept), never a
 * silently shorter list.
 */
export async function queryGateway<T>(gatewayUrl: string | undefined, query: string, variables: Record<string, unknown>): Promise<T> {
  if (!gatewayUrl) throw new GraphQLError('This service does not know the gateway URL (GATEWAY_URL)', { extensions: { code: 'NOT_CONFIGURED' } });
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  const error = body.errors?.[0];
  if (error || !body.data) {
    throw new GraphQLError(`Other agencies' data came back incomplete: ${error?.message ?? `HTTP ${response.status}`}`, {
      extensions: { code: error?.extensions?.code ?? 'AGENCY_UNAVAILABLE', ...(error?.extensions?.agency ? { agency: error.extensions.agency } : {}) },
    });
  }
  return body.data;
}
