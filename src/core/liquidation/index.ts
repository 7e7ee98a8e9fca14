/**
 * @module liquidation
 *
 * The pure liquidation planner and the ADL ranking (DESIGN "Health and liquidation").
 *
 * Units: USD float64 (exact bigint settlement is the engine's job). Signs: health = equity − MM,
 * < 0 = liquidatable; trade sizes signed (closing a long is negative); costs and fees ≥ 0, paid
 * by the account.
 * Invariants (tested): a restored plan never lowers health and stops at the target (the last
 * step is minimal, or a dust close); the chosen plan costs no more than the alternative; a
 * healthy account gets an empty plan; nothing is created or lost (proceeds − costs − fee settle
 * in the account's cash asset).
 * Conservative choices: the liquidator fee and the slippage are charged to the account before
 * the target is checked; a trade beyond a book's depth is not executable (skipped); the account
 * is never credited up when cash is rounded to units (apply-liquidation-action.ts).
 *
 * @see docs/methodology/liquidation.md
 */
export {
  applyLiquidationAction,
  cashAssetOf,
  type ActionOutcome,
  type LiquidationAction,
} from './apply-liquidation-action.js';
export { computeDefaultSlippage, computeSlippage } from './liquidation-cost.js';
export {
  DEFAULT_LIQUIDATION_PARAMS,
  type LiquidationOptions,
  type LiquidationParams,
  type LiquidationTarget,
} from './liquidation-params.js';
export {
  planLiquidation,
  targetRequirementUsd,
  type CandidatePlan,
  type HealthSnapshot,
  type LiquidationPlanResult,
  type LiquidationStep,
} from './plan-liquidation.js';
export { rankAdl, type AdlAccount, type AdlPosition, type AdlRank } from './rank-adl.js';
export type {
  ClosedPosition,
  LiquidationCharge,
  LiquidationPricing,
  LiquidationPricingInput,
} from '../margin/liquidation-pricing.js';
