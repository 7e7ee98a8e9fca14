/**
 * Golden cases of the `dydx` preset: globs test/golden/dydx/*.json (adding a case is adding a
 * file). A case either calls a named rule function (`fn` + `args`, expected a number) or runs the
 * model end to end (`portfolio`, optional `params` and `market`, expected an object of
 * initialUsd / maintenanceUsd / equityUsd). On failure every input, the expected and calculated
 * values, the error and the tolerance are printed. Sources: each file's `source`.
 */
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import {
  dydxBankruptcyPrice,
  dydxFillablePrice,
  dydxInsuranceFundDelta,
  dydxModel,
  initialMarginFraction,
  maintenanceMarginFraction,
  type DydxLiquidityTier,
} from './index.js';

import {
  describeGoldenArea,
  type ModelGoldenCase as GoldenCase,
  type ModelGoldenFile as GoldenFile,
} from '../../../../../test/support/golden-suite.js';

const tierOf = (a: Record<string, number>): DydxLiquidityTier => ({
  initialMarginFraction: a.initialMarginFraction!,
  maintenanceFraction: a.maintenanceFraction ?? 1,
  openInterestLowerCapUsd: a.lower ?? 0,
  openInterestUpperCapUsd: a.upper ?? 0,
});

const FUNCTIONS: Record<string, (a: Record<string, number>) => number> = {
  initialMarginRequirement: (a) => a.notional! * initialMarginFraction(tierOf(a), a.openInterest!),
  initialMarginFractionPpm: (a) => 1e6 * initialMarginFraction(tierOf(a), a.openInterest!),
  maintenanceMarginFractionPpm: (a) => 1e6 * maintenanceMarginFraction(tierOf(a)),
  bankruptcyPrice: (a) =>
    dydxBankruptcyPrice({
      deltaUnits: a.deltaUnits!,
      oracleUsd: a.oracle!,
      tncUsd: a.tnc!,
      closedMmrUsd: a.closedMmr!,
      tmmrUsd: a.tmmr!,
    }),
  fillablePrice: (a) =>
    dydxFillablePrice({
      positionUnits: a.positionUnits!,
      oracleUsd: a.oracle!,
      positionMmrUsd: a.positionMmr!,
      tncUsd: a.tnc!,
      tmmrUsd: a.tmmr!,
    }),
  insuranceFundDelta: (a) => dydxInsuranceFundDelta(a.fillQuote!, a.bankruptcyQuote!),
};

/** The calculated quantities of a case. */
function evaluate(c: GoldenCase, file: GoldenFile): Record<string, number> {
  if (c.fn !== undefined) {
    const f = FUNCTIONS[c.fn];
    if (f === undefined) throw new Error(`unknown golden fn ${c.fn}`);
    return { value: f(c.args ?? {}) };
  }
  const market = buildMarginMarket(c.market ?? file.market);
  const r = dydxModel.compute(
    parsePortfolio(c.portfolio, market),
    createMarginContext(market),
    dydxModel.parseParams(c.params),
  );
  return { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd };
}

describeGoldenArea<GoldenCase, GoldenFile>('dydx', evaluate);
