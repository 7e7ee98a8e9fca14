/**
 * Drift v2 liquidation maths (`programs/drift/src/math/liquidation.rs`, `state/state.rs`), in USD
 * and fractions (Drift: liquidation fees in 1e-6 (LIQUIDATION_FEE_PRECISION), ratios in 1e-4):
 *
 *   liquidator fee(slots)    = min(maxFee, baseFee + max(0, slots − grace)·1e-6)
 *                              (it escalates 0.01 bps per slot after a 1,500-slot grace)
 *   freeable fraction        = min(1, initialPct + slotsSinceLastActive / duration); 1 when the
 *                              shortage is below $50 (the liquidation throttle)
 *   base to cover a shortage = shortage / (oracle·(marginRatio − liquidatorFee − ifFee))
 *                              (marginRatio: the maintenance ratio plus the 2% liquidation buffer)
 *   bankruptcy: the account's total collateral after everything is closed is < 0; the insurance
 *   fund pays up to its balance, the rest is socialised (not computed here)
 *
 * Reference: docs/methodology/presets-deribit-dydx-drift.md#drift.
 */

/** Default liquidation margin buffer (DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO, 2%). */
export const DRIFT_LIQUIDATION_BUFFER = 0.02;

/** Liquidator fee after `slots` of an ongoing liquidation (module header). */
export function driftLiquidatorFee(o: {
  readonly baseFee: number;
  readonly maxFee: number;
  readonly slots: number;
  readonly graceSlots?: number;
}): number {
  const grace = o.graceSlots ?? 1500;
  return Math.min(o.maxFee, o.baseFee + Math.max(0, o.slots - grace) * 1e-6);
}

/** Fraction of the margin shortage that may be freed now (module header). */
export function driftFreeableFraction(o: {
  readonly initialPct: number;
  readonly slotsSinceLastActive: number;
  readonly durationSlots: number;
  readonly shortageUsd: number;
}): number {
  if (o.shortageUsd < 50) return 1;
  return Math.min(1, o.initialPct + (o.durationSlots > 0 ? o.slotsSinceLastActive / o.durationSlots : 1));
}

/**
 * Base units a liquidator takes over to cover a margin shortage (module header).
 * @example driftBaseToCoverShortage({ shortageUsd: 10, oracleUsd: 100, marginRatio: 0.1, liquidatorFee: 0, ifFee: 0 }) // 1
 */
export function driftBaseToCoverShortage(o: {
  readonly shortageUsd: number;
  readonly oracleUsd: number;
  readonly marginRatio: number;
  readonly liquidatorFee: number;
  readonly ifFee: number;
}): number {
  return o.shortageUsd / (o.oracleUsd * (o.marginRatio - o.liquidatorFee - o.ifFee));
}
