import { describe, expect, it } from 'vitest';
import { computeSampleCorrelation, covarianceToCorrelation } from './correlation.js';
import { choleskyDecompose } from './cholesky.js';
import { SeededRng } from './seeded-rng.js';

describe('computeSampleCorrelation', () => {
  it('a hand example: x = (1, 2, 3, 4), y = (2, 1, 4, 3)', () => {
    // Centred: x − 2.5 = (−1.5, −0.5, 0.5, 1.5), y − 2.5 = (−0.5, −1.5, 1.5, 0.5).
    // Σdx·dy = 0.75 + 0.75 + 0.75 + 0.75 = 3; Σdx² = Σdy² = 5  →  ρ = 3/5.
    const r = Float64Array.of(1, 2, 2, 1, 3, 4, 4, 3);
    const c = computeSampleCorrelation(r, 2);
    expect(c[0]).toBe(1);
    expect(c[3]).toBe(1);
    expect(c[1]).toBeCloseTo(3 / 5, 15);
    expect(c[2]).toBe(c[1]);
  });

  it('exact linear relations give ±1; a constant series is uncorrelated', () => {
    const r = new Float64Array(4 * 10);
    for (let t = 0; t < 10; t++) {
      r[t * 4] = t * 0.01;
      r[t * 4 + 1] = 2 * t * 0.01 + 0.5;
      r[t * 4 + 2] = -t * 0.01;
      r[t * 4 + 3] = 0.02; // constant
    }
    const c = computeSampleCorrelation(r, 4);
    expect(c[1]).toBeCloseTo(1, 14);
    expect(c[2]).toBeCloseTo(-1, 14);
    expect(c[3]).toBe(0);
    expect(c[15]).toBe(1);
    for (const v of c) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('uses complete rows only and stays positive semi-definite', () => {
    const rng = new SeededRng(4);
    const A = 5;
    const T = 60;
    const r = new Float64Array(T * A);
    rng.fillNormal(r);
    for (let t = 0; t < T; t += 7) r[t * A + (t % A)] = Number.NaN;
    const c = computeSampleCorrelation(r, A);
    expect(() => choleskyDecompose(c, A, new Float64Array(A * A))).not.toThrow();
    expect(() => computeSampleCorrelation(Float64Array.of(1, Number.NaN, 2, 3), 2)).toThrow(
      /2 complete rows/,
    );
  });
});

describe('covarianceToCorrelation', () => {
  it('ρ_ij = c_ij/√(c_ii·c_jj), unit diagonal; zero variance → 0', () => {
    const cov = Float64Array.of(4, 2, 0, 2, 9, 0, 0, 0, 0);
    const rho = covarianceToCorrelation(cov, 3);
    expect(Array.from(rho)).toEqual([1, 2 / 6, 0, 2 / 6, 1, 0, 0, 0, 1]);
    expect(() => covarianceToCorrelation(Float64Array.of(-1), 1)).toThrow(/variance/);
    expect(() => covarianceToCorrelation(cov, 3, cov)).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});
