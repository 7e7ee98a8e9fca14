/**
 * A smoothed "stable price" that follows the oracle slowly, for conservative initial margin
 * (in the spirit of Mango v4's stable price model; our own formulation, documented below).
 *
 * Two speed limits:
 * - fast: the stable price S moves toward the oracle by at most `growthLimitPerSec` of S per
 *   elapsed second (0.0003 = 0.03%/s), as long as it stays inside the delay band;
 * - slow: outside the delay band [D·(1 − δ), D·(1 + δ)] it moves by at most δ of S per delay
 *   interval (6%/h), where D is the delay price and δ = `delayGrowthLimit`.
 *
 * The delay price D is the oldest entry of a ring of `delayIntervals` (24) interval averages
 * of the oracle (time-weighted, one per `delayIntervalMs` = 1 h), so it lags the oracle by
 * about a day; each new entry may differ from the previous one by at most δ (6%/h).
 *
 * Net effect: small moves pass within minutes; a large move (genuine or manipulated) is tracked
 * at ≤ 6%/h beyond the band, so a short-lived spike cannot inflate collateral for IM.
 * Invariants (tested): S moves by ≤ S·growthLimitPerSec·Δt; S stays between its previous value
 * and the oracle (never overshoots); S reaches a constant oracle in finite time.
 * Units: prices in quote ccy per unit; times in ms since epoch UTC; limits as fractions.
 */
import { ensureFinite, requireInput } from '../errors.js';

/** Stable price configuration. */
export interface StablePriceParams {
  /** fast limit: fraction of the stable price per second (0.0003 = 0.03%/s), > 0 */
  readonly growthLimitPerSec: number;
  /** δ: fraction per delay interval for the delay series and the slow limit (0.06 = 6%/h), in (0, 1) */
  readonly delayGrowthLimit: number;
  /** length of one delay interval, integer ms > 0 (3,600,000 = 1 h) */
  readonly delayIntervalMs: number;
  /** number of interval averages kept; the delay is about this many intervals (integer ≥ 1) */
  readonly delayIntervals: number;
}

/** Mango v4's published values (ANCHORS.md §2.4): 0.03%/s, 6%/h, hourly, 24 h. */
export const STABLE_PRICE_DEFAULTS: StablePriceParams = Object.freeze({
  growthLimitPerSec: 0.0003, // 0.03% per second
  delayGrowthLimit: 0.06, // 6% per hour
  delayIntervalMs: 3_600_000, // 1 hour
  delayIntervals: 24, // 24 hourly averages: a one-day delay
});

/** The evolving state; never mutated, each update returns a new one. */
export interface StablePriceState {
  /** the stable price S, quote ccy per unit (> 0) */
  readonly stablePrice: number;
  /** time of the last update, ms UTC */
  readonly lastUpdateMs: number;
  /** oracle price at the last update; held until the next update for the time-weighted averages */
  readonly lastOraclePrice: number;
  /** interval averages, oldest first; delayPrices[0] is the delay price D */
  readonly delayPrices: readonly number[];
  /** start of the interval being averaged, ms UTC (a multiple of delayIntervalMs) */
  readonly intervalStartMs: number;
  /** Σ price·Δt over the current interval, quote ccy × ms */
  readonly accumPriceMs: number;
  /** Σ Δt over the current interval, ms */
  readonly accumMs: number;
}

/**
 * Starts a stable price at the oracle: S = oracle, every delay entry = oracle.
 * @param oraclePrice  quote ccy per unit (> 0)
 * @param nowMs        integer ms since epoch UTC
 * @param params       limits and intervals (see `StablePriceParams`)
 * @returns            the initial state
 * @throws InvalidInputError ERR_INVALID_INPUT for a bad price, time or parameter
 * @example initStablePrice(100, Date.UTC(2025, 0, 1), STABLE_PRICE_DEFAULTS).stablePrice // 100
 */
export function initStablePrice(
  oraclePrice: number,
  nowMs: number,
  params: StablePriceParams,
): StablePriceState {
  validateParams(params);
  requirePrice(oraclePrice, 'oraclePrice');
  requireInput(Number.isSafeInteger(nowMs), 'nowMs', nowMs, 'must be an integer ms since epoch');
  return Object.freeze({
    stablePrice: oraclePrice,
    lastUpdateMs: nowMs,
    lastOraclePrice: oraclePrice,
    delayPrices: Object.freeze(new Array<number>(params.delayIntervals).fill(oraclePrice)),
    intervalStartMs: floorTo(nowMs, params.delayIntervalMs),
    accumPriceMs: 0,
    accumMs: 0,
  });
}

/**
 * Advances the stable price to `nowMs` given a new oracle price. Pure: returns a new state.
 *
 *   1. delay series: the previous oracle price is held over [lastUpdateMs, nowMs] and added to
 *      the time-weighted interval average; at each interval boundary the average A is appended
 *      as clamp(A, E·(1 − δ), E·(1 + δ)), E the newest entry, and the oldest entry drops out.
 *   2. D = oldest entry; band = [D·(1 − δ), D·(1 + δ)]; Δt = (nowMs − lastUpdateMs)/1000 s;
 *      g = growthLimitPerSec, g_slow = min(g, δ / interval seconds).
 *      oracle > S: S' = min(oracle, max(S·(1 + g_slow·Δt), min(S·(1 + g·Δt), bandHi)))
 *      oracle < S: S' = max(oracle, min(S·(1 − g_slow·Δt), max(S·(1 − g·Δt), bandLo)))
 *      (factors 1 − x are floored at 0). The fast limit applies up to the band edge, the slow
 *      limit beyond it; S' always lies between S and the oracle.
 *
 * Edge cases: nowMs = lastUpdateMs moves nothing (Δt = 0) but records the oracle price.
 *
 * @param state        the previous state
 * @param oraclePrice  fresh oracle price, quote ccy per unit (> 0); the caller checks freshness
 * @param nowMs        integer ms since epoch UTC, ≥ state.lastUpdateMs
 * @param params       the same parameters as at initialisation
 * @returns            the new state; `stablePrice` in quote ccy per unit
 * @throws InvalidInputError ERR_INVALID_INPUT for a bad price, a time before the last update,
 *         or a state that does not match the parameters
 * @see docs/methodology/oracle.md#stable-price; Mango v4 `state/stable_price.rs` (concept)
 * @example
 * const s0 = initStablePrice(100, 0, STABLE_PRICE_DEFAULTS);
 * updateStablePrice(s0, 200, 1_000, STABLE_PRICE_DEFAULTS).stablePrice // 100·(1 + 0.0003·1) = 100.03
 */
export function updateStablePrice(
  state: StablePriceState,
  oraclePrice: number,
  nowMs: number,
  params: StablePriceParams,
): StablePriceState {
  validateParams(params);
  requirePrice(oraclePrice, 'oraclePrice');
  requireInput(Number.isSafeInteger(nowMs), 'nowMs', nowMs, 'must be an integer ms since epoch');
  requireInput(
    nowMs >= state.lastUpdateMs,
    'nowMs',
    nowMs,
    `must be >= state.lastUpdateMs ${state.lastUpdateMs}`,
  );
  requirePrice(state.stablePrice, 'state.stablePrice');
  requirePrice(state.lastOraclePrice, 'state.lastOraclePrice');
  requireInput(
    state.delayPrices.length === params.delayIntervals,
    'state.delayPrices',
    state.delayPrices.length,
    `must have params.delayIntervals = ${params.delayIntervals} entries`,
  );
  state.delayPrices.forEach((p, i) => requirePrice(p, `state.delayPrices[${i}]`));

  const delay = advanceDelay(state, nowMs, params);
  const d = delay.delayPrices[0]!;
  const delta = params.delayGrowthLimit;
  const bandLo = d * (1 - delta);
  const bandHi = d * (1 + delta);
  const dtSec = (nowMs - state.lastUpdateMs) / 1000;
  const g = params.growthLimitPerSec;
  const gSlow = Math.min(g, delta / (params.delayIntervalMs / 1000));
  const s = state.stablePrice;

  let next = s;
  if (oraclePrice > s) {
    const fastCap = s * (1 + g * dtSec);
    const slowCap = s * (1 + gSlow * dtSec);
    // Fast up to the band's upper edge, at least the slow pace, never past the oracle.
    next = Math.min(oraclePrice, Math.max(slowCap, Math.min(fastCap, bandHi)));
  } else if (oraclePrice < s) {
    const fastFloor = s * Math.max(0, 1 - g * dtSec);
    const slowFloor = s * Math.max(0, 1 - gSlow * dtSec);
    next = Math.max(oraclePrice, Math.min(slowFloor, Math.max(fastFloor, bandLo)));
  }
  ensureFinite(next, 'stable price', { stablePrice: s, oraclePrice, nowMs });

  return Object.freeze({
    stablePrice: next,
    lastUpdateMs: nowMs,
    lastOraclePrice: oraclePrice,
    ...delay,
  });
}

type DelayPart = Pick<StablePriceState, 'delayPrices' | 'intervalStartMs' | 'accumPriceMs' | 'accumMs'>;

/** Step 1 of `updateStablePrice`: rolls the interval averages forward to nowMs. */
function advanceDelay(state: StablePriceState, nowMs: number, params: StablePriceParams): DelayPart {
  const interval = params.delayIntervalMs;
  const delta = params.delayGrowthLimit;
  const held = state.lastOraclePrice; // sample-and-hold: the price in force since the last update
  const ring = [...state.delayPrices];
  let start = state.intervalStartMs;
  let acc = state.accumPriceMs;
  let accMs = state.accumMs;
  let cursor = state.lastUpdateMs;

  while (start + interval <= nowMs) {
    const boundary = start + interval;
    acc += held * (boundary - cursor);
    accMs += boundary - cursor;
    const avg = accMs > 0 ? acc / accMs : held;
    const newest = ring[ring.length - 1]!;
    // The delay series itself moves at most δ per interval.
    ring.push(Math.min(newest * (1 + delta), Math.max(newest * (1 - delta), avg)));
    ring.shift();
    acc = 0;
    accMs = 0;
    cursor = boundary;
    start = boundary;
    // After a long gap every further interval would append `held` again: skip them at once.
    if (ring.every((p) => p === held)) {
      start = floorTo(nowMs, interval);
      cursor = Math.max(cursor, start);
    }
  }
  acc += held * (nowMs - cursor);
  accMs += nowMs - cursor;
  return { delayPrices: Object.freeze(ring), intervalStartMs: start, accumPriceMs: acc, accumMs: accMs };
}

function floorTo(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

function requirePrice(p: number, field: string): void {
  requireInput(Number.isFinite(p) && p > 0, field, p, 'must be finite and > 0');
}

function validateParams(p: StablePriceParams): void {
  requireInput(
    Number.isFinite(p.growthLimitPerSec) && p.growthLimitPerSec > 0,
    'params.growthLimitPerSec',
    p.growthLimitPerSec,
    'must be a fraction per second > 0',
  );
  requireInput(
    p.delayGrowthLimit > 0 && p.delayGrowthLimit < 1,
    'params.delayGrowthLimit',
    p.delayGrowthLimit,
    'must be a fraction in (0, 1)',
  );
  requireInput(
    Number.isSafeInteger(p.delayIntervalMs) && p.delayIntervalMs > 0,
    'params.delayIntervalMs',
    p.delayIntervalMs,
    'must be an integer ms > 0',
  );
  requireInput(
    Number.isSafeInteger(p.delayIntervals) && p.delayIntervals >= 1,
    'params.delayIntervals',
    p.delayIntervals,
    'must be an integer >= 1',
  );
}
