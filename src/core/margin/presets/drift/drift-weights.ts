/**
 * Drift v2 size-dependent weights, as `programs/drift/src/math/margin.rs`
 * (`calculate_size_premium_liability_weight`, `calculate_size_discount_asset_weight`) and
 * `state/perp_market.rs` (`get_unrealized_asset_weight`) in drift-labs/protocol-v2 compute them,
 * in float64 (Drift uses integers: weights in 1e-4, IMF in 1e-6, √ of the size in 1e-9 units,
 * truncating; results here differ from Drift's by less than 1e-4 of a weight).
 *
 * Units: `size` in units of the token (perp: base units; spot: tokens; unrealised P&L: USD);
 * weights and ratios are fractions (1.2 = 120%); `imf` is the IMF factor as a fraction
 * (Drift's `imf_factor` / 1e6).
 */

/**
 * Size premium on a liability weight or margin ratio: larger positions need more margin.
 *
 *   w' = max(w, 0.8·w + imf·√size)        (imf = 0 → w)
 *
 * @param size  |position| in token units (≥ 0)
 * @param imf   IMF factor, fraction (≥ 0)
 * @param w     base liability weight or margin ratio, fraction (≥ 0)
 * @returns     the weight, ≥ w, non-decreasing in size
 * @example sizePremiumLiabilityWeight(1000, 0.01, 1.1) // 0.88 + 0.01·√1000 = 1.19623
 */
export function sizePremiumLiabilityWeight(size: number, imf: number, w: number): number {
  if (imf === 0) return w;
  return Math.max(w, 0.8 * w + imf * Math.sqrt(size));
}

/**
 * Size discount on an asset weight: larger deposits count for less.
 *
 *   w' = min(w, 1.1 / (1 + imf·√size))    (imf = 0 → w)
 *
 * @param size  deposit (or positive P&L) in token units (≥ 0)
 * @param imf   IMF factor, fraction (≥ 0)
 * @param w     base asset weight, fraction in [0, 1]
 * @returns     the weight, ≤ w, non-increasing in size
 * @example sizeDiscountAssetWeight(2000, 0.003, 0.8) // min(0.8, 1.1/(1 + 0.003·√2000)) = 0.8
 */
export function sizeDiscountAssetWeight(size: number, imf: number, w: number): number {
  if (imf === 0) return w;
  return Math.min(w, 1.1 / (1 + imf * Math.sqrt(size)));
}

/** Unrealised-P&L weights of a perpetual market (Drift `PerpMarket` fields). */
export interface UnrealizedPnlWeights {
  /** `unrealized_pnl_initial_asset_weight`: fraction in [0, 1] */
  readonly unrealizedPnlInitialAssetWeight: number;
  /** `unrealized_pnl_maintenance_asset_weight`: fraction in [0, 1], ≥ the initial weight */
  readonly unrealizedPnlMaintenanceAssetWeight: number;
  /** `unrealized_pnl_imf_factor`: fraction ≥ 0 (size discount on positive P&L, initial only) */
  readonly unrealizedPnlImfFactor: number;
}

/**
 * Weight applied to a position's unrealised P&L in total collateral.
 *
 *   pnl ≤ 0                → 1 (losses count in full)
 *   pnl > 0, maintenance   → maintenance weight
 *   pnl > 0, initial       → initial weight > 0 ? min(initial weight, 1.1/(1 + uimf·√pnl)) : 0
 *
 * Not reproduced: the market-wide `unrealized_pnl_max_imbalance` scaling (it needs the whole
 * market's net user P&L).
 * @param pnlUsd  the position's unrealised P&L, USD
 * @param kind    'initial' or 'maintenance'
 * @returns       weight, fraction in [0, 1]
 * @example unrealizedPnlWeight(22699.05, 'initial', { unrealizedPnlInitialAssetWeight: 1,
 *   unrealizedPnlMaintenanceAssetWeight: 1, unrealizedPnlImfFactor: 0.001 }) // 0.9559…
 */
export function unrealizedPnlWeight(
  pnlUsd: number,
  kind: 'initial' | 'maintenance',
  m: UnrealizedPnlWeights,
): number {
  if (pnlUsd <= 0) return 1;
  if (kind === 'maintenance') return m.unrealizedPnlMaintenanceAssetWeight;
  const w = m.unrealizedPnlInitialAssetWeight;
  return w > 0 ? sizeDiscountAssetWeight(pnlUsd, m.unrealizedPnlImfFactor, w) : 0;
}
