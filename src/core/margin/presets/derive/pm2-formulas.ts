/**
 * The closed-form pieces of Derive's PMRM_2 (derivexyz/v2-core `PMRMLib_2.sol`), one function
 * each, re-derived in float64. Units: time in seconds to expiry (Derive's `secToExpiry`) or
 * years τ = seconds / (365·86,400); rates and vols annualised fractions; factors dimensionless.
 * docs/methodology/presets-derive.md#pm2 writes each formula out with its source line.
 */
import type { DerivePm2Params } from './pm2-params.js';

/** Seconds in Derive's year (`Black76.annualise`: 365 days). */
export const SECONDS_PER_YEAR = 365 * 86_400;
/** Derive's vol-shock pivot: 30 days, in seconds. */
export const PIVOT_SECONDS = 30 * 86_400;

/** Up and down vol multipliers of one expiry. */
export interface VolShockMultipliers {
  /** m = (30d / max(DTE, floor))^(DTE ≤ 30d ? shortTermPower : longTermPower) */
  readonly m: number;
  /** 1 + volRangeUp·m (the shocked vol is then floored at minVolUpShock) */
  readonly up: number;
  /** max(0, 1 − volRangeDown·m) */
  readonly down: number;
}

/**
 * Term-scaled vol shocks of an expiry (`PMRMLib_2._addVolShocks`).
 *
 *   m = (30d / max(DTE, dteFloor)) ^ (DTE ≤ 30d ? shortTermPower : longTermPower)
 *   up = 1 + volRangeUp·m,   down = max(0, 1 − volRangeDown·m)
 *
 * @param secToExpiry  seconds to expiry (≥ 0; 0 for an expiring option, floored by dteFloor)
 * @param p            the `volShock` params
 * @returns            m and the two multipliers, dimensionless
 * @example volShockMultipliers(30 * 86400, DEFAULT_DERIVE_PM2_PARAMS.volShock) // { m: 1, up: 1.5, down: 0.7 }
 */
export function volShockMultipliers(
  secToExpiry: number,
  p: DerivePm2Params['volShock'],
): VolShockMultipliers {
  const floorSeconds = p.dteFloorDays * 86_400;
  // A zero floor with an expiring option would divide by zero; Derive's setter allows it and
  // reverts there. One second keeps m finite (and enormous: the vol-down shock floors at 0).
  const dte = Math.max(secToExpiry, floorSeconds, 1);
  const power = secToExpiry <= PIVOT_SECONDS ? p.shortTermPower : p.longTermPower;
  const m = (PIVOT_SECONDS / dte) ** power;
  return { m, up: 1 + p.volRangeUp * m, down: Math.max(0, 1 - p.volRangeDown * m) };
}

/** The static discounts of an expiry's shocked value. */
export interface StaticDiscounts {
  /** factor on a non-negative shocked expiry value: longBase·e^(−τ·(rate·longMult + longAdd)) */
  readonly pos: number;
  /** factor on a negative shocked expiry value: min(1/DF, shortBase / e^(−τ·(rate·shortMult + shortAdd))) */
  readonly neg: number;
}

/**
 * Static discounts of an expiry (`PMRMLib_2._addStaticDiscount`): shocked values are scaled so
 * that a positive value (the account is owed) is shaded down and a negative one (the account
 * owes) is pushed out, never beyond undiscounting (1/DF).
 *
 *   pos = longBase · exp(−τ·(r·longMult + longAdd))
 *   neg = min(1/DF, shortBase / exp(−τ·(r·shortMult + shortAdd))),   DF = exp(−r·τ)
 *
 * @param tYears  τ, years to expiry (≥ 0)
 * @param rate    the expiry's rate r, floored at 0 by the caller as Derive does
 * @param p       the `margin` params
 */
export function staticDiscounts(tYears: number, rate: number, p: DerivePm2Params['margin']): StaticDiscounts {
  const pos =
    p.longBaseStaticDiscount * Math.exp(-tYears * (rate * p.longRateMultScale + p.longRateAddScale));
  const rawNeg =
    p.shortBaseStaticDiscount / Math.exp(-tYears * (rate * p.shortRateMultScale + p.shortRateAddScale));
  return { pos, neg: Math.min(Math.exp(rate * tYears), rawNeg) };
}

/**
 * Basis-contingency factor of an expiry: add + mult·τ (`PMRMLib_2._addBasisContingency`).
 * @param tYears  τ, years (≥ 0)
 */
export function basisFactor(tYears: number, p: DerivePm2Params['basisContingency']): number {
  return p.addFactor + p.multFactor * tYears;
}

/** Inputs of a skew multiplier that depend on the expiry only. */
export interface SkewShape {
  /** cap of |multiplier − 1|: cBase·√τ + baseCap */
  readonly cap: number;
  /** log-moneyness where the multiplier reaches the cap: max(minKStar, √τ·widthScale·(static + √τ·scale)) */
  readonly kStar: number;
}

/**
 * Cap and k* of an expiry's skew scenario (`PMRMLib_2._getKStar`, `_getExpirySkewedShockedMTM`).
 *
 *   cap = cBase·√τ + baseCap          (linear or abs pair of params)
 *   k*  = max(minKStar, √τ·widthScale·(volParamStatic + √τ·volParamScale))
 *
 * @param tYears  τ, years (≥ 0)
 * @param kind    'linear' or 'abs'
 */
export function skewShape(
  tYears: number,
  kind: 'linear' | 'abs',
  p: DerivePm2Params['skewShock'],
): SkewShape {
  const sqrtTau = Math.sqrt(tYears);
  const cap =
    kind === 'linear' ? p.linearCBase * sqrtTau + p.linearBaseCap : p.absCBase * sqrtTau + p.absBaseCap;
  const volParam = p.volParamStatic + sqrtTau * p.volParamScale;
  return { cap, kStar: Math.max(p.minKStar, sqrtTau * p.widthScale * volParam) };
}

/**
 * Vol multiplier of one strike in a skew scenario; the shocked vol is σ·max(0, multiplier).
 *
 *   k = ln(K/F) (linear) or |ln(K/F)| (abs)
 *   multiplier = 1 + (k ≥ 0 ? min(cap, k·cap/k*) : max(−cap, k·cap/k*))
 *
 * Linear tilts the smile (wings move in opposite directions); abs lifts both wings.
 * @param strike   K (> 0)
 * @param forward  F of the expiry at S = 1 (> 0)
 */
export function skewMultiplier(
  strike: number,
  forward: number,
  kind: 'linear' | 'abs',
  shape: SkewShape,
): number {
  const lnKf = Math.log(strike / forward);
  const k = kind === 'linear' ? lnKf : Math.abs(lnKf);
  const raw = (k * shape.cap) / shape.kStar;
  return 1 + (k >= 0 ? Math.min(shape.cap, raw) : Math.max(-shape.cap, raw));
}

/**
 * Forward of an expiry under spot multiplier S: F' = F_var·S + F_fixed. Inside the settlement
 * window W the settlement TWAP has partly accrued, so only the remaining fraction moves with
 * spot (Derive's forward portions; the accrued part is approximated by today's forward):
 *
 *   F_var = F·min(1, sec/W),  F_fixed = F − F_var     (W = 0: F_var = F)
 *
 * @param forward      F today (> 0)
 * @param secToExpiry  seconds to expiry (≥ 0)
 * @param windowSec    settlement window W, seconds (≥ 0)
 * @param spotShock    S (> 0)
 */
export function shockedForward(
  forward: number,
  secToExpiry: number,
  windowSec: number,
  spotShock: number,
): number {
  const variable = windowSec > 0 && secToExpiry < windowSec ? (forward * secToExpiry) / windowSec : forward;
  return variable * spotShock + (forward - variable);
}
