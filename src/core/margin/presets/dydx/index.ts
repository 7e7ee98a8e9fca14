/**
 * @module margin/presets/dydx
 *
 * The `dydx` preset: dYdX v4's per-position margin with open-interest-scaled initial margin
 * fractions and genesis liquidity tiers (ANCHORS §2.5; `dydxprotocol/v4-chain:
 * protocol/x/perpetuals/types/liquidity_tier.go`, `protocol/testing/genesis.sh`).
 *
 *   IMR = |units|·index·IMF_OI,   MMR = |units|·index·IMF_base·MF,   IM = Σ IMR ≥ MM = Σ MMR ≥ 0
 *
 * Units: USD (float64); fractions in [0, 1]; open interest in USD notional. Signs: requirements
 * ≥ 0; equity (USDC + unrealised P&L) may be negative. Conservative choices: assets other than
 * USDC count 0 unless owed (then in full); options and spot instruments fail closed
 * (ERR_UNSUPPORTED_INSTRUMENT naming the position). Methodology: docs/methodology/presets-deribit-dydx-drift.md#dydx.
 */
import type { MarginModel } from '../../margin-model.js';
import { computeDydxMargin, DYDX_MODEL_NAME } from './dydx-model.js';
import { DEFAULT_DYDX_PARAMS, parseDydxParams, type DydxParams } from './dydx-params.js';

export {
  DYDX_LIQUIDATION_DEFAULTS,
  dydxBankruptcyPrice,
  dydxFillablePrice,
  dydxInsuranceFundDelta,
  dydxLiquidationPricing,
  type DydxLiquidationConfig,
} from './liquidation-math.js';
export { computeDydxMargin, DYDX_MODEL_NAME } from './dydx-model.js';
export {
  DEFAULT_DYDX_PARAMS,
  DYDX_GENESIS_TIERS,
  DydxLiquidityTierSchema,
  parseDydxParams,
  type DydxLiquidityTier,
  type DydxParams,
} from './dydx-params.js';
export { initialMarginFraction, maintenanceMarginFraction } from './initial-margin-fraction.js';

/**
 * The `dydx` margin model (module header).
 * @example dydxModel.compute(portfolio, createMarginContext(market), dydxModel.defaultParams)
 */
export const dydxModel: MarginModel<DydxParams> = {
  name: DYDX_MODEL_NAME,
  description:
    'dYdX v4: per-position IMF scaled by open interest, MMF = base IMF x maintenance fraction, USDC only',
  source:
    'ANCHORS §2.5; dydxprotocol/v4-chain liquidity_tier.go, genesis.sh; docs/methodology/presets-deribit-dydx-drift.md#dydx',
  defaultParams: DEFAULT_DYDX_PARAMS,
  parseParams: parseDydxParams,
  compute: computeDydxMargin,
};
