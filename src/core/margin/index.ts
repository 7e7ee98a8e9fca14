/**
 * @module margin
 *
 * Margin models behind one interface (margin-model.ts): xmargin's `isolated`, `cross` and
 * `portfolio`, and presets reproducing Deribit, Derive, dYdX and Drift; efficiency analytics
 * (compare, what-if, buying power). Requirements in quote currency; IM ≥ MM ≥ 0; contributions
 * sum to IM. Methodology: docs/methodology/margin.md.
 */
export * from './margin-model.js';
export { MARGIN_MODELS, getMarginModel } from './registry.js';
export {
  isolatedModel,
  crossModel,
  DEFAULT_RATE_MODEL_PARAMS,
  type RateModelParams,
} from './rate-based-models.js';
export { portfolioModel, portfolioRiskArrays } from './portfolio-model.js';
export {
  DEFAULT_PORTFOLIO_PARAMS,
  parsePortfolioParams,
  type PortfolioModelParams,
} from './portfolio-params.js';
export { tieredMargin, type RateTier } from './rate-schedule.js';
export { standardOptionMargin, type OptionMarginParams } from './standard-option-margin.js';
export {
  compareModels,
  applyTrades,
  whatIf,
  buyingPower,
  settlementAsset,
  type ModelComparison,
  type Trade,
} from './efficiency.js';
export { paramsVersion } from './params-version.js';
export { applyFallLimit, fallLimitFactor, fallLimitFloor, scaleRequirement } from './fall-limit.js';
export {
  DEFAULT_HEALTH_THRESHOLDS,
  HEALTH_STATUSES,
  classifyHealth,
  toAccountRisk,
  validateHealthThresholds,
  type AccountRisk,
  type HealthStatus,
  type HealthThresholds,
} from './account-risk.js';
export {
  RowUniverse,
  buildAccountRows,
  buildMarketRows,
  accountEquity,
  type AccountRowsView,
  type MarketRows,
} from './kernel/account-rows.js';
export {
  prepareMargin,
  prepareGeneric,
  type PreparedMargin,
  type MarginOut,
} from './kernel/prepared-margin.js';
export type { SimdKernel } from './kernel/simd-kernel.js';
