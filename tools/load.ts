import { Pool } from 'undici';

/**
 * A load generator's GraphQL client: keep-alive connections from undici's Pool, whose `request`
 * costs a fraction of `fetch`'s CPU. On these two-core machines the load generator shares the cores
 * with what it measures, so a costly client would be measured as the system's latency.
 */
export interface Answer {
  status: number;
  ms: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

export function graphqlClient(url: string, token: string, connections = 32) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    async ask(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
      const started = performance.now();
      try {
        const response = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.body.json().catch(() => ({}))) as Answer['body'];
        return { status: response.statusCode, ms: performance.now() - started, body };
      } catch (error) {
        return { status: 0, ms: performance.now() - started, body: { errors: [{ message: String(error) }] } };
      }
    },
    close: () => pool.close(),
  };
}

/** Runs `clients` loops of `step` until `ms` have passed or `stop()` says so. */
export async function closedLoop(
  clients: number,
  ms: number,
  step: (client: number) => Promise<unknown>,
  stop = () => false,
) {
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < until && !stop()) await step(client);
    }),
  );
}
