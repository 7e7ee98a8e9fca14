import { describe, expect, it } from 'vitest';
import { parseFundingRange, openInterestUsd, defaultInsuranceUsd } from './venue-funding.js';
import {
  fallLimitFactor,
  fallLimitFloor,
  maxFallPerDayOf,
  scaleRequirement,
} from '../../core/margin/fall-limit.js';
import { book, smallMarket } from '../../../test/support/margin-fixtures.js';
import { isolatedModel } from '../../core/margin/rate-based-models.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { DEFAULT_ES_PARAMS } from '../../core/margin/es-params.js';

const D = 86_400_000;

describe('funding and insurance', () => {
  it('parses LO:HI, and names the flag, rule and value otherwise', () => {
    expect(parseFundingRange('1.0:1.3')).toEqual([1, 1.3]);
    expect(parseFundingRange(' 2 : 2 ')).toEqual([2, 2]);
    for (const bad of ['1.3:1.0', '0.5:1', '1', 'a:b', '1:200'])
      expect(() => parseFundingRange(bad)).toThrow(`--funding must be LO:HI`);
  });

  it('open interest is Σ |size × contract size| × underlying price; the default fund is 1% of it', () => {
    const m = smallMarket();
    const pf = book(m, { USDC: '1000' }, [
      { instrument: 'BTC-PERP', size: -2 },
      { instrument: 'BTC-C66', size: 3 },
      { instrument: 'ETH-PERP', size: 10 },
    ]);
    // 2 × 60,000 + 3 × 60,000 (options by their underlying) + 10 × 2,000
    expect(openInterestUsd([pf], m)).toBe(320_000);
    expect(defaultInsuranceUsd([pf, pf], m)).toBeCloseTo(0.01 * 640_000, 9);
  });
});

describe('the fall limit as state', () => {
  it('floor = (1 − f)^(Δt / 1 day) · previous IM: hourly updates compound to the daily limit', () => {
    expect(fallLimitFloor(10_000, 0.1, D)).toBeCloseTo(9_000, 9);
    let im = 10_000;
    for (let h = 0; h < 24; h++) im = fallLimitFloor(im, 0.1, D / 24);
    expect(im).toBeCloseTo(9_000, 9);
    expect(() => fallLimitFloor(1, 1.5, 0)).toThrow(/maxFallPerDay must be in \[0, 1\]/);
  });

  it('es declares 10% a day; rate models declare none', () => {
    expect(maxFallPerDayOf(DEFAULT_ES_PARAMS)).toBe(0.1);
    expect(maxFallPerDayOf(isolatedModel.defaultParams)).toBeNull();
  });

  it('the factor lets rises through and slows falls: g = max(1, floor / IM)', () => {
    expect(fallLimitFactor(1_000, 2_000, 0.1, D)).toBe(1); // a rise passes at once
    // IM falls to 500 a day after 2,000: held at 0.9 × 2,000 = 1,800, factor 3.6.
    expect(fallLimitFactor(2_000, 500, 0.1, D)).toBeCloseTo(3.6, 12);
    expect(fallLimitFactor(2_000, 0, 0.1, D)).toBe(1); // nothing to hold
    expect(fallLimitFactor(2_000, NaN, 0.1, D)).toBe(1);
    expect(fallLimitFactor(2_000, 500, 1, D)).toBe(1); // f = 1: no limit
  });

  it('scaling a result multiplies IM, MM and contributions and names the part', () => {
    const m = smallMarket();
    const r = isolatedModel.compute(
      book(m, { USDC: '10000' }, [{ instrument: 'BTC-PERP', size: 1 }]),
      createMarginContext(m),
      isolatedModel.defaultParams,
    );
    const s = scaleRequirement(r, 1.5);
    expect(s.initialUsd).toBeCloseTo(1.5 * r.initialUsd, 9);
    expect(s.maintenanceUsd).toBeCloseTo(1.5 * r.maintenanceUsd, 9);
    expect(s.components.at(-1)!.name).toBe('fall-limit');
    expect(s.contributions.reduce((a, c) => a + c.initialUsd, 0)).toBeCloseTo(s.initialUsd, 6);
  });
});
