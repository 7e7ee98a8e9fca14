/**
 * Golden cases of the `drift` preset: globs test/golden/drift/*.json (adding a case is adding a
 * file). A case either calls a named rule function (`fn` + `args`, expected a number) or runs the
 * model end to end (`portfolio`, optional `params` and `market`, expected an object of
 * initialUsd / maintenanceUsd / equityUsd). On failure every input, the expected and calculated
 * values, the error and the tolerance are printed. Sources: each file's `source`.
 */
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import {
  driftBaseToCoverShortage,
  driftFreeableFraction,
  driftLiquidatorFee,
  driftModel,
  sizeDiscountAssetWeight,
  sizePremiumLiabilityWeight,
  unrealizedPnlWeight,
} from './index.js';

import {
  describeGoldenArea,
  type ModelGoldenCase as GoldenCase,
  type ModelGoldenFile as GoldenFile,
} from '../../../../../test/support/golden-suite.js';

const FUNCTIONS: Record<string, (a: Record<string, number>) => number> = {
  sizeDiscountAssetWeight: (a) => sizeDiscountAssetWeight(a.size!, a.imf!, a.w!),
  sizePremiumLiabilityWeight: (a) => sizePremiumLiabilityWeight(a.size!, a.imf!, a.w!),
  unrealizedPnlInitialWeight: (a) =>
    unrealizedPnlWeight(a.pnl!, 'initial', {
      unrealizedPnlInitialAssetWeight: a.w!,
      unrealizedPnlMaintenanceAssetWeight: a.w!,
      unrealizedPnlImfFactor: a.uimf!,
    }),
  liquidatorFee: (a) => driftLiquidatorFee({ baseFee: a.baseFee!, maxFee: a.maxFee!, slots: a.slots! }),
  freeableFraction: (a) =>
    driftFreeableFraction({
      initialPct: a.initialPct!,
      slotsSinceLastActive: a.slots!,
      durationSlots: a.duration!,
      shortageUsd: a.shortage!,
    }),
  baseToCoverShortage: (a) =>
    driftBaseToCoverShortage({
      shortageUsd: a.shortage!,
      oracleUsd: a.oracle!,
      marginRatio: a.marginRatio!,
      liquidatorFee: a.liquidatorFee!,
      ifFee: a.ifFee!,
    }),
};

/** The calculated quantities of a case. */
function evaluate(c: GoldenCase, file: GoldenFile): Record<string, number> {
  if (c.fn !== undefined) {
    const f = FUNCTIONS[c.fn];
    if (f === undefined) throw new Error(`unknown golden fn ${c.fn}`);
    return { value: f(c.args ?? {}) };
  }
  const market = buildMarginMarket(c.market ?? file.market);
  const r = driftModel.compute(
    parsePortfolio(c.portfolio, market),
    createMarginContext(market),
    driftModel.parseParams(c.params),
  );
  return { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd };
}

describeGoldenArea<GoldenCase, GoldenFile>('drift', evaluate);
