/**
 * @module statistics/realised-vol
 *
 * Realised volatility of one asset from an aligned price history: the root mean square of its
 * bar log returns (mean taken as zero, as for short-horizon risk) over the `days` before a time,
 * annualised by √(bars per year) on a 365-day year (crypto trades every day):
 *
 *   σ = √(Σ r²/n · barsPerDay · 365),   r = ln(close_t / close_{t−1}) over bars closing by timeMs
 *
 * A bar without data on either side is skipped; fewer than 48 returns in the window (two days of
 * hourly bars) is not enough: undefined, never a guess. Used for the backtest's option vols before
 * DVOL exists and for the distance to liquidation in daily vols when no option is listed.
 */
import type { PriceHistory } from '../history/price-history.js';

/** Days of returns in the default window. */
export const REALISED_VOL_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Annualised realised vol of `asset` over the `days` before `timeMs` (module header).
 * @param h       aligned closes (hourly for the shipped history)
 * @param timeMs  end of the window: the bar closing at `timeMs` is the last one used, ms UTC
 * @returns       σ as an annualised fraction, or undefined (asset absent, under 48 returns)
 * @example realisedVol(history.hourly, 'BTC', Date.UTC(2026, 2, 1)) // 0.59 (59%)
 */
export function realisedVol(
  h: PriceHistory,
  asset: string,
  timeMs: number,
  days = REALISED_VOL_DAYS,
): number | undefined {
  const a = h.assets.indexOf(asset);
  if (a < 0 || h.timesMs.length === 0) return undefined;
  const A = h.assets.length;
  const barsPerDay = DAY_MS / h.stepMs;
  const end = Math.round((timeMs - h.stepMs - h.timesMs[0]!) / h.stepMs); // the bar closing at timeMs
  const start = Math.max(1, end - days * barsPerDay + 1);
  let s = 0;
  let n = 0;
  for (let t = start; t <= Math.min(end, h.timesMs.length - 1); t++) {
    const x0 = h.close[(t - 1) * A + a]!;
    const x1 = h.close[t * A + a]!;
    if (x0 > 0 && x1 > 0) {
      const r = Math.log(x1 / x0);
      s += r * r;
      n++;
    }
  }
  return n >= 48 ? Math.sqrt((s / n) * barsPerDay * 365) : undefined;
}
