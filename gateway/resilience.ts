import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';

/** How the gateway calls one agency; every field has a default that fits a lookup. */
export interface ResilienceOptions {
  /**
   * Longest wait for one call's whole answer, in milliseconds.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Longest wait for a connection, in milliseconds.
   * @default 1000
   */
  connectTimeoutMs?: number;
  /**
   * Consecutive failures (no answer, a timeout, HTTP 5xx) that open the breaker.
   * @default 5
   */
  breakerFailures?: number;
  /**
   * How long an open breaker fails fast before one probe call may try the agency again, in ms.
   * @default 5000
   */
  halfOpenAfterMs?: number;
  /**
   * Calls in flight to the agency at once; as many more may wait, beyond that calls fail fast.
   * @default 64
   */
  maxInFlight?: number;
  /**
   * Retries of a failed query (never of a mutation), with jittered exponential backoff.
   * @default 1
   */
  retries?: number;
  /**
   * Share of calls that may be retries, so that retries cannot multiply the load on an agency in
   * trouble.
   * @default 0.1
   */
  retryBudget?: number;
}

export const DEFAULT_RESILIENCE: Required<ResilienceOptions> = {
  timeoutMs: 5000,
  connectTimeoutMs: 1000,
  breakerFailures: 5,
  halfOpenAfterMs: 5000,
  maxInFlight: 64,
  retries: 1,
  retryBudget: 0.1,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Why a call did not reach the agency, when it was the policy that said no. */
export class PolicyRefusal extends Error {}

/** An error that means the agency is in trouble (as opposed to its refusal of a bad request). */
export type IsOutage = (error: Error) => boolean;

/**
 * The per-agency resilience policy, from `layers` of settings (the gateway's, then the agency's;
 * a later one wins, an undefined value keeps the one before): a bulkhead (calls in flight), a circuit breaker (fails fast
 * while the agency is down, probes half-open), a total timeout, and retries for queries within a
 * retry budget. Built with cockatiel; the gateway names the agency in every refusal.
 */
export function useResilience(layers: (ResilienceOptions | undefined)[], isOutage: IsOutage) {
  const given = layers.flatMap((layer) => Object.entries(layer ?? {}).filter(([, value]) => value !== undefined));
  const settings: Required<ResilienceOptions> = { ...DEFAULT_RESILIENCE, ...Object.fromEntries(given) };
  // A timeout is an outage too: a frozen agency must open the breaker like a dead one.
  const failed = (error: Error) =>
    error instanceof TaskCancelledError || (!(error instanceof PolicyRefusal) && isOutage(error));
  const outage = handleWhen(failed);
  const breaker = circuitBreaker(outage, {
    halfOpenAfter: settings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.breakerFailures),
  });
  const limit = bulkhead(settings.maxInFlight, settings.maxInFlight);
  // The call ignores the policy's abort signal (undici's own timeouts end the request), so no
  // abort on return: aborting builds a DOMException with its stack on every call, ~2 % of the gateway's CPU.
  const deadline = timeout(settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  const budget = retryBudget(settings.retryBudget);
  const retrying = retry(
    handleWhen((error) => failed(error) && budget.spend()),
    { maxAttempts: settings.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }) },
  );
  const once = wrap(limit, breaker, deadline);
  const withRetries = wrap(retrying, once);
  let openedAt: Date | null = null;
  breaker.onStateChange((state) => {
    openedAt = state === CircuitState.Open ? new Date() : state === CircuitState.Closed ? null : openedAt;
  });
  return {
    settings,
    /** Runs one call to the agency; `idempotent` calls (queries) may be retried. */
    async execute<T>(call: () => Promise<T>, idempotent: boolean): Promise<T> {
      // While one probe call tests a half-open breaker, cockatiel makes every other call wait for
      // it (up to the timeout): fail those fast instead, as while it is open.
      if (breaker.state === CircuitState.HalfOpen)
        throw new PolicyRefusal(`its circuit breaker is open; one call is probing whether it is back`);
      budget.deposit();
      try {
        return await (idempotent ? withRetries : once).execute(call);
      } catch (error) {
        throw refusalOf(error, settings, openedAt) ?? error;
      }
    },
    state(): BreakerState {
      return breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated
        ? 'open'
        : breaker.state === CircuitState.HalfOpen
          ? 'half-open'
          : 'closed';
    },
    openedAt: () => openedAt,
    onStateChange: (listener: (state: BreakerState) => void) =>
      breaker.onStateChange((state) =>
        listener(state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open'),
      ),
  };
}

export type AgencyPolicy = ReturnType<typeof useResilience>;

/** cockatiel's refusals in words an analyst can act on. */
function refusalOf(error: unknown, settings: Required<ResilienceOptions>, openedAt: Date | null): PolicyRefusal | null {
  if (error instanceof BrokenCircuitError)
    return new PolicyRefusal(
      `its circuit breaker is open after ${settings.breakerFailures} failed calls` +
        `${openedAt ? ` (since ${openedAt.toISOString()})` : ''}; the gateway tries again within ${settings.halfOpenAfterMs} ms`,
    );
  if (error instanceof BulkheadRejectedError)
    return new PolicyRefusal(`${settings.maxInFlight} calls to it are in flight and as many waiting`);
  if (error instanceof TaskCancelledError) return new PolicyRefusal(`no answer within ${settings.timeoutMs} ms`);
  return null;
}

/** Retries may be at most `share` of the calls: each call earns `share` of a retry, up to ten. */
function retryBudget(share: number) {
  let tokens = 1;
  return {
    deposit: () => {
      tokens = Math.min(10, tokens + share);
    },
    spend: () => {
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
