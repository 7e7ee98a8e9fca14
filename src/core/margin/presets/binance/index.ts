/**
 * @module margin/presets/binance
 *
 * The `binance-pm` preset: Binance Portfolio Margin's uniMMR = adjusted equity / maintenance,
 * USDⓈ-M brackets (MM = N·mmr − cum), tiered collateral rates, margin loans. Units USD.
 * Methodology: docs/methodology/presets-venues.md#binance-pm.
 */
import type { MarginModel } from '../../margin-model.js';
import { BINANCE_PM_MODEL_NAME, computeBinancePmMargin } from './binance-pm-model.js';
import {
  DEFAULT_BINANCE_PM_PARAMS,
  parseBinancePmParams,
  type BinancePmParams,
} from './binance-pm-params.js';

export { BINANCE_PM_MODEL_NAME, computeBinancePmMargin } from './binance-pm-model.js';
export {
  DEFAULT_BINANCE_PM_PARAMS,
  parseBinancePmParams,
  type BinancePmParams,
} from './binance-pm-params.js';

/**
 * The `binance-pm` margin model (module header).
 * @example binancePmModel.compute(portfolio, createMarginContext(market), binancePmModel.defaultParams)
 */
export const binancePmModel: MarginModel<BinancePmParams> = {
  name: BINANCE_PM_MODEL_NAME,
  description: 'Binance Portfolio Margin: uniMMR = adjusted equity / (bracketed USDⓈ-M MM + margin-loan MM)',
  source:
    'Binance FAQ uniMMR; USDⓈ-M leverage brackets; tiered collateral rates; docs/methodology/presets-venues.md#binance-pm',
  defaultParams: DEFAULT_BINANCE_PM_PARAMS,
  parseParams: parseBinancePmParams,
  compute: computeBinancePmMargin,
};
