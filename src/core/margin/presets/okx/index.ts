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
import { computeOkxPmMargin, OKX_PM_MODEL_NAME } from './okx-pm-model.js';
import { DEFAULT_OKX_PM_PARAMS, parseOkxPmParams, type OkxPmParams } from './okx-pm-params.js';

export { computeOkxMargin, okxAdjustedEquity, okxTierOf, OKX_MODEL_NAME } from './okx-model.js';
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

export {
  computeOkxPmMargin,
  okxPmAdjustedMinimum,
  okxPmVolShockPoints,
  OKX_PM_MODEL_NAME,
} from './okx-pm-model.js';
export {
  DEFAULT_OKX_PM_PARAMS,
  parseOkxPmParams,
  type OkxPmParams,
  type OkxPmUnitParams,
} from './okx-pm-params.js';

/**
 * The `okx-pm` margin model: OKX portfolio margin mode (okx-pm-model.ts).
 * @example okxPmModel.compute(portfolio, createMarginContext(market), okxPmModel.defaultParams)
 */
export const okxPmModel: MarginModel<OkxPmParams> = {
  name: OKX_PM_MODEL_NAME,
  description:
    'OKX portfolio margin: per risk unit MMR = max(max(MR1 spot shock, MR2 theta, MR6 extreme) + MR4 basis, MR7 minimum), IMR = 1.3 x MMR',
  source:
    'OKX help: portfolio margin mode (risk unit merge), PM parameter announcement Jan 2025; docs/methodology/presets-venues.md#okx-pm',
  defaultParams: DEFAULT_OKX_PM_PARAMS,
  parseParams: parseOkxPmParams,
  compute: computeOkxPmMargin,
};
