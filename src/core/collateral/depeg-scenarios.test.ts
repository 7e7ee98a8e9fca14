import { describe, expect, it } from 'vitest';
// Test-only: the shipped history is read through the adapter (core sources stay pure).
import { loadDailyHistory } from '../../adapters/marketdata/history/load-history.js';
import {
  computeDepegFloor,
  computeDepegStats,
  computeGenericDepegFloor,
  DEFAULT_DEPEG_FLOOR_RULE as RULE,
  type DepegStats,
} from './depeg-scenarios.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const STABLES = ['USDC-USD', 'USDT-USD', 'UST-USD', 'DAI-USD'];
const h = loadDailyHistory({ symbols: STABLES });
const stats = computeDepegStats(h, h.low);
const of = (s: string) => stats.find((x) => x.asset === s)!;

describe('computeDepegStats on the shipped Yahoo daily history', () => {
  it('UST: worst day −62.31% on 2022-05-13 (README known value), close down to 0.00654', () => {
    const ust = of('UST-USD');
    expect(ust.worstDailyReturn).toBeCloseTo(0.154002 / 0.408584 - 1, 10);
    expect((100 * ust.worstDailyReturn).toFixed(2)).toBe('-62.31');
    expect(day(ust.worstDailyMs)).toBe('2022-05-13');
    expect(ust.minClose).toBe(0.00654);
    expect(day(ust.worstCloseMs)).toBe('2022-06-18');
  });

  it('USDC: intraday low 0.8774 on 2023-03-11 (README); that day closed at 0.9715 (−2.80%)', () => {
    const usdc = of('USDC-USD');
    expect(usdc.worstLowBelowPar).toBeCloseTo(1 - 0.87739998, 10);
    expect(day(usdc.worstLowMs)).toBe('2023-03-11');
    // The 2023 depeg is not USDC's worst close or worst day in this Yahoo series: March 2020 is.
    expect(usdc.worstDailyReturn).toBeCloseTo(-0.0365, 4);
    expect(day(usdc.worstDailyMs)).toBe('2020-03-13');
    const march2023 = computeDepegStats(
      loadDailyHistory({ symbols: ['USDC-USD'], fromMs: Date.UTC(2023, 2, 1), toMs: Date.UTC(2023, 3, 1) }),
    )[0]!;
    expect(march2023.minClose).toBe(0.97149998);
    expect(day(march2023.worstCloseMs)).toBe('2023-03-11');
    expect(march2023.worstDailyReturn).toBeCloseTo(0.97149998 / 0.999479 - 1, 12);
  });

  it('USDT: low 0.9485 on 2022-05-12 (README, the 2022 low); all-time low 0.8995 on 2020-03-13', () => {
    const usdt = of('USDT-USD');
    expect(1 - usdt.worstLowBelowPar).toBeCloseTo(0.89949, 8);
    expect(day(usdt.worstLowMs)).toBe('2020-03-13');
    expect((100 * usdt.worstDailyReturn).toFixed(2)).toBe('-5.12');
    const y2022 = loadDailyHistory({
      symbols: ['USDT-USD'],
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2023, 0, 1),
    });
    const s2022 = computeDepegStats(y2022, y2022.low)[0]!;
    expect(1 - s2022.worstLowBelowPar).toBeCloseTo(0.94848597, 8);
    expect(day(s2022.worstLowMs)).toBe('2022-05-12');
  });

  it('DAI: worst day −8.64% on 2020-03-14', () => {
    expect((100 * of('DAI-USD').worstDailyReturn).toFixed(2)).toBe('-8.64');
    expect(day(of('DAI-USD').worstDailyMs)).toBe('2020-03-14');
  });

  it('uses nothing after the history it is given (as-of cut)', () => {
    const before = computeDepegStats(
      loadDailyHistory({ symbols: ['UST-USD'], toMs: Date.UTC(2022, 4, 1) }),
    )[0]!;
    expect(before.worstDailyReturn).toBeGreaterThan(-0.2);
    expect(before.lastMs).toBe(Date.UTC(2022, 3, 30));
    expect(before.minClose).toBeGreaterThan(0.5);
  });
});

describe('floor rule', () => {
  const s = (asset: string, days: number, worst: number, below: number): DepegStats => ({
    asset,
    days,
    firstMs: 0,
    lastMs: 0,
    worstDailyReturn: worst,
    worstDailyMs: 0,
    minClose: 1 - below,
    worstCloseBelowPar: below,
    worstCloseMs: 0,
    worstLowBelowPar: NaN,
    worstLowMs: NaN,
  });

  it('own history: IM = max(worst day fall, worst close below par), MM = half', () => {
    const f = computeDepegFloor(s('A', 400, -0.03, 0.05), { im: 1, mm: 1 } as never, RULE);
    expect(f).toMatchObject({ im: 0.05, mm: 0.025, source: 'own' });
  });

  it('a coin with less than a year of history takes the generic stable (upper 75% quantile)', () => {
    const all = [
      s('A', 400, -0.01, 0.01),
      s('B', 400, -0.02, 0.02),
      s('C', 400, -0.03, 0.03),
      s('D', 400, -0.6, 0.99),
      s('E', 10, -0.9, 0.9),
    ];
    const g = computeGenericDepegFloor(all, RULE)!;
    // ⌈0.75·4⌉ = 3rd smallest of the 4 eligible: 0.03 for both statistics; E ignored
    expect(g).toMatchObject({ im: 0.03, mm: 0.015, source: 'generic' });
    expect(computeDepegFloor(all[4], g, RULE)).toBe(g);
    expect(computeDepegFloor(undefined, g, RULE)).toBe(g);
    expect(computeGenericDepegFloor([all[4]!], RULE)).toBeUndefined();
  });

  it('on the shipped coins: USDC own floor 3.65% / 1.83%', () => {
    const g = computeGenericDepegFloor(stats, RULE)!;
    const f = computeDepegFloor(of('USDC-USD'), g, RULE);
    expect(f.source).toBe('own');
    expect(f.im).toBeCloseTo(0.0365, 4);
    expect(f.mm).toBeCloseTo(f.im / 2, 15);
  });
});
