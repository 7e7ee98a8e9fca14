/**
 * @module margin/presets/derive
 *
 * Derive (ex-Lyra v2) margin rules as xmargin `MarginModel`s, re-derived from the published source
 * (derivexyz/v2-core, BUSL-1.1: read, not copied) and checked against Derive's own published
 * PMRM_2 portfolio cases (test/golden/derive-pm2):
 *
 * - `derive-srm`: StandardManager. Per market (underlying): perps at a rate of their notional,
 *   options per expiry at the better of summed isolated margins and the max loss over strikes,
 *   base assets as discounted cash, oracle-confidence and stable-depeg add-ons (IM only).
 * - `derive-pm2`: PMRM_2. Per currency: the worst of a spot × vol scenario grid (with dampened
 *   tail moves and two skew rotations) and a basis contingency, times an IM or MM factor, plus
 *   perp, option, collateral and oracle contingencies.
 *
 * Sign convention: Derive reports a net margin (equity minus requirement, pass when ≥ 0). These
 * models report the requirement itself, ≥ 0, and the equity it is compared with (Derive's
 * mark-to-market plus cash), so that Derive's margin = equityUsd − initialUsd (or maintenanceUsd).
 * Units: quote currency, which is Derive's cash unit (USDC at face value; non-cash collateral is
 * valued qty·price/stablePrice as Derive does). Invariants: IM ≥ MM ≥ 0; contributions sum to IM.
 * Conservative choices and every departure from Derive: docs/methodology/presets-derive.md.
 */
export { deriveSrmModel } from './derive-srm-model.js';
export { derivePm2Model, findBookWorst, type Pm2BookWorst } from './derive-pm2-model.js';
export {
  DEFAULT_DERIVE_SRM_PARAMS,
  DeriveSrmParamsSchema,
  parseDeriveSrmParams,
  type DeriveSrmParams,
  type SrmBaseParams,
  type SrmMarketParams,
  type SrmOptionParams,
  type SrmOracleParams,
  type SrmPerpParams,
} from './srm-params.js';
export {
  DEFAULT_DERIVE_PM2_PARAMS,
  DerivePm2ParamsSchema,
  parseDerivePm2Params,
  type DerivePm2Params,
  type Pm2CollateralParams,
  type Pm2Scenario,
  type Pm2VolShock,
} from './pm2-params.js';
export {
  basisFactor,
  shockedForward,
  skewMultiplier,
  skewShape,
  staticDiscounts,
  volShockMultipliers,
  type SkewShape,
  type StaticDiscounts,
  type VolShockMultipliers,
} from './pm2-formulas.js';
export {
  expiryOptionMargin,
  imSpotFraction,
  isolatedOptionMargin,
  settlementValue,
} from './srm-option-margin.js';
