/**
 * The `hyperliquid` preset: Hyperliquid perpetual margin, cross and isolated, with tiered
 * maintenance (docs https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margining,
 * .../trading/margin-tiers).
 *
 * Per perpetual position, V = |szi|·mark (position value), the tier t of V, L the user's leverage
 * capped by the tier's maximum:
 *
 *   IM  = V / L                                   (Hyperliquid's `marginUsed` for a cross position)
 *   mmr_t = 1 / (2·maxLeverage_t),  MM = V·mmr_t − deduction_t   (continuous in V)
 *   equity = USDC + Σ unrealised P&L              (the `accountValue`)
 *
 * Isolated positions are charged the same way (their requirement is per position; the account
 * totals add them). Not reproduced: margin added to an isolated position beyond V / L, open-order
 * margin, the portfolio-margin (pre-alpha) mode. Fails closed for options, futures and spot
 * instruments (Hyperliquid's perps are perpetual only). Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { bracketOf, continuousDeductions } from '../../tiers/bracket.js';
import { chargePositions, perPositionResult } from '../preset-result.js';
import type { HyperliquidParams, HyperliquidTier } from './hyperliquid-params.js';

/** Model name. */
export const HYPERLIQUID_MODEL_NAME = 'hyperliquid';

/**
 * Maintenance of a position value under a coin's tiers (module header).
 * @returns MM (USD), the tier's maintenance rate and its max leverage
 * @example hyperliquidMaintenance([{ lowerBoundUsd: 0, maxLeverage: 40 }], 100000).mmUsd // 100000/80 = 1250
 */
export function hyperliquidMaintenance(
  tiers: readonly HyperliquidTier[],
  valueUsd: number,
): { mmUsd: number; rate: number; maxLeverage: number } {
  const rated = tiers.map((t) => ({ floorUsd: t.lowerBoundUsd, rate: 1 / (2 * t.maxLeverage) }));
  const deductions = continuousDeductions(rated);
  const t = bracketOf(
    rated.map((r, i) => ({ ...r, i })),
    valueUsd,
  );
  return {
    mmUsd: Math.max(0, valueUsd * t.rate - deductions[t.i]!),
    rate: t.rate,
    maxLeverage: tiers[t.i]!.maxLeverage,
  };
}

/**
 * Computes the Hyperliquid requirement (module header).
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for a non-perpetual position, naming it
 */
export function computeHyperliquidMargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  p: HyperliquidParams,
): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const charges = chargePositions(
    HYPERLIQUID_MODEL_NAME,
    portfolio,
    v,
    ['perpetual'],
    'Hyperliquid lists perpetuals only',
    (pv, valueUsd) => {
      const inst = pv.marked.instrument;
      const mm = hyperliquidMaintenance(p.marginTiers[inst.underlying] ?? p.defaultTiers, valueUsd);
      const lev = p.leverage[inst.id] ?? { value: p.defaultLeverage, type: 'cross' as const };
      const leverage = Math.min(lev.value, mm.maxLeverage);
      return {
        imUsd: valueUsd / leverage,
        mmUsd: mm.mmUsd,
        detail: { positionValueUsd: valueUsd, leverage, type: lev.type, maintenanceRate: mm.rate },
      };
    },
  );
  const collateral = new Set(p.collateralAssets);
  let equity = v.positionsUsd;
  // Only the collateral assets back perps; an owed balance of anything counts in full.
  for (const c of v.collateral) if (collateral.has(c.asset) || c.valueUsd < 0) equity += c.valueUsd;
  return perPositionResult(HYPERLIQUID_MODEL_NAME, p, market, charges, equity);
}

/**
 * Hyperliquid's liquidation price of one position (docs .../trading/liquidations):
 *
 *   liq = price − side·marginAvailable / size / (1 − l·side),   l = 1 / maintenanceLeverage
 *
 * with side = +1 long, −1 short, size = |szi| > 0, marginAvailable = account value − MM (cross)
 * or isolated margin − MM (isolated), maintenanceLeverage = 2·max leverage of the tier.
 * At that price equity equals the maintenance requirement (a single-position account).
 * @returns USD per coin; may be ≤ 0 for a long that cannot be liquidated
 */
export function hyperliquidLiquidationPrice(o: {
  readonly priceUsd: number;
  readonly side: 1 | -1;
  readonly size: number;
  readonly marginAvailableUsd: number;
  readonly maintenanceLeverage: number;
}): number {
  const l = 1 / o.maintenanceLeverage;
  return o.priceUsd - (o.side * o.marginAvailableUsd) / o.size / (1 - l * o.side);
}
