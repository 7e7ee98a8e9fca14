/**
 * @module margin/presets/aave
 *
 * The `aave-v3` preset: an Aave v3 position as a margin account: health factor, IM from the
 * loan-to-values, MM from the liquidation thresholds (equity < MM ⇔ HF < 1), the close factor and
 * the liquidation bonus. Units USD; fractions. Methodology: docs/methodology/presets-venues.md#aave-v3.
 */
import type { MarginModel } from '../../margin-model.js';
import { AAVE_MODEL_NAME, computeAaveMargin } from './aave-model.js';
import { DEFAULT_AAVE_PARAMS, parseAaveParams, type AaveParams } from './aave-params.js';

export {
  AAVE_MODEL_NAME,
  aaveCloseFactor,
  aaveHealthFactor,
  aaveLiquidation,
  computeAaveMargin,
} from './aave-model.js';
export { DEFAULT_AAVE_PARAMS, parseAaveParams, type AaveParams, type AaveReserve } from './aave-params.js';

/**
 * The `aave-v3` margin model (module header).
 * @example aaveModel.compute(portfolio, createMarginContext(market), aaveModel.defaultParams)
 */
export const aaveModel: MarginModel<AaveParams> = {
  name: AAVE_MODEL_NAME,
  description: 'Aave v3: health factor; IM from LTV, MM from liquidation thresholds; close factor and bonus',
  source:
    'aave-dao/aave-v3-origin GenericLogic.sol, LiquidationLogic.sol; docs/methodology/presets-venues.md#aave-v3',
  defaultParams: DEFAULT_AAVE_PARAMS,
  parseParams: parseAaveParams,
  compute: computeAaveMargin,
};
