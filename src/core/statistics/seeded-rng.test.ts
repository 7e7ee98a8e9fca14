import { describe, expect, it } from 'vitest';
import { SeededRng } from './seeded-rng.js';
import { computeSampleMoments } from './sample-moments.js';
import { normCdf } from '../numeric/normal.js';

// Statistical checks use a fixed seed (deterministic) and a tolerance of Z standard errors, the
// errors derived from the sample size (delta method, sample-moments.ts). 5 SE: a correct
// generator fails with probability ~6e-7 per check on a fresh seed.
const Z = 5;
const N = 1_000_000;

function draw(n: number, f: () => number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = f();
  return x;
}

describe('SeededRng: reference vectors', () => {
  // Expected values from the reference C code of SplitMix64 and xoshiro128** (Vigna,
  // prng.di.unimi.it), compiled with gcc: state = SplitMix64(seed) twice, low word first.
  const cases: Record<string, { seed: number; u32: number[]; uniform: number }> = {
    'seed 0': {
      seed: 0,
      u32: [3737715805, 2584255861, 2876756834, 3286328325],
      uniform: 0.36165862067339571,
    },
    'seed 42': {
      seed: 42,
      u32: [1776835114, 4165204688, 17111135, 2317295270],
      uniform: 0.65008370276388672,
    },
    'seed 20261123': {
      seed: 20261123,
      u32: [980034348, 3376908089, 3935086108, 3175321389],
      uniform: 0.4287483696248956,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    const rng = new SeededRng(c.seed);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual(c.u32);
    // The 5th and 6th outputs make the first 53-bit uniform: ((a>>>5)·2^26 + (b>>>6))/2^53.
    expect(rng.nextUniform()).toBe(c.uniform);
  });

  it('a bigint seed equals the same number seed', () => {
    const a = new SeededRng(42);
    const b = new SeededRng(42n);
    for (let i = 0; i < 100; i++) expect(b.nextUint32()).toBe(a.nextUint32());
  });
});

describe('SeededRng: determinism', () => {
  it('the same seed gives the same mixed stream, bit for bit', () => {
    const run = (seed: number): number[] => {
      const rng = new SeededRng(seed);
      const out: number[] = [];
      for (let i = 0; i < 2000; i++) {
        out.push(rng.nextUniform(), rng.nextNormal(), rng.nextGamma(0.7), rng.nextStudentT(4));
      }
      return out;
    };
    const a = run(7);
    const b = run(7);
    expect(a.every((x, i) => Object.is(x, b[i]))).toBe(true);
    const c = run(8);
    expect(c.filter((x, i) => x === a[i]).length).toBe(0);
  });

  it('fillNormal equals successive nextNormal calls', () => {
    const a = new SeededRng(3);
    const b = new SeededRng(3);
    const buf = new Float64Array(101); // odd: leaves a spare pending
    a.fillNormal(buf);
    for (let i = 0; i < buf.length; i++) expect(buf[i]).toBe(b.nextNormal());
    expect(a.nextNormal()).toBe(b.nextNormal());
  });

  it('refuses bad seeds and parameters', () => {
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 53, -1n, 2n ** 64n]) {
      expect(() => new SeededRng(seed), String(seed)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
    const rng = new SeededRng(1);
    expect(() => rng.nextGamma(0)).toThrow(/shape/);
    expect(() => rng.nextChiSquare(Number.NaN)).toThrow(/dof/);
    expect(() => rng.nextStudentT(-1)).toThrow(/dof/);
  });
});

describe('SeededRng: distributions (10⁶ draws, tolerance 5 standard errors)', () => {
  it('uniforms lie in [0, 1) with mean 1/2 and variance 1/12; open uniforms in (0, 1)', () => {
    const rng = new SeededRng(11);
    const x = draw(N, () => rng.nextUniform());
    let lo = 1;
    let hi = 0;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const m = computeSampleMoments(x);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(Z * m.standardErrors.mean);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(Z * m.standardErrors.variance);
    const open = new SeededRng(11);
    for (let i = 0; i < 1000; i++) {
      const u = open.nextUniformOpen();
      expect(u > 0 && u < 1).toBe(true);
    }
  });

  it('normals: mean 0, variance 1, skewness 0, excess kurtosis 0', () => {
    const rng = new SeededRng(20261123);
    const x = new Float64Array(N);
    rng.fillNormal(x);
    const m = computeSampleMoments(x);
    // For a normal sample the errors are the textbook ones: 1/√n, √(2/n), √(6/n), √(24/n).
    expect(m.standardErrors.mean).toBeCloseTo(1 / Math.sqrt(N), 5);
    expect(m.standardErrors.excessKurtosis).toBeCloseTo(Math.sqrt(24 / N), 3);
    expect(Math.abs(m.mean)).toBeLessThan(Z / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(Z * Math.sqrt(2 / N));
    expect(Math.abs(m.skewness)).toBeLessThan(Z * Math.sqrt(6 / N));
    expect(Math.abs(m.excessKurtosis)).toBeLessThan(Z * Math.sqrt(24 / N));
  });

  it('normals follow Φ over the whole range: Kolmogorov–Smirnov on 10⁵ draws', () => {
    // D = sup |F_n(x) − Φ(x)|; under H0, √n·D exceeds 1.95 with probability 0.001.
    const n = 100_000;
    const x = new Float64Array(n);
    new SeededRng(31).fillNormal(x);
    x.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normCdf(x[i]!);
      d = Math.max(d, (i + 1) / n - f, f - i / n);
    }
    expect(Math.sqrt(n) * d).toBeLessThan(1.95);
  });

  it('Student-t(ν = 12): variance ν/(ν − 2), excess kurtosis 6/(ν − 4)', () => {
    // ν = 12 > 8 so the 8th moment, and hence the kurtosis error, is finite.
    const nu = 12;
    const rng = new SeededRng(99);
    const m = computeSampleMoments(draw(N, () => rng.nextStudentT(nu)));
    expect(Math.abs(m.mean)).toBeLessThan(Z * m.standardErrors.mean);
    expect(Math.abs(m.variance - nu / (nu - 2))).toBeLessThan(Z * m.standardErrors.variance);
    expect(Math.abs(m.excessKurtosis - 6 / (nu - 4))).toBeLessThan(Z * m.standardErrors.excessKurtosis);
    // And clearly fatter-tailed than a normal (0.75 against an error of ~0.02).
    expect(m.excessKurtosis).toBeGreaterThan(0.5);
  });

  it.each([
    ['shape 0.4 (boosted branch)', 0.4],
    ['shape 1', 1],
    ['shape 3.5', 3.5],
  ])('gamma %s: mean k, variance k, skewness 2/√k', (_name, k) => {
    const rng = new SeededRng(5);
    const m = computeSampleMoments(draw(200_000, () => rng.nextGamma(k)));
    expect(Math.abs(m.mean - k)).toBeLessThan(Z * m.standardErrors.mean);
    expect(Math.abs(m.variance - k)).toBeLessThan(Z * m.standardErrors.variance);
    expect(Math.abs(m.skewness - 2 / Math.sqrt(k))).toBeLessThan(Z * m.standardErrors.skewness);
  });

  it('chi-square(ν = 5): mean ν, variance 2ν', () => {
    const rng = new SeededRng(6);
    const m = computeSampleMoments(draw(200_000, () => rng.nextChiSquare(5)));
    expect(Math.abs(m.mean - 5)).toBeLessThan(Z * m.standardErrors.mean);
    expect(Math.abs(m.variance - 10)).toBeLessThan(Z * m.standardErrors.variance);
  });

  it('Student-t with ν = ∞ is the normal stream', () => {
    const a = new SeededRng(1);
    const b = new SeededRng(1);
    for (let i = 0; i < 100; i++) expect(a.nextStudentT(Infinity)).toBe(b.nextNormal());
  });
});
