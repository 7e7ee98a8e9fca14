import { describe, expect, it } from 'vitest';
import { choleskyDecompose } from './cholesky.js';
import { SeededRng } from './seeded-rng.js';

/** L·Lᵀ of a row-major lower-triangular n × n factor. */
function multiplyLLt(L: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += L[i * n + k]! * L[j * n + k]!;
      out[i * n + j] = s;
    }
  return out;
}

describe('choleskyDecompose: hand examples', () => {
  it('2 × 2: [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]]', () => {
    // L00 = √4 = 2; L10 = 2/2 = 1; L11 = √(5 − 1²) = 2.
    const L = new Float64Array(4);
    expect(choleskyDecompose(Float64Array.of(4, 2, 2, 5), 2, L)).toBe(0);
    expect(Array.from(L)).toEqual([2, 0, 1, 2]);
  });

  it('3 × 3: [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] → [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]', () => {
    // L00 = 2; L10 = 12/2 = 6; L11 = √(37 − 36) = 1; L20 = −16/2 = −8;
    // L21 = (−43 − 6·(−8))/1 = 5; L22 = √(98 − 64 − 25) = 3. Every step is exact in float64.
    const m = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    const L = new Float64Array(9).fill(Number.NaN);
    choleskyDecompose(m, 3, L);
    expect(Array.from(L)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('a correlation matrix: [[1, ρ], [ρ, 1]] → [[1, 0], [ρ, √(1 − ρ²)]]', () => {
    const rho = 0.6;
    const L = new Float64Array(4);
    choleskyDecompose(Float64Array.of(1, rho, rho, 1), 2, L);
    expect(L[2]).toBe(rho);
    expect(L[3]).toBeCloseTo(Math.sqrt(1 - rho * rho), 15); // 0.8
  });
});

describe('choleskyDecompose: random SPD matrices reconstruct', () => {
  it('L·Lᵀ = Σ to 1e-13 relative for Σ = B·Bᵀ + I/10, n = 1…8', () => {
    const rng = new SeededRng(10);
    for (let n = 1; n <= 8; n++) {
      const B = new Float64Array(n * n);
      rng.fillNormal(B);
      const m = multiplyLLt(B, n); // B·Bᵀ, with B read as a full matrix
      for (let i = 0; i < n; i++) m[i * n + i] = m[i * n + i]! + 0.1;
      const L = new Float64Array(n * n);
      choleskyDecompose(m, n, L);
      const back = multiplyLLt(L, n);
      for (let i = 0; i < n * n; i++)
        expect(Math.abs(back[i]! - m[i]!)).toBeLessThan(1e-13 * (1 + Math.abs(m[i]!)));
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
    }
  });
});

describe('choleskyDecompose: not positive definite', () => {
  it('an indefinite matrix throws ERR_INVALID_INPUT naming the row', () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and −1.
    expect(() => choleskyDecompose(Float64Array.of(1, 2, 2, 1), 2, new Float64Array(4))).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        details: expect.objectContaining({ value: expect.objectContaining({ row: 1 }) }),
      }),
    );
  });

  it('a singular matrix (perfect correlation) throws, or factorises with recorded jitter', () => {
    const m = Float64Array.of(1, 1, 1, 1);
    const L = new Float64Array(4);
    expect(() => choleskyDecompose(m, 2, L)).toThrow(/positive definite/);
    const delta = choleskyDecompose(m, 2, L, { jitter: { initial: 1e-10, max: 1e-4 } });
    expect(delta).toBeGreaterThan(0);
    expect(delta).toBeLessThanOrEqual(1e-4);
    const back = multiplyLLt(L, 2);
    // L·Lᵀ = Σ + δ·I: jitter only adds variance.
    expect(back[0]).toBeCloseTo(1 + delta, 14);
    expect(back[1]).toBeCloseTo(1, 14);
    expect(back[3]).toBeCloseTo(1 + delta, 14);
  });

  it('jitter is bounded: a clearly indefinite matrix still throws', () => {
    expect(() =>
      choleskyDecompose(Float64Array.of(1, 2, 2, 1), 2, new Float64Array(4), {
        jitter: { initial: 1e-10, max: 1e-2 },
      }),
    ).toThrow(/positive definite/);
  });

  it('rejects asymmetric, non-finite and mis-shaped input', () => {
    expect(() => choleskyDecompose(Float64Array.of(1, 0.5, 0.4, 1), 2, new Float64Array(4))).toThrow(
      /must equal/,
    );
    expect(() => choleskyDecompose(Float64Array.of(Number.NaN), 1, new Float64Array(1))).toThrow(/finite/);
    expect(() => choleskyDecompose(Float64Array.of(1, 0, 0, 1), 2, new Float64Array(3))).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});
