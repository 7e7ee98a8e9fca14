/**
 * @module margin/presets/bybit
 *
 * The `bybit-unified` preset: Bybit UTA regular margin: IM = value / leverage + fee to close,
 * MM = value·mmr − deduction + fee to close by risk-limit tier, collateral value ratios. Units
 * USD. Methodology: docs/methodology/presets-venues.md#bybit.
 */
import type { MarginModel } from '../../margin-model.js';
import { BYBIT_MODEL_NAME, computeBybitMargin } from './bybit-model.js';
import { DEFAULT_BYBIT_PARAMS, parseBybitParams, type BybitParams } from './bybit-params.js';

export { BYBIT_MODEL_NAME, bybitTierOf, computeBybitMargin } from './bybit-model.js';
export {
  DEFAULT_BYBIT_PARAMS,
  parseBybitParams,
  type BybitParams,
  type BybitRiskLimit,
} from './bybit-params.js';

/**
 * The `bybit-unified` margin model (module header).
 * @example bybitModel.compute(portfolio, createMarginContext(market), bybitModel.defaultParams)
 */
export const bybitModel: MarginModel<BybitParams> = {
  name: BYBIT_MODEL_NAME,
  description: 'Bybit UTA regular margin: IM = value / leverage + fee, MM = value x mmr - deduction + fee',
  source: 'Bybit UTA margin help, risk limits; docs/methodology/presets-venues.md#bybit',
  defaultParams: DEFAULT_BYBIT_PARAMS,
  parseParams: parseBybitParams,
  compute: computeBybitMargin,
};
