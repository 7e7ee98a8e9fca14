import { describe, expect, it } from 'vitest';
import {
  expectedShortfallT,
  incompleteBeta,
  lnGamma,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
  studentTUpperQuantile,
} from './student-t.js';
import { esEquivalentRate, kupiecOneSided, targetExceedanceRate, varToEsRatio } from './margin-coverage.js';
import { acerbiSzekelyZ2, simulateZ2Null, z2PValue } from './es-backtest.js';
import { SeededRng } from './seeded-rng.js';
import { normCdf, normPdf } from '../numeric/normal.js';
import { invNormCdf } from './inverse-normal.js';

// Closed-form cdfs of the t (any statistics handbook): ν = 1 Cauchy, ν = 2, ν = 4.
const cdf1 = (t: number) => 0.5 + Math.atan(t) / Math.PI;
const cdf2 = (t: number) => 0.5 + t / (2 * Math.sqrt(2 + t * t));
const cdf4 = (t: number) => {
  const w = 1 + (t * t) / 4;
  return 0.5 + (3 / 8) * (t / Math.sqrt(w)) * (1 - (t * t) / (12 * w));
};

describe('Student t', () => {
  it('ln Γ: Γ(½) = √π, Γ(5) = 24, Γ(10.5) = (19!!/2¹⁰)·√π', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(10.5)).toBeCloseTo(Math.log((654_729_075 / 1024) * Math.sqrt(Math.PI)), 12);
  });

  it('incomplete beta: I_x(1, 1) = x, I_x(a, 1) = x^a, symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const x of [0.1, 0.37, 0.9]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(incompleteBeta(x, 2.5, 0.5)).toBeCloseTo(1 - incompleteBeta(1 - x, 0.5, 2.5), 14);
    }
  });

  it.each([-8, -1.3, 0, 0.7, 3.747, 40])('cdf(%f) matches the closed forms for ν = 1, 2, 4', (t) => {
    expect(studentTCdf(t, 1)).toBeCloseTo(cdf1(t), 13);
    expect(studentTCdf(t, 2)).toBeCloseTo(cdf2(t), 13);
    expect(studentTCdf(t, 4)).toBeCloseTo(cdf4(t), 13);
    expect(studentTSf(t, 4)).toBeCloseTo(1 - cdf4(t), 13);
    expect(studentTCdf(t, Infinity)).toBe(normCdf(t));
  });

  it('pdf integrates the cdf: f = dF/dt (central difference) and f(0) for ν = 1 is 1/π', () => {
    expect(studentTPdf(0, 1)).toBeCloseTo(1 / Math.PI, 14);
    for (const t of [-2, 0.5, 3]) {
      const h = 1e-5;
      expect(studentTPdf(t, 4)).toBeCloseTo((cdf4(t + h) - cdf4(t - h)) / (2 * h), 9);
    }
  });

  // Critical values of the t distribution (NIST/SEMATECH e-Handbook of Statistical Methods,
  // §1.3.6.7.2, to 3 decimals).
  it.each([
    [0.95, 1, 6.314],
    [0.99, 1, 31.821],
    [0.975, 4, 2.776],
    [0.99, 4, 3.747],
    [0.995, 4, 4.604],
    [0.975, 10, 2.228],
    [0.99, 10, 2.764],
    [0.99, 30, 2.457],
  ])('quantile(%f, ν = %i) = %f (published table)', (p, nu, q) => {
    expect(studentTQuantile(p, nu)).toBeCloseTo(q, 3);
    expect(studentTQuantile(1 - p, nu)).toBeCloseTo(-q, 3);
  });

  it('quantile inverts the cdf, deep in the tail too; ν = ∞ is Φ⁻¹', () => {
    for (const p of [1e-12, 0.003, 0.2, 0.75, 0.999999])
      expect(studentTCdf(studentTQuantile(p, 4), 4)).toBeCloseTo(p, 13);
    expect(studentTSf(studentTUpperQuantile(1e-18, 4), 4) / 1e-18).toBeCloseTo(1, 10);
    expect(studentTQuantile(0.99, Infinity)).toBe(invNormCdf(0.99));
  });

  it('ES: normal φ(z)/(1 − α) = 2.6652 at 99%; t(4) by the formula with the tabled quantile', () => {
    expect(expectedShortfallT(0.99, Infinity)).toBeCloseTo(normPdf(invNormCdf(0.99)) / 0.01, 12);
    const q = studentTQuantile(0.99, 4);
    const f4 = (3 / 8) * (1 + (q * q) / 4) ** -2.5; // t(4) density, closed form
    expect(expectedShortfallT(0.99, 4)).toBeCloseTo((f4 / 0.01) * ((4 + q * q) / 3), 10);
  });
});

describe('the coverage level of a margin', () => {
  it('ES 99% under the normal is exceeded with probability 1 − Φ(φ(z)/0.01) = 0.385%', () => {
    const es = normPdf(invNormCdf(0.99)) / 0.01;
    expect(esEquivalentRate(0.99, Infinity)).toBeCloseTo(1 - normCdf(es), 14);
    expect(esEquivalentRate(0.99, Infinity)).toBeCloseTo(0.003847, 6);
  });

  it('fatter tails lower the equivalent level: t(4) 0.321%, t(3) 0.299% (closed-form cdf for ν = 4)', () => {
    const es4 = expectedShortfallT(0.99, 4);
    expect(esEquivalentRate(0.99, 4)).toBeCloseTo(1 - cdf4(es4), 13);
    expect(esEquivalentRate(0.99, 4)).toBeCloseTo(0.00321, 5);
    expect(esEquivalentRate(0.99, 3)).toBeLessThan(esEquivalentRate(0.99, 4));
    expect(targetExceedanceRate('es', 0.99)).toBe(esEquivalentRate(0.99, 4));
    expect(targetExceedanceRate('var', 0.99)).toBeCloseTo(0.01, 15);
    expect(varToEsRatio(0.99, Infinity)).toBeCloseTo(invNormCdf(0.99) / normalEs99(), 12);
  });

  it('one-sided Kupiec: z = sign(x/n − p)·√LR with Kupiec’s LR; covering too well is never rejected', () => {
    const lr = (n: number, x: number, p: number) =>
      2 * ((n - x) * Math.log((1 - x / n) / (1 - p)) + (x > 0 ? x * Math.log(x / n / p) : 0));
    const over = kupiecOneSided(250, 10, 0.01);
    expect(over.lr).toBeCloseTo(lr(250, 10, 0.01), 12);
    expect(over.z).toBeCloseTo(Math.sqrt(lr(250, 10, 0.01)), 12);
    expect(over.pValue).toBeCloseTo(1 - normCdf(Math.sqrt(lr(250, 10, 0.01))), 12); // 0.00016: rejected
    const none = kupiecOneSided(250, 0, 0.01);
    expect(none.z).toBeCloseTo(-Math.sqrt(-2 * 250 * Math.log(0.99)), 12);
    expect(none.pValue).toBeGreaterThan(0.98);
  });
});

function normalEs99(): number {
  return normPdf(invNormCdf(0.99)) / 0.01;
}

describe('Acerbi–Szekely Z2', () => {
  it('is 1 − Σ L·I / (T·(1 − α)·ES) over the days kept', () => {
    const r = acerbiSzekelyZ2([0, 5, 1, NaN], [3, 3, 3, 3], [4, 4, 4, 4], 0.99);
    expect(r.days).toBe(3);
    expect(r.hits).toBe(1);
    expect(r.z2).toBeCloseTo(1 - 5 / 4 / (3 * 0.01), 12);
    expect(acerbiSzekelyZ2([0, 0], [1, 1], [2, 2], 0.99).z2).toBe(1);
  });

  it('under H0 its mean is 0, and a right forecast is rejected at 5% about 5% of the time', () => {
    const T = 1_000;
    const nul = simulateZ2Null(T, 0.99, 4, 2_000, 11);
    const mean = nul.samples.reduce((a, b) => a + b, 0) / nul.samples.length;
    const sd = Math.sqrt(nul.samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (nul.samples.length - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(nul.samples.length));
    // Independent draws of a correctly forecast t(4) loss series: VaR = q, ES = ES_α.
    const rng = new SeededRng(5);
    const q = studentTQuantile(0.99, 4);
    const es = expectedShortfallT(0.99, 4);
    let rejected = 0;
    const runs = 300;
    for (let k = 0; k < runs; k++) {
      const l = Float64Array.from({ length: T }, () => rng.nextStudentT(4));
      const z = acerbiSzekelyZ2(l, new Float64Array(T).fill(q), new Float64Array(T).fill(es), 0.99).z2;
      if (z2PValue(z, nul) < 0.05) rejected++;
    }
    const se = Math.sqrt((0.05 * 0.95) / runs);
    expect(Math.abs(rejected / runs - 0.05)).toBeLessThan(4 * se);
  });

  it('an ES that is half the truth is rejected', () => {
    const T = 1_000;
    const nul = simulateZ2Null(T, 0.99, 4, 2_000, 11);
    const rng = new SeededRng(6);
    const q = studentTQuantile(0.99, 4);
    const es = expectedShortfallT(0.99, 4);
    const l = Float64Array.from({ length: T }, () => rng.nextStudentT(4));
    const z = acerbiSzekelyZ2(l, new Float64Array(T).fill(q / 2), new Float64Array(T).fill(es / 2), 0.99).z2;
    expect(z2PValue(z, nul)).toBeLessThan(0.01);
  });
});
