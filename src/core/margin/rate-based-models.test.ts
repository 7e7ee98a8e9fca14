import { describe, expect, it } from 'vitest';
import { crossModel, DEFAULT_RATE_MODEL_PARAMS, isolatedModel } from './rate-based-models.js';
import { tieredMargin, checkRateSchedule } from './rate-schedule.js';
import { standardOptionMargin } from './standard-option-margin.js';
import { book, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';

const market = smallMarket();
const ctx = ctxOf(market);
const P = DEFAULT_RATE_MODEL_PARAMS;

describe('tiered brackets', () => {
  const tiers = P.rates.BTC!;
  it('first bracket is notional × rate', () => {
    expect(tieredMargin(500_000, tiers)).toEqual({ imUsd: 500_000 * 0.02, mmUsd: 500_000 * 0.01, tier: 0 });
  });
  it('continuous at every bracket boundary and non-decreasing', () => {
    for (const t of tiers.slice(0, -1)) {
      const b = t.upToUsd!;
      expect(tieredMargin(b * (1 + 1e-12), tiers).imUsd).toBeCloseTo(tieredMargin(b, tiers).imUsd, 3);
    }
    let prev = 0;
    for (let n = 0; n <= 200_000_000; n += 1_000_000) {
      const m = tieredMargin(n, tiers).imUsd;
      expect(m).toBeGreaterThanOrEqual(prev);
      prev = m;
    }
  });
  it('in bracket 2: N·3% − 1M·(3% − 2%)', () => {
    expect(tieredMargin(2_000_000, tiers).imUsd).toBeCloseTo(2_000_000 * 0.03 - 1_000_000 * 0.01, 6);
  });
  it('schedule rules are named', () => {
    expect(checkRateSchedule('rates.X', [{ upToUsd: null, imRate: 0.01, mmRate: 0.02 }])[0]).toEqual([
      'rates.X[0].mmRate',
      'must be <= imRate (0.01); got 0.02',
    ]);
  });
});

describe('standard option margin (Deribit template)', () => {
  const p = P.options;
  it('short OTM call: max(0.15 − OTM/U, 0.10)·U + mark per unit', () => {
    // U = 60,000, K = 66,000: OTM = 6,000, 0.15 − 0.1 = 0.05 → floor 0.10 → 6,000 + mark
    const r = standardOptionMargin(
      { optionType: 'call', strike: 66_000, markPrice: 1_000, indexPrice: 60_000, units: -2 },
      p,
    );
    expect(r.imUsd).toBeCloseTo(2 * (0.1 * 60_000 + 1_000), 9);
    expect(r.mmUsd).toBeCloseTo(2 * (0.075 * 60_000 + 1_000), 9);
  });
  it('short ATM put: 0.15·U + mark, capped at the strike', () => {
    const r = standardOptionMargin(
      { optionType: 'put', strike: 60_000, markPrice: 3_000, indexPrice: 60_000, units: -1 },
      p,
    );
    expect(r.imUsd).toBeCloseTo(0.15 * 60_000 + 3_000, 9);
    const capped = standardOptionMargin(
      { optionType: 'put', strike: 1_000, markPrice: 900, indexPrice: 60_000, units: -1 },
      p,
    );
    expect(capped.imUsd).toBe(1_000);
  });
  it('long: the premium', () => {
    expect(
      standardOptionMargin({ optionType: 'call', strike: 1, markPrice: 50, indexPrice: 60, units: 3 }, p),
    ).toEqual({ imUsd: 150, mmUsd: 150 });
  });
});

describe('isolated and cross', () => {
  it('a long BTC perp: 2% of notional, plus the USDC haircut; equity is mark-to-market', () => {
    const b = book(market, { USDC: '10000' }, [{ instrument: 'BTC-PERP', size: 1 }]);
    const r = isolatedModel.compute(b, ctx, P);
    const h = P.haircuts.USDC!;
    expect(r.initialUsd).toBeCloseTo(0.02 * 60_000 + 10_000 * h.im, 9);
    expect(r.maintenanceUsd).toBeCloseTo(0.01 * 60_000 + 10_000 * h.mm, 9);
    expect(r.equityUsd).toBe(10_000);
  });
  it('isolated locks a position’s profit; cross shares it', () => {
    const b = book(market, { USDC: '10000' }, [
      { instrument: 'BTC-PERP', size: 1, entryPrice: 55_000 },
      { instrument: 'ETH-PERP', size: -10 },
    ]);
    const iso = isolatedModel.compute(b, ctx, P);
    const cross = crossModel.compute(b, ctx, P);
    expect(iso.initialUsd - cross.initialUsd).toBeCloseTo(5_000, 9); // the 5,000 unrealised profit
    expect(iso.equityUsd).toBe(15_000);
  });
  it('cross nets positions in the same instrument; isolated does not', () => {
    const b = book(market, {}, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'BTC-PERP', size: -1 },
    ]);
    expect(crossModel.compute(b, ctx, P).initialUsd).toBe(0);
    expect(isolatedModel.compute(b, ctx, P).initialUsd).toBeCloseTo(2 * 0.02 * 60_000, 9);
  });
  it('a borrowed stablecoin is weighted 1.1 for IM', () => {
    const b = book(market, { USDC: '-1000' }, []);
    expect(crossModel.compute(b, ctx, P).initialUsd).toBeCloseTo(1_000 * 0.1, 9);
  });
  it('bad params name the field and the rule', () => {
    expect(() =>
      crossModel.parseParams({ options: { shortBase: 0.1, shortFloor: 0.2, mmBase: 0.05 } }),
    ).toThrow('cross params: options.shortFloor must be <= shortBase; got 0.2');
    expect(() => crossModel.parseParams({ haircut: {} })).toThrow(/haircut: unknown field "haircut"/);
  });
});
