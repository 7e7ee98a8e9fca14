import { describe, expect, it } from 'vitest';
import { simulateMonteCarloReturns, type MonteCarloParams } from './monte-carlo.js';
import { computeSampleMoments } from './sample-moments.js';

// Three assets: one-period vols 2%, 3%, 1%; correlations 0.6, −0.2, 0.3.
const A = 3;
const vols = Float64Array.of(0.02, 0.03, 0.01);
const correlation = Float64Array.of(1, 0.6, -0.2, 0.6, 1, 0.3, -0.2, 0.3, 1);
const covariance = new Float64Array(A * A);
for (let i = 0; i < A; i++)
  for (let j = 0; j < A; j++) covariance[i * A + j] = correlation[i * A + j]! * vols[i]! * vols[j]!;

const column = (x: Float64Array, a: number): Float64Array => {
  const out = new Float64Array(x.length / A);
  for (let s = 0; s < out.length; s++) out[s] = x[s * A + a]!;
  return out;
};

describe('simulateMonteCarloReturns: determinism', () => {
  const params: MonteCarloParams = { nScenarios: 1000, dof: 5, horizonSteps: 2, seed: 77 };

  it('the same seed gives the same scenarios bit for bit; another seed does not', () => {
    const a = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, params);
    const b = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, params);
    expect(a.returns.every((x, i) => Object.is(x, b.returns[i]))).toBe(true);
    expect(a.seed).toBe(77);
    expect(a.jitterAdded).toBe(0);
    const c = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, { ...params, seed: 78 });
    expect(c.returns.some((x, i) => x !== a.returns[i])).toBe(true);
  });

  it('correlation + vols is the same input as the covariance they define', () => {
    const a = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, params);
    const b = simulateMonteCarloReturns({ kind: 'correlation', correlation, vols }, A, params);
    expect(Array.from(b.returns)).toEqual(Array.from(a.returns));
  });
});

describe('simulateMonteCarloReturns: distribution (tolerance 5 standard errors)', () => {
  const N = 200_000;
  const h = 4;
  const mc = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, {
    nScenarios: N,
    dof: 10,
    horizonSteps: h,
    seed: 20261123,
  });

  it('Cov(x) = h·Σ (the t scaling √((ν − 2)/w) keeps the covariance)', () => {
    for (let i = 0; i < A; i++) {
      for (let j = 0; j <= i; j++) {
        // E[x_i·x_j] = h·Σ_ij (zero mean); SE from the sample of the products.
        const prod = new Float64Array(N);
        for (let s = 0; s < N; s++) prod[s] = mc.returns[s * A + i]! * mc.returns[s * A + j]!;
        const m = computeSampleMoments(prod);
        expect(Math.abs(m.mean - h * covariance[i * A + j]!), `(${i}, ${j})`).toBeLessThan(
          5 * m.standardErrors.mean,
        );
      }
    }
  });

  it('margins are Student-t(ν = 10): excess kurtosis 6/(ν − 4) = 1', () => {
    for (let a = 0; a < A; a++) {
      const m = computeSampleMoments(column(mc.returns, a));
      expect(Math.abs(m.excessKurtosis - 1), `asset ${a}`).toBeLessThan(5 * m.standardErrors.excessKurtosis);
    }
  });

  it('ν = ∞ is the Gaussian copula: excess kurtosis 0', () => {
    const g = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, {
      nScenarios: N,
      dof: Infinity,
      horizonSteps: 1,
      seed: 3,
    });
    const m = computeSampleMoments(column(g.returns, 1));
    expect(Math.abs(m.excessKurtosis)).toBeLessThan(5 * m.standardErrors.excessKurtosis);
    expect(Math.abs(m.variance - 0.03 ** 2)).toBeLessThan(5 * m.standardErrors.variance);
  });

  it('the t copula has tail dependence: joint 1% crashes are more frequent than under a Gaussian', () => {
    // Same covariance (ρ = 0.6 between assets 0 and 1), ν = 3 against ν = ∞: count scenarios where
    // both assets fall below their own 1% quantile.
    const joint = (dof: number): number => {
      const x = simulateMonteCarloReturns({ kind: 'covariance', covariance }, A, {
        nScenarios: N,
        dof,
        horizonSteps: 1,
        seed: 11,
      }).returns;
      const q0 = column(x, 0).sort()[N / 100]!;
      const q1 = column(x, 1).sort()[N / 100]!;
      let count = 0;
      for (let s = 0; s < N; s++) if (x[s * A]! < q0 && x[s * A + 1]! < q1) count++;
      return count / N;
    };
    const pT = joint(3);
    const pGauss = joint(Infinity);
    // Both counts are ~10³ (Poisson SE ~3%); the t copula's is clearly larger.
    expect(pT).toBeGreaterThan(1.3 * pGauss);
  });
});

describe('simulateMonteCarloReturns: refusals and jitter', () => {
  const params: MonteCarloParams = { nScenarios: 10, dof: 5, horizonSteps: 1, seed: 1 };
  // Two perfectly correlated assets: singular.
  const singular = Float64Array.of(1e-4, 1e-4, 1e-4, 1e-4);

  it('a singular covariance is refused, or regularised with jitter (recorded)', () => {
    expect(() => simulateMonteCarloReturns({ kind: 'covariance', covariance: singular }, 2, params)).toThrow(
      /positive definite/,
    );
    const mc = simulateMonteCarloReturns({ kind: 'covariance', covariance: singular }, 2, {
      ...params,
      jitter: { initial: 1e-10, max: 1e-4 },
    });
    expect(mc.jitterAdded).toBeGreaterThan(0);
    expect(mc.returns.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('rejects bad parameters with ERR_INVALID_INPUT', () => {
    const dep = { kind: 'covariance', covariance } as const;
    const bad: [string, () => unknown][] = [
      ['dof 2', () => simulateMonteCarloReturns(dep, A, { ...params, dof: 2 })],
      ['dof NaN', () => simulateMonteCarloReturns(dep, A, { ...params, dof: Number.NaN })],
      ['N 0', () => simulateMonteCarloReturns(dep, A, { ...params, nScenarios: 0 })],
      ['h 0', () => simulateMonteCarloReturns(dep, A, { ...params, horizonSteps: 0 })],
      ['seed', () => simulateMonteCarloReturns(dep, A, { ...params, seed: -1 })],
      ['shape', () => simulateMonteCarloReturns(dep, 2, params)],
      [
        'corr diag',
        () =>
          simulateMonteCarloReturns(
            {
              kind: 'correlation',
              correlation: Float64Array.of(2, 0, 0, 1),
              vols: Float64Array.of(0.1, 0.1),
            },
            2,
            params,
          ),
      ],
      [
        'vol < 0',
        () =>
          simulateMonteCarloReturns(
            {
              kind: 'correlation',
              correlation: Float64Array.of(1, 0, 0, 1),
              vols: Float64Array.of(0.1, -0.1),
            },
            2,
            params,
          ),
      ],
    ];
    for (const [name, f] of bad)
      expect(f, name).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });
});
