/**
 * @module statistics
 *
 * The statistical core of the VaR / Expected Shortfall model (DESIGN model 4): pure functions over
 * typed arrays that turn joint return history into scenarios and scenario P&L into tail risk.
 *
 * - returns: one-period log returns of a `PriceHistory`; overlapping h-period windows and the
 *   √h alternative (horizon.ts);
 * - volatility and dependence: EWMA variance/vol (RiskMetrics), EWMA covariance, sample and
 *   implied correlation, Cholesky with optional jitter;
 * - scenarios: filtered historical simulation (Barone-Adesi et al. 1999) and a seeded Student-t
 *   copula Monte Carlo; plain historical simulation is the returns themselves;
 * - tail measures: VaR and ES (Acerbi & Tasche 2002), weighted or not, with the tail scenarios
 *   that drive them; Φ⁻¹ for closed forms; a seeded PRNG for every random draw; sample moments
 *   with standard errors (to check generators and describe fat tails);
 * - backtests of a margin: Kupiec (two- and one-sided), Christoffersen, the Basel traffic light,
 *   the VaR-equivalent level of an ES (Student t), the Acerbi–Szekely Z2 test for ES.
 *
 * Units and signs: returns are log returns per period (per bar of the history) unless a name
 * says simple; vols are per period (not annualised); covariances per period. Matrices of
 * returns are T × A, time-major and asset-contiguous (`returns[t·A + a]`, as `PriceHistory`);
 * square matrices are row-major. P&L positive = gain; VaR and ES are losses, positive = loss.
 * NaN means missing data; each function states whether it skips, drops or propagates it.
 *
 * Invariants: ES ≥ VaR at the same α; the same seed gives the same draws bit for bit; nothing
 * here reads a clock, a global or a random source. Conservative choices: VaR is the upper
 * α-quantile of the loss (the ⌈n(1−α)⌉-th worst); rows with missing data are dropped from joint
 * scenarios rather than filled; a non-positive-definite covariance is an error unless jitter
 * (which only adds variance) is requested.
 *
 * Methodology: docs/methodology/var-es.md.
 */
export { SeededRng, type Seed } from './seeded-rng.js';
export { invNormCdf } from './inverse-normal.js';
export { computeLogReturns, toSimpleReturns } from './log-returns.js';
export { computeEwmaVariance, computeEwmaVolatility, type EwmaParams } from './ewma.js';
export { computeEwmaCovariance, type EwmaCovarianceParams } from './ewma-covariance.js';
export { computeSampleCorrelation, covarianceToCorrelation } from './correlation.js';
export { choleskyDecompose, type CholeskyJitter, type CholeskyOptions } from './cholesky.js';
export {
  buildFilteredHistoricalReturns,
  type FilteredHistoricalParams,
  type FilteredHistoricalResult,
  type MissingRowPolicy,
} from './filtered-historical.js';
export {
  simulateMonteCarloReturns,
  type MonteCarloDependence,
  type MonteCarloParams,
  type MonteCarloResult,
} from './monte-carlo.js';
export {
  computeVarEs,
  computeVarEsResult,
  VarEsWorkspace,
  type VarEsOptions,
  type VarEsResult,
} from './var-es.js';
export { computeOverlappingReturns, scaleReturnsSqrtTime } from './horizon.js';
export { computeSampleMoments, type SampleMoments } from './sample-moments.js';
export {
  baselTrafficLight,
  binomialCdf,
  chiSquareSurvival,
  christoffersenConditionalCoverage,
  christoffersenIndependence,
  kupiecPof,
  type ConditionalCoverageResult,
  type IndependenceResult,
  type KupiecResult,
  type TrafficLightResult,
  type TrafficLightZone,
} from './coverage-tests.js';
export {
  expectedShortfallT,
  incompleteBeta,
  lnGamma,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
  studentTUpperQuantile,
} from './student-t.js';
export {
  COVERAGE_DOF,
  esEquivalentRate,
  kupiecOneSided,
  targetExceedanceRate,
  varToEsRatio,
  type OneSidedKupiecResult,
} from './margin-coverage.js';
export { acerbiSzekelyZ2, simulateZ2Null, z2PValue, type Z2NullDistribution } from './es-backtest.js';
export { REALISED_VOL_DAYS, realisedVol } from './realised-vol.js';
