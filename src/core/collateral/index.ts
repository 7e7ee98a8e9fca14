/**
 * @module collateral
 *
 * Liquidity- and volatility-aware collateral haircuts, stablecoin depeg floors and the
 * calibration of haircuts and linear margin rates from price history (ANCHORS §4.2; issue
 * "Statistical margin", items 5 and 6).
 *
 * - `computeDynamicHaircut` (dynamic-haircut.ts): haircut = max(floor, vol part, liquidity
 *   part) per side, moved at most `maxStep` per update;
 * - `computeLiquidityCostFraction` (liquidity-cost.ts): selling a holding against a depth curve
 *   or the square-root impact model;
 * - `computeDepegStats`, `computeDepegFloor` (depeg-scenarios.ts): worst day and worst close
 *   below par of each stablecoin, and the floor rule;
 * - `proposeRateTiers` (propose-rate-tiers.ts): tiered IM/MM rates = MPOR move + closing cost;
 * - `computeLossExceedance` (loss-exceedance.ts): share of historical MPOR windows beyond a figure;
 * - `calibrateCollateral` (calibrate-collateral.ts): all of it as of a date, with a params
 *   document the `isolated`/`cross` models accept.
 *
 * Units: haircuts, rates, costs and moves are fractions of value (0.05 = 5%); vols are of
 * natural-log returns per hour unless a name says otherwise; money in USD; times ms UTC.
 * Signs: a loss is positive; `worstDailyReturn` is a (negative) return.
 * Invariants: every haircut and rate in [0, 1]; IM ≥ MM; the haircut is non-decreasing in vol
 * and in the held value; |h_new − h_prev| ≤ maxStep when rises are phased.
 * Conservative choices: rates and published haircuts round up to 1 bp; a stablecoin's floor is
 * the larger of the params floor and its depeg history; a book too thin for a holding refuses.
 *
 * @see docs/methodology/collateral.md
 */
export {
  DynamicHaircutParamsSchema,
  HaircutPairSchema,
  DEFAULT_DYNAMIC_HAIRCUT_PARAMS,
  parseDynamicHaircutParams,
  type DynamicHaircutParams,
  type HaircutRiseMode,
} from './dynamic-haircut-params.js';
export {
  computeDynamicHaircut,
  computeVolatilityHaircut,
  limitHaircutStep,
  scaleVolToMpor,
  type DynamicHaircutInput,
  type DynamicHaircutResult,
  type HaircutBinding,
  type SideHaircutResult,
} from './dynamic-haircut.js';
export {
  computeLiquidityCostFraction,
  type LiquidityCostResult,
  type SqrtImpactAssumption,
} from './liquidity-cost.js';
export {
  computeDepegStats,
  computeDepegFloor,
  computeGenericDepegFloor,
  DEFAULT_DEPEG_FLOOR_RULE,
  type DepegFloor,
  type DepegFloorRule,
  type DepegStats,
} from './depeg-scenarios.js';
export { proposeRateTiers, roundRateUp, type RateProposalInput } from './propose-rate-tiers.js';
export {
  computeLossExceedance,
  type ExceedanceSide,
  type LossExceedanceOptions,
  type LossExceedanceResult,
} from './loss-exceedance.js';
export {
  CalibrationParamsSchema,
  DEFAULT_CALIBRATION_PARAMS,
  parseCalibrationParams,
  type CalibrationParams,
} from './calibration-params.js';
export {
  calibrateCollateral,
  type AssetCalibration,
  type CalibrationInput,
  type CalibrationResult,
  type MporMove,
} from './calibrate-collateral.js';
