import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { createMarginContext, type MarginResult } from '../../margin-model.js';
import { deriveSrmModel } from './derive-srm-model.js';
import {
  expiryOptionMargin,
  imSpotFraction,
  isolatedOptionMargin,
  settlementValue,
  worstSettlement,
  type SrmOption,
} from './srm-option-margin.js';
import { DEFAULT_DERIVE_SRM_PARAMS } from './srm-params.js';

const VAL = Date.UTC(2026, 0, 1);
const T30 = VAL + 30 * 86_400_000;
const doc = (over: Record<string, unknown> = {}) => ({
  snapshotId: 'srm-unit',
  valuationMs: VAL,
  prices: { BTC: 100_000, ETH: 2_000, USDC: 1, SOL: 150 },
  rates: 0.05,
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 100_100 },
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', markPrice: 150 },
    {
      id: 'BTC-C-110K',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 110_000,
      expiryMs: T30,
      iv: 0.6,
      forward: 100_000,
    },
    {
      id: 'BTC-C-120K',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 120_000,
      expiryMs: T30,
      iv: 0.6,
      forward: 100_000,
    },
    {
      id: 'BTC-P-95K',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'put',
      strike: 95_000,
      expiryMs: T30,
      iv: 0.6,
      forward: 100_000,
    },
  ],
  ...over,
});
const market = buildMarginMarket(doc());
const O = DEFAULT_DERIVE_SRM_PARAMS.defaultMarket.options;

function run(portfolio: unknown, m = market): MarginResult {
  return deriveSrmModel.compute(
    parsePortfolio(portfolio, m),
    createMarginContext(m),
    deriveSrmModel.defaultParams,
  );
}
const t = 30 / 365;
// SRM marks options at the forward with DF = 1, whatever the rate.
const price = (type: 'call' | 'put', strike: number) =>
  priceBlack76({ type, forward: 100_000, strike, tYears: t, vol: 0.6 });

describe('derive-srm perps: |units|·perpPrice·rate', () => {
  it('BTC: MM 6.5%, IM 10% of the perp notional; P&L from the entry price is equity', () => {
    const r = run({ positions: [{ instrument: 'BTC-PERP', size: 2, entryPrice: 100_000 }] });
    expect(r.maintenanceUsd).toBeCloseTo(2 * 100_100 * 0.065, 9);
    expect(r.initialUsd).toBeCloseTo(2 * 100_100 * 0.1, 9);
    expect(r.equityUsd).toBeCloseTo(2 * 100, 9);
  });
  it('SOL uses its market row: 10% / 20%', () => {
    const r = run({ positions: [{ instrument: 'SOL-PERP', size: -10 }] });
    expect(r.maintenanceUsd).toBeCloseTo(10 * 150 * 0.1, 9);
    expect(r.initialUsd).toBeCloseTo(10 * 150 * 0.2, 9);
  });
  it('oracle confidence below 0.55 adds (1 − conf)·OCFactor·spot·|units| to IM', () => {
    const low = buildMarginMarket(doc({ confidence: { BTC: 0.5 } }));
    const r = run({ positions: [{ instrument: 'BTC-PERP', size: 1 }] }, low);
    expect(r.initialUsd).toBeCloseTo(100_100 * 0.1 + 0.5 * 1 * 100_000, 9);
    expect(r.maintenanceUsd).toBeCloseTo(100_100 * 0.065, 9);
  });
});

describe('derive-srm options', () => {
  it('IM fraction: maxSpotReq − OTM ratio, floored at minSpotReq', () => {
    expect(imSpotFraction(true, 100_000, 100_000, O)).toBe(0.15); // ATM
    expect(imSpotFraction(true, 101_000, 100_000, O)).toBeCloseTo(0.14, 15); // 1% OTM
    expect(imSpotFraction(true, 110_000, 100_000, O)).toBe(0.13); // floored
    expect(imSpotFraction(false, 99_000, 100_000, O)).toBeCloseTo(0.14, 15);
  });
  it('a naked short call: requirement = f·S (its mark is both equity and liability)', () => {
    const r = run({ positions: [{ instrument: 'BTC-C-110K', size: -1 }] });
    // 10% OTM: f = max(0.15 − 0.10, 0.13) = 0.13; MM: 0.09·S. Max loss is unbounded (1.2·F) so isolated wins.
    expect(r.initialUsd).toBeCloseTo(0.13 * 100_000, 8);
    expect(r.maintenanceUsd).toBeCloseTo(0.09 * 100_000, 8);
    expect(r.equityUsd).toBeCloseTo(-price('call', 110_000), 8);
  });
  it('a short put: MM = min(9%·S, 9%·mark) on top of the mark; IM ≥ MM·1.05', () => {
    const p = price('put', 95_000);
    const mmMargin = -p + Math.min(-0.09 * 100_000, 0.09 * -p);
    const f = Math.max(0.15 - 0.05, 0.13);
    const imMargin = Math.min(-p - f * 100_000, mmMargin * 1.05);
    const r = run({ positions: [{ instrument: 'BTC-P-95K', size: -1 }] });
    expect(r.maintenanceUsd).toBeCloseTo(-p - mmMargin, 8);
    expect(r.initialUsd).toBeCloseTo(-p - imMargin, 8);
  });
  it('a short call spread is margined at its max loss (10,000) when that is smaller', () => {
    const r = run({
      positions: [
        { instrument: 'BTC-C-110K', size: -1 },
        { instrument: 'BTC-C-120K', size: 1 },
      ],
    });
    const mtm = price('call', 120_000) - price('call', 110_000);
    // requirement = equity − margin = mtm − (−10,000)
    expect(r.initialUsd).toBeCloseTo(mtm + 10_000, 8);
    expect(r.maintenanceUsd).toBeCloseTo(mtm + 10_000, 8);
  });
  it('a long option is not collateral: its requirement equals its mark', () => {
    const r = run({ positions: [{ instrument: 'BTC-C-120K', size: 1 }] });
    expect(r.initialUsd).toBeCloseTo(price('call', 120_000), 8);
    expect(r.equityUsd - r.initialUsd).toBeCloseTo(0, 8); // Derive's net margin: 0
  });
  it('expiry margin: isolated vs max loss, written out; shares add up to the margin', () => {
    // S = F = 100. a: 2 short 110 calls at 3; b: 1 long 120 call at 1; c: 1 short 90 put at 2.
    const a = { key: 'a', isCall: true, strike: 110, units: -2, price: 3 };
    const b = { key: 'b', isCall: true, strike: 120, units: 1, price: 1 };
    const c = { key: 'c', isCall: false, strike: 90, units: -1, price: 2 };
    // IM isolated: a = −6 − 0.13·100·2; c = min(−2 − 0.13·100, 1.05·(−2 + min(−9, 0.09·(−2)))) = −15.
    // Max loss: payoff min at P = 0 is −90; net calls −1 adds −1.2·100 → −210. Isolated wins.
    const im = expiryOptionMargin([a, b, c], 100, 100, 'initial', O);
    expect(im.rule).toBe('isolated');
    expect(im.margin).toBeCloseTo(-6 - 26 - 15, 12);
    // A 110/120 call spread: isolated −3 − 13 = −16, max loss −10 at P = 120: max loss wins.
    const spread = expiryOptionMargin([{ ...a, units: -1 }, b], 100, 100, 'initial', O);
    expect(spread.rule).toBe('max-loss');
    expect(spread.margin).toBeCloseTo(-10, 12);
    expect(spread.settlePrice).toBe(120);
    for (const r of [im, spread]) {
      expect([...r.shares.values()].reduce((x, y) => x + y, 0)).toBeCloseTo(r.margin, 12);
    }
    expect(isolatedOptionMargin(b, 100, 'initial', O)).toBe(0);
  });
});

describe('derive-srm base assets and depeg', () => {
  it('base collateral counts as spot·qty·marginFactor (IM × imScale); the rest is requirement', () => {
    const r = run({ collateral: { ETH: '1' } });
    expect(r.equityUsd).toBeCloseTo(2_000, 9);
    expect(r.maintenanceUsd).toBeCloseTo(2_000 - 2_000 * 0.8, 9);
    expect(r.initialUsd).toBeCloseTo(2_000 - 2_000 * 0.8 * 0.9375, 9);
  });
  it('a stable below 0.99 adds (0.99 − stable)·2·spot per short and per perp unit to IM', () => {
    const dep = buildMarginMarket(doc({ prices: { BTC: 100_000, ETH: 2_000, USDC: 0.9, SOL: 150 } }));
    const a = run({ positions: [{ instrument: 'BTC-PERP', size: -1 }] }, dep);
    expect(a.initialUsd).toBeCloseTo(100_100 * 0.1 + (0.99 - 0.9) * 2 * 100_000, 6);
    expect(a.maintenanceUsd).toBeCloseTo(100_100 * 0.065, 9);
  });
  it('fails closed on an unlisted base asset and on borrowed base assets', () => {
    expect(() => run({ collateral: { SOL: '1' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }),
    );
    expect(() => run({ collateral: { ETH: '-1' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('derive-srm invariants', () => {
  const ids = ['BTC-PERP', 'SOL-PERP', 'BTC-C-110K', 'BTC-C-120K', 'BTC-P-95K'];
  it('IM ≥ MM ≥ 0, contributions sum to IM, components sum to IM and MM', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 10 }),
        (sizes, eth) => {
          const r = run({
            collateral: { ETH: String(eth), USDC: '1000' },
            positions: ids
              .map((instrument, i) => ({ instrument, size: sizes[i]! }))
              .filter((p) => p.size !== 0),
          });
          expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
          expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
          const tol = 1e-9 * Math.max(1, r.initialUsd);
          expect(
            Math.abs(r.contributions.reduce((a, c) => a + c.initialUsd, 0) - r.initialUsd),
          ).toBeLessThanOrEqual(tol);
          expect(
            Math.abs(r.components.reduce((a, c) => a + c.initialUsd, 0) - r.initialUsd),
          ).toBeLessThanOrEqual(tol);
          expect(
            Math.abs(r.components.reduce((a, c) => a + c.maintenanceUsd, 0) - r.maintenanceUsd),
          ).toBeLessThanOrEqual(tol);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('rejects params that would put IM below MM', () => {
    const m = DEFAULT_DERIVE_SRM_PARAMS.defaultMarket;
    expect(() =>
      deriveSrmModel.parseParams({ defaultMarket: { ...m, perp: { mmPerpReq: 0.2, imPerpReq: 0.1 } } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }));
    expect(() =>
      deriveSrmModel.parseParams({ defaultMarket: { ...m, options: { ...m.options, minSpotReq: 0.05 } } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }));
  });
});

describe('max loss in O(n log n) equals the O(n²) definition', () => {
  // The definition, written out: Derive's _calcMaxLoss evaluates Σ payoff at 0 and at every strike
  // (in the options' order) and keeps the first strictly smaller min(Σ payoff, 0).
  function quadratic(options: readonly SrmOption[]): { settlePrice: number; payoff: number } {
    let settlePrice = 0;
    let payoff = 0;
    for (const price of [0, ...options.map((o) => o.strike)]) {
      const v = Math.min(
        options.reduce((a, o) => a + settlementValue(o, price), 0),
        0,
      );
      if (v < payoff) [payoff, settlePrice] = [v, price];
    }
    return { settlePrice, payoff };
  }
  const option = fc.record({
    isCall: fc.boolean(),
    // few distinct strikes, so books have repeated strikes and flat stretches (ties)
    strike: fc.integer({ min: 1, max: 12 }).map((k) => k * 500),
    units: fc.integer({ min: -20, max: 20 }).map((u) => u / 4),
  });

  it('random books: same worst payoff, and the same settlement price unless another ties', () => {
    fc.assert(
      fc.property(fc.array(option, { maxLength: 60 }), (rows) => {
        const options = rows.map((r, i) => ({ ...r, key: `o${i}`, price: 0 }));
        const slow = quadratic(options);
        const fast = worstSettlement(options);
        const tol = 1e-9 * (1 + options.reduce((a, o) => a + Math.abs(o.units) * o.strike, 0));
        expect(Math.abs(fast.payoff - slow.payoff)).toBeLessThanOrEqual(tol);
        if (fast.settlePrice !== slow.settlePrice) {
          // Only a tie may choose another price: the payoff at it is the same minimum.
          const at = options.reduce((a, o) => a + settlementValue(o, fast.settlePrice), 0);
          expect(Math.abs(Math.min(at, 0) - slow.payoff)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it('exact ties resolve to the first candidate, as in the definition', () => {
    // Short a 1000 put, long a 500 put: the payoff is −500 from 0 to 500, so P = 0 comes first.
    const options = [
      { key: 'a', isCall: false, strike: 1000, units: -1, price: 0 },
      { key: 'b', isCall: false, strike: 500, units: 1, price: 0 },
    ];
    expect(worstSettlement(options)).toEqual(quadratic(options));
    expect(worstSettlement(options)).toEqual({ settlePrice: 0, payoff: -500 });
    expect(worstSettlement([])).toEqual({ settlePrice: 0, payoff: 0 });
  });

  it('a 20,000-option expiry is margined (the O(n²) version would take 4·10⁸ payoff terms)', () => {
    const options: SrmOption[] = Array.from({ length: 20_000 }, (_, i) => ({
      key: `o${i}`,
      isCall: i % 2 === 0,
      strike: 50_000 + (i % 1000) * 50,
      units: i % 3 === 0 ? -1 : 1,
      price: 0,
    }));
    const r = worstSettlement(options);
    // Checked against the definition at the price found and at its neighbours' strikes.
    const at = (p: number) =>
      Math.min(
        options.reduce((a, o) => a + settlementValue(o, p), 0),
        0,
      );
    expect(r.payoff).toBe(at(r.settlePrice));
    for (const p of [0, 50_000, 74_950, 99_950]) expect(at(p)).toBeGreaterThanOrEqual(r.payoff - 1e-6);
  });
});
