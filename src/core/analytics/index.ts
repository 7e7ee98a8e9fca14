/**
 * @module analytics
 *
 * The trader's view of an account under its margin model: where it is liquidated (per
 * underlying, both sides, and the joint move along the book's worst direction), its greeks per
 * underlying, its P&L across spot now and at the nearest expiry with the IM and MM lines, and
 * the verdict on a proposed trade. Everything re-margins the account with the model itself on a
 * re-marked market (shift-market.ts). Method: docs/methodology/trader-view.md.
 */
export { shiftMarket, type MarketShift } from './shift-market.js';
export { anchorLinearPositions, createRemargin, type Remargin } from './remargin.js';
export { dailyVolOf, type DailyVol } from './daily-vol.js';
export { exposedUnderlyings } from './underlyings.js';
export {
  findLiquidationPrices,
  liquidationReport,
  type JointLiquidation,
  type JointMove,
  type LiquidationPrice,
  type LiquidationReport,
  type LiquidationSearchOptions,
  type UnderlyingLiquidation,
} from './liquidation-prices.js';
export {
  computePortfolioGreeks,
  type PortfolioGreeks,
  type PositionGreeks,
  type UnderlyingGreeks,
} from './portfolio-greeks.js';
export {
  horizonPnl,
  nearestExpiry,
  pnlCurve,
  type PnlCurve,
  type PnlCurveOptions,
  type PnlCurvePoint,
} from './pnl-curve.js';
export {
  increasesRisk,
  judgeWhatIf,
  type AccountRiskView,
  type VerdictRule,
  type VerdictRules,
  type WhatIfVerdict,
} from './whatif-verdict.js';
