/**
 * Stablecoin depeg history and the haircut floors it implies
 * (docs/methodology/collateral.md#depeg-scenarios).
 *
 * From daily closes in USD (Yahoo `<COIN>-USD`), per coin: the worst close-to-close day
 * (c_t/c_{t−1} − 1), the worst close below par (1 − min close) and, when lows are given, the
 * worst intraday low below par. Floor rule for a stablecoin's haircut:
 *
 *   IM floor = min(1, max(worst day fall, worst close below par)),  MM floor = mmFraction·IM floor
 *
 * from the coin's own history when it has at least `minHistoryDays` closes, else from a
 * "generic stable": per statistic, the `genericQuantile` quantile (upper, nearest rank) over the
 * coins that have enough history. Units: returns and deviations are fractions (0.0280 = 2.80%),
 * positive = a loss; times ms UTC (bar open = the UTC day). Missing closes (NaN) are skipped and
 * break the day-over-day chain (no return across a gap).
 */
import { requireInput } from '../errors.js';
import type { PriceHistory } from '../history/price-history.js';

/** Depeg statistics of one stablecoin over its shipped history. */
export interface DepegStats {
  readonly asset: string;
  /** daily closes used (non-NaN) */
  readonly days: number;
  /** first and last day with a close, ms UTC (NaN when none) */
  readonly firstMs: number;
  readonly lastMs: number;
  /** worst close-to-close simple return, fraction (e.g. −0.6231), 0 when no fall */
  readonly worstDailyReturn: number;
  /** day of that close, ms UTC (NaN when no fall) */
  readonly worstDailyMs: number;
  /** lowest close */
  readonly minClose: number;
  /** max(0, 1 − lowest close), fraction */
  readonly worstCloseBelowPar: number;
  readonly worstCloseMs: number;
  /** max(0, 1 − lowest low), fraction; NaN when no lows were given */
  readonly worstLowBelowPar: number;
  readonly worstLowMs: number;
}

/** The floor rule's parameters. */
export interface DepegFloorRule {
  /** closes a coin needs to use its own history (integer ≥ 2), e.g. 365 */
  readonly minHistoryDays: number;
  /** quantile in [0, 1] of each statistic across coins that defines the generic stable, e.g. 0.75 */
  readonly genericQuantile: number;
  /** MM floor = mmFraction · IM floor, in [0, 1], e.g. 0.5 */
  readonly mmFraction: number;
}

/** A stablecoin's haircut floor and where it comes from. */
export interface DepegFloor {
  readonly im: number;
  readonly mm: number;
  /** 'own' history, or the 'generic' stable */
  readonly source: 'own' | 'generic';
  /** the statistics used: worst day fall and worst close below par, fractions ≥ 0 */
  readonly worstDayFall: number;
  readonly worstCloseBelowPar: number;
}

/** Default rule (docs/methodology/collateral.md#depeg-scenarios). */
export const DEFAULT_DEPEG_FLOOR_RULE: DepegFloorRule = {
  minHistoryDays: 365, // days
  genericQuantile: 0.75,
  mmFraction: 0.5,
};

/**
 * Depeg statistics of every column of a daily history.
 *
 * @param history  daily closes in USD (T × A, NaN = no bar); bar open times ms UTC
 * @param lows     optional T × A daily lows, same layout (e.g. `BarHistory.low`)
 * @returns        one {@link DepegStats} per asset, in column order
 * @throws InvalidInputError ERR_INVALID_INPUT when `lows` has the wrong length
 * @see docs/methodology/collateral.md#depeg-scenarios
 * @example computeDepegStats(loadDailyHistory({ symbols: ['UST-USD'] }))[0].worstDailyReturn // −0.6231
 */
export function computeDepegStats(history: PriceHistory, lows?: Float64Array): DepegStats[] {
  const A = history.assets.length;
  const T = history.timesMs.length;
  if (lows !== undefined)
    requireInput(lows.length === T * A, 'lows.length', lows.length, `must equal ${T * A}`);
  return history.assets.map((asset, a) => {
    let days = 0;
    let firstMs = NaN;
    let lastMs = NaN;
    let worstDailyReturn = 0;
    let worstDailyMs = NaN;
    let minClose = Infinity;
    let worstCloseMs = NaN;
    let minLow = Infinity;
    let worstLowMs = NaN;
    let prev = NaN;
    for (let t = 0; t < T; t++) {
      const c = history.close[t * A + a]!;
      const low = lows?.[t * A + a] ?? NaN;
      if (low < minLow) {
        minLow = low;
        worstLowMs = history.timesMs[t]!;
      }
      if (!(c > 0)) {
        prev = NaN; // a gap breaks the chain: no return is invented across it
        continue;
      }
      const ms = history.timesMs[t]!;
      days++;
      if (Number.isNaN(firstMs)) firstMs = ms;
      lastMs = ms;
      if (c < minClose) {
        minClose = c;
        worstCloseMs = ms;
      }
      if (prev > 0) {
        const r = c / prev - 1;
        if (r < worstDailyReturn) {
          worstDailyReturn = r;
          worstDailyMs = ms;
        }
      }
      prev = c;
    }
    return {
      asset,
      days,
      firstMs,
      lastMs,
      worstDailyReturn,
      worstDailyMs,
      minClose: days > 0 ? minClose : NaN,
      worstCloseBelowPar: days > 0 ? Math.max(0, 1 - minClose) : NaN,
      worstCloseMs,
      worstLowBelowPar: Number.isFinite(minLow) ? Math.max(0, 1 - minLow) : NaN,
      worstLowMs,
    };
  });
}

/** Upper nearest-rank quantile: the ⌈q·n⌉-th smallest (the largest when q = 1). */
function upperQuantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((x, y) => x - y);
  const k = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)));
  return s[k - 1]!;
}

function floorOf(
  fall: number,
  belowPar: number,
  source: DepegFloor['source'],
  rule: DepegFloorRule,
): DepegFloor {
  const im = Math.min(1, Math.max(fall, belowPar));
  return { im, mm: rule.mmFraction * im, source, worstDayFall: fall, worstCloseBelowPar: belowPar };
}

/**
 * The generic stable's floor: per statistic, the rule's quantile over coins with enough history.
 *
 *   fall_g = Q_q{ −worstDailyReturn },  belowPar_g = Q_q{ worstCloseBelowPar }  (upper nearest rank)
 *
 * @param stats  every coin's statistics (coins with fewer than minHistoryDays closes are ignored)
 * @param rule   the floor rule
 * @returns      the generic floor, or undefined when no coin has enough history
 * @throws InvalidInputError ERR_INVALID_INPUT on a rule out of range
 */
export function computeGenericDepegFloor(
  stats: readonly DepegStats[],
  rule: DepegFloorRule,
): DepegFloor | undefined {
  checkRule(rule);
  const eligible = stats.filter((s) => s.days >= rule.minHistoryDays);
  if (eligible.length === 0) return undefined;
  const fall = upperQuantile(
    eligible.map((s) => -s.worstDailyReturn),
    rule.genericQuantile,
  );
  const par = upperQuantile(
    eligible.map((s) => s.worstCloseBelowPar),
    rule.genericQuantile,
  );
  return floorOf(fall, par, 'generic', rule);
}

/**
 * A stablecoin's haircut floor by the rule of the module header.
 *
 * @param stats    the coin's statistics, or undefined when it has no shipped history
 * @param generic  the generic stable's floor ({@link computeGenericDepegFloor})
 * @param rule     the floor rule
 * @returns        IM/MM floors (fractions in [0, 1], IM ≥ MM) and their source
 * @throws InvalidInputError ERR_INVALID_INPUT on a rule out of range
 * @example computeDepegFloor(usdcStats, generic, DEFAULT_DEPEG_FLOOR_RULE) // own: max(day fall, below par)
 */
export function computeDepegFloor(
  stats: DepegStats | undefined,
  generic: DepegFloor,
  rule: DepegFloorRule,
): DepegFloor {
  checkRule(rule);
  if (stats === undefined || stats.days < rule.minHistoryDays) return generic;
  return floorOf(-stats.worstDailyReturn, stats.worstCloseBelowPar, 'own', rule);
}

function checkRule(rule: DepegFloorRule): void {
  requireInput(
    Number.isInteger(rule.minHistoryDays) && rule.minHistoryDays >= 2,
    'minHistoryDays',
    rule.minHistoryDays,
    'must be an integer >= 2',
  );
  requireInput(
    rule.genericQuantile >= 0 && rule.genericQuantile <= 1,
    'genericQuantile',
    rule.genericQuantile,
    'must be in [0, 1]',
  );
  requireInput(
    rule.mmFraction >= 0 && rule.mmFraction <= 1,
    'mmFraction',
    rule.mmFraction,
    'must be in [0, 1]',
  );
}
