/**
 * @module statistics/margin-coverage
 *
 * Coverage of a margin at the level its model claims (docs/methodology/backtesting.md#coverage):
 *
 * 1. The VaR-equivalent level of an Expected Shortfall. A margin set at ES_α is exceeded with
 *    probability p* = P(L > ES_α), smaller than 1 − α because ES_α > VaR_α. For a loss
 *    distributed as a scaled Student t with ν degrees of freedom (scale-free):
 *
 *      p*(α, ν) = P(T_ν > ES_α(T_ν)),   ES_α(T_ν) = f_ν(q)/(1 − α)·(ν + q²)/(ν − 1)
 *
 *    normal (ν = ∞) at α = 99%: ES = φ(2.3263)/0.01 = 2.6652, p* = 1 − Φ(2.6652) = 0.385%;
 *    ν = 4: 0.321%; ν = 3: 0.299%. Fatter tails give a smaller p*, so taking ν = 4 (daily crypto
 *    returns) instead of the normal makes the test stricter.
 *
 * 2. One-sided Kupiec test. A margin fails by covering too little, never by covering too much,
 *    so H0: P(hit) ≤ p against H1: P(hit) > p. With the proportion-of-failures statistic
 *    LR = 2·[(n − x)·ln((1 − x/n)/(1 − p)) + x·ln((x/n)/p)] (Kupiec 1995) and its signed root
 *
 *      z = sign(x/n − p)·√LR,   p-value = P(N(0, 1) > z)
 *
 *    (asymptotically standard normal at the boundary p; Jorion 2007 §6.2 for the two-sided LR).
 *    x/n ≤ p gives z ≤ 0 and a p-value ≥ 0.5: never rejected. Rejected at 5% when z > 1.645.
 *
 * References: P. H. Kupiec, J. Derivatives 3(2) (1995) 73–84; Basel Committee, "Minimum capital
 * requirements for market risk" (2019), MAR33 (ES at 97.5% chosen to match VaR at 99% under the
 * normal: the same equivalence, the other way round); McNeil, Frey, Embrechts (2015) ex. 2.15.
 */
import { requireInput } from '../errors.js';
import { normSf } from '../numeric/normal.js';
import { kupiecPof } from './coverage-tests.js';
import { expectedShortfallT, studentTQuantile, studentTSf } from './student-t.js';

/**
 * The exceedance probability of a margin set at ES_α when losses are Student t(ν) (module
 * header): P(L > ES_α). ν = Infinity is the normal.
 * @param alpha  ES confidence, in (0, 1), e.g. 0.99
 * @param dof    ν > 1, or Infinity
 * @returns      p* ∈ (0, 1 − α)
 * @throws InvalidInputError ERR_INVALID_INPUT for α ∉ (0, 1) or ν ≤ 1
 * @example esEquivalentRate(0.99, Infinity) // 0.003847
 */
export function esEquivalentRate(alpha: number, dof: number): number {
  return studentTSf(expectedShortfallT(alpha, dof), dof);
}

/**
 * VaR_α / ES_α of the Student t(ν): the share of an ES-set margin at which losses occur with
 * probability 1 − α (the hit threshold of the Acerbi–Szekely test for a margin).
 * @example varToEsRatio(0.99, Infinity) // 2.3263 / 2.6652 = 0.8729
 */
export function varToEsRatio(alpha: number, dof: number): number {
  return studentTQuantile(alpha, dof) / expectedShortfallT(alpha, dof);
}

/** Result of the one-sided Kupiec test. */
export interface OneSidedKupiecResult {
  readonly observations: number;
  readonly exceptions: number;
  /** p, the claimed hit probability */
  readonly expectedRate: number;
  readonly observedRate: number;
  /** LR_pof (two-sided statistic) */
  readonly lr: number;
  /** signed root z = sign(x/n − p)·√LR */
  readonly z: number;
  /** P(N(0,1) > z): small when there are too many hits */
  readonly pValue: number;
}

/**
 * One-sided Kupiec test of H0: P(hit) ≤ p (module header).
 * @param observations  n ≥ 1
 * @param exceptions    x ∈ [0, n]
 * @param expectedRate  p ∈ (0, 1)
 * @throws InvalidInputError ERR_INVALID_INPUT as kupiecPof
 * @example kupiecOneSided(250, 10, 0.01).pValue // ≈ 0.00016: too many hits
 */
export function kupiecOneSided(
  observations: number,
  exceptions: number,
  expectedRate: number,
): OneSidedKupiecResult {
  const k = kupiecPof(observations, exceptions, expectedRate);
  const z = (k.observedRate > expectedRate ? 1 : -1) * Math.sqrt(k.lr);
  return {
    observations,
    exceptions,
    expectedRate,
    observedRate: k.observedRate,
    lr: k.lr,
    z,
    pValue: normSf(z),
  };
}

/** The ν used for every ES model's coverage level and ES test (daily crypto returns). */
export const COVERAGE_DOF = 4;

/**
 * The exceedance rate a model's margin is tested against: 1 − α for a VaR at α, the
 * VaR-equivalent p*(α, ν = 4) for an ES at α (module header).
 * @throws InvalidInputError ERR_INVALID_INPUT for α ∉ (0, 1)
 * @example targetExceedanceRate('es', 0.99) // 0.00321
 */
export function targetExceedanceRate(measure: 'var' | 'es', alpha: number): number {
  requireInput(alpha > 0 && alpha < 1, 'alpha', alpha, 'must be in (0, 1)');
  return measure === 'var' ? 1 - alpha : esEquivalentRate(alpha, COVERAGE_DOF);
}
