import { describe, expect, it } from 'vitest';
import { erf, erfc, normCdf, normPdf, normSf } from './normal.js';
import { normCdfRelativeError } from '../../../test/support/high-precision.js';

describe('normCdf against a 700-digit reference (test/support/high-precision.ts)', () => {
  // A grid over the range pricing uses, including the interval boundaries of Cody's
  // approximation (|z| = 0.46875 and 4, i.e. |x| = 0.6629 and 5.657) and the deep tail.
  const xs: number[] = [];
  for (let x = -37.5; x <= 8.5; x += 0.37) xs.push(x);
  xs.push(-0.6629126073623883, 0.6629126073623883, -5.656854249492381, 5.656854249492381, 1e-300, -1e-8, 0);

  it.each(xs.map((x) => [x]))('N(%f) is within 2e-15 relative', (x) => {
    const rel = normCdfRelativeError(x, normCdf(x));
    expect(rel, `x=${x} N=${normCdf(x)} rel=${rel}`).toBeLessThanOrEqual(2e-15);
  });
});

describe('normal distribution identities', () => {
  it('N(0) = 1/2 and φ(0) = 1/√(2π)', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
  });

  it('textbook quantiles: N(1.959963984540054) = 0.975, N(−2.326347874040841) = 0.01', () => {
    // Quantiles of the standard normal (e.g. Abramowitz & Stegun table 26.5, to 16 digits).
    expect(normCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normCdf(-2.326347874040841)).toBeCloseTo(0.01, 15);
  });

  it('symmetry N(x) + N(−x) = 1 and normSf(x) = N(−x)', () => {
    for (const x of [0.1, 0.5, 1, 2.5, 4, 6]) {
      expect(normCdf(x) + normCdf(-x)).toBeCloseTo(1, 15);
      expect(normSf(x)).toBe(normCdf(-x));
    }
  });

  it('erf and erfc are complementary and odd/reflected', () => {
    for (const z of [-3, -1, -0.3, 0, 0.2, 0.46875, 0.5, 2, 4, 4.5]) {
      expect(erf(z) + erfc(z)).toBeCloseTo(1, 15);
      expect(erf(-z)).toBe(-erf(z));
      expect(erfc(-z)).toBeCloseTo(2 - erfc(z), 15);
    }
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
  });

  it('density is the derivative of the CDF (central difference)', () => {
    for (const x of [-3, -1, 0, 0.7, 2]) {
      const h = 1e-5;
      const fd = (normCdf(x + h) - normCdf(x - h)) / (2 * h);
      expect(Math.abs(fd - normPdf(x))).toBeLessThan(1e-10);
    }
  });

  it('NaN propagates, infinities saturate', () => {
    expect(normCdf(Number.NaN)).toBeNaN();
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
  });
});
