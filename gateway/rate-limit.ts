/**
 * A token bucket per user: `perMinute` requests a minute, refilled continuously, so a scraper
 * walking the whole population is slowed down while an analyst never notices. Returns null when
 * the request may go, else the seconds to wait.
 */
export function rateLimiter(perMinute: number): (user: string) => number | null {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (user) => {
    const now = Date.now();
    const bucket = buckets.get(user) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(user, bucket);
    if (buckets.size > 10_000) forgetFull(buckets, perMinute, refillPerMs, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
  };
}

/** Buckets that would be full again carry no information: drop them to bound memory. */
function forgetFull(
  buckets: Map<string, { tokens: number; at: number }>,
  capacity: number,
  refillPerMs: number,
  now: number,
) {
  for (const [user, bucket] of buckets) {
    if (bucket.tokens + (now - bucket.at) * refillPerMs >= capacity) buckets.delete(user);
  }
}
