/**
 * @module margin/account-risk
 *
 * One account-risk type and one health classifier for the whole project: the book, the venue,
 * the simulation, the API and the dashboard (through the API contract) all classify with
 * {@link classifyHealth}, so a status means the same thing everywhere.
 *
 * Statuses, from the healthiest (thresholds in {@link HealthThresholds}, part of a venue's params):
 *
 *   healthy       equity ≥ IM × marginCall                     (may add risk)
 *   margin-call   equity < IM × marginCall                     (below initial margin: cannot add risk)
 *   reduce-only   equity < MM × reduceOnly                     (only risk-reducing trades)
 *   liquidatable  equity < MM × liquidatable                   (the engine liquidates)
 *   bankrupt      equity < 0                                    (owes more than it holds: the deficit
 *                                                               falls on the insurance fund, then ADL)
 *
 * A requirement of 0 with equity ≥ 0 is healthy (nothing at risk). Fails closed: a value that
 * cannot be computed (NaN, ±∞ requirement) is `liquidatable`, never healthy; a negative equity is
 * `bankrupt` whatever the requirement.
 *
 * Units: USD (quote currency, float64) for equity and requirements; thresholds are plain ratios.
 * Invariants: IM ≥ MM ≥ 0 for every model's output; the statuses are ordered (a lower equity never
 * gives a healthier status, for fixed IM and MM; property-tested in account-risk.test.ts).
 *
 * @see docs/methodology/venue-runtime.md#health
 */
import { requireInput } from '../errors.js';

/** Health statuses, from the healthiest to the worst (the index is the stored code). */
export const HEALTH_STATUSES = ['healthy', 'margin-call', 'reduce-only', 'liquidatable', 'bankrupt'] as const;

/** Health status of an account (see the module header). */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Status thresholds: ratios of equity to a requirement. */
export interface HealthThresholds {
  /** margin call when equity < IM × this (default 1: below initial margin) */
  readonly marginCall: number;
  /** reduce-only when equity < MM × this (default 1.1) */
  readonly reduceOnly: number;
  /** liquidatable when equity < MM × this (default 1) */
  readonly liquidatable: number;
}

/**
 * Defaults: margin call below IM, reduce-only below 1.1 × MM, liquidation below MM. The
 * reduce-only band above MM follows the venues that stop risk-increasing orders before liquidation
 * (Deribit's "reduce only" state; dYdX's initial vs maintenance collateralisation checks).
 */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = Object.freeze({
  marginCall: 1,
  reduceOnly: 1.1,
  liquidatable: 1,
});

/** An account's margin state under one model: the numbers and the status derived from them. */
export interface AccountRisk {
  /** mark-to-market equity, USD (may be negative) */
  readonly equityUsd: number;
  /** initial margin requirement, USD (≥ MM) */
  readonly initialUsd: number;
  /** maintenance margin requirement, USD (≥ 0) */
  readonly maintenanceUsd: number;
  /** equity / MM; null when MM = 0 or the ratio is not finite */
  readonly health: number | null;
  readonly status: HealthStatus;
}

/**
 * Validates thresholds: `liquidatable` ≥ 1 is not required (a venue may liquidate below MM), but
 * every ratio must be finite and > 0, and reduce-only must not lie below liquidation.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `thresholds.<field>`
 */
export function validateHealthThresholds(t: HealthThresholds): HealthThresholds {
  for (const k of ['marginCall', 'reduceOnly', 'liquidatable'] as const)
    requireInput(Number.isFinite(t[k]) && t[k] > 0, `thresholds.${k}`, t[k], 'must be a finite ratio > 0');
  requireInput(
    t.reduceOnly >= t.liquidatable,
    'thresholds.reduceOnly',
    t.reduceOnly,
    `must be >= thresholds.liquidatable (${t.liquidatable})`,
  );
  return Object.freeze({ marginCall: t.marginCall, reduceOnly: t.reduceOnly, liquidatable: t.liquidatable });
}

/**
 * The status of an account (module header). Written so that NaN fails every comparison towards
 * the worse status: `!(equity >= x)` rather than `equity < x`.
 *
 * @param equityUsd       equity, USD
 * @param initialUsd      IM, USD (≥ MM)
 * @param maintenanceUsd  MM, USD (≥ 0)
 * @param t               thresholds (ratios)
 * @returns               the status; `liquidatable` when any input is NaN or a requirement is not finite
 * @example classifyHealth(1_328, 1_210, 900, DEFAULT_HEALTH_THRESHOLDS) // 'healthy' (equity above IM)
 */
export function classifyHealth(
  equityUsd: number,
  initialUsd: number,
  maintenanceUsd: number,
  t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): HealthStatus {
  if (Number.isNaN(equityUsd)) return 'liquidatable';
  if (equityUsd < 0) return 'bankrupt';
  if (!(Number.isFinite(initialUsd) && Number.isFinite(maintenanceUsd) && maintenanceUsd >= 0))
    return 'liquidatable';
  if (!(equityUsd >= maintenanceUsd * t.liquidatable)) return 'liquidatable';
  if (!(equityUsd >= maintenanceUsd * t.reduceOnly)) return 'reduce-only';
  if (!(equityUsd >= initialUsd * t.marginCall)) return 'margin-call';
  return 'healthy';
}

/**
 * The account-risk record of equity and requirements (health ratio and status).
 * @example toAccountRisk(1_500, 1_000, 500).status // 'healthy'; .health = 3
 */
export function toAccountRisk(
  equityUsd: number,
  initialUsd: number,
  maintenanceUsd: number,
  t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): AccountRisk {
  const ratio = maintenanceUsd > 0 ? equityUsd / maintenanceUsd : NaN;
  return {
    equityUsd,
    initialUsd,
    maintenanceUsd,
    health: Number.isFinite(ratio) ? ratio : null,
    status: classifyHealth(equityUsd, initialUsd, maintenanceUsd, t),
  };
}

/** True when the status calls for the engine to act (liquidatable or bankrupt). */
export function isLiquidatableStatus(s: HealthStatus): boolean {
  return s === 'liquidatable' || s === 'bankrupt';
}

/** True when risk-increasing trades are refused in this status (reduce-only or worse). */
export function isReduceOnlyStatus(s: HealthStatus): boolean {
  return s === 'reduce-only' || s === 'liquidatable' || s === 'bankrupt';
}
