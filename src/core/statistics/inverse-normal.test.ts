import { describe, expect, it } from 'vitest';
import { invNormCdf } from './inverse-normal.js';
import { normCdf, normSf } from '../numeric/normal.js';

describe('invNormCdf', () => {
  it('textbook quantiles (Abramowitz & Stegun table 26.5, to 16 digits)', () => {
    expect(invNormCdf(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(invNormCdf(0.99)).toBeCloseTo(2.326347874040841, 14);
    expect(invNormCdf(0.01)).toBeCloseTo(-2.326347874040841, 14);
    expect(invNormCdf(0.5)).toBe(0);
    expect(invNormCdf(0.8413447460685429)).toBeCloseTo(1, 14);
  });

  it('round trip Φ(Φ⁻¹(p)) = p to 1e-14 relative for p in [1e-12, 1 − 1e-12]', () => {
    // Lower half: relative to p. Upper half: relative to the tail 1 − p, which is the harder
    // (and the meaningful) comparison; Φ(x) near 1 is checked as normSf(x) against 1 − p.
    let worst = 0;
    for (let e = -12; e < -0.31; e += 0.01) {
      const p = 10 ** e;
      worst = Math.max(worst, Math.abs(normCdf(invNormCdf(p)) - p) / p);
      const q = 1 - p; // rounded; compare against the exact tail of the rounded q
      const tail = 1 - q;
      worst = Math.max(worst, Math.abs(normSf(invNormCdf(q)) - tail) / tail);
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it('deep tail: round trip within the conditioning x²·ε of Φ plus 1e-14', () => {
    for (const p of [1e-20, 1e-50, 1e-100, 1e-200, 1e-300]) {
      const x = invNormCdf(p);
      const tol = 1e-14 + (x * x + 1) * 2 ** -52;
      expect(Math.abs(normCdf(x) - p) / p, `p=${p}`).toBeLessThan(tol);
    }
  });

  it('inverse of Φ on x: Φ⁻¹(Φ(x)) = x', () => {
    for (let x = -8; x <= 0; x += 0.125) expect(invNormCdf(normCdf(x))).toBeCloseTo(x, 13);
    for (let x = 0.125; x <= 5; x += 0.125) expect(invNormCdf(normCdf(x))).toBeCloseTo(x, 11 - Math.ceil(x));
  });

  it('is odd: Φ⁻¹(1 − p) = −Φ⁻¹(p) for p with exact 1 − p', () => {
    for (const p of [0.5 ** 10, 0.125, 0.25, 0.375]) expect(invNormCdf(1 - p)).toBe(-invNormCdf(p));
  });

  it('endpoints and invalid input', () => {
    expect(invNormCdf(0)).toBe(-Infinity);
    expect(invNormCdf(1)).toBe(Infinity);
    expect(Number.isFinite(invNormCdf(5e-324))).toBe(true);
    for (const p of [-0.1, 1.1, Number.NaN]) {
      expect(() => invNormCdf(p)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    }
  });
});
