/**
 * Extends an hourly close history back in time with daily closes, so that a statistical model
 * sees the years before its hourly data (the stress library: 2015, 2017, 2018, 2019 crashes;
 * docs/methodology/var-es.md#scenarios).
 *
 * For each asset, every hour before its first hourly close takes the last daily close known at
 * the end of that hour, rescaled to meet the hourly series:
 *
 *   close_h(τ) = s_a · C_d(τ),   d(τ) = the last daily bar whose close time (day start + 24 h)
 *                                        is at or before the hour's close time τ
 *   s_a        = close_h(first hourly bar) / C_d(first hourly bar's close time)
 *
 * The path is a step: flat during a day, the whole day's move at the hour that ends at 00:00
 * UTC. So every 24-hour window of the spliced series holds exactly one daily close-to-close move,
 * and no spliced value depends on a close published after the hour it is dated (no look-ahead,
 * unlike an interpolation between two daily closes). The scale s_a removes the level difference
 * between the sources (Yahoo USD vs Binance USDT), so the junction adds no spurious return.
 *
 * Hours after an asset's first hourly close are never changed (hourly gaps stay NaN); an asset
 * without daily data is left as it was. Highs and lows, when the hourly history has them, are
 * carried for the hourly bars and NaN for the spliced ones (a daily bar has no hourly extreme). Units: prices in the hourly file's quote currency;
 * times ms UTC (bar open times, as PriceHistory).
 */
import { requireInput } from '../errors.js';
import type { PriceHistory } from './price-history.js';
import type { BarHistory } from './align-history.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The hourly history, extended before each asset's first hourly close with its daily closes
 * (module header). The grid starts at the first daily bar's close (a whole UTC day) when that is
 * earlier than the hourly grid; otherwise the hourly history is returned unchanged.
 *
 * @param hourly  hourly closes (stepMs 3,600,000), bar open times
 * @param daily   daily closes (stepMs 86,400,000) with columns named as the hourly assets
 *                (assets absent from `daily` are not extended)
 * @returns       a PriceHistory on the hourly grid, from the earliest daily close
 * @throws InvalidInputError ERR_INVALID_INPUT when the step sizes are not 1 hour and 1 day, or
 *         the grids are not aligned to whole hours / days
 * @see docs/methodology/var-es.md#scenarios
 * @example spliceDailyCloses(hourlyFrom2020, dailyFrom2014).timesMs[0] // 2014-09-17T23:00Z
 */
export function spliceDailyCloses(hourly: PriceHistory, daily: PriceHistory): PriceHistory | BarHistory {
  requireInput(hourly.stepMs === HOUR_MS, 'hourly.stepMs', hourly.stepMs, `must be ${HOUR_MS}`);
  requireInput(daily.stepMs === DAY_MS, 'daily.stepMs', daily.stepMs, `must be ${DAY_MS}`);
  const h0 = hourly.timesMs[0];
  const d0 = daily.timesMs[0];
  if (h0 === undefined || d0 === undefined) return hourly;
  requireInput(h0 % HOUR_MS === 0, 'hourly.timesMs[0]', h0, 'must be a whole hour');
  requireInput(d0 % DAY_MS === 0, 'daily.timesMs[0]', d0, 'must be a whole UTC day');
  // The first spliced bar is the hour that closes with the first daily close (d0 + 1 day).
  const start = d0 + DAY_MS - HOUR_MS;
  if (!(start < h0)) return hourly;
  const extra = (h0 - start) / HOUR_MS;
  const A = hourly.assets.length;
  const T = hourly.timesMs.length + extra;
  const close = new Float64Array(T * A).fill(NaN);
  close.set(hourly.close, extra * A);
  const timesMs = new Float64Array(T);
  for (let t = 0; t < T; t++) timesMs[t] = start + t * HOUR_MS;
  const D = daily.timesMs.length;
  const DA = daily.assets.length;
  hourly.assets.forEach((asset, a) => {
    const da = daily.assets.indexOf(asset);
    if (da < 0) return;
    // First hourly close of the asset (row index in the spliced grid).
    let first = extra;
    while (first < T && !Number.isFinite(close[first * A + a]!)) first++;
    if (first >= T) return;
    // Daily close known at the close time of spliced row t: bar d with d0 + (d + 1)·day ≤ close time.
    const dailyAt = (t: number): number => {
      const d = Math.floor((timesMs[t]! + HOUR_MS - d0) / DAY_MS) - 1;
      return d >= 0 && d < D ? daily.close[d * DA + da]! : NaN;
    };
    const anchor = dailyAt(first);
    // No daily close at the junction: a scale cannot be set, so the asset is not extended.
    if (!(anchor > 0)) return;
    const scale = close[first * A + a]! / anchor;
    for (let t = 0; t < first; t++) {
      const c = dailyAt(t);
      if (c > 0) close[t * A + a] = scale * c;
    }
  });
  const out = { assets: hourly.assets, timesMs, stepMs: HOUR_MS, close };
  if (!('high' in hourly && 'low' in hourly)) return out;
  const bars = hourly as BarHistory;
  const shift = (x: Float64Array) => {
    const y = new Float64Array(T * A).fill(NaN);
    y.set(x, extra * A);
    return y;
  };
  return { ...out, high: shift(bars.high), low: shift(bars.low) };
}
