/**
 * Golden cases of the venue presets added for the combined view (hyperliquid, aave-v3,
 * binance-pm, okx-unified, okx-pm, bybit-unified, bybit-pm): globs test/golden/<area>/*.json. A case calls a
 * published rule (`fn` + `args`) or margins a portfolio with the file's model. Sources: each
 * file's `source` and each folder's README.
 */
import { createMarginContext } from '../margin-model.js';
import { getMarginModel } from '../registry.js';
import { buildMarginMarket } from '../../portfolio/market-file.js';
import { parsePortfolio } from '../../portfolio/portfolio-file.js';
import { bracketMaintenance, continuousDeductions } from '../tiers/bracket.js';
import {
  hyperliquidLiquidationPrice,
  hyperliquidMaintenance,
  DEFAULT_HYPERLIQUID_PARAMS,
} from './hyperliquid/index.js';
import { aaveCloseFactor, aaveHealthFactor, aaveLiquidation, DEFAULT_AAVE_PARAMS } from './aave/index.js';
import { DEFAULT_BINANCE_PM_PARAMS } from './binance/index.js';
import { DEFAULT_OKX_PM_PARAMS, okxPmAdjustedMinimum, okxPmVolShockPoints } from './okx/index.js';
import {
  describeGoldenArea,
  type ModelGoldenCase as GoldenCase,
  type ModelGoldenFile as GoldenFile,
} from '../../../../test/support/golden-suite.js';

type Fn = (a: Record<string, number>) => number;
const liq = (a: Record<string, number>) =>
  aaveLiquidation({
    debtToCoverUsd: a.debtToCoverUsd!,
    collateralHeldUsd: a.collateralHeldUsd!,
    reserve: { liquidationBonus: a.liquidationBonus!, liquidationProtocolFee: a.liquidationProtocolFee! },
  });
const btcBrackets = DEFAULT_BINANCE_PM_PARAMS.brackets.BTC!;

const FUNCTIONS: Record<string, Record<string, Fn>> = {
  hyperliquid: {
    maintenance: (a) =>
      hyperliquidMaintenance(DEFAULT_HYPERLIQUID_PARAMS.marginTiers.BTC!, a.valueUsd!).mmUsd,
    liquidationPrice: (a) =>
      hyperliquidLiquidationPrice({
        priceUsd: a.priceUsd!,
        side: a.side === -1 ? -1 : 1,
        size: a.size!,
        marginAvailableUsd: a.marginAvailableUsd!,
        maintenanceLeverage: a.maintenanceLeverage!,
      }),
  },
  aave: {
    healthFactor: (a) =>
      aaveHealthFactor(
        [{ valueUsd: a.collateralUsd!, liquidationThreshold: a.liquidationThreshold! }],
        a.debtUsd!,
      ),
    closeFactor: (a) =>
      aaveCloseFactor(a.healthFactor!, a.collateralUsd!, a.debtUsd!, DEFAULT_AAVE_PARAMS.closeFactor),
    seized: (a) => liq(a).collateralSeizedUsd,
    protocolFee: (a) => liq(a).protocolFeeUsd,
    repaid: (a) => liq(a).debtRepaidUsd,
  },
  binance: {
    cum: (a) => continuousDeductions(btcBrackets)[a.bracket!]!,
    maintenance: (a) => bracketMaintenance(btcBrackets, a.notionalUsd!),
  },
  okx: {
    adjustedMinimum: (a) => okxPmAdjustedMinimum(DEFAULT_OKX_PM_PARAMS.minChargeMultipliers, a.rawUsd!),
    volShockPoints: (a) => okxPmVolShockPoints(DEFAULT_OKX_PM_PARAMS.volShock, a.days!),
  },
};

for (const area of ['hyperliquid', 'aave', 'binance', 'okx', 'bybit', 'mango']) {
  describeGoldenArea<GoldenCase, GoldenFile>(area, (c, file) => {
    if (c.fn !== undefined) {
      const f = FUNCTIONS[area]?.[c.fn];
      if (f === undefined) throw new Error(`unknown golden fn ${area}.${c.fn}`);
      return { value: f(c.args ?? {}) };
    }
    const model = getMarginModel(file.model!);
    const market = buildMarginMarket(c.market ?? file.market);
    const r = model.compute(
      parsePortfolio(c.portfolio, market),
      createMarginContext(market),
      model.parseParams(c.params),
    );
    return { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd };
  });
}
