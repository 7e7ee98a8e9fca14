/**
 * How often a margin rate is exceeded by the move within one bar, extremes included: for each
 * bar t with a previous close c₀ and a high H and low L,
 *
 *   adverse_t = max(H / c₀ − 1, 1 − L / c₀)     (a short's loss at the high, a long's at the low)
 *
 * and the share of bars with adverse_t > rate. On hourly bars this is the test of a leverage cap
 * "as perpetual venues run them": a position marked and liquidated within the hour loses at most
 * the hour's excursion from the last close. Bars without a previous close, high or low are
 * skipped. Units: fractions; counts of bars.
 */
import { requireInput } from '../errors.js';
import type { BarHistory } from './align-history.js';

/** Exceedances of one rate by one asset's intrabar moves. */
export interface IntrabarExceedance {
  readonly asset: string;
  readonly rate: number;
  readonly bars: number;
  readonly exceedances: number;
  /** exceedances / bars (NaN with no bar) */
  readonly share: number;
}

/**
 * Share of bars whose adverse excursion from the previous close exceeds `rate` (module header).
 * @param fromMs, toMs  bars whose open time is in [fromMs, toMs)
 * @throws InvalidInputError ERR_INVALID_INPUT for a rate outside (0, 1) or an unknown asset
 * @example intrabarExceedance(hourly, 'BTC', 0.02).share // 0.042 over 2020-01 → 2026-04
 */
export function intrabarExceedance(
  h: BarHistory,
  asset: string,
  rate: number,
  range: { readonly fromMs?: number; readonly toMs?: number } = {},
): IntrabarExceedance {
  requireInput(rate > 0 && rate < 1, 'rate', rate, 'must be in (0, 1)');
  const a = h.assets.indexOf(asset);
  requireInput(a >= 0, 'asset', asset, `must be one of ${h.assets.join(', ')}`);
  const A = h.assets.length;
  let bars = 0;
  let exceedances = 0;
  for (let t = 1; t < h.timesMs.length; t++) {
    const ms = h.timesMs[t]!;
    if ((range.fromMs !== undefined && ms < range.fromMs) || (range.toMs !== undefined && ms >= range.toMs))
      continue;
    const c0 = h.close[(t - 1) * A + a]!;
    const hi = h.high[t * A + a]!;
    const lo = h.low[t * A + a]!;
    if (!(c0 > 0 && hi > 0 && lo > 0)) continue;
    bars++;
    if (Math.max(hi / c0 - 1, 1 - lo / c0) > rate) exceedances++;
  }
  return { asset, rate, bars, exceedances, share: bars > 0 ? exceedances / bars : NaN };
}
