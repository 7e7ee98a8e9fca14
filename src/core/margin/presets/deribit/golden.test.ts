/**
 * Golden cases of the Deribit presets: globs test/golden/deribit/*.json (adding a case is adding
 * a file). A case either calls a named rule function (`fn` + `args`, expected a number) or runs
 * the file's `model` ('deribit-sm' or 'deribit-pm') end to end (`portfolio`, optional `params`
 * and `market`, expected an object of initialUsd / maintenanceUsd / equityUsd). On failure every
 * input, the expected and calculated values, the error and the tolerance are printed. Sources:
 * each file's `source`.
 */
import { createMarginContext, type MarginModel } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import {
  buildScenarios,
  DEFAULT_DERIBIT_PM_PARAMS,
  deribitPmModel,
  deribitSmModel,
  volShockSize,
} from './index.js';

import {
  describeGoldenArea,
  type ModelGoldenCase as GoldenCase,
  type ModelGoldenFile as GoldenFile,
} from '../../../../../test/support/golden-suite.js';

const MODELS: Record<string, MarginModel<unknown>> = {
  'deribit-sm': deribitSmModel as MarginModel<unknown>,
  'deribit-pm': deribitPmModel as MarginModel<unknown>,
};

const FUNCTIONS: Record<string, (a: Record<string, number>) => number> = {
  volShockSize: (a) =>
    volShockSize(a.days! / 365, {
      size: a.size!,
      pivotDays: 30,
      power: a.power!,
      minDays: 1,
      mode: 'relative',
    }),
  extendedWeight: (a) => {
    const s = buildScenarios(DEFAULT_DERIBIT_PM_PARAMS.grid).find(
      (x) => x.id.startsWith('ext:') && x.move === a.move,
    );
    if (s === undefined) throw new Error(`no extended scenario at move ${a.move}`);
    return s.weight;
  },
};

/** The calculated quantities of a case. */
function evaluate(c: GoldenCase, file: GoldenFile): Record<string, number> {
  if (c.fn !== undefined) {
    const f = FUNCTIONS[c.fn];
    if (f === undefined) throw new Error(`unknown golden fn ${c.fn}`);
    return { value: f(c.args ?? {}) };
  }
  const model = MODELS[file.model ?? ''];
  if (model === undefined)
    throw new Error(`golden file needs "model": one of ${Object.keys(MODELS).join(', ')}`);
  const market = buildMarginMarket(c.market ?? file.market);
  const r = model.compute(
    parsePortfolio(c.portfolio, market),
    createMarginContext(market),
    model.parseParams(c.params),
  );
  return { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd };
}

describeGoldenArea<GoldenCase, GoldenFile>('deribit', evaluate);
