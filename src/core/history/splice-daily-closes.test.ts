import { describe, expect, it } from 'vitest';
import { spliceDailyCloses } from './splice-daily-closes.js';
import type { PriceHistory } from './price-history.js';

const H = 3_600_000;
const D = 86_400_000;
const D0 = Date.UTC(2015, 0, 1);

/** Daily closes of one asset, bar open times D0, D0 + 1 day, ... */
function daily(closes: number[], asset = 'BTC'): PriceHistory {
  return {
    assets: [asset],
    timesMs: Float64Array.from(closes, (_, d) => D0 + d * D),
    stepMs: D,
    close: Float64Array.from(closes),
  };
}

/** Hourly closes of [BTC, ETH] from `startMs` (NaN = no bar). */
function hourly(startMs: number, rows: [number, number][]): PriceHistory {
  return {
    assets: ['BTC', 'ETH'],
    timesMs: Float64Array.from(rows, (_, t) => startMs + t * H),
    stepMs: H,
    close: Float64Array.from(rows.flat()),
  };
}

describe('spliceDailyCloses', () => {
  // Daily closes 100, 110, 121 (days 0..2); hourly BTC from day 3 00:00, ETH never.
  const d = daily([100, 110, 121, 133.1]);
  const h = hourly(D0 + 3 * D, [
    [266.2, NaN],
    [270, NaN],
  ]);
  const s = spliceDailyCloses(h, d);

  it('starts at the hour that closes with the first daily close and keeps the hourly bars as they are', () => {
    expect(s.timesMs[0]).toBe(D0 + D - H);
    const first = (D0 + 3 * D - s.timesMs[0]!) / H;
    expect(s.close[first * 2]).toBe(266.2);
    expect(s.close[(first + 1) * 2]).toBe(270);
  });

  it('each spliced hour holds the last daily close known at its close, scaled to meet the hourly series', () => {
    // The first hourly bar closes at day 3 01:00, when the last known daily close is day 2's (121):
    // scale = 266.2 / 121 = 2.2.
    const scale = 266.2 / 121;
    const at = (closeMs: number) => s.close[((closeMs - H - s.timesMs[0]!) / H) * 2];
    expect(at(D0 + D)).toBeCloseTo(scale * 100, 10); // day 0 closes at day 1 00:00
    expect(at(D0 + D + 23 * H)).toBeCloseTo(scale * 100, 10); // flat during day 1
    expect(at(D0 + 2 * D)).toBeCloseTo(scale * 110, 10); // day 1's move at its close
    expect(at(D0 + 3 * D)).toBeCloseTo(scale * 121, 10);
    // A 24h window of the spliced path is exactly one daily close-to-close move.
    expect(Math.log(at(D0 + 2 * D + 5 * H)! / at(D0 + D + 5 * H)!)).toBeCloseTo(Math.log(110 / 100), 12);
  });

  it('leaves an asset without daily data as it was (NaN before its hourly bars)', () => {
    for (let t = 0; t < s.timesMs.length; t++) expect(s.close[t * 2 + 1]).toBeNaN();
  });

  it('no look-ahead: changing a daily close changes no spliced hour that closes before it is published', () => {
    const changed = spliceDailyCloses(h, daily([100, 110, 999, 133.1]));
    // Day 2's close is published at day 3 00:00; every hour closing before that is unchanged up to
    // the scale, which is set at the junction. Compare returns, which the scale does not touch.
    const ret = (x: PriceHistory, t: number) => Math.log(x.close[(t + 1) * 2]! / x.close[t * 2]!);
    const publishedRow = (D0 + 3 * D - H - s.timesMs[0]!) / H;
    for (let t = 0; t + 1 < publishedRow; t++) expect(ret(changed, t)).toBeCloseTo(ret(s, t), 12);
    expect(ret(changed, publishedRow - 1)).not.toBe(ret(s, publishedRow - 1));
  });

  it('returns the hourly history unchanged when the daily data starts later', () => {
    expect(spliceDailyCloses(hourly(D0 - 2 * D, [[1, 1]]), d).timesMs[0]).toBe(D0 - 2 * D);
  });

  it('rejects grids of the wrong step, naming the field', () => {
    expect(() => spliceDailyCloses({ ...h, stepMs: D }, d)).toThrow(/hourly\.stepMs must be 3600000/);
    expect(() => spliceDailyCloses(h, { ...d, stepMs: H })).toThrow(/daily\.stepMs must be 86400000/);
  });

  it('carries hourly highs and lows, NaN on the spliced hours', () => {
    const bars = {
      ...h,
      high: Float64Array.from([270, NaN, 271, NaN]),
      low: Float64Array.from([260, NaN, 265, NaN]),
    };
    const out = spliceDailyCloses(bars, d) as typeof bars;
    const first = (D0 + 3 * D - out.timesMs[0]!) / H;
    expect(out.high[first * 2]).toBe(270);
    expect(out.low[(first + 1) * 2]).toBe(265);
    expect(out.high[0]).toBeNaN();
  });
});
