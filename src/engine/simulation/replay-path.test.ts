import { describe, expect, it } from 'vitest';
import type { BarHistory } from '../../core/history/align-history.js';
import { buildReplaySteps, INTRABAR_CORRECTIONS } from './replay-path.js';
import { pricesAt } from './simulation-types.js';
import { loadHourlyHistory } from '../../adapters/marketdata/history/load-history.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Two hours of BTC (down bar then up bar) and USDC with a wild print, bars open at T0, T0+1h, T0+2h. */
function bars(): BarHistory {
  return {
    assets: ['BTC', 'USDC'],
    timesMs: Float64Array.of(T0, T0 + H, T0 + 2 * H),
    stepMs: H,
    //                 BTC    USDC
    close: Float64Array.of(100, 1, 90, 1, 95, 1),
    high: Float64Array.of(101, 1, 104, 3.99, 99, 1),
    low: Float64Array.of(99, 1, 80, 0.2, 88, 1),
  };
}

describe('buildReplaySteps', () => {
  it('close path: one step per hour at the closes of the bars ending then (as pricesAt)', () => {
    const h = bars();
    const s = buildReplaySteps({ hourly: h, fromMs: T0 + H, toMs: T0 + 3 * H, stepHours: 1, path: 'close' });
    expect(s.map((x) => x.timeMs)).toEqual([T0 + H, T0 + 2 * H, T0 + 3 * H]);
    for (const x of s) expect(x.prices).toEqual(pricesAt(h, x.timeMs));
  });

  it('intrabar: a down bar visits its high then its low, an up bar its low then its high, then the close', () => {
    const s = buildReplaySteps({
      hourly: bars(),
      fromMs: T0 + H,
      toMs: T0 + 3 * H,
      stepHours: 1,
      path: 'intrabar',
      closeOnly: ['USDC'],
    });
    expect(s.map((x) => (x.timeMs - T0) / 60_000)).toEqual([60, 80, 100, 120, 140, 160, 180]);
    const btc = s.map((x) => x.prices.BTC);
    // 100 → (bar closing at 120 min: close 90 < 100, down) 104, 80, 90 → (up: 95 ≥ 90) 88, 99, 95
    expect(btc).toEqual([100, 104, 80, 90, 88, 99, 95]);
    // USDC moves at its closes only: its 0.2 and 3.99 prints are never used.
    expect(s.map((x) => x.prices.USDC)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('intrabar needs hourly steps and highs/lows, naming the field', () => {
    const h = bars();
    expect(() =>
      buildReplaySteps({ hourly: h, fromMs: T0 + H, toMs: T0 + 3 * H, stepHours: 2, path: 'intrabar' }),
    ).toThrow(/stepHours must be 1 with the intrabar path/);
    const closesOnly = { assets: h.assets, timesMs: h.timesMs, stepMs: H, close: h.close };
    expect(() =>
      buildReplaySteps({
        hourly: closesOnly,
        fromMs: T0 + H,
        toMs: T0 + 3 * H,
        stepHours: 1,
        path: 'intrabar',
      }),
    ).toThrow(/history must carry hourly highs and lows/);
  });

  it('shipped history, 2020-03-12/13: BTC −29.3% at the 10:00 bar low; the ETH 323.0 print replaced by 120.2', () => {
    const h = loadHourlyHistory({
      symbols: ['BTC', 'ETH'],
      fromMs: Date.UTC(2020, 2, 12),
      toMs: Date.UTC(2020, 2, 14),
    });
    const s = buildReplaySteps({
      hourly: h,
      fromMs: Date.UTC(2020, 2, 12, 10),
      toMs: Date.UTC(2020, 2, 13, 4),
      stepHours: 1,
      path: 'intrabar',
    });
    const at = (iso: string) => s.find((x) => x.timeMs === Date.parse(iso))!.prices;
    // Bar 10:00–11:00 (shipped: high 7368.5, low 5199.17, close 5981.07 after 7357.61): down bar.
    expect(at('2020-03-12T10:20:00Z').BTC).toBe(7368.5);
    expect(at('2020-03-12T10:40:00Z').BTC).toBe(5199.17);
    expect(at('2020-03-12T11:00:00Z').BTC).toBe(5981.07);
    // Bar 02:00–03:00 for ETH closes 110.8 above 95.73: low 84.23 first, then the corrected high.
    expect(INTRABAR_CORRECTIONS[0]!.value).toBe(120.2);
    expect(at('2020-03-13T02:20:00Z').ETH).toBe(84.23);
    expect(at('2020-03-13T02:40:00Z').ETH).toBe(120.2);
  });
});
