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
import type { LiquidationPricing } from '../../liquidation-pricing.js';

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

/** Drift's perp liquidation fees (fractions of the notional taken over). */
export interface DriftLiquidationFees {
  /** the liquidator's base fee (`liquidator_fee`) */
  readonly liquidatorFee: number;
  /** its cap once it escalates (`get_liquidation_fee`) */
  readonly maxLiquidatorFee: number;
  /** the insurance fund's static fee (`if_liquidation_fee`) */
  readonly ifLiquidationFee: number;
}

/**
 * xmargin's defaults where a Drift payload carries no market fees: a 1% liquidator fee, capped at
 * 5% as it escalates, and a 1% insurance fund fee (assumptions, to be set per market; the perp
 * market account's `liquidator_fee` and `if_liquidation_fee` are the venue's values).
 */
export const DRIFT_LIQUIDATION_FEES: DriftLiquidationFees = {
  liquidatorFee: 0.01,
  maxLiquidatorFee: 0.05,
  ifLiquidationFee: 0.01,
};

/**
 * Drift's liquidation pricing for the engine's liquidation chain
 * (core/margin/liquidation-pricing.ts): the liquidator takes the closed base over at the
 * oracle price less its fee, fee(0 slots) = the base fee (the engine liquidates at once, inside the
 * grace), and the insurance fund takes its fee scaled down so that it cannot bankrupt the account
 * (drift-labs/protocol-v2 discussion 600, `calculate_perp_if_fee`):
 *
 *   if fee = min(ifLiquidationFee, max(0, marginRatio − liquidatorFee)),  marginRatio = TNC / notional
 *
 * both charged on the notional closed, |closed|·oracle.
 * @example driftLiquidationPricing().charge({ equityUsd: 1500, maintenanceUsd: 2500, notionalUsd: 50000,
 *   closed: [{ instrument: 'BTC-PERP', positionUnits: 1, closedUnits: 0.5, oracleUsd: 50000, positionMmrUsd: 2500 }] })
 *   // notional closed 25,000: liquidator 1% = 250; margin ratio 3%: IF fee min(1%, 2%) = 1% = 250
 */
export function driftLiquidationPricing(
  f: DriftLiquidationFees = DRIFT_LIQUIDATION_FEES,
): LiquidationPricing {
  return {
    name: 'Drift v2 liquidation maths',
    charge({ equityUsd, notionalUsd, closed }) {
      const liq = driftLiquidatorFee({ baseFee: f.liquidatorFee, maxFee: f.maxLiquidatorFee, slots: 0 });
      const marginRatio = notionalUsd > 0 ? Math.max(0, equityUsd) / notionalUsd : 0;
      const ifFee = Math.min(f.ifLiquidationFee, Math.max(0, marginRatio - liq));
      const closedUsd = closed.reduce((s, p) => s + Math.abs(p.closedUnits) * p.oracleUsd, 0);
      return { spreadUsd: 0, liquidatorFeeUsd: liq * closedUsd, insuranceUsd: ifFee * closedUsd };
    },
  };
}
