import http from 'node:http';
import { graphqlErrorBody, sendJson } from '../lib/http-server';

/**
 * A token bucket per client: `perMinute` requests a minute, refilled continuously, so a scraper
 * walking the whole population is slowed down while an analyst never notices. Clients are told
 * apart by address until authentication names the user.
 */
export function rateLimitInterceptor(perMinute: number, clientOf = (req: http.IncomingMessage) => req.socket.remoteAddress ?? 'unknown') {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const now = Date.now();
    const client = clientOf(req);
    const bucket = buckets.get(client) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(client, bucket);
    if (buckets.size > 10_000) forgetFull(buckets, perMinute, refillPerMs, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return false;
    }
    const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
    res.setHeader('retry-after', String(retryAfter));
    sendJson(res, 429, graphqlErrorBody(`Too many requests: the limit is ${perMinute} a minute; retry in ${retryAfter} s`, 'RATE_LIMITED'));
    return true;
  };
}

/** Buckets that would be full again carry no information: drop them to bound memory. */
function forgetFull(buckets: Map<string, { tokens: number; at: number }>, capacity: number, refillPerMs: number, now: number) {
  for (const [client, bucket] of buckets) {
    if (bucket.tokens + (now - bucket.at) * refillPerMs >= capacity) buckets.delete(client);
  }
}
