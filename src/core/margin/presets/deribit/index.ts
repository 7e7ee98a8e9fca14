/**
 * @module margin/presets/deribit
 *
 * Two presets reproducing Deribit's published margin rules (ANCHORS §2.1):
 *
 * - `deribit-sm`, cross standard margin: per position, summed. Linear perpetuals/futures
 *   IM = N·(base + q·perUnit); options by the Deribit option rule converted from coin to USD
 *   (standard-rules.ts); long options: their premium.
 * - `deribit-pm`, cross portfolio margin: per underlying, the worst loss over a ±16% × 9-bucket
 *   spot grid × vol up/same/down plus a dampened extended table, with full Black-76 repricing;
 *   summed over underlyings; MM a fraction of IM (deribit-pm-model.ts).
 *
 * Units: USD (float64); rates, haircuts, moves and vols are fractions; sizes in underlying units.
 * Signs: requirements ≥ 0; scenario P&L negative = loss; equity may be negative. Invariants:
 * IM ≥ MM ≥ 0; Σ components = IM; Σ contributions = IM. Both presets value collateral at index
 * less a per-asset haircut (liabilities in full). Conservative choices and every adaptation are in
 * docs/methodology/presets-deribit-dydx-drift.md (sections deribit-sm and deribit-pm).
 */
import type { MarginModel } from '../../margin-model.js';
import { computeDeribitPmMargin, DERIBIT_PM_MODEL_NAME } from './deribit-pm-model.js';
import {
  DEFAULT_DERIBIT_PM_PARAMS,
  parseDeribitPmParams,
  type DeribitPmParams,
} from './deribit-pm-params.js';
import { computeDeribitSmMargin, DERIBIT_SM_MODEL_NAME } from './deribit-sm-model.js';
import {
  DEFAULT_DERIBIT_SM_PARAMS,
  parseDeribitSmParams,
  type DeribitSmParams,
} from './deribit-sm-params.js';

export { deribitPmContingency, type ContingencyCharge, type DeribitPmContingency } from './pm-contingency.js';
export {
  DEFAULT_DERIBIT_COLLATERAL,
  deribitEquityUsd,
  haircutCollateralUsd,
  netBalances,
  type DeribitCollateralParams,
  type NetBalance,
} from './collateral.js';
export { computeDeribitSmMargin, DERIBIT_SM_MODEL_NAME } from './deribit-sm-model.js';
export {
  DEFAULT_DERIBIT_SM_PARAMS,
  DeribitLinearRateSchema,
  DeribitOptionRuleSchema,
  parseDeribitSmParams,
  type DeribitSmParams,
} from './deribit-sm-params.js';
export {
  linearRequirement,
  optionRequirement,
  type DeribitLinearRate,
  type DeribitOptionRule,
  type OptionRuleInput,
  type Requirement,
} from './standard-rules.js';
export { computeDeribitPmMargin, DERIBIT_PM_MODEL_NAME } from './deribit-pm-model.js';
export {
  DEFAULT_DERIBIT_PM_PARAMS,
  parseDeribitPmParams,
  ScenarioGridSchema,
  type DeribitPmParams,
} from './deribit-pm-params.js';
export {
  buildScenarios,
  shockedVol,
  volShockSize,
  type PmScenario,
  type ScenarioGridParams,
  type VolShockParams,
  type VolState,
} from './pm-scenarios.js';

/**
 * The `deribit-sm` margin model: Deribit cross standard margin (module header).
 * @example deribitSmModel.compute(portfolio, createMarginContext(market), deribitSmModel.defaultParams)
 */
export const deribitSmModel: MarginModel<DeribitSmParams> = {
  name: DERIBIT_SM_MODEL_NAME,
  description:
    'Deribit cross standard margin: size-scaled linear rates, coin option rule in USD, haircut collateral',
  source:
    'ANCHORS §2.1; Deribit Linear Perpetual page; docs/methodology/presets-deribit-dydx-drift.md#deribit-sm',
  defaultParams: DEFAULT_DERIBIT_SM_PARAMS,
  parseParams: parseDeribitSmParams,
  compute: computeDeribitSmMargin,
};

/**
 * The `deribit-pm` margin model: Deribit cross portfolio margin risk matrix (module header).
 * @example deribitPmModel.compute(portfolio, createMarginContext(market), deribitPmModel.defaultParams)
 */
export const deribitPmModel: MarginModel<DeribitPmParams> = {
  name: DERIBIT_PM_MODEL_NAME,
  description:
    'Deribit cross portfolio margin: ±16% x 9 buckets x vol up/same/down + dampened extended table, per underlying',
  source:
    'ANCHORS §2.1, §2.16; Deribit Portfolio Margin page; docs/methodology/presets-deribit-dydx-drift.md#deribit-pm',
  defaultParams: DEFAULT_DERIBIT_PM_PARAMS,
  parseParams: parseDeribitPmParams,
  compute: computeDeribitPmMargin,
};
