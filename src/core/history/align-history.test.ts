import { describe, expect, it } from 'vitest';
import { alignHistory, type HistorySeries } from './align-history.js';
import { describeCoverage } from './describe-coverage.js';
import type { OhlcvRow } from './parse-ohlcv-csv.js';

const H = 3_600_000;
const T0 = Date.UTC(2022, 4, 12); // grid origin used by the hand-built series

/** Rows at grid steps `steps` with close = 100 + step (high/low around it). */
function rows(steps: number[]): OhlcvRow[] {
  return steps.map((k) => ({ timeMs: T0 + k * H, high: 101 + k, low: 99 + k, close: 100 + k, volume: 1 }));
}

/** Column `a` of a T × A array. */
function column(arr: Float64Array, A: number, a: number): number[] {
  return Array.from({ length: arr.length / A }, (_, t) => arr[t * A + a]!);
}

describe('alignHistory', () => {
  // A: listed from step 0, gap at 3–4, continues to 7.  B: listed at step 2, delisted after 5.
  const A: HistorySeries = { symbol: 'A', rows: rows([0, 1, 2, 5, 6, 7]) };
  const B: HistorySeries = { symbol: 'B', rows: rows([2, 3, 4, 5]) };

  it('puts NaN exactly where a series has no bar (listing, gap, delisting)', () => {
    const h = alignHistory([A, B], { stepMs: H });
    expect(h.assets).toEqual(['A', 'B']);
    expect(Array.from(h.timesMs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => T0 + k * H));
    expect(column(h.close, 2, 0)).toEqual([100, 101, 102, NaN, NaN, 105, 106, 107]);
    expect(column(h.close, 2, 1)).toEqual([NaN, NaN, 102, 103, 104, 105, NaN, NaN]);
    expect(column(h.high, 2, 1)).toEqual([NaN, NaN, 103, 104, 105, 106, NaN, NaN]);
    expect(column(h.low, 2, 0)).toEqual([99, 100, 101, NaN, NaN, 104, 105, 106]);
  });

  it('clips to the half-open range [fromMs, toMs), rounding fromMs up to the grid', () => {
    const h = alignHistory([A, B], { stepMs: H, fromMs: T0 + 1.5 * H, toMs: T0 + 5 * H });
    expect(Array.from(h.timesMs)).toEqual([2, 3, 4].map((k) => T0 + k * H));
    expect(column(h.close, 2, 0)).toEqual([102, NaN, NaN]);
    expect(column(h.close, 2, 1)).toEqual([102, 103, 104]);
  });

  it('extends the grid beyond the data with NaN when asked', () => {
    const h = alignHistory([B], { stepMs: H, fromMs: T0, toMs: T0 + 9 * H });
    expect(column(h.close, 1, 0)).toEqual([NaN, NaN, 102, 103, 104, 105, NaN, NaN, NaN]);
  });

  it('leaves high/low NaN when the source has only closes', () => {
    const c: HistorySeries = { symbol: 'V', rows: [{ timeMs: T0, close: 0.9 }] };
    const h = alignHistory([c], { stepMs: H });
    expect(Array.from(h.close)).toEqual([0.9]);
    expect(Array.from(h.high)).toEqual([NaN]);
  });

  it('returns an empty grid when there is no data and no range, or fromMs >= toMs', () => {
    expect(alignHistory([{ symbol: 'X', rows: [] }], { stepMs: H }).timesMs.length).toBe(0);
    expect(alignHistory([A], { stepMs: H, fromMs: T0 + 5 * H, toMs: T0 + 5 * H }).close.length).toBe(0);
  });

  it('rejects bad input with the field, rule and value', () => {
    expect(() => alignHistory([A], { stepMs: 0 })).toThrow(/stepMs must be an integer > 0; got 0/);
    expect(() => alignHistory([A], { stepMs: H, fromMs: 1.5 })).toThrow(/fromMs must be an integer/);
    expect(() => alignHistory([A, { ...B, symbol: 'A' }], { stepMs: H })).toThrow(
      /series\[1\]\.symbol must be unique; got "A"/,
    );
    const off: HistorySeries = { symbol: 'O', rows: [{ timeMs: T0 + 60_000, close: 1 }] };
    expect(() => alignHistory([off], { stepMs: H })).toThrow(
      /series\[0\] \(O\) rows\[0\]\.timeMs must be a multiple of stepMs 3600000/,
    );
    const back: HistorySeries = { symbol: 'R', rows: rows([1, 0]) };
    expect(() => alignHistory([back], { stepMs: H })).toThrow(/rows\[1\]\.timeMs must be > the previous/);
    const neg: HistorySeries = { symbol: 'N', rows: [{ timeMs: T0, close: -1 }] };
    expect(() => alignHistory([neg], { stepMs: H })).toThrow(
      /rows\[0\]\.close must be finite and > 0; got -1/,
    );
    expect(() => alignHistory([A], { stepMs: 1, fromMs: 0, toMs: 1e12 })).toThrow(
      /grid must have <= 40000000 cells; got "1000000000000 times × 1 assets"/,
    );
  });
});

describe('describeCoverage', () => {
  it('reports first/last valid time, valid bars, gaps, leading and trailing NaN', () => {
    const h = alignHistory(
      [
        { symbol: 'A', rows: rows([0, 1, 2, 5, 6, 7]) },
        { symbol: 'B', rows: rows([2, 3, 4, 5]) },
        { symbol: 'C', rows: rows([1, 3, 5]) },
        { symbol: 'D', rows: [] },
      ],
      { stepMs: H, fromMs: T0, toMs: T0 + 8 * H },
    );
    const [a, b, c, d] = describeCoverage(h);
    expect(a).toEqual({
      asset: 'A',
      status: 'covered',
      firstMs: T0,
      lastMs: T0 + 7 * H,
      validBars: 6,
      leadingBars: 0,
      trailingBars: 0,
      gaps: [{ firstMissingMs: T0 + 3 * H, lastMissingMs: T0 + 4 * H, bars: 2 }],
    });
    expect(b).toMatchObject({ firstMs: T0 + 2 * H, lastMs: T0 + 5 * H, validBars: 4, gaps: [] });
    expect(b).toMatchObject({ leadingBars: 2, trailingBars: 2 });
    expect(c).toMatchObject({ validBars: 3, leadingBars: 1, trailingBars: 2 });
    expect(c?.status === 'covered' && c.gaps.map((g) => g.bars)).toEqual([1, 1]);
    expect(d).toEqual({ asset: 'D', status: 'empty', validBars: 0 });
  });
});
