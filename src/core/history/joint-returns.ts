/**
 * Joint log returns over a fixed horizon, for historical scenarios and correlation estimates.
 * Only windows where every requested asset has a close at both ends are kept, so each kept row
 * is a genuine joint observation; nothing is filled.
 */
import { InvariantError, requireInput } from '../errors.js';
import type { PriceHistory } from './price-history.js';

/** Options of {@link jointReturns}. */
export interface JointReturnsOptions {
  /** horizon h in grid steps (integer ≥ 1): the return runs from close[t] to close[t + h] */
  readonly horizonSteps: number;
  /**
   * true (default): a window starts at every grid step (overlapping windows, T − h candidates);
   * false: windows start at t = 0, h, 2h, … (disjoint, anchored at the first grid time).
   */
  readonly overlapping?: boolean;
  /** assets to include, in this column order; default: all of the history's assets */
  readonly assets?: readonly string[];
}

/** Joint log returns: T' rows (kept windows) × A columns (requested assets). */
export interface JointReturns {
  readonly assets: readonly string[];
  readonly horizonSteps: number;
  /** horizonSteps × stepMs */
  readonly horizonMs: number;
  /** open time of the window's first bar (its close is the start price), ms UTC, length T' */
  readonly startTimesMs: Float64Array;
  /**
   * open time of the window's last bar, ms UTC, length T'; the return is realised at that bar's
   * close, endTimesMs + stepMs
   */
  readonly endTimesMs: Float64Array;
  /** T' × A, row-major: ln(close[t+h] / close[t]) of asset a in row k at k·A + a (natural log) */
  readonly logReturns: Float64Array;
}

/**
 * Log returns over `horizonSteps` grid steps for the rows where all requested assets have data
 * at both ends.
 *
 *   r[k, a] = ln(close[t_k + h, a] / close[t_k, a]),  kept iff close is not NaN at t_k and t_k + h
 *   for every requested a
 *
 * Only the two ends are checked: a gap strictly inside a window does not drop it (the return is
 * close-to-close either way). Windows with a NaN end for any requested asset are skipped, never
 * filled; to see what was skipped compare `startTimesMs` with the grid or use `describeCoverage`.
 *
 * @param history  aligned history, closes in quote ccy (NaN = no data)
 * @param options  horizonSteps (grid steps), overlapping (default true), assets (default all)
 * @returns        T' × A log returns (fractions, natural log) with start/end times in ms UTC;
 *                 T' = 0 when no window qualifies (or T ≤ h)
 * @throws InvalidInputError ERR_INVALID_INPUT when horizonSteps is not an integer ≥ 1, or an
 *         asset is unknown or repeated
 * @throws InvariantError ERR_INVARIANT if a kept return is not finite (close must be > 0)
 * @see docs/methodology/market-history.md#returns
 * @example
 *   const r = jointReturns(h, { horizonSteps: 24, assets: ['BTC', 'ETH'] }); // 1-day, hourly grid
 */
export function jointReturns(history: PriceHistory, options: JointReturnsOptions): JointReturns {
  const h = options.horizonSteps;
  requireInput(Number.isSafeInteger(h) && h >= 1, 'horizonSteps', h, 'must be an integer >= 1');
  const assets = options.assets ?? history.assets;
  const cols = assets.map((name, j) => {
    const c = history.assets.indexOf(name);
    requireInput(
      c >= 0,
      `assets[${j}]`,
      name,
      `must be one of the history's assets (${history.assets.join(', ')})`,
    );
    requireInput(assets.indexOf(name) === j, `assets[${j}]`, name, 'must not repeat');
    return c;
  });

  const { timesMs, close } = history;
  const A0 = history.assets.length;
  const A = cols.length;
  const T = timesMs.length;
  const stride = options.overlapping === false ? h : 1;
  const starts: number[] = [];
  for (let t = 0; t + h < T; t += stride) {
    let ok = true;
    for (const c of cols)
      if (Number.isNaN(close[t * A0 + c]!) || Number.isNaN(close[(t + h) * A0 + c]!)) {
        ok = false;
        break;
      }
    if (ok) starts.push(t);
  }

  const n = starts.length;
  const startTimesMs = new Float64Array(n);
  const endTimesMs = new Float64Array(n);
  const logReturns = new Float64Array(n * A);
  for (let k = 0; k < n; k++) {
    const t = starts[k]!;
    startTimesMs[k] = timesMs[t]!;
    endTimesMs[k] = timesMs[t + h]!;
    for (let j = 0; j < A; j++) {
      const c = cols[j]!;
      const r = Math.log(close[(t + h) * A0 + c]! / close[t * A0 + c]!);
      if (!Number.isFinite(r))
        throw new InvariantError('joint return is not finite (history close must be finite and > 0)', {
          asset: assets[j],
          startMs: timesMs[t],
          value: r,
        });
      logReturns[k * A + j] = r;
    }
  }
  return {
    assets: [...assets],
    horizonSteps: h,
    horizonMs: h * history.stepMs,
    startTimesMs,
    endTimesMs,
    logReturns,
  };
}
