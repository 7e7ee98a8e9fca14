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
import { valuePortfolio } from '../../../portfolio/valuation.js';
import {
  buildScenarios,
  deribitPmContingency,
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

/** A BTC market at `index` with a call and a put on one strike and two futures. */
function contingencyOf(
  a: Record<string, number>,
  which: 'shortOptionsUsd' | 'offsettingFuturesUsd' | 'optionsUsd',
): number {
  const t = Date.UTC(2026, 0, 1);
  const expiryMs = t + 30 * 86_400_000;
  const market = buildMarginMarket({
    valuationMs: t,
    prices: { BTC: a.index!, USD: 1 },
    instruments: [
      {
        id: 'C',
        kind: 'option',
        underlying: 'BTC',
        optionType: 'call',
        strike: a.index!,
        expiryMs,
        iv: 0.6,
        forward: a.index!,
      },
      {
        id: 'P',
        kind: 'option',
        underlying: 'BTC',
        optionType: 'put',
        strike: a.index!,
        expiryMs,
        iv: 0.6,
        forward: a.index!,
      },
      { id: 'FA', kind: 'future', underlying: 'BTC', expiryMs, markPrice: a.index! },
      { id: 'FB', kind: 'future', underlying: 'BTC', expiryMs: expiryMs + 86_400_000, markPrice: a.index! },
    ],
  });
  const positions = [
    { instrument: 'C', size: a.call ?? 0 },
    { instrument: 'P', size: a.put ?? 0 },
    { instrument: 'FA', size: a.futureA ?? 0 },
    { instrument: 'FB', size: a.futureB ?? 0 },
  ].filter((p) => p.size !== 0);
  const v = valuePortfolio(parsePortfolio({ positions }, market), market);
  const c = deribitPmContingency(v, market.prices, {
    shortOptionPerStrike: a.shortOptionPerStrike ?? 0,
    offsettingFutures: a.offsettingFutures ?? 0,
    optionsNotional: a.optionsNotional ?? 0,
  });
  return c.get('BTC')![which];
}

FUNCTIONS.shortOptionsContingency = (a) => contingencyOf(a, 'shortOptionsUsd');
FUNCTIONS.offsettingFuturesContingency = (a) => contingencyOf(a, 'offsettingFuturesUsd');
FUNCTIONS.optionsContingency = (a) => contingencyOf(a, 'optionsUsd');

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
