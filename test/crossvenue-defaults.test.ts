/**
 * The combined view's default one-hour moves (core/crossvenue/cross-venue-params.ts) are what
 * their documentation says: the 99.9% quantile of the largest one-hour move (high or low against
 * the previous close, in log terms) of the shipped hourly bars 2020-01..2026-04, rounded up to 3
 * decimals. Recomputed here from data/history, so the default cannot drift from its source.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CROSS_VENUE_PARAMS } from '../src/core/crossvenue/cross-venue-params.js';
import { loadHourlyHistory } from '../src/adapters/marketdata/history/load-history.js';

describe('default hourly moves', () => {
  it.each(['BTC', 'ETH', 'SOL'])('%s: the 99.9% quantile of the one-hour extreme move', (sym) => {
    const h = loadHourlyHistory({ symbols: [sym] });
    const moves: number[] = [];
    for (let i = 1; i < h.timesMs.length; i++) {
      const prev = h.close[i - 1]!;
      const hi = h.high[i]!;
      const lo = h.low[i]!;
      if (!(prev > 0 && hi > 0 && lo > 0)) continue;
      moves.push(Math.max(Math.abs(Math.log(hi / prev)), Math.abs(Math.log(lo / prev))));
    }
    moves.sort((a, b) => a - b);
    const q = moves[Math.floor(0.999 * moves.length)]!;
    const want = Math.ceil(q * 1000) / 1000;
    expect(DEFAULT_CROSS_VENUE_PARAMS.hourlyMove.byUnderlying[sym]).toBe(want);
  });
});
