/**
 * Seeded Monte Carlo scenarios for statistical margin: a Student-t copula (multivariate t, ν
 * degrees of freedom) over the covariance of the filtered historical windows, i.e. today's EWMA
 * volatilities with the correlation of the whole lookback (statistics/monte-carlo.ts). Implied-vol
 * moves follow the spot rule Δln σ = k·r (historical-scenarios.ts). Deterministic under the seed,
 * which the params record. Window ends are NaN: simulated scenarios have no date.
 */
import { simulateMonteCarloReturns } from '../statistics/monte-carlo.js';
import type { ScenarioSet } from './historical-scenarios.js';

export interface MonteCarloScenarioParams {
  readonly nScenarios: number;
  /** ν > 2 (3–6 for crypto's fat tails) */
  readonly dof: number;
  readonly seed: number;
}

/** Sample covariance (mean-centred) of S × A returns. */
function sampleCovariance(x: Float64Array, S: number, A: number): Float64Array {
  const mean = new Float64Array(A);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) mean[a] = mean[a]! + x[s * A + a]! / S;
  const cov = new Float64Array(A * A);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < A; i++) {
      const di = x[s * A + i]! - mean[i]!;
      for (let j = i; j < A; j++)
        cov[i * A + j] = cov[i * A + j]! + (di * (x[s * A + j]! - mean[j]!)) / (S - 1);
    }
  }
  for (let i = 0; i < A; i++) for (let j = 0; j < i; j++) cov[i * A + j] = cov[j * A + i]!;
  return cov;
}

/** Monte Carlo scenario set calibrated on a filtered historical set (module header). */
export function buildMonteCarloScenarioSet(
  filtered: ScenarioSet,
  nAssets: number,
  volSpotSlope: number,
  p: MonteCarloScenarioParams,
): ScenarioSet {
  const cov = sampleCovariance(filtered.returns, filtered.nScenarios, nAssets);
  const mc = simulateMonteCarloReturns({ kind: 'covariance', covariance: cov }, nAssets, {
    nScenarios: p.nScenarios,
    dof: p.dof,
    horizonSteps: 1,
    seed: p.seed,
    jitter: { initial: 1e-12, max: 1e-6 },
  });
  const volMoves = Float64Array.from(mc.returns, (r) => volSpotSlope * r);
  return {
    nScenarios: mc.nScenarios,
    returns: mc.returns,
    volMoves,
    endTimesMs: new Float64Array(mc.nScenarios).fill(NaN),
  };
}
