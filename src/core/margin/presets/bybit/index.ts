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
import { BYBIT_PM_MODEL_NAME, computeBybitPmMargin } from './bybit-pm-model.js';
import { DEFAULT_BYBIT_PM_PARAMS, parseBybitPmParams, type BybitPmParams } from './bybit-pm-params.js';

export { BYBIT_MODEL_NAME, bybitMarginBalance, bybitTierOf, computeBybitMargin } from './bybit-model.js';
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

export { BYBIT_PM_MODEL_NAME, bybitPmContingency, computeBybitPmMargin } from './bybit-pm-model.js';
export {
  DEFAULT_BYBIT_PM_PARAMS,
  parseBybitPmParams,
  type BybitPmCoinParams,
  type BybitPmParams,
} from './bybit-pm-params.js';

/**
 * The `bybit-pm` margin model: Bybit UTA portfolio margin (bybit-pm-model.ts).
 * @example bybitPmModel.compute(portfolio, createMarginContext(market), bybitPmModel.defaultParams)
 */
export const bybitPmModel: MarginModel<BybitPmParams> = {
  name: BYBIT_PM_MODEL_NAME,
  description:
    'Bybit UTA portfolio margin: per coin MM = max loss over price range x vol shocks + contingencies, IM = MM x IM factor',
  source:
    'Bybit help: margin calculations under portfolio margin, PM risk parameter adjustment 2025; docs/methodology/presets-venues.md#bybit-pm',
  defaultParams: DEFAULT_BYBIT_PM_PARAMS,
  parseParams: parseBybitPmParams,
  compute: computeBybitPmMargin,
};
