import { describe, expect, it } from 'vitest';
import { computeEwmaVariance, computeEwmaVolatility } from './ewma.js';
import { computeEwmaCovariance } from './ewma-covariance.js';
import { SeededRng } from './seeded-rng.js';

const REL = 1e-14;
const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe('computeEwmaVariance: a hand-computed 4-step example', () => {
  // r = [0.01, −0.02, 0.03, 0], λ = 0.9, seed = mean of r² over the first 2 returns.
  const r = Float64Array.of(0.01, -0.02, 0.03, 0);
  const lambda = 0.9;
  const s0 = (0.01 ** 2 + 0.02 ** 2) / 2; // 2.5e-4
  const s1 = lambda * s0 + (1 - lambda) * 0.01 ** 2; // 2.35e-4
  const s2 = lambda * s1 + (1 - lambda) * 0.02 ** 2; // 2.515e-4
  const s3 = lambda * s2 + (1 - lambda) * 0.03 ** 2; // 3.1635e-4
  const s4 = lambda * s3 + (1 - lambda) * 0; // 2.84715e-4, today's forecast

  it('rows 0…T are σ²_0 … σ²_T', () => {
    const v = computeEwmaVariance(r, 1, { lambda, warmup: 2 });
    expect(v.length).toBe(5);
    const expected = [s0, s1, s2, s3, s4];
    expected.forEach((e, t) => expect(close(v[t]!, e), `t=${t}: ${v[t]} vs ${e}`).toBe(true));
    // The same numbers written out as decimals (checked by hand).
    expect(v[4]).toBeCloseTo(2.84715e-4, 15);
  });

  it('volatility is the square root, with the same layout', () => {
    const vol = computeEwmaVolatility(r, 1, { lambda, warmup: 2 });
    expect(close(vol[4]!, Math.sqrt(s4))).toBe(true);
  });

  it('initialVariance overrides the warm-up seed', () => {
    const v = computeEwmaVariance(r, 1, { lambda, warmup: 2, initialVariance: Float64Array.of(1e-4) });
    expect(v[0]).toBe(1e-4);
    expect(close(v[1]!, lambda * 1e-4 + (1 - lambda) * 1e-4)).toBe(true);
  });

  it('writes into a caller buffer', () => {
    const out = new Float64Array(5);
    expect(computeEwmaVariance(r, 1, { lambda, warmup: 2 }, out)).toBe(out);
    expect(() => computeEwmaVariance(r, 1, { lambda, warmup: 2 }, new Float64Array(4))).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});

describe('computeEwmaVariance: closed form and missing data', () => {
  it('equals λ^T·σ²_0 + (1 − λ)·Σ_t λ^{T−1−t}·r_t² on a random series', () => {
    const rng = new SeededRng(1);
    const T = 300;
    const r = new Float64Array(T);
    for (let t = 0; t < T; t++) r[t] = 0.02 * rng.nextNormal();
    const lambda = 0.94;
    const v = computeEwmaVariance(r, 1, { lambda, warmup: 20 });
    let seed = 0;
    for (let t = 0; t < 20; t++) seed += r[t]! ** 2 / 20;
    let expected = lambda ** T * seed;
    for (let t = 0; t < T; t++) expected += (1 - lambda) * lambda ** (T - 1 - t) * r[t]! ** 2;
    expect(Math.abs(v[T]! - expected) / expected).toBeLessThan(1e-12);
  });

  it('per asset: NaN before the first return, gaps carried forward, short history all NaN', () => {
    // Three assets, T = 5. Asset 1 lists at row 2; asset 0 has a gap at row 2; asset 2 has only
    // one valid return (< warmup 2) and no seed.
    const N = Number.NaN;
    const r = Float64Array.of(0.01, N, N, 0.02, N, 0.05, N, 0.01, N, 0.01, -0.03, N, 0.02, 0.02, N);
    const lambda = 0.5;
    const v = computeEwmaVariance(r, 3, { lambda, warmup: 2 });
    const at = (t: number, a: number): number => v[t * 3 + a]!;
    // Asset 0: seed (0.01² + 0.02²)/2 from its first two valid returns (rows 0 and 1).
    const a0 = [(1e-4 + 4e-4) / 2];
    a0.push(lambda * a0[0]! + (1 - lambda) * 1e-4); // after r_0
    a0.push(lambda * a0[1]! + (1 - lambda) * 4e-4); // after r_1
    a0.push(a0[2]!); // r_2 missing: carried
    a0.push(lambda * a0[3]! + (1 - lambda) * 1e-4); // after r_3
    a0.push(lambda * a0[4]! + (1 - lambda) * 4e-4); // after r_4
    a0.forEach((e, t) => expect(close(at(t, 0), e), `asset 0 row ${t}`).toBe(true));
    // Asset 1: returns 0.01, −0.03, 0.02 at rows 2, 3, 4: NaN for rows 0, 1; seed at row 2.
    expect(at(0, 1)).toBeNaN();
    expect(at(1, 1)).toBeNaN();
    const s = (0.01 ** 2 + 0.03 ** 2) / 2;
    expect(close(at(2, 1), s)).toBe(true);
    expect(close(at(3, 1), lambda * s + (1 - lambda) * 1e-4)).toBe(true);
    for (let t = 0; t <= 5; t++) expect(at(t, 2)).toBeNaN();
  });

  it('rejects bad parameters and shapes with ERR_INVALID_INPUT', () => {
    const r = new Float64Array(6);
    const bad: [string, () => unknown][] = [
      ['lambda 1', () => computeEwmaVariance(r, 1, { lambda: 1, warmup: 1 })],
      ['lambda NaN', () => computeEwmaVariance(r, 1, { lambda: Number.NaN, warmup: 1 })],
      ['warmup 0', () => computeEwmaVariance(r, 1, { lambda: 0.9, warmup: 0 })],
      ['nAssets 4', () => computeEwmaVariance(r, 4, { lambda: 0.9, warmup: 1 })],
      [
        'seed < 0',
        () => computeEwmaVariance(r, 2, { lambda: 0.9, warmup: 1, initialVariance: Float64Array.of(1, -1) }),
      ],
      [
        'seed length',
        () => computeEwmaVariance(r, 2, { lambda: 0.9, warmup: 1, initialVariance: Float64Array.of(1) }),
      ],
    ];
    for (const [name, f] of bad)
      expect(f, name).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });
});

describe('computeEwmaCovariance', () => {
  it('2 assets, 3 rows, by hand: C_0 = mean outer product of 2 rows, then λC + (1 − λ)rrᵀ', () => {
    const r = Float64Array.of(0.01, 0.02, -0.02, 0.01, 0.03, -0.01);
    const lambda = 0.8;
    const c = computeEwmaCovariance(r, 2, { lambda, warmup: 2 });
    // Seed: ((0.01, 0.02)(0.01, 0.02)ᵀ + (−0.02, 0.01)(−0.02, 0.01)ᵀ)/2
    let c00 = (1e-4 + 4e-4) / 2;
    let c01 = (0.01 * 0.02 + -0.02 * 0.01) / 2;
    let c11 = (4e-4 + 1e-4) / 2;
    for (const [x, y] of [
      [0.01, 0.02],
      [-0.02, 0.01],
      [0.03, -0.01],
    ] as const) {
      c00 = lambda * c00 + (1 - lambda) * x * x;
      c01 = lambda * c01 + (1 - lambda) * x * y;
      c11 = lambda * c11 + (1 - lambda) * y * y;
    }
    expect(close(c[0]!, c00)).toBe(true);
    expect(close(c[1]!, c01)).toBe(true);
    expect(c[2]).toBe(c[1]);
    expect(close(c[3]!, c11)).toBe(true);
  });

  it('its diagonal equals the EWMA variance forecast when no data are missing', () => {
    const rng = new SeededRng(2);
    const A = 4;
    const T = 200;
    const r = new Float64Array(T * A);
    rng.fillNormal(r);
    const params = { lambda: 0.97, warmup: 10 };
    const c = computeEwmaCovariance(r, A, params);
    const v = computeEwmaVariance(r, A, params);
    for (let a = 0; a < A; a++) expect(close(c[a * A + a]!, v[T * A + a]!)).toBe(true);
  });

  it('skips incomplete rows entirely (no update, no decay)', () => {
    const N = Number.NaN;
    const full = Float64Array.of(0.01, 0.02, -0.02, 0.01, 0.03, -0.01);
    const gappy = Float64Array.of(0.01, 0.02, 0.5, N, -0.02, 0.01, 0.03, -0.01);
    const params = { lambda: 0.8, warmup: 2 };
    expect(computeEwmaCovariance(gappy, 2, params)).toEqual(computeEwmaCovariance(full, 2, params));
  });

  it('needs warmup complete rows, or a symmetric seed', () => {
    const r = Float64Array.of(0.01, Number.NaN, 0.02, 0.01);
    expect(() => computeEwmaCovariance(r, 2, { lambda: 0.9, warmup: 2 })).toThrow(/complete rows/);
    const seeded = computeEwmaCovariance(r, 2, {
      lambda: 0.9,
      warmup: 2,
      initialCovariance: Float64Array.of(1e-4, 0, 0, 1e-4),
    });
    expect(close(seeded[0]!, 0.9 * 1e-4 + 0.1 * 0.02 ** 2)).toBe(true);
    expect(() =>
      computeEwmaCovariance(r, 2, {
        lambda: 0.9,
        warmup: 2,
        initialCovariance: Float64Array.of(1, 0.1, 0.2, 1),
      }),
    ).toThrow(/transpose/);
  });
});
