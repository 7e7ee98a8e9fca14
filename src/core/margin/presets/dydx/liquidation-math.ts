/**
 * dYdX v4 liquidation maths (`protocol/x/clob/keeper/liquidations.go`, genesis
 * `liquidations_config`), in USD and units of the underlying (dYdX computes in quote quantums and
 * rounds the bankruptcy price against the liquidated account; float64 here).
 *
 * Closing Δ units of a position (Δ of the opposite sign) for a quote amount q received by the
 * subaccount changes its total net collateral by q + Δ·oracle. With DNNV = Δ·oracle, DMMR the
 * maintenance requirement of the closed part, TNC and TMMR the subaccount's totals:
 *
 *   bankruptcy quote   q_b = −DNNV − TNC·|DMMR|/TMMR        (the closed part takes its share of TNC to 0)
 *   bankruptcy price   p_b = q_b / (−Δ)
 *   fillable price     p_f = (PNNV − ABR·SMMR·PMMR) / PS,   ABR = clamp(BA·(1 − TNC/TMMR), 0, 1)
 *                      PNNV = PS·oracle, PMMR the position's MMR, PS its signed size
 *   insurance fund     Δ_IF = min(q_f − q_b, maxFee·|q_f|) when q_f ≥ q_b (the fee), else q_f − q_b
 *                      (the fund pays the shortfall), q_f = p_f·(−Δ)
 *
 * Defaults (genesis): BA (bankruptcy adjustment) 100%, SMMR (spread to maintenance margin ratio)
 * 150%, max liquidation fee 1.5%. Reference: docs/methodology/presets-deribit-dydx-drift.md#dydx.
 */
import type { LiquidationPricing } from '../../liquidation-pricing.js';

/** dYdX's liquidation parameters (fractions). */
export interface DydxLiquidationConfig {
  /** bankruptcy adjustment BA (1 = 100%) */
  readonly bankruptcyAdjustment: number;
  /** spread to maintenance margin ratio SMMR (1.5 = 150%) */
  readonly spreadToMaintenanceMarginRatio: number;
  /** max liquidation fee, fraction of the quote (0.015) */
  readonly maxLiquidationFee: number;
}

/** The genesis values. */
export const DYDX_LIQUIDATION_DEFAULTS: DydxLiquidationConfig = {
  bankruptcyAdjustment: 1,
  spreadToMaintenanceMarginRatio: 1.5,
  maxLiquidationFee: 0.015,
};

/**
 * Bankruptcy price of closing `deltaUnits` (module header).
 * @example dydxBankruptcyPrice({ deltaUnits: -1, oracleUsd: 50000, tncUsd: 1000, closedMmrUsd: 1500, tmmrUsd: 3000 })
 *          // q_b = 50000 − 1000·1500/3000 = 49,500 → 49,500 per unit
 */
export function dydxBankruptcyPrice(o: {
  readonly deltaUnits: number;
  readonly oracleUsd: number;
  readonly tncUsd: number;
  readonly closedMmrUsd: number;
  readonly tmmrUsd: number;
}): number {
  const dnnv = o.deltaUnits * o.oracleUsd;
  const q = -dnnv - (o.tmmrUsd > 0 ? (o.tncUsd * Math.abs(o.closedMmrUsd)) / o.tmmrUsd : 0);
  return q / -o.deltaUnits;
}

/**
 * Fillable price of a liquidation order for a position (module header).
 * @example dydxFillablePrice({ positionUnits: 1, oracleUsd: 50000, positionMmrUsd: 1500, tncUsd: 1000, tmmrUsd: 1500 })
 *          // ABR = 1·(1 − 1000/1500) = 1/3; p_f = (50000 − 1/3·1.5·1500)/1 = 49,250
 */
export function dydxFillablePrice(
  o: {
    readonly positionUnits: number;
    readonly oracleUsd: number;
    readonly positionMmrUsd: number;
    readonly tncUsd: number;
    readonly tmmrUsd: number;
  },
  c: DydxLiquidationConfig = DYDX_LIQUIDATION_DEFAULTS,
): number {
  const abr = Math.min(
    1,
    Math.max(0, c.bankruptcyAdjustment * (1 - (o.tmmrUsd > 0 ? o.tncUsd / o.tmmrUsd : 0))),
  );
  const pnnv = o.positionUnits * o.oracleUsd;
  return (pnnv - abr * c.spreadToMaintenanceMarginRatio * o.positionMmrUsd) / o.positionUnits;
}

/** The insurance fund's change on a liquidation fill (module header): > 0 a fee, < 0 a payout. */
export function dydxInsuranceFundDelta(
  fillQuoteUsd: number,
  bankruptcyQuoteUsd: number,
  c: DydxLiquidationConfig = DYDX_LIQUIDATION_DEFAULTS,
): number {
  const gap = fillQuoteUsd - bankruptcyQuoteUsd;
  return gap >= 0 ? Math.min(gap, c.maxLiquidationFee * Math.abs(fillQuoteUsd)) : gap;
}

/**
 * dYdX's liquidation pricing for the engine's liquidation chain (core/margin/liquidation-pricing.ts):
 * each closed part fills at the position's fillable price p_f (the worst price the liquidation
 * order accepts: xmargin assumes the fill there), the spread Σ closed·(oracle − p_f) goes to the
 * liquidator, and the insurance fund takes Δ_IF = min(q_f − q_b, maxFee·|q_f|) when the fill is
 * at or better than bankruptcy (the fund's payment beyond bankruptcy is the engine's bankruptcy
 * step). DMMR is the closed share of the position's MMR; TNC and TMMR the account's totals.
 * @example dydxLiquidationPricing().charge({ equityUsd: 1000, maintenanceUsd: 1500, notionalUsd: 50000,
 *   closed: [{ instrument: 'BTC-USD', positionUnits: 1, closedUnits: 1, oracleUsd: 50000, positionMmrUsd: 1500 }] })
 *   // p_f = 49,250: spread 750; q_b = 50,000 − 1,000 = 49,000: Δ_IF = min(250, 738.75) = 250
 */
export function dydxLiquidationPricing(
  c: DydxLiquidationConfig = DYDX_LIQUIDATION_DEFAULTS,
): LiquidationPricing {
  return {
    name: 'dYdX v4 liquidation maths',
    charge({ equityUsd, maintenanceUsd, closed }) {
      let spreadUsd = 0;
      let insuranceUsd = 0;
      for (const p of closed) {
        if (p.closedUnits === 0 || p.positionUnits === 0) continue;
        const common = { oracleUsd: p.oracleUsd, tncUsd: equityUsd, tmmrUsd: maintenanceUsd };
        const pf = dydxFillablePrice(
          { ...common, positionUnits: p.positionUnits, positionMmrUsd: p.positionMmrUsd },
          c,
        );
        const closedMmrUsd = p.positionMmrUsd * Math.abs(p.closedUnits / p.positionUnits);
        const pb = dydxBankruptcyPrice({ ...common, deltaUnits: -p.closedUnits, closedMmrUsd });
        spreadUsd += p.closedUnits * (p.oracleUsd - pf);
        insuranceUsd += Math.max(0, dydxInsuranceFundDelta(pf * p.closedUnits, pb * p.closedUnits, c));
      }
      return { spreadUsd: Math.max(0, spreadUsd), liquidatorFeeUsd: 0, insuranceUsd };
    },
  };
}
