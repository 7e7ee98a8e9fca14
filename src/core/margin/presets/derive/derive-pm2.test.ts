import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { createMarginContext, type MarginResult } from '../../margin-model.js';
import { derivePm2Model } from './derive-pm2-model.js';
import type { DerivePm2Params } from './pm2-params.js';

const VAL = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

const market = buildMarginMarket({
  snapshotId: 'pm2-unit',
  valuationMs: VAL,
  prices: { BTC: 100_000, ETH: 2_000, USDC: 1, SOL: 150 },
  rates: 0,
  instruments: [
    {
      id: 'BTC-C-110K',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 110_000,
      expiryMs: VAL + 30 * DAY_MS,
      iv: 0.6,
      forward: 100_000,
    },
    {
      id: 'BTC-P-90K',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'put',
      strike: 90_000,
      expiryMs: VAL + 7 * DAY_MS,
      iv: 0.7,
      forward: 100_050,
    },
    {
      id: 'BTC-C-120K-90D',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 120_000,
      expiryMs: VAL + 90 * DAY_MS,
      iv: 0.55,
      forward: 101_000,
    },
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 100_020 },
    {
      id: 'ETH-C-2200',
      kind: 'option',
      underlying: 'ETH',
      optionType: 'call',
      strike: 2_200,
      expiryMs: VAL + 14 * DAY_MS,
      iv: 0.8,
      forward: 2_002,
    },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2_001 },
  ],
});

function run(portfolio: unknown, params?: unknown): MarginResult {
  const p = derivePm2Model.parseParams(params);
  return derivePm2Model.compute(parsePortfolio(portfolio, market), createMarginContext(market), p);
}

describe('derive-pm2: a naked short call against a hand computation', () => {
  // One scenario (+10% spot, vol up), static discounts off (factors 1, rate terms 0), basis off.
  const params = {
    scenarios: [{ spotShock: 1.1, volShock: 'up', dampening: 1 }],
    margin: {
      imFactor: 1,
      mmFactor: 0.8,
      shortRateMultScale: 0,
      longRateMultScale: 0,
      shortRateAddScale: 0,
      longRateAddScale: 0,
      shortBaseStaticDiscount: 1,
      longBaseStaticDiscount: 1,
    },
    basisContingency: { scenarioSpotUp: 1.045, scenarioSpotDown: 0.955, addFactor: 0, multFactor: 0 },
  };
  const r = run(
    { collateral: { USDC: '50000' }, positions: [{ instrument: 'BTC-C-110K', size: -1 }] },
    params,
  );
  const t = 30 / 365;
  const p0 = priceBlack76({ type: 'call', forward: 100_000, strike: 110_000, tYears: t, vol: 0.6 });
  // DTE = 30 days: m = 1, volUp = 1 + 0.5 = 1.5, σ' = max(0.4, 0.6·1.5) = 0.9; F' = 1.1·F.
  const p1 = priceBlack76({ type: 'call', forward: 110_000, strike: 110_000, tYears: t, vol: 0.9 });
  const loss = p1 - p0; // the short loses the repricing
  it('IM = loss·imFactor + naked short·spot·(0.3% + 0.2%)', () => {
    expect(r.initialUsd).toBeCloseTo(loss * 1 + 100_000 * (0.003 + 0.002), 8);
  });
  it('MM = loss·mmFactor + naked short·spot·0.3%', () => {
    expect(r.maintenanceUsd).toBeCloseTo(loss * 0.8 + 100_000 * 0.003, 8);
  });
  it('equity = cash at face value + the option mark (negative for a short)', () => {
    expect(r.equityUsd).toBeCloseTo(50_000 - p0, 8);
  });
  it('reports the worst scenario with its P&L', () => {
    expect(r.worstScenario).toMatchObject({ id: 'BTC:s0', underlying: 'BTC' });
    expect(r.worstScenario!.pnlUsd).toBeCloseTo(-loss, 8);
  });
  it('attributes everything to the option', () => {
    expect(r.contributions).toHaveLength(1);
    expect(r.contributions[0]!.key).toBe('BTC-C-110K');
    expect(r.contributions[0]!.initialUsd).toBeCloseTo(r.initialUsd, 8);
  });
});

describe('derive-pm2: contingencies', () => {
  it('perp: MM 3% and IM +1% of |units|·spot with the defaults; a perp moves with spot in scenarios', () => {
    const r = run({ positions: [{ instrument: 'BTC-PERP', size: 2 }] });
    // Worst default scenario for a long perp: −18% (dampening 1) vs tails −66%·0.21 = −13.9%.
    const worst = 2 * 100_020 * 0.18;
    expect(r.maintenanceUsd).toBeCloseTo(worst * 0.8 + 2 * 100_000 * 0.03, 6);
    expect(r.initialUsd).toBeCloseTo(worst * 1 + 2 * 100_000 * (0.03 + 0.01), 6);
  });
  it('oracle confidence below 0.55 adds (1 − conf)·notional to IM only', () => {
    const low = buildMarginMarket({ ...marketDoc(), confidence: { BTC: 0.5 } });
    const p = derivePm2Model.defaultParams;
    const pf = parsePortfolio({ positions: [{ instrument: 'BTC-PERP', size: 1 }] }, low);
    const a = derivePm2Model.compute(pf, createMarginContext(low), p);
    const b = derivePm2Model.compute(
      parsePortfolio({ positions: [{ instrument: 'BTC-PERP', size: 1 }] }, market),
      createMarginContext(market),
      p,
    );
    expect(a.initialUsd - b.initialUsd).toBeCloseTo(0.5 * 100_000, 6);
    expect(a.maintenanceUsd).toBeCloseTo(b.maintenanceUsd, 9);
  });
  it('a stable below the peg threshold raises the IM loss factor by pegLossFactor·depeg', () => {
    const depegged = buildMarginMarket({ ...marketDoc(), prices: { ...marketDoc().prices, USDC: 0.95 } });
    const pf = { positions: [{ instrument: 'BTC-PERP', size: 1 }] };
    const a = derivePm2Model.compute(
      parsePortfolio(pf, depegged),
      createMarginContext(depegged),
      derivePm2Model.defaultParams,
    );
    const scenario = a.components.find((c) => c.name === 'scenario:BTC')!;
    expect(scenario.initialUsd / scenario.maintenanceUsd).toBeCloseTo((1 + 4 * (0.99 - 0.95)) / 0.8, 12);
  });
});

describe('derive-pm2: invariants on random books', () => {
  const ids = ['BTC-C-110K', 'BTC-P-90K', 'BTC-C-120K-90D', 'BTC-PERP', 'ETH-C-2200', 'ETH-PERP'];
  const book = fc.record({
    sizes: fc.array(fc.double({ min: -20, max: 20, noNaN: true }), {
      minLength: ids.length,
      maxLength: ids.length,
    }),
    btc: fc.integer({ min: 0, max: 5 }),
    usdc: fc.integer({ min: -100_000, max: 1_000_000 }),
  });
  const toPortfolio = (b: { sizes: number[]; btc: number; usdc: number }, k = 1) => ({
    collateral: { BTC: String(b.btc * k), USDC: String(b.usdc * k) },
    positions: ids
      .map((instrument, i) => ({ instrument, size: b.sizes[i]! * k }))
      .filter((p) => p.size !== 0),
  });
  it('IM ≥ MM ≥ 0 and the contributions sum to IM', () => {
    fc.assert(
      fc.property(book, (b) => {
        const r = run(toPortfolio(b));
        expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
        expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
        const sum = r.contributions.reduce((a, c) => a + c.initialUsd, 0);
        expect(Math.abs(sum - r.initialUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.initialUsd));
        const comps = r.components.reduce((a, c) => a + c.initialUsd, 0);
        expect(Math.abs(comps - r.initialUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.initialUsd));
      }),
      { numRuns: 40 },
    );
  });
  it('homogeneity: doubling the book doubles every scenario part (and every linear contingency)', () => {
    fc.assert(
      fc.property(book, (b) => {
        const one = run(toPortfolio(b));
        const two = run(toPortfolio(b, 2));
        for (const c of one.components) {
          const c2 = two.components.find((x) => x.name === c.name)!;
          expect(Math.abs(c2.initialUsd - 2 * c.initialUsd)).toBeLessThanOrEqual(
            1e-8 * Math.max(1, c.initialUsd),
          );
        }
        expect(two.initialUsd).toBeCloseTo(2 * one.initialUsd, 6);
      }),
      { numRuns: 25 },
    );
  });
});

describe('derive-pm2: params and refusals', () => {
  it('defaults parse; a partial document replaces whole groups', () => {
    const p = derivePm2Model.parseParams({ cashAsset: 'USDC' }) as DerivePm2Params;
    expect(p.scenarios).toHaveLength(33);
    expect(derivePm2Model.parseParams(undefined)).toEqual(derivePm2Model.defaultParams);
  });
  it('rejects imFactor < mmFactor (IM would fall below MM)', () => {
    expect(() =>
      derivePm2Model.parseParams({ margin: { ...derivePm2Model.defaultParams.margin, imFactor: 0.7 } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }));
  });
  it('rejects unknown fields and out-of-range values', () => {
    expect(() => derivePm2Model.parseParams({ nope: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
    expect(() => derivePm2Model.parseParams({ scenarios: [] })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
  });
  it('rejects a skew scenario away from S = 1, and two skew scenarios of a kind', () => {
    const bad = [{ spotShock: 1.1, volShock: 'linear', dampening: 1 }];
    expect(() => derivePm2Model.parseParams({ scenarios: bad })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }),
    );
    const two = [1, 1].map((spotShock) => ({ spotShock, volShock: 'abs', dampening: 1 }));
    expect(() => derivePm2Model.parseParams({ scenarios: two })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }),
    );
  });
  it('fails closed on unlisted collateral and on borrowed non-cash collateral', () => {
    expect(() => run({ collateral: { SOL: '10' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }),
    );
    expect(() => run({ collateral: { BTC: '-1' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
  it('fails closed without a price for the cash asset', () => {
    expect(() => run({}, { cashAsset: 'PYUSD' })).toThrow(
      expect.objectContaining({ code: 'ERR_MISSING_MARKET_DATA' }),
    );
  });
  it('stamps params version, snapshot and valuation time', () => {
    const r = run({ collateral: { USDC: '1' } });
    expect(r.paramsVersion).toMatch(/^derive-pm2#[0-9a-f]{8}$/);
    expect(r.snapshotId).toBe('pm2-unit');
    expect(r.valuationMs).toBe(VAL);
    expect(r.initialUsd).toBe(0);
    expect(r.equityUsd).toBe(1);
  });
});

function marketDoc() {
  return {
    snapshotId: 'pm2-unit',
    valuationMs: VAL,
    prices: { BTC: 100_000, ETH: 2_000, USDC: 1, SOL: 150 },
    rates: 0,
    instruments: [{ id: 'BTC-PERP', kind: 'perpetual' as const, underlying: 'BTC', markPrice: 100_020 }],
  };
}
