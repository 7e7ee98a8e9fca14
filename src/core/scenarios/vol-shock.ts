/**
 * @module scenarios/vol-shock
 *
 * Volatility shocks scaled by time to expiry, the shape used by Derive's PMRM_2 and Paradex
 * (ANCHORS §2.2, §2.13, §2.16): short-dated vols move more than long-dated ones.
 *
 *   m(DTE)  = (pivotDays / max(DTE, minDays)) ^ (DTE ≤ pivotDays ? shortPower : longPower)
 *   up:   σ' = max(σ·(1 + up·m), minShockedVol)
 *   down: σ' = σ·max(0, 1 − down·m)
 *
 * Units: vols annualised fractions; `up`/`down` relative sizes at the pivot (0.5 = +50%);
 * days are ACT/365 days (tYears·365).
 */

/** Parameters of the term-scaled vol shock. */
export interface VolShockParams {
  /** relative vol rise at the pivot expiry, e.g. 0.5 = +50% (≥ 0) */
  readonly up: number;
  /** relative vol fall at the pivot expiry, e.g. 0.3 = −30% (in [0, 1]) */
  readonly down: number;
  /** pivot days to expiry where m = 1, e.g. 30 */
  readonly pivotDays: number;
  /** exponent for DTE ≤ pivot, e.g. 0.30 */
  readonly shortPower: number;
  /** exponent for DTE > pivot, e.g. 0.13 */
  readonly longPower: number;
  /** DTE floor in days so that m stays finite near expiry, e.g. 1 */
  readonly minDays: number;
  /** floor of an up-shocked vol, e.g. 0.4 (Derive); 0 for none */
  readonly minShockedVol: number;
}

/** Direction of a vol shock. */
export type VolDirection = 'none' | 'up' | 'down';

/** m(DTE) of the module header. */
export function volTermMultiplier(tYears: number, p: VolShockParams): number {
  const days = Math.max(tYears * 365, p.minDays);
  return (p.pivotDays / days) ** (days <= p.pivotDays ? p.shortPower : p.longPower);
}

/**
 * Shocked vol for a direction (module header formula).
 * @example shockVol(0.6, 30 / 365, 'up', derivePm2VolShock) // 0.6·1.5 = 0.9
 */
export function shockVol(vol: number, tYears: number, dir: VolDirection, p: VolShockParams): number {
  if (dir === 'none') return vol;
  const m = volTermMultiplier(tYears, p);
  if (dir === 'up') return Math.max(vol * (1 + p.up * m), p.minShockedVol);
  return vol * Math.max(0, 1 - p.down * m);
}
