/**
 * @module adapters/http/rate-limit
 *
 * Per-key rate limiting with token buckets: each key holds up to `burst` tokens, refilled at
 * `ratePerSec` tokens per second; a request takes one token (or its cost, heavy-requests.ts) or is
 * refused with the time until enough tokens are back. The clock is passed in (ms), so the limiter is deterministic under test.
 *
 * Memory: one bucket per key seen; when more than `maxBuckets` exist, buckets that are full again
 * (idle keys) are dropped, which changes nothing for them.
 */

/** Limits of every key. */
export interface RateLimitParams {
  /** sustained rate, requests per second (> 0); default 50 */
  readonly ratePerSec: number;
  /** bucket size, requests (≥ 1); default 100 */
  readonly burst: number;
  /** buckets kept before idle ones are dropped; default 10,000 */
  readonly maxBuckets?: number;
}

/** 50 requests/s sustained, bursts of 100. */
export const DEFAULT_RATE_LIMIT: RateLimitParams = { ratePerSec: 50, burst: 100 };

/** The outcome of one request. */
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** Token buckets by key id. */
export class RateLimiter {
  readonly params: RateLimitParams;
  readonly #buckets = new Map<string, Bucket>();

  /** @throws RangeError when a limit is not a positive finite number */
  constructor(params: RateLimitParams = DEFAULT_RATE_LIMIT) {
    if (!(params.ratePerSec > 0 && Number.isFinite(params.ratePerSec)))
      throw new RangeError(`ratePerSec must be a finite number > 0; got ${params.ratePerSec}`);
    if (!(params.burst >= 1 && Number.isFinite(params.burst)))
      throw new RangeError(`burst must be a finite number >= 1; got ${params.burst}`);
    this.params = params;
  }

  /**
   * Takes `cost` tokens (default one, at most `burst`) from `id`'s bucket at time `nowMs` (ms, any
   * monotonic origin); a refusal takes none.
   * @returns ok, or the ms until `cost` tokens are available again
   */
  take(id: string, nowMs: number, cost = 1): RateDecision {
    const { ratePerSec, burst } = this.params;
    let b = this.#buckets.get(id);
    if (!b) {
      if (this.#buckets.size >= (this.params.maxBuckets ?? 10_000)) this.#evictFull(nowMs);
      b = { tokens: burst, lastMs: nowMs };
      this.#buckets.set(id, b);
    }
    const elapsed = Math.max(0, nowMs - b.lastMs);
    b.tokens = Math.min(burst, b.tokens + (elapsed * ratePerSec) / 1000);
    b.lastMs = nowMs;
    const need = Math.min(cost, burst);
    if (b.tokens >= need) {
      b.tokens -= need;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((need - b.tokens) * 1000) / ratePerSec) };
  }

  #evictFull(nowMs: number): void {
    const { ratePerSec, burst } = this.params;
    for (const [id, b] of this.#buckets)
      if (b.tokens + ((nowMs - b.lastMs) * ratePerSec) / 1000 >= burst) this.#buckets.delete(id);
  }
}
