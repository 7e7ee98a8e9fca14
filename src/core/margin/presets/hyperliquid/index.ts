/**
 * @module margin/presets/hyperliquid
 *
 * The `hyperliquid` preset: Hyperliquid perpetuals, cross and isolated, IM = position value /
 * leverage, tiered maintenance (rate 1/(2·max leverage), continuous deductions), equity = USDC +
 * unrealised P&L, and the published liquidation price. Units USD; IM ≥ MM ≥ 0 per position.
 * Methodology: docs/methodology/presets-venues.md#hyperliquid.
 */
import type { MarginModel } from '../../margin-model.js';
import { computeHyperliquidMargin, HYPERLIQUID_MODEL_NAME } from './hyperliquid-model.js';
import {
  DEFAULT_HYPERLIQUID_PARAMS,
  parseHyperliquidParams,
  type HyperliquidParams,
} from './hyperliquid-params.js';

export {
  computeHyperliquidMargin,
  hyperliquidLiquidationPrice,
  hyperliquidMaintenance,
  HYPERLIQUID_MODEL_NAME,
} from './hyperliquid-model.js';
export {
  DEFAULT_HYPERLIQUID_PARAMS,
  parseHyperliquidParams,
  type HyperliquidLeverage,
  type HyperliquidParams,
  type HyperliquidTier,
} from './hyperliquid-params.js';

/**
 * The `hyperliquid` margin model (module header).
 * @example hyperliquidModel.compute(portfolio, createMarginContext(market), hyperliquidModel.defaultParams)
 */
export const hyperliquidModel: MarginModel<HyperliquidParams> = {
  name: HYPERLIQUID_MODEL_NAME,
  description:
    'Hyperliquid perps: IM = value / leverage, tiered MM at 1/(2 x max leverage), USDC + uPnL equity',
  source:
    'hyperliquid docs: trading/margining, trading/margin-tiers, trading/liquidations; docs/methodology/presets-venues.md#hyperliquid',
  defaultParams: DEFAULT_HYPERLIQUID_PARAMS,
  parseParams: parseHyperliquidParams,
  compute: computeHyperliquidMargin,
};
