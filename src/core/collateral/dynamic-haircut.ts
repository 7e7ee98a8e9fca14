/**
 * Dynamic collateral haircut, per asset and per side (IM/MM):
 *
 *   target   = max(floor, volatility part, liquidity part)
 *   vol part = 1 − exp(−z_α·σ_MPOR),  σ_MPOR = √(MPOR hours)·σ_hourly,  z_α = Φ⁻¹(α)
 *   liq part = cost of selling the held value at once / that value (liquidity-cost.ts)
 *   haircut  = target moved at most maxStep from the previous haircut (speed limit)
 *
 * Units: vols are of natural-log returns (σ_hourly per hour; σ_MPOR over the MPOR); haircuts and
 * parts are fractions of the held value in [0, 1]; values in USD.
 * Invariants: every part in [0, 1]; IM ≥ MM (z_IM ≥ z_MM, floors IM ≥ MM, one liquidity cost,
 * and the speed limit is monotone in both target and previous value); the target is
 * non-decreasing in σ and in the held value.
 * Conservative choices: the vol part is the α-quantile fall of a lognormal price (a fall, the
 * holder's loss); a book too thin for the holding refuses rather than guesses.
 * @see docs/methodology/collateral.md
 */
import { requireInput } from '../errors.js';
import type { DepthCurve } from '../market/depth-curve.js';
import { invNormCdf } from '../statistics/inverse-normal.js';
import type { DynamicHaircutParams } from './dynamic-haircut-params.js';
import { computeLiquidityCostFraction, type LiquidityCostResult } from './liquidity-cost.js';

/** Which part sets a side's haircut. */
export type HaircutBinding = 'floor' | 'volatility' | 'liquidity' | 'speed-limit';

/** One side (IM or MM) of a dynamic haircut, with its parts for diagnostics. */
export interface SideHaircutResult {
  /** published haircut, fraction in [0, 1] */
  readonly haircut: number;
  /** max(floor, volatility, liquidity) before the speed limit, fraction */
  readonly target: number;
  /** 1 − exp(−z_α·σ_MPOR), fraction */
  readonly volatilityPart: number;
  /** liquidation cost fraction of the holding */
  readonly liquidityPart: number;
  /** the asset's floor for this side, fraction */
  readonly floor: number;
  /** the part that sets `haircut` (ties resolve floor, then volatility, then liquidity) */
  readonly binding: HaircutBinding;
  /** previous published haircut the speed limit was applied against, when given */
  readonly previous?: number;
}

/** Result of {@link computeDynamicHaircut}. */
export interface DynamicHaircutResult {
  readonly asset: string;
  /** σ_MPOR, vol of the log return over the MPOR (fraction) */
  readonly sigmaMpor: number;
  /** liquidity cost and its source (shared by both sides) */
  readonly liquidity: LiquidityCostResult;
  readonly im: SideHaircutResult;
  readonly mm: SideHaircutResult;
}

/** Input of {@link computeDynamicHaircut}. */
export interface DynamicHaircutInput {
  /** asset symbol, key of `params.floors` */
  readonly asset: string;
  /** EWMA vol of hourly log returns, per hour (finite, ≥ 0); a daily vol σ_d enters as σ_d/√24 */
  readonly hourlyVol: number;
  /** held value to be liquidated, USD (finite, ≥ 0) */
  readonly valueUsd: number;
  /** the asset's depth curve, preferred to the sqrt model when given */
  readonly depthCurve?: DepthCurve;
  /** the asset's average daily volume, USD (> 0); default params.liquidity.defaultAdvUsd */
  readonly advUsd?: number;
  /** previously published haircuts; when absent no speed limit applies (first publication) */
  readonly previous?: { readonly im: number; readonly mm: number };
}

/**
 * σ over the MPOR from a per-bar vol by the square-root-of-time rule.
 *
 *   σ_MPOR = σ_bar·√(mporHours / barHours)
 *
 * Exact for i.i.d. returns; see docs/methodology/var-es.md#horizon for its limits.
 * @param volPerBar  vol of log returns per bar (finite, ≥ 0)
 * @param barHours   bar length, hours (> 0; 1 hourly, 24 daily)
 * @param mporHours  margin period of risk, hours (> 0)
 * @returns          σ_MPOR (fraction)
 * @throws InvalidInputError ERR_INVALID_INPUT on a negative or non-finite input
 */
export function scaleVolToMpor(volPerBar: number, barHours: number, mporHours: number): number {
  requireInput(
    Number.isFinite(volPerBar) && volPerBar >= 0,
    'volPerBar',
    volPerBar,
    'must be finite and >= 0',
  );
  requireInput(Number.isFinite(barHours) && barHours > 0, 'barHours', barHours, 'must be finite and > 0');
  requireInput(Number.isFinite(mporHours) && mporHours > 0, 'mporHours', mporHours, 'must be finite and > 0');
  return volPerBar * Math.sqrt(mporHours / barHours);
}

/**
 * Volatility part of a haircut: the α-quantile fall of a lognormal price over the MPOR.
 *
 *   part = 1 − exp(−z_α·σ_MPOR) = −expm1(−z_α·σ_MPOR),  z_α = Φ⁻¹(α)
 *
 * @param sigmaMpor   σ_MPOR (finite, ≥ 0); 0 gives 0
 * @param confidence  α in [0.5, 1) (z_α ≥ 0)
 * @returns           fraction in [0, 1), non-decreasing in σ_MPOR and in α
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad σ or α
 * @example computeVolatilityHaircut(0.03, 0.99) // 1 − e^(−2.3263·0.03) ≈ 0.0674
 */
export function computeVolatilityHaircut(sigmaMpor: number, confidence: number): number {
  requireInput(
    Number.isFinite(sigmaMpor) && sigmaMpor >= 0,
    'sigmaMpor',
    sigmaMpor,
    'must be finite and >= 0',
  );
  requireInput(confidence >= 0.5 && confidence < 1, 'confidence', confidence, 'must be in [0.5, 1)');
  // expm1 keeps precision for the small moves of stablecoins (σ ~ 1e-4).
  return -Math.expm1(-invNormCdf(confidence) * sigmaMpor);
}

/**
 * Speed limit: moves a haircut from `previous` towards `target` by at most `maxStep`.
 *
 *   fall:  h = max(target, previous − maxStep)
 *   rise:  h = min(target, previous + maxStep)   ('phased');  h = target  ('immediate')
 *
 * Monotone non-decreasing in both `target` and `previous`, so IM ≥ MM is preserved when it holds
 * for both. With 'phased', |h − previous| ≤ maxStep always; with 'immediate', only falls are
 * limited (a rise protects the venue at once, at the cost of a margin call).
 *
 * @param target    new unconstrained haircut, fraction in [0, 1]
 * @param previous  previously published haircut, fraction in [0, 1]
 * @param maxStep   largest move per update, fraction (> 0)
 * @param rise      'phased' or 'immediate'
 * @returns         published haircut, fraction in [0, 1]
 * @throws InvalidInputError ERR_INVALID_INPUT when previous is not in [0, 1] or maxStep ≤ 0
 */
export function limitHaircutStep(
  target: number,
  previous: number,
  maxStep: number,
  rise: DynamicHaircutParams['rise'],
): number {
  requireInput(previous >= 0 && previous <= 1, 'previous', previous, 'must be a fraction in [0, 1]');
  requireInput(maxStep > 0 && Number.isFinite(maxStep), 'maxStep', maxStep, 'must be finite and > 0');
  if (target < previous) return Math.max(target, previous - maxStep);
  if (rise === 'immediate') return target;
  return Math.min(target, previous + maxStep);
}

function side(
  volatilityPart: number,
  liquidityPart: number,
  floor: number,
  previous: number | undefined,
  params: DynamicHaircutParams,
): SideHaircutResult {
  const target = Math.max(floor, volatilityPart, liquidityPart);
  const binding: HaircutBinding =
    target === floor ? 'floor' : target === volatilityPart ? 'volatility' : 'liquidity';
  if (previous === undefined)
    return { haircut: target, target, volatilityPart, liquidityPart, floor, binding };
  const haircut = limitHaircutStep(target, previous, params.maxStep, params.rise);
  return {
    haircut,
    target,
    volatilityPart,
    liquidityPart,
    floor,
    binding: haircut === target ? binding : 'speed-limit',
    previous,
  };
}

/**
 * Dynamic IM and MM haircuts of one collateral holding (module header for the formula).
 *
 * Edge cases: σ = 0 and V = 0 give the floor; an asset missing from `params.floors` takes
 * `params.defaultFloor`; without `previous` the target is published as is.
 *
 * @param input   asset, hourly vol, held value (USD), optional depth curve / ADV / previous haircuts
 * @param params  validated {@link DynamicHaircutParams}
 * @returns       IM and MM haircuts (fractions) with their parts and the binding part
 * @throws InvalidInputError ERR_INVALID_INPUT on a negative or non-finite vol or value, a bad ADV
 *         or previous haircut
 * @throws RiskError ERR_MISSING_MARKET_DATA when a book depth curve cannot absorb the holding
 * @see docs/methodology/collateral.md#dynamic-haircut
 * @example
 * computeDynamicHaircut({ asset: 'BTC', hourlyVol: 0.006, valueUsd: 1e6, advUsd: 1.5e10 },
 *   DEFAULT_DYNAMIC_HAIRCUT_PARAMS).im.haircut // 1 − e^(−2.326·0.006·√24) ≈ 0.066
 */
export function computeDynamicHaircut(
  input: DynamicHaircutInput,
  params: DynamicHaircutParams,
): DynamicHaircutResult {
  const sigmaMpor = scaleVolToMpor(input.hourlyVol, 1, params.mporHours);
  const liquidity = computeLiquidityCostFraction(
    input.valueUsd,
    {
      halfSpread: params.liquidity.halfSpread,
      impactCoefficient: params.liquidity.impactCoefficient,
      advUsd: input.advUsd ?? params.liquidity.defaultAdvUsd,
    },
    input.depthCurve,
  );
  const floor = params.floors[input.asset] ?? params.defaultFloor;
  const prev = input.previous;
  const im = side(
    computeVolatilityHaircut(sigmaMpor, params.imConfidence),
    liquidity.costFraction,
    floor.im,
    prev?.im,
    params,
  );
  const mmRaw = side(
    computeVolatilityHaircut(sigmaMpor, params.mmConfidence),
    liquidity.costFraction,
    floor.mm,
    prev?.mm,
    params,
  );
  // Guard for a previous pair that itself broke IM ≥ MM: never publish MM above IM.
  const mm = mmRaw.haircut > im.haircut ? { ...mmRaw, haircut: im.haircut } : mmRaw;
  return { asset: input.asset, sigmaMpor, liquidity, im, mm };
}
