/**
 * Aggregation of several oracle quotes of one asset into one index price, failing closed.
 *
 * Steps: reject invalid, future-dated, stale and low-confidence quotes; take the median of the
 * rest; reject outliers against that median; take the median again; refuse with
 * ERR_ORACLE_INSUFFICIENT_SOURCES when fewer than `minSources` remain; return the median, or
 * (capped median) the equal-weighted mean of the prices clamped to ±cap around the median.
 *
 * The result is independent of the input order, bit for bit: every step works on quotes
 * sorted by (source, price, timestamp). Units: prices in quote ccy per unit; times in ms UTC;
 * fractions as plain fractions (0.005 = 0.5%).
 */
import { RiskError, requireInput } from '../errors.js';

/** One source's latest price. */
export interface OracleQuote {
  /** source name, unique within one call (e.g. "binance") */
  readonly source: string;
  /** quote ccy per unit (> 0) */
  readonly price: number;
  /** when the source observed the price, integer ms since epoch UTC */
  readonly timestampMs: number;
  /** source-reported confidence in [0, 1], 1 = full confidence (Derive style) */
  readonly confidence?: number;
}

/** How quotes are combined. */
export type OracleMethod = 'median' | 'cappedMedian';

/** Aggregation parameters. */
export interface OracleParams {
  readonly method: OracleMethod;
  /** clamp half-width as a fraction of the median, in [0, 1) (0.005 = ±0.5%); required for cappedMedian */
  readonly capFraction?: number;
  /** a quote older than this is stale: nowMs − timestampMs > maxAgeMs (ms, ≥ 0) */
  readonly maxAgeMs: number;
  /** outlier limit: |p − median|/median > maxDeviation is rejected (fraction, > 0) */
  readonly maxDeviation: number;
  /** fewest quotes that must survive every filter (integer ≥ 1) */
  readonly minSources: number;
  /** reject quotes whose confidence is below this, or absent, when set (fraction in [0, 1]) */
  readonly minConfidence?: number;
  /** tolerated clock skew for timestamps after nowMs (ms, ≥ 0); default DEFAULT_MAX_FUTURE_SKEW_MS */
  readonly maxFutureSkewMs?: number;
}

/** Default tolerance for quotes timestamped after `nowMs`: 1,000 ms (1 second of clock skew). */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 1_000;

/** Why a quote was not used. */
export type OracleRejectionReason = 'invalid' | 'future' | 'stale' | 'lowConfidence' | 'outlier';

/** One rejected quote, with the rule it broke. */
export interface OracleRejection {
  readonly source: string;
  readonly reason: OracleRejectionReason;
  /** human-readable rule and values, e.g. "age 200000 ms > maxAgeMs 180000" */
  readonly detail: string;
}

/** Aggregated price with diagnostics. */
export interface OracleResult {
  /** the index price, quote ccy per unit */
  readonly price: number;
  readonly method: OracleMethod;
  /** sources used, sorted by name */
  readonly used: readonly string[];
  /** every rejected quote, sorted by source */
  readonly rejected: readonly OracleRejection[];
  /** median of the used prices, quote ccy per unit */
  readonly median: number;
  /** timestamp of the oldest used quote, ms UTC */
  readonly oldestUsedMs: number;
  /** min confidence of the used quotes; present only when every used quote reports one */
  readonly confidence?: number;
}

/**
 * Aggregates oracle quotes of one asset into one price.
 *
 *   1. invalid:   price not finite or ≤ 0, timestamp not an integer, empty source name,
 *                 confidence outside [0, 1], or a source name that appears more than once
 *                 (every copy rejected: which one is right is unknowable, and keeping one would
 *                 let a source be counted twice or depend on input order)
 *   2. future:    timestampMs − nowMs > maxFutureSkewMs
 *   3. stale:     nowMs − timestampMs > maxAgeMs
 *   4. lowConfidence: minConfidence set and confidence < minConfidence or absent
 *   5. m0 = median(remaining); outlier: |p − m0|/m0 > maxDeviation (one pass)
 *   6. m = median(survivors); fewer than minSources survivors → ERR_ORACLE_INSUFFICIENT_SOURCES
 *   7. median:       price = m
 *      cappedMedian: price = mean_i clamp(p_i, m·(1 − cap), m·(1 + cap))
 *
 * Guarantees: price ∈ [m·(1 − cap), m·(1 + cap)] (cappedMedian) and price ∈ [min, max] of the
 * used prices; stale, future and invalid quotes never appear in `used`; the result is the
 * same bit for bit for any order of `quotes`.
 *
 * @param quotes  one quote per source (any order)
 * @param params  method, cap, staleness, outlier and source-count rules (see `OracleParams`)
 * @param nowMs   aggregation time, integer ms since epoch UTC
 * @returns       price (quote ccy per unit) with used/rejected sources, median, oldest used time
 * @throws InvalidInputError ERR_INVALID_INPUT for invalid params or nowMs
 * @throws RiskError ERR_ORACLE_INSUFFICIENT_SOURCES when fewer than minSources quotes survive
 *         (details: usedCount, minSources, rejected, nowMs) — the caller must not fall back
 *         to a guess
 * @see docs/methodology/oracle.md; Deribit index methodology (capped median, ±0.5%)
 * @example
 * aggregateOracle(
 *   [{ source: 'a', price: 100, timestampMs: 0 }, { source: 'b', price: 101, timestampMs: 0 }, { source: 'c', price: 130, timestampMs: 0 }],
 *   { method: 'cappedMedian', capFraction: 0.005, maxAgeMs: 180_000, maxDeviation: 0.1, minSources: 2 }, 1_000,
 * ).price // c is an outlier; median of a, b = 100.5; clamps are inactive → 100.5
 */
export function aggregateOracle(
  quotes: readonly OracleQuote[],
  params: OracleParams,
  nowMs: number,
): OracleResult {
  validateParams(params);
  requireInput(Number.isSafeInteger(nowMs), 'nowMs', nowMs, 'must be an integer ms since epoch');
  requireInput(Array.isArray(quotes), 'quotes', quotes, 'must be an array');
  const skew = params.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;

  // Sort once by (source, price, timestamp): every later list inherits this order, which makes
  // the whole result independent of the caller's order.
  const sorted = [...quotes].sort(compareQuotes);
  const counts = new Map<string, number>();
  for (const q of sorted) counts.set(q.source, (counts.get(q.source) ?? 0) + 1);

  const rejected: OracleRejection[] = [];
  const fresh: OracleQuote[] = [];
  for (const q of sorted) {
    const reason = screen(q, counts, params, nowMs, skew);
    if (reason === undefined) fresh.push(q);
    else rejected.push(reason);
  }

  const survivors: OracleQuote[] = []; // stays in (source, price, timestamp) order
  if (fresh.length > 0) {
    const m0 = medianOf(fresh);
    for (const q of fresh) {
      const dev = Math.abs(q.price - m0) / m0;
      if (dev > params.maxDeviation) {
        rejected.push({
          source: q.source,
          reason: 'outlier',
          detail: `|${q.price} − median ${m0}|/median = ${dev} > maxDeviation ${params.maxDeviation}`,
        });
      } else {
        survivors.push(q);
      }
    }
  }
  rejected.sort(
    (a, b) => cmpStr(a.source, b.source) || cmpStr(a.reason, b.reason) || cmpStr(a.detail, b.detail),
  );

  if (survivors.length < params.minSources) {
    throw new RiskError(
      'ERR_ORACLE_INSUFFICIENT_SOURCES',
      `oracle has ${survivors.length} usable source(s), fewer than minSources ${params.minSources}; ` +
        `rejected: ${rejected.map((r) => `${r.source} (${r.reason})`).join(', ') || 'none'}`,
      { usedCount: survivors.length, minSources: params.minSources, rejected, nowMs },
    );
  }

  const m = medianOf(survivors);
  let price = m;
  if (params.method === 'cappedMedian') {
    const cap = params.capFraction!; // validated above for this method
    const lo = m * (1 - cap);
    const hi = m * (1 + cap);
    // Sum in ascending price order: a fixed order (bit-identical results) with small terms first.
    const clamped = survivors.map((q) => Math.min(hi, Math.max(lo, q.price))).sort((a, b) => a - b);
    let sum = 0;
    for (const c of clamped) sum += c;
    // Float rounding of sum/n can step one ulp outside [min, max] of the clamped values (e.g.
    // three copies of 0.1); clamp back so the documented bounds hold exactly.
    price = Math.min(clamped[clamped.length - 1]!, Math.max(clamped[0]!, sum / clamped.length));
  }

  let oldestUsedMs = Infinity;
  let confidence: number | undefined = 1;
  for (const q of survivors) {
    oldestUsedMs = Math.min(oldestUsedMs, q.timestampMs);
    // Conservative: the index is only as confident as its least confident input.
    confidence =
      confidence === undefined || q.confidence === undefined ? undefined : Math.min(confidence, q.confidence);
  }
  const result: OracleResult = {
    price,
    method: params.method,
    used: Object.freeze(survivors.map((q) => q.source)),
    rejected: Object.freeze(rejected.map((r) => Object.freeze(r))),
    median: m,
    oldestUsedMs,
    ...(confidence === undefined ? {} : { confidence }),
  };
  return Object.freeze(result);
}

/** Returns the rejection of a quote by rules 1–4, or undefined when it passes. */
function screen(
  q: OracleQuote,
  counts: ReadonlyMap<string, number>,
  params: OracleParams,
  nowMs: number,
  skew: number,
): OracleRejection | undefined {
  const source = String(q.source);
  const invalid = (detail: string): OracleRejection => ({ source, reason: 'invalid', detail });
  if (typeof q.source !== 'string' || q.source.length === 0)
    return invalid('source must be a non-empty string');
  if ((counts.get(q.source) ?? 0) > 1) return invalid(`source appears ${counts.get(q.source)} times`);
  if (!(Number.isFinite(q.price) && q.price > 0))
    return invalid(`price must be finite and > 0; got ${q.price}`);
  if (!Number.isSafeInteger(q.timestampMs))
    return invalid(`timestampMs must be an integer ms; got ${q.timestampMs}`);
  if (q.confidence !== undefined && !(q.confidence >= 0 && q.confidence <= 1)) {
    return invalid(`confidence must be in [0, 1]; got ${q.confidence}`);
  }
  const ahead = q.timestampMs - nowMs;
  if (ahead > skew) {
    return {
      source,
      reason: 'future',
      detail: `timestamp ${ahead} ms after nowMs > maxFutureSkewMs ${skew}`,
    };
  }
  const age = nowMs - q.timestampMs;
  if (age > params.maxAgeMs) {
    return { source, reason: 'stale', detail: `age ${age} ms > maxAgeMs ${params.maxAgeMs}` };
  }
  if (params.minConfidence !== undefined) {
    if (q.confidence === undefined) {
      // Fail closed: a set minConfidence means "only sources that vouch for themselves".
      return {
        source,
        reason: 'lowConfidence',
        detail: `no confidence reported; minConfidence ${params.minConfidence}`,
      };
    }
    if (q.confidence < params.minConfidence) {
      return {
        source,
        reason: 'lowConfidence',
        detail: `confidence ${q.confidence} < minConfidence ${params.minConfidence}`,
      };
    }
  }
  return undefined;
}

/** Median of quote prices (mean of the two middle prices for an even count); non-empty input. */
function medianOf(quotes: readonly OracleQuote[]): number {
  const prices = quotes.map((q) => q.price).sort((a, b) => a - b);
  const n = prices.length;
  const hi = prices[n >> 1]!;
  if (n % 2 === 1) return hi;
  const lo = prices[(n >> 1) - 1]!;
  return lo + (hi - lo) / 2; // no overflow, and lo ≤ result ≤ hi
}

function validateParams(p: OracleParams): void {
  requireInput(
    p.method === 'median' || p.method === 'cappedMedian',
    'params.method',
    p.method,
    "must be 'median' or 'cappedMedian'",
  );
  if (p.method === 'cappedMedian' || p.capFraction !== undefined) {
    const c = p.capFraction;
    requireInput(
      c !== undefined && Number.isFinite(c) && c >= 0 && c < 1,
      'params.capFraction',
      c,
      'must be a fraction in [0, 1) (0.005 = ±0.5%)',
    );
  }
  requireInput(
    Number.isFinite(p.maxAgeMs) && p.maxAgeMs >= 0,
    'params.maxAgeMs',
    p.maxAgeMs,
    'must be finite and >= 0 (ms)',
  );
  requireInput(
    Number.isFinite(p.maxDeviation) && p.maxDeviation > 0,
    'params.maxDeviation',
    p.maxDeviation,
    'must be a fraction > 0',
  );
  requireInput(
    Number.isSafeInteger(p.minSources) && p.minSources >= 1,
    'params.minSources',
    p.minSources,
    'must be an integer >= 1',
  );
  if (p.minConfidence !== undefined) {
    requireInput(
      p.minConfidence >= 0 && p.minConfidence <= 1,
      'params.minConfidence',
      p.minConfidence,
      'must be in [0, 1]',
    );
  }
  if (p.maxFutureSkewMs !== undefined) {
    requireInput(
      Number.isFinite(p.maxFutureSkewMs) && p.maxFutureSkewMs >= 0,
      'params.maxFutureSkewMs',
      p.maxFutureSkewMs,
      'must be finite and >= 0 (ms)',
    );
  }
}

function compareQuotes(a: OracleQuote, b: OracleQuote): number {
  return (
    cmpStr(String(a.source), String(b.source)) ||
    cmpNum(a.price, b.price) ||
    cmpNum(a.timestampMs, b.timestampMs) ||
    cmpNum(a.confidence ?? -1, b.confidence ?? -1)
  );
}

/** Code-unit order (not locale order): deterministic on every platform. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order on numbers including NaN (NaN last), so sorting is deterministic on bad input. */
function cmpNum(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
