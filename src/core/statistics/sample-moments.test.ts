import { describe, expect, it } from 'vitest';
import { computeSampleMoments } from './sample-moments.js';

describe('computeSampleMoments', () => {
  it('x = (1, 2, 3, 4) by hand', () => {
    // Centred: ±1.5, ±0.5. m2 = (2·2.25 + 2·0.25)/4 = 1.25; m4 = (2·5.0625 + 2·0.0625)/4 = 2.5625.
    const m = computeSampleMoments(Float64Array.of(1, 2, 3, 4));
    expect(m.mean).toBe(2.5);
    expect(m.variance).toBeCloseTo((1.25 * 4) / 3, 15); // unbiased: 5/3
    expect(m.skewness).toBe(0);
    expect(m.excessKurtosis).toBeCloseTo(2.5625 / 1.25 ** 2 - 3, 14); // −1.36
    expect(m.standardErrors.mean).toBeCloseTo(Math.sqrt(1.25 / 4), 15);
    expect(m.standardErrors.variance).toBeCloseTo(Math.sqrt((2.5625 - 1.25 ** 2) / 4), 15);
  });

  it('is invariant under shift and scales as the moments do', () => {
    const x = Float64Array.of(0.3, -1.2, 2.5, 0.7, -0.1, 1.9, -2.2);
    const a = computeSampleMoments(x);
    const b = computeSampleMoments(Float64Array.from(x, (v) => 3 * v + 10));
    expect(b.mean).toBeCloseTo(3 * a.mean + 10, 13);
    expect(b.variance).toBeCloseTo(9 * a.variance, 13);
    expect(b.skewness).toBeCloseTo(a.skewness, 12);
    expect(b.excessKurtosis).toBeCloseTo(a.excessKurtosis, 12);
  });

  it('refuses short, non-finite and constant samples', () => {
    expect(() => computeSampleMoments(Float64Array.of(1, 2, 3))).toThrow(/>= 4/);
    expect(() => computeSampleMoments(Float64Array.of(1, 2, 3, Number.NaN))).toThrow(/x\[3\]/);
    expect(() => computeSampleMoments(Float64Array.of(2, 2, 2, 2))).toThrow(/constant/);
  });
});
