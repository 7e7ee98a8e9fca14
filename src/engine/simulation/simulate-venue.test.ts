import { describe, expect, it } from 'vitest';
import type { PriceHistory } from '../../core/history/price-history.js';
import { simulateVenue, type SimulationInput } from './simulate-venue.js';
import { generateVenue } from './generate-venue.js';
import { buildSimMarket, createSimTemplate } from './sim-market.js';
import { isolatedModel } from '../../core/margin/rate-based-models.js';
import { createMarginContext } from '../../core/margin/margin-model.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const START = { BTC: 40_000, ETH: 2_000, SOL: 100 };

/** Hourly closes: flat for `calm` hours, then a linear fall of `drop` over `fall` hours. */
function syntheticHistory(calm: number, fall: number, drop: number): PriceHistory {
  const assets = ['BTC', 'ETH', 'SOL'];
  const T = calm + fall;
  const close = new Float64Array(T * assets.length);
  const timesMs = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    timesMs[t] = T0 + t * HOUR;
    const f = t < calm ? 1 : 1 - (drop * (t - calm + 1)) / fall;
    assets.forEach((a, i) => (close[t * assets.length + i] = START[a as keyof typeof START] * f));
  }
  return { assets, timesMs, stepMs: HOUR, close };
}

const crash = (over: Partial<SimulationInput> = {}): SimulationInput => ({
  fromMs: T0 + 10 * HOUR,
  toMs: T0 + 40 * HOUR,
  stepHours: 1,
  models: ['isolated', 'cross', 'portfolio'],
  accounts: 80,
  seed: 7,
  history: { hourly: syntheticHistory(20, 21, 0.45) },
  ...over,
});

describe('generateVenue', () => {
  it('is deterministic under the seed and starts every account healthy under the sizing model', () => {
    const tpl = createSimTemplate(T0, START, { BTC: 0.6, ETH: 0.6 }, 'flat');
    const m = buildSimMarket(tpl, T0, START);
    const ctx = createMarginContext(m);
    const req = (pf: Parameters<typeof isolatedModel.compute>[0]) =>
      isolatedModel.compute(pf, ctx, isolatedModel.defaultParams);
    const a = generateVenue(3, 80, m, req);
    const b = generateVenue(3, 80, m, req);
    expect(a.map((x) => x.portfolio)).toEqual(b.map((x) => x.portfolio));
    expect(new Set(a.map((x) => x.kind)).size).toBe(5);
    for (const x of a) {
      const r = req(x.portfolio);
      expect(r.equityUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
    }
  });
});

describe('simulateVenue', () => {
  it('is deterministic under the seed, and a different seed gives a different book', () => {
    const a = simulateVenue(crash());
    const b = simulateVenue(crash());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = simulateVenue(crash({ seed: 8 }));
    expect(c.models[0]!.startEquityUsd).not.toBe(a.models[0]!.startEquityUsd);
  });

  it("runs on the engine's venue: per liquidation, equity lost = costs + fee − insurance paid − ADL received", () => {
    const r = simulateVenue(crash());
    let records = 0;
    for (const m of r.models) {
      expect(m.error).toBeUndefined();
      expect(m.liquidations).toBeGreaterThan(0);
      for (const l of m.ledger) records += l.liquidations;
      // the fund only moves by fee shares in and payouts out; it never goes below zero
      expect(m.insurance.minUsd).toBeGreaterThanOrEqual(0);
      expect(m.insurance.minUsd).toBeLessThanOrEqual(m.insurance.endUsd);
      expect(m.adlEvents.reduce((s, e) => s + e.amountUsd, 0)).toBeCloseTo(m.badDebtUsd - m.uncoveredUsd, 2);
    }
    expect(records).toBeGreaterThan(0);
  });

  it('a flat path liquidates nobody and leaves the insurance fund untouched', () => {
    const r = simulateVenue(crash({ history: { hourly: syntheticHistory(60, 1, 0) } }));
    expect(r.volSource).toBe('flat');
    for (const m of r.models) {
      expect(m.liquidations).toBe(0);
      expect(m.badDebtUsd).toBe(0);
      expect(m.insurance.endUsd).toBe(m.insurance.startUsd);
    }
  });

  it('reports progress up to the total', () => {
    const seen: number[] = [];
    simulateVenue(crash({ models: ['isolated'], accounts: 5, onProgress: (d, t) => seen.push(d / t) }));
    expect(seen.at(-1)).toBe(1);
  });
});
