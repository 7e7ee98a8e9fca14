/**
 * @module margin/presets/okx
 *
 * The `okx-unified` preset: OKX multi-currency margin, cross: tiered MMR on the whole position,
 * IMR = notional / leverage, adjusted equity with progressive discount rates. Units USD.
 * Methodology: docs/methodology/presets-venues.md#okx.
 */
import type { MarginModel } from '../../margin-model.js';
import { computeOkxMargin, OKX_MODEL_NAME } from './okx-model.js';
import { DEFAULT_OKX_PARAMS, parseOkxParams, type OkxParams } from './okx-params.js';

export { computeOkxMargin, okxTierOf, OKX_MODEL_NAME } from './okx-model.js';
export { DEFAULT_OKX_PARAMS, parseOkxParams, type OkxParams, type OkxTier } from './okx-params.js';

/**
 * The `okx-unified` margin model (module header).
 * @example okxModel.compute(portfolio, createMarginContext(market), okxModel.defaultParams)
 */
export const okxModel: MarginModel<OkxParams> = {
  name: OKX_MODEL_NAME,
  description: 'OKX multi-currency margin (cross): tiered MMR, IMR = notional / leverage, discounted equity',
  source: 'OKX position tiers, discount rates, multi-currency margin; docs/methodology/presets-venues.md#okx',
  defaultParams: DEFAULT_OKX_PARAMS,
  parseParams: parseOkxParams,
  compute: computeOkxMargin,
};
