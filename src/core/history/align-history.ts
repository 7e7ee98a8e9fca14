/**
 * Puts several bar series on one regular UTC grid. A grid cell without a bar is NaN: before a
 * listing, after a delisting and inside a gap alike. Nothing is forward-filled or interpolated;
 * a consumer that wants a fill must do it explicitly and say so.
 */
import { InvalidInputError, requireInput } from '../errors.js';
import type { OhlcvRow } from './parse-ohlcv-csv.js';
import type { PriceHistory } from './price-history.js';

/** One input series: a symbol and its bars in strictly increasing time. */
export interface HistorySeries {
  readonly symbol: string;
  readonly rows: readonly OhlcvRow[];
}

/** Options of {@link alignHistory}. Times are ms since epoch UTC. */
export interface AlignHistoryOptions {
  /** grid step and bar size, ms (> 0, integer); grid times are multiples of it since the epoch */
  readonly stepMs: number;
  /** first grid time is the first multiple of `stepMs` ≥ fromMs; default: earliest bar of any series */
  readonly fromMs?: number;
  /** grid ends before this time (exclusive); default: latest bar of any series + stepMs */
  readonly toMs?: number;
}

/**
 * A {@link PriceHistory} that also carries the bars' highs and lows (same T × A layout, NaN where
 * there is no bar or the source has no high/low column). Use high/low for intrabar extremes
 * (wicks, liquidation-style stress), close for returns.
 */
export interface BarHistory extends PriceHistory {
  /** T × A bar highs, quote ccy, NaN = no data */
  readonly high: Float64Array;
  /** T × A bar lows, quote ccy, NaN = no data */
  readonly low: Float64Array;
}

/** Largest grid accepted (T × A cells): 3 arrays of 8-byte floats stay well under 1 GB. */
export const MAX_GRID_CELLS = 40_000_000;

function requireTime(x: number | undefined, field: string): void {
  if (x === undefined) return;
  requireInput(Number.isSafeInteger(x), field, x, 'must be an integer time in ms UTC');
}

/** Index of the first row with timeMs ≥ t (rows sorted strictly increasing). */
function lowerBound(rows: readonly OhlcvRow[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.timeMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Aligns series on the grid `timesMs[t] = t0 + t·stepMs`, t0 = ⌈fromMs / stepMs⌉·stepMs,
 * for every grid time < toMs (half-open range [fromMs, toMs)).
 *
 *   close[t·A + a] = close of series a's bar opening at timesMs[t], else NaN (likewise high, low)
 *
 * Every row (also outside the range) must have `timeMs` a multiple of `stepMs` (no resampling
 * here), strictly increasing, and `close` finite and > 0.
 *
 * @param series   one entry per asset (symbols unique, non-empty); column order of the result
 * @param options  stepMs (ms), optional fromMs / toMs (ms UTC)
 * @returns        a {@link BarHistory}: T × A close/high/low, NaN where a series has no bar; with
 *                 no bars and no explicit range, or fromMs ≥ toMs, the grid is empty (T = 0)
 * @throws InvalidInputError ERR_INVALID_INPUT for a bad step/range, duplicate or empty symbol,
 *         a row off the grid, out of order, or with a non-positive close, or a grid larger than
 *         {@link MAX_GRID_CELLS}
 * @see docs/methodology/market-history.md#alignment-and-gaps
 * @example
 *   const h = alignHistory([btc, eth], { stepMs: 3_600_000, fromMs: Date.UTC(2020, 0, 1) });
 */
export function alignHistory(series: readonly HistorySeries[], options: AlignHistoryOptions): BarHistory {
  const { stepMs } = options;
  requireInput(Number.isSafeInteger(stepMs) && stepMs > 0, 'stepMs', stepMs, 'must be an integer > 0');
  requireTime(options.fromMs, 'fromMs');
  requireTime(options.toMs, 'toMs');

  const seen = new Set<string>();
  let minMs = Infinity;
  let maxMs = -Infinity;
  series.forEach((s, a) => {
    requireInput(s.symbol !== '', `series[${a}].symbol`, s.symbol, 'must be non-empty');
    requireInput(!seen.has(s.symbol), `series[${a}].symbol`, s.symbol, 'must be unique');
    seen.add(s.symbol);
    checkRows(s, a, stepMs);
    const first = s.rows[0];
    const last = s.rows[s.rows.length - 1];
    if (first !== undefined && last !== undefined) {
      minMs = Math.min(minMs, first.timeMs);
      maxMs = Math.max(maxMs, last.timeMs);
    }
  });

  const fromMs = options.fromMs ?? minMs;
  const toMs = options.toMs ?? maxMs + stepMs;
  const t0 = Math.ceil(fromMs / stepMs) * stepMs;
  const T = Number.isFinite(t0) && toMs > t0 ? Math.ceil((toMs - t0) / stepMs) : 0;
  const A = series.length;
  if (T * A > MAX_GRID_CELLS)
    throw new InvalidInputError('grid', `${T} times × ${A} assets`, `must have <= ${MAX_GRID_CELLS} cells`);

  const timesMs = new Float64Array(T);
  for (let t = 0; t < T; t++) timesMs[t] = t0 + t * stepMs;
  const close = new Float64Array(T * A).fill(NaN);
  const high = new Float64Array(T * A).fill(NaN);
  const low = new Float64Array(T * A).fill(NaN);

  series.forEach((s, a) => {
    const rows = s.rows;
    for (let k = T > 0 ? lowerBound(rows, t0) : rows.length; k < rows.length; k++) {
      const row = rows[k]!;
      const t = (row.timeMs - t0) / stepMs; // an integer: rows and t0 are multiples of stepMs
      if (t >= T) break;
      const i = t * A + a;
      close[i] = row.close;
      if (row.high !== undefined) high[i] = row.high;
      if (row.low !== undefined) low[i] = row.low;
    }
  });

  return { assets: series.map((s) => s.symbol), timesMs, stepMs, close, high, low };
}

function checkRows(s: HistorySeries, a: number, stepMs: number): void {
  let prev = -Infinity;
  const rows = s.rows;
  for (let k = 0; k < rows.length; k++) {
    const { timeMs, close } = rows[k]!;
    // `timeMs % stepMs === 0` also rejects NaN and fractional times; `>` rejects NaN closes.
    if (timeMs % stepMs === 0 && timeMs > prev && Number.isFinite(close) && close > 0) {
      prev = timeMs;
      continue;
    }
    // The message is built only on failure: this loop runs over every bar of every series.
    const field = `series[${a}] (${s.symbol}) rows[${k}]`;
    requireInput(timeMs % stepMs === 0, `${field}.timeMs`, timeMs, `must be a multiple of stepMs ${stepMs}`);
    requireInput(timeMs > prev, `${field}.timeMs`, timeMs, `must be > the previous row's ${prev}`);
    requireInput(false, `${field}.close`, close, 'must be finite and > 0');
  }
}
