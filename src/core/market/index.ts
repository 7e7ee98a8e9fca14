/**
 * @module market
 *
 * Market data for valuation, validated once and read through pure lookups:
 * - `MarketSnapshot` (snapshot.ts, snapshot-lookups.ts): index prices, forwards, rates, vol
 *   surfaces, depth curves and oracle confidences at one valuation time;
 * - vol surfaces (vol-surface.ts): per expiry a flat vol, a smile or raw SVI;
 * - depth curves (depth-curve.ts, execution-cost.ts): order books or square-root impact;
 * - oracle aggregation (oracle-aggregate.ts): median / capped median with staleness, outlier
 *   and confidence filters;
 * - stable price (stable-price.ts, conservative-price.ts): a slow price for initial margin.
 *
 * Units: prices in the quote currency (USD unless configured) per unit of the asset, suffix-free
 * because the type says so; quantities in units of the asset; times in integer ms since the
 * Unix epoch, UTC (`...Ms`); year fractions ACT/365 (`...Years`, `yearFraction`); vols are
 * annualised lognormal fractions (0.8 = 80%); rates are continuously compounded annual
 * fractions; spreads, caps, penalties and limits are plain fractions (0.005 = 0.5%).
 *
 * Sign conventions: an execution quantity q > 0 buys, q < 0 sells; costs are ≥ 0 and paid by
 * the trader. SVI log-moneyness k = ln(K/F) is > 0 above the forward.
 *
 * Invariants: everything built here is immutable (frozen objects, read-only maps); every
 * lookup returns a finite value or throws; oracle results are independent of input order;
 * execution cost is ≥ 0, 0 at q = 0, non-decreasing in |q| (convex for order books).
 *
 * Conservative choices (each made once, in the named file):
 * - missing market data fails closed with ERR_MISSING_MARKET_DATA: no vol interpolation across
 *   expiries unless a surface opts in (vol-surface.ts); no forward from carry unless the
 *   snapshot opts in (snapshot-lookups.ts); no fill beyond a book's depth unless a penalty
 *   rule is set (execution-cost.ts);
 * - oracle: stale, future-dated, low-confidence, duplicated and outlying quotes are rejected;
 *   too few survivors fail with ERR_ORACLE_INSUFFICIENT_SOURCES (oracle-aggregate.ts);
 * - initial margin values assets at min(oracle, stable) and liabilities at max(oracle, stable)
 *   (conservative-price.ts); maintenance and liquidation use the fresh oracle.
 *
 * @see docs/methodology/market-data.md, docs/methodology/oracle.md
 */
export { conservativePrice, type PriceRole } from './conservative-price.js';
export {
  createDepthCurve,
  type BeyondDepthRule,
  type BookDepthCurve,
  type BookDepthCurveInput,
  type BookLevel,
  type DepthCurve,
  type DepthCurveInput,
  type SqrtDepthCurve,
  type SqrtDepthCurveInput,
} from './depth-curve.js';
export { computeExecutionCost, type ExecutionCostResult, type ExecutionSide } from './execution-cost.js';
export {
  aggregateOracle,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  type OracleMethod,
  type OracleParams,
  type OracleQuote,
  type OracleRejection,
  type OracleRejectionReason,
  type OracleResult,
} from './oracle-aggregate.js';
export { MarketSnapshotDocumentSchema, parseMarketSnapshot } from './parse-market-snapshot.js';
export {
  createMarketSnapshot,
  type ForwardInput,
  type ForwardRule,
  type MarketSnapshot,
  type MarketSnapshotInput,
  type NumberTable,
  type Rates,
} from './snapshot.js';
export {
  getDepth,
  getDiscountFactor,
  getForward,
  getIndexPrice,
  getOracleConfidence,
  getRate,
  getVol,
  type SnapshotVolQuery,
} from './snapshot-lookups.js';
export {
  initStablePrice,
  STABLE_PRICE_DEFAULTS,
  updateStablePrice,
  type StablePriceParams,
  type StablePriceState,
} from './stable-price.js';
export { sviMinTotalVariance, sviTotalVariance, validateSviParams, type SviParams } from './svi.js';
export {
  MAX_INPUT_VOL,
  sliceTotalVariance,
  sliceVol,
  smileVol,
  validateVolSlice,
  type FlatVolSlice,
  type SlicePoint,
  type SmilePoint,
  type SmileVolSlice,
  type SviVolSlice,
  type VolSlice,
} from './vol-slice.js';
export {
  createVolSurface,
  volFor,
  type ExpiryInterpolation,
  type VolQuery,
  type VolSliceInput,
  type VolSurface,
  type VolSurfaceInput,
} from './vol-surface.js';
