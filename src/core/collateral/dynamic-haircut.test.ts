import { describe, expect, it } from 'vitest';
import { createDepthCurve } from '../market/depth-curve.js';
import {
  computeDynamicHaircut,
  computeVolatilityHaircut,
  limitHaircutStep,
  scaleVolToMpor,
} from './dynamic-haircut.js';
import {
  DEFAULT_DYNAMIC_HAIRCUT_PARAMS as P,
  parseDynamicHaircutParams,
  type DynamicHaircutParams,
} from './dynamic-haircut-params.js';
import { computeLiquidityCostFraction } from './liquidity-cost.js';
import { proposeRateTiers } from './propose-rate-tiers.js';
import { checkRateSchedule } from '../margin/rate-schedule.js';
import { computeLossExceedance } from './loss-exceedance.js';

describe('computeVolatilityHaircut', () => {
  it('is 1 − exp(−z·σ) with z = Φ⁻¹(α)', () => {
    expect(computeVolatilityHaircut(0.03, 0.99)).toBeCloseTo(1 - Math.exp(-2.326347874 * 0.03), 10);
    expect(computeVolatilityHaircut(0.03, 0.975)).toBeCloseTo(1 - Math.exp(-1.959963985 * 0.03), 10);
    expect(computeVolatilityHaircut(0, 0.99)).toBe(0);
  });
  it('refuses a negative σ and α < 0.5', () => {
    expect(() => computeVolatilityHaircut(-0.1, 0.99)).toThrow(/sigmaMpor must be finite and >= 0/);
    expect(() => computeVolatilityHaircut(0.1, 0.4)).toThrow(/confidence must be in \[0.5, 1\)/);
  });
  it('scales σ by √(MPOR / bar)', () => {
    expect(scaleVolToMpor(0.006, 1, 24)).toBeCloseTo(0.006 * Math.sqrt(24), 15);
    expect(scaleVolToMpor(0.03, 24, 48)).toBeCloseTo(0.03 * Math.SQRT2, 15);
  });
});

describe('computeLiquidityCostFraction', () => {
  const a = { halfSpread: 0.0002, impactCoefficient: 0.1, advUsd: 1e8 };
  it('sqrt model: halfSpread + k·√(V/ADV), capped at 1', () => {
    expect(computeLiquidityCostFraction(1e6, a).costFraction).toBeCloseTo(0.0002 + 0.1 * 0.1, 15);
    expect(computeLiquidityCostFraction(1e12, a).costFraction).toBe(1);
    expect(computeLiquidityCostFraction(0, a)).toEqual({ costFraction: 0, source: 'sqrt-impact' });
  });
  it('uses the depth curve when given (walk of the bids)', () => {
    const curve = createDepthCurve({
      kind: 'book',
      asset: 'BTC',
      bids: [
        { price: 99, qty: 1 },
        { price: 98, qty: 1 },
      ],
      asks: [{ price: 101, qty: 1 }],
    });
    // sell 2 units (value 200 at the mid 100): cost 1 + 2 = 3, fraction 0.015
    expect(computeLiquidityCostFraction(200, a, curve)).toEqual({
      costFraction: 0.015,
      source: 'depth-curve',
    });
    expect(() => computeLiquidityCostFraction(500, a, curve)).toThrow(/cannot sell 5/);
  });
  it('refuses a negative value', () => {
    expect(() => computeLiquidityCostFraction(-1, a)).toThrow(/valueUsd must be finite and >= 0; got -1/);
  });
});

describe('limitHaircutStep', () => {
  it('limits falls and phased rises to maxStep', () => {
    expect(limitHaircutStep(0.05, 0.1, 0.02, 'phased')).toBeCloseTo(0.08, 15);
    expect(limitHaircutStep(0.2, 0.1, 0.02, 'phased')).toBeCloseTo(0.12, 15);
    expect(limitHaircutStep(0.11, 0.1, 0.02, 'phased')).toBe(0.11);
  });
  it("'immediate' applies a rise at once, still limits a fall", () => {
    expect(limitHaircutStep(0.2, 0.1, 0.02, 'immediate')).toBe(0.2);
    expect(limitHaircutStep(0.05, 0.1, 0.02, 'immediate')).toBeCloseTo(0.08, 15);
  });
});

describe('computeDynamicHaircut', () => {
  const btc = { asset: 'BTC', hourlyVol: 0.006, valueUsd: 1e6, advUsd: 1.5e10 };
  it('takes the volatility part when it exceeds the floor, IM at 99% and MM at 97.5%', () => {
    const r = computeDynamicHaircut(btc, P);
    const s = 0.006 * Math.sqrt(24);
    expect(r.sigmaMpor).toBeCloseTo(s, 15);
    expect(r.im.haircut).toBeCloseTo(1 - Math.exp(-2.326347874 * s), 9);
    expect(r.im.binding).toBe('volatility');
    expect(r.mm.haircut).toBeCloseTo(1 - Math.exp(-1.959963985 * s), 9);
    expect(r.im.floor).toBe(0.05);
    expect(r.mm.floor).toBe(0.03);
    expect(r.liquidity.source).toBe('sqrt-impact');
    expect(r.im.liquidityPart).toBeCloseTo(0.0002 + 0.1 * Math.sqrt(1e6 / 1.5e10), 15);
  });
  it('binds at the floor in calm markets and at liquidity for a large holding on a thin asset', () => {
    expect(computeDynamicHaircut({ ...btc, hourlyVol: 0.001 }, P).im.binding).toBe('floor');
    const thin = computeDynamicHaircut({ asset: 'XYZ', hourlyVol: 0.001, valueUsd: 5e8, advUsd: 1e8 }, P);
    expect(thin.im.binding).toBe('liquidity');
    expect(thin.im.haircut).toBeCloseTo(0.0002 + 0.1 * Math.sqrt(5), 12);
    expect(thin.mm.haircut).toBe(thin.im.haircut);
    expect(thin.im.floor).toBe(P.defaultFloor.im);
  });
  it('applies the speed limit against the previous haircuts and reports it', () => {
    const r = computeDynamicHaircut({ ...btc, hourlyVol: 0.001, previous: { im: 0.2, mm: 0.1 } }, P);
    expect(r.im.haircut).toBeCloseTo(0.18, 15);
    expect(r.im.binding).toBe('speed-limit');
    expect(r.im.target).toBe(0.05);
    expect(r.mm.haircut).toBeCloseTo(0.08, 15);
  });
  it('never publishes MM above IM, even from a broken previous pair', () => {
    const r = computeDynamicHaircut({ ...btc, hourlyVol: 0.001, previous: { im: 0.05, mm: 0.3 } }, P);
    expect(r.mm.haircut).toBeLessThanOrEqual(r.im.haircut);
  });
});

describe('DynamicHaircutParamsSchema', () => {
  it('accepts the defaults and rejects each broken rule with its own path', () => {
    expect(parseDynamicHaircutParams(P)).toEqual(P);
    const bad = (patch: Partial<Record<keyof DynamicHaircutParams, unknown>>) => () =>
      parseDynamicHaircutParams({ ...P, ...patch });
    expect(bad({ mmConfidence: 0.995 })).toThrow(/mmConfidence: mmConfidence must be <= imConfidence/);
    expect(bad({ defaultFloor: { im: 0.01, mm: 0.02 } })).toThrow(/defaultFloor.mm: mm must be <= im/);
    expect(bad({ maxStep: 0 })).toThrow(/maxStep/);
    expect(bad({ rise: 'never' })).toThrow(/rise/);
    expect(() => parseDynamicHaircutParams({ ...P, extra: 1 })).toThrow(/unknown field "extra"/);
  });
});

describe('proposeRateTiers', () => {
  it('adds the closing cost of each bracket to the MPOR move and passes the schedule rules', () => {
    const tiers = proposeRateTiers({
      sigmaMpor: 0.03,
      imConfidence: 0.99,
      mmConfidence: 0.975,
      halfSpread: 0.0002,
      impactCoefficient: 0.1,
      advUsd: 1e9,
      bracketsUsd: [1e6, 1e7],
    });
    expect(tiers).toHaveLength(3);
    expect(tiers[0]!.imRate).toBeCloseTo(
      Math.ceil((Math.expm1(2.326347874 * 0.03) + 0.0002 + 0.1 * Math.sqrt(1e-3)) * 1e4) / 1e4,
      12,
    );
    expect(tiers[2]!.upToUsd).toBeNull();
    expect(checkRateSchedule('rates.X', tiers)).toEqual([]);
  });
});

describe('computeLossExceedance', () => {
  const closes = Float64Array.of(100, 90, 95, NaN, 100, 80);
  it('counts windows with both ends and losses strictly above the threshold', () => {
    // windows (h = 1): 100→90 (10%), 90→95, 95→NaN skip, NaN→100 skip, 100→80 (20%)
    expect(
      computeLossExceedance(closes, { horizonBars: 1, strideBars: 1, threshold: 0.1, side: 'long' }),
    ).toEqual({ windows: 3, exceedances: 1, share: 1 / 3 });
    const both = computeLossExceedance(closes, {
      horizonBars: 1,
      strideBars: 1,
      threshold: 0.05,
      side: 'both',
    });
    expect(both.exceedances).toBe(3);
  });
  it('reads a per-bar threshold at the window start', () => {
    const th = Float64Array.of(0.2, 0, 0, 0, 0.1, 0);
    expect(
      computeLossExceedance(closes, { horizonBars: 1, strideBars: 1, threshold: th, side: 'long' }),
    ).toEqual({ windows: 3, exceedances: 1, share: 1 / 3 });
  });
});
