/**
 * @module margin/presets/drift
 *
 * The `drift` preset: Drift Protocol v2 cross margin (ANCHORS §2.3; `drift-labs/protocol-v2:
 * programs/drift/src/math/margin.rs`, `state/perp_market.rs`, `state/spot_market.rs`).
 *
 *   perp requirement  = |base|·index·max(r, 0.8r + imf·√|base|)
 *   deposit credit    = v·min(w, 1.1/(1 + imf·√qty))       borrow charge = |v|·max(w, 0.8w + imf·√|qty|)
 *   unrealised P&L    = losses in full; profits at the market's P&L weight (IM: size-discounted, capped)
 *
 * Units: USD (float64); weights, ratios and IMF factors are fractions; sizes in token units.
 * Signs: requirements ≥ 0; equity may be negative. Invariant IM ≥ MM ≥ 0 (drift-model.ts shows
 * why). Conservative choices: equity carries liabilities at full value and deposits at the
 * maintenance weight; options fail closed (ERR_UNSUPPORTED_INSTRUMENT naming the position).
 * Methodology: docs/methodology/presets-deribit-dydx-drift.md#drift.
 */
import type { MarginModel } from '../../margin-model.js';
import { computeDriftMargin, DRIFT_MODEL_NAME } from './drift-model.js';
import { DEFAULT_DRIFT_PARAMS, parseDriftParams, type DriftParams } from './drift-params.js';

export {
  DRIFT_LIQUIDATION_BUFFER,
  DRIFT_LIQUIDATION_FEES,
  driftBaseToCoverShortage,
  driftFreeableFraction,
  driftLiquidationPricing,
  driftLiquidatorFee,
  type DriftLiquidationFees,
} from './liquidation-math.js';
export { computeDriftMargin, DRIFT_MODEL_NAME } from './drift-model.js';
export {
  DEFAULT_DRIFT_PARAMS,
  DriftPerpMarketSchema,
  DriftSpotMarketSchema,
  parseDriftParams,
  type DriftParams,
  type DriftPerpMarket,
  type DriftSpotMarket,
} from './drift-params.js';
export {
  sizeDiscountAssetWeight,
  sizePremiumLiabilityWeight,
  unrealizedPnlWeight,
  type UnrealizedPnlWeights,
} from './drift-weights.js';

/**
 * The `drift` margin model (module header).
 * @example driftModel.compute(portfolio, createMarginContext(market), driftModel.defaultParams)
 */
export const driftModel: MarginModel<DriftParams> = {
  name: DRIFT_MODEL_NAME,
  description:
    'Drift v2 cross margin: perp ratios with sqrt-size premium, spot asset/liability weights, weighted P&L',
  source:
    'ANCHORS §2.3; drift-labs/protocol-v2 math/margin.rs; docs/methodology/presets-deribit-dydx-drift.md#drift',
  defaultParams: DEFAULT_DRIFT_PARAMS,
  parseParams: parseDriftParams,
  compute: computeDriftMargin,
};
