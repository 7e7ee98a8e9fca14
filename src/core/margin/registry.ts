/**
 * Every margin model selectable by name (`xmargin margin --model NAME`, `xmargin models`).
 * xmargin's own models first, then the anchor presets that reproduce published venue rules.
 */
import { InvalidInputError } from '../errors.js';
import type { MarginModel } from './margin-model.js';
import { crossModel, isolatedModel } from './rate-based-models.js';
import { portfolioModel } from './portfolio-model.js';
import { esModel, varModel } from './es-model.js';
import { isolatedCoverModel } from './isolated-cover-model.js';
import { deribitPmModel, deribitSmModel } from './presets/deribit/index.js';
import { dydxModel } from './presets/dydx/index.js';
import { driftModel } from './presets/drift/index.js';
import { derivePm2Model, deriveSrmModel } from './presets/derive/index.js';
import { hyperliquidModel } from './presets/hyperliquid/index.js';
import { aaveModel } from './presets/aave/index.js';
import { binancePmModel } from './presets/binance/index.js';
import { okxModel, okxPmModel } from './presets/okx/index.js';
import { bybitModel, bybitPmModel } from './presets/bybit/index.js';
import { mangoModel } from './presets/mango/index.js';

/** The registered models, in display order. */
export const MARGIN_MODELS: readonly MarginModel<unknown>[] = [
  isolatedModel as MarginModel<unknown>,
  crossModel as MarginModel<unknown>,
  portfolioModel as MarginModel<unknown>,
  esModel as MarginModel<unknown>,
  varModel as MarginModel<unknown>,
  isolatedCoverModel as MarginModel<unknown>,
  deribitSmModel as MarginModel<unknown>,
  deribitPmModel as MarginModel<unknown>,
  deriveSrmModel as MarginModel<unknown>,
  derivePm2Model as MarginModel<unknown>,
  dydxModel as MarginModel<unknown>,
  driftModel as MarginModel<unknown>,
  hyperliquidModel as MarginModel<unknown>,
  aaveModel as MarginModel<unknown>,
  binancePmModel as MarginModel<unknown>,
  okxModel as MarginModel<unknown>,
  okxPmModel as MarginModel<unknown>,
  bybitModel as MarginModel<unknown>,
  bybitPmModel as MarginModel<unknown>,
  mangoModel as MarginModel<unknown>,
];

/**
 * The model with this name.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the model and listing the known ones
 */
export function getMarginModel(name: string): MarginModel<unknown> {
  const m = MARGIN_MODELS.find((x) => x.name === name);
  if (!m)
    throw new InvalidInputError(
      'model',
      name,
      `must be one of ${MARGIN_MODELS.map((x) => x.name).join(', ')}`,
    );
  return m;
}

/** Models that read price history (the CLI loads it only when one of them is used). */
export const STATISTICAL_MODELS: ReadonlySet<string> = new Set(['es', 'var', 'isolated-cover']);
