/**
 * @module margin/presets/mango
 *
 * The `mango-v4` preset: Mango v4 health with init and maint weights and stable prices (init values
 * assets at min(oracle, stable), liabilities at max), perps settled into their token;
 * IM = equity − init health, MM = equity − maint health. Units USD. Methodology:
 * docs/methodology/presets-venues.md#mango-v4.
 */
import type { MarginModel } from '../../margin-model.js';
import { computeMangoMargin, MANGO_MODEL_NAME } from './mango-model.js';
import { DEFAULT_MANGO_PARAMS, parseMangoParams, type MangoParams } from './mango-params.js';

export {
  computeMangoMargin,
  mangoPerpValue,
  mangoPrices,
  mangoTokenHealth,
  MANGO_MODEL_NAME,
  type MangoHealthType,
} from './mango-model.js';
export {
  DEFAULT_MANGO_PARAMS,
  parseMangoParams,
  type MangoParams,
  type MangoPerpWeights,
  type MangoTokenWeights,
} from './mango-params.js';

/**
 * The `mango-v4` margin model (module header).
 * @example mangoModel.compute(portfolio, createMarginContext(market), mangoModel.defaultParams)
 */
export const mangoModel: MarginModel<MangoParams> = {
  name: MANGO_MODEL_NAME,
  description: 'Mango v4 health: init/maint weights, stable prices for init, perps settled into their token',
  source:
    'blockworks-foundation/mango-v4 programs/mango-v4/src/health/cache.rs; docs/methodology/presets-venues.md#mango-v4',
  defaultParams: DEFAULT_MANGO_PARAMS,
  parseParams: parseMangoParams,
  compute: computeMangoMargin,
};
