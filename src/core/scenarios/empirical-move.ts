/**
 * The empirical adverse move of one asset over a horizon, point in time: from the hourly closes
 * (extended back with daily closes, history/splice-daily-closes.ts) that closed at or before the
 * valuation time, non-overlapping windows of h hours ending at valuation, valuation − h, …:
 *
 *   r_k = ln(c(T − k·h) / c(T − (k + 1)·h)),   adverse_k = max(e^{r_k} − 1, 1 − e^{r_k})
 *   move_α = the ⌈n·α⌉-th smallest adverse_k   (upper empirical quantile; a long or a short)
 *
 * Used to calibrate rate tiers and haircuts that cover a horizon (the `isolated-cover` model).
 * Units: fractions; ms UTC.
 */
import { requireInput } from '../errors.js';
import type { PriceHistory } from '../history/price-history.js';

/** The adverse move and how many windows set it. */
export interface EmpiricalMove {
  readonly move: number;
  readonly windows: number;
}

/**
 * The α-quantile of the adverse move of `asset` over `horizonHours` (module header).
 * @returns the move and the window count; move NaN when fewer than `minWindows` windows exist
 * @throws InvalidInputError ERR_INVALID_INPUT for α ∉ (0, 1) or a horizon that is not a whole number of bars
 * @example empiricalMove(h, 'BTC', Date.UTC(2020, 2, 1), { horizonHours: 24, confidence: 0.99 }).move // ≈ 0.11
 */
export function empiricalMove(
  history: PriceHistory,
  asset: string,
  valuationMs: number,
  opts: { readonly horizonHours: number; readonly confidence: number; readonly minWindows?: number },
): EmpiricalMove {
  requireInput(
    opts.confidence > 0 && opts.confidence < 1,
    'confidence',
    opts.confidence,
    'must be in (0, 1)',
  );
  const step = Math.round((opts.horizonHours * 3_600_000) / history.stepMs);
  requireInput(step >= 1, 'horizonHours', opts.horizonHours, 'must be at least one bar');
  const a = history.assets.indexOf(asset);
  if (a < 0) return { move: NaN, windows: 0 };
  const A = history.assets.length;
  let T = 0;
  while (T < history.timesMs.length && history.timesMs[T]! + history.stepMs <= valuationMs) T++;
  const moves: number[] = [];
  for (let end = T - 1; end - step >= 0; end -= step) {
    const c1 = history.close[end * A + a]!;
    const c0 = history.close[(end - step) * A + a]!;
    if (!(c0 > 0 && c1 > 0)) continue;
    // max(e^r − 1, 1 − e^r) = |c1/c0 − 1|: a short loses on the rise, a long on the fall.
    moves.push(Math.abs(c1 / c0 - 1));
  }
  if (moves.length < (opts.minWindows ?? 1)) return { move: NaN, windows: moves.length };
  moves.sort((x, y) => x - y);
  const k = Math.min(moves.length, Math.ceil(moves.length * opts.confidence - 1e-9));
  return { move: moves[k - 1]!, windows: moves.length };
}
