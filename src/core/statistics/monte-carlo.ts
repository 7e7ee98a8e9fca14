/**
 * @module statistics/monte-carlo
 *
 * Seeded Monte Carlo scenarios of joint log returns: a Student-t copula with Student-t margins
 * (the multivariate t), its dispersion matched to a covariance, scaled to a horizon:
 *
 *   x_s = √h · L·z_s · √((ν − 2)/w_s),   z_s ~ N(0, I_A),  w_s ~ χ²_ν,  L·Lᵀ = Σ
 *
 * Every scenario shares one w_s across assets, which is what gives the t copula its tail
 * dependence: in a scenario with small w every asset moves far at once (unlike a Gaussian
 * copula, whose joint extremes are asymptotically independent). The factor √((ν − 2)/ν)·√(ν/w)
 * makes Cov(x) = h·Σ exactly for ν > 2, so the covariance keeps its meaning and only the tails
 * change with ν; each margin is a Student-t(ν) scaled to variance h·Σ_aa (excess kurtosis
 * 6/(ν − 4) for ν > 4). ν = ∞ is the Gaussian limit (no chi-square draw).
 *
 * Horizon: Σ is per period; h periods scale it by h (square-root-of-time on the vols). A sum of
 * h i.i.d. t variables is not t, so for h > 1 this is a modelling choice (simulate the h-period
 * return directly, as OCC STANS does for its 2-day horizon), documented rather than exact.
 *
 * Determinism: one `SeededRng(seed)`; for each scenario s in order, A normals (fillNormal) then,
 * when ν < ∞, one chi-square. The same seed, Σ, ν, h and N give the same scenarios bit for bit.
 *
 * References: S. Demarta, A. J. McNeil, "The t copula and related copulas", International
 * Statistical Review 73 (2005) 111–129; OCC, STANS methodology (Monte Carlo, 99% ES over 2 days).
 */
import { InvariantError, requireInput } from '../errors.js';
import { choleskyDecompose, type CholeskyJitter } from './cholesky.js';
import { SeededRng, type Seed } from './seeded-rng.js';

/** The dependence input: a covariance, or a correlation and vols (Σ_ij = ρ_ij·σ_i·σ_j). */
export type MonteCarloDependence =
  | {
      readonly kind: 'covariance';
      /** A × A covariance of one-period log returns, row-major, symmetric */
      readonly covariance: Float64Array;
    }
  | {
      readonly kind: 'correlation';
      /** A × A correlation, row-major, symmetric, unit diagonal */
      readonly correlation: Float64Array;
      /** one-period vols σ_a ≥ 0 (log-return units), length A */
      readonly vols: Float64Array;
    };

/** Monte Carlo parameters. */
export interface MonteCarloParams {
  /** number of scenarios N (integer ≥ 1) */
  readonly nScenarios: number;
  /** degrees of freedom ν > 2 (finite tails: 3–6 for crypto), or Infinity for Gaussian */
  readonly dof: number;
  /** horizon in periods of the covariance, h > 0 (e.g. 48 for a 2-day MPOR on hourly data) */
  readonly horizonSteps: number;
  /** PRNG seed (recorded in the result) */
  readonly seed: Seed;
  /** diagonal jitter when Σ is not positive definite; absent = throw */
  readonly jitter?: CholeskyJitter;
}

/** Monte Carlo scenarios with what produced them. */
export interface MonteCarloResult {
  /** N × A joint log returns over the horizon, `returns[s·A + a]` */
  readonly returns: Float64Array;
  readonly nScenarios: number;
  readonly nAssets: number;
  readonly seed: Seed;
  readonly dof: number;
  readonly horizonSteps: number;
  /** diagonal jitter δ added to Σ before factorising (0 when none was needed) */
  readonly jitterAdded: number;
}

/**
 * Builds Σ from the dependence input into `cov`.
 * @throws InvalidInputError ERR_INVALID_INPUT on bad vols or a correlation diagonal ≠ 1
 */
function toCovariance(dep: MonteCarloDependence, A: number, cov: Float64Array): void {
  if (dep.kind === 'covariance') {
    requireInput(
      dep.covariance.length === A * A,
      'covariance.length',
      dep.covariance.length,
      `must equal ${A * A}`,
    );
    cov.set(dep.covariance);
    return;
  }
  const { correlation: rho, vols } = dep;
  requireInput(rho.length === A * A, 'correlation.length', rho.length, `must equal ${A * A}`);
  for (let i = 0; i < A; i++) {
    const v = vols[i]!;
    requireInput(v >= 0 && v < Infinity, `vols[${i}]`, v, 'must be finite and >= 0');
    requireInput(rho[i * A + i] === 1, `correlation[${i}][${i}]`, rho[i * A + i], 'must be 1');
  }
  for (let i = 0; i < A; i++)
    for (let j = 0; j < A; j++) cov[i * A + j] = rho[i * A + j]! * vols[i]! * vols[j]!;
}

/**
 * Seeded Student-t copula (multivariate t) scenarios of joint log returns over a horizon.
 *
 *   x_{s,a} = √h · Σ_{k≤a} L_ak·z_{s,k} · √((ν − 2)/w_s)     (ν = ∞: the factor is 1)
 *
 * @param dependence  covariance per period, or correlation + vols per period
 * @param nAssets     A ≥ 1
 * @param params      N, ν, h, seed, optional jitter
 * @returns           N × A log returns over h periods, with the seed and the jitter used
 * @throws InvalidInputError ERR_INVALID_INPUT on bad N, ν (≤ 2), h, vols or shapes, or when Σ
 *         is not positive definite (and no jitter, or not enough, was allowed)
 * @see Demarta & McNeil (2005); docs/methodology/var-es.md#monte-carlo
 * @example
 *   const mc = simulateMonteCarloReturns(
 *     { kind: 'covariance', covariance: cov }, 3, { nScenarios: 10_000, dof: 5, horizonSteps: 48, seed: 7 });
 */
export function simulateMonteCarloReturns(
  dependence: MonteCarloDependence,
  nAssets: number,
  params: MonteCarloParams,
): MonteCarloResult {
  const A = nAssets;
  const { nScenarios: N, dof, horizonSteps: h } = params;
  requireInput(Number.isInteger(A) && A >= 1, 'nAssets', A, 'must be an integer >= 1');
  requireInput(Number.isInteger(N) && N >= 1, 'nScenarios', N, 'must be an integer >= 1');
  requireInput(dof > 2, 'dof', dof, 'must be > 2 (finite variance), or Infinity');
  requireInput(h > 0 && h < Infinity, 'horizonSteps', h, 'must be finite and > 0');
  const rng = new SeededRng(params.seed);

  const cov = new Float64Array(A * A);
  toCovariance(dependence, A, cov);
  const L = new Float64Array(A * A);
  const jitterAdded = choleskyDecompose(
    cov,
    A,
    L,
    params.jitter === undefined ? {} : { jitter: params.jitter },
  );

  const out = new Float64Array(N * A);
  const z = new Float64Array(A);
  const sqrtH = Math.sqrt(h);
  const gaussian = dof === Infinity;
  const dofScale = gaussian ? 1 : dof - 2;
  for (let s = 0; s < N; s++) {
    rng.fillNormal(z);
    // One mixing variable per scenario, shared by all assets: the source of tail dependence.
    const scale = gaussian ? sqrtH : sqrtH * Math.sqrt(dofScale / rng.nextChiSquare(dof));
    const base = s * A;
    for (let a = 0; a < A; a++) {
      const row = a * A;
      let x = 0;
      for (let k = 0; k <= a; k++) x += L[row + k]! * z[k]!;
      out[base + a] = scale * x;
    }
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new InvariantError('Monte Carlo produced a non-finite return', { index: i, value: out[i] });
    }
  }
  return { returns: out, nScenarios: N, nAssets: A, seed: params.seed, dof, horizonSteps: h, jitterAdded };
}
