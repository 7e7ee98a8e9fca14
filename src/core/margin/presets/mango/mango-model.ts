/**
 * The `mango-v4` preset: Mango v4 health (`programs/mango-v4/src/health/cache.rs`), with init and
 * maint weights and stable prices.
 *
 * For health type H ∈ {init, maint}; prices: init values assets at min(oracle, stable) and
 * liabilities at max(oracle, stable) (the stable-price model resists manipulation of borrowing
 * power); maint at the oracle:
 *
 *   token:  b > 0: b·price_asset·assetWeight_H      b < 0: b·price_liab·liabWeight_H
 *   perp:   base q (units), quote Q = −q·entry:
 *           v = q·price·baseAssetWeight_H (q > 0) or q·price·baseLiabWeight_H (q < 0), plus Q;
 *           a positive v is weighted by overallAssetWeight_H; the result settles into the settle
 *           token's balance, whose weights then apply
 *   health_H = Σ tokens (after perp settlement)
 *
 * Rearranged into "equity ≥ requirement" with equity at the oracle, unweighted:
 *   IM = equity − health_init,  MM = equity − health_maint   (init health ≤ maint health ⇒ IM ≥ MM)
 * so that equity ≥ MM ⇔ maint health ≥ 0 (not liquidatable) and equity ≥ IM ⇔ init health ≥ 0.
 * Not reproduced: deposit and borrow weight scaling by the bank's totals, open orders, the
 * LiquidationEnd health type. Options and dated futures fail closed. Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { perPositionResult, unsupportedInstrument, type PositionCharge } from '../preset-result.js';
import type { MangoParams, MangoPerpWeights, MangoTokenWeights } from './mango-params.js';

/** Model name. */
export const MANGO_MODEL_NAME = 'mango-v4';

/** A health type. */
export type MangoHealthType = 'init' | 'maint';

/** The prices of an asset for a health type: init takes the conservative side of oracle and stable. */
export function mangoPrices(
  oracle: number,
  stable: number | undefined,
  h: MangoHealthType,
): { asset: number; liab: number } {
  if (h === 'maint' || stable === undefined) return { asset: oracle, liab: oracle };
  return { asset: Math.min(oracle, stable), liab: Math.max(oracle, stable) };
}

/** A token's health contribution (module header). */
export function mangoTokenHealth(
  balance: number,
  prices: { asset: number; liab: number },
  w: MangoTokenWeights,
  h: MangoHealthType,
): number {
  return balance >= 0
    ? balance * prices.asset * (h === 'init' ? w.initAssetWeight : w.maintAssetWeight)
    : balance * prices.liab * (h === 'init' ? w.initLiabWeight : w.maintLiabWeight);
}

/** A perp's value before settlement into its token (module header). */
export function mangoPerpValue(
  baseUnits: number,
  quoteUsd: number,
  prices: { asset: number; liab: number },
  w: MangoPerpWeights,
  h: MangoHealthType,
): number {
  const base =
    baseUnits >= 0
      ? baseUnits * prices.asset * (h === 'init' ? w.initBaseAssetWeight : w.maintBaseAssetWeight)
      : baseUnits * prices.liab * (h === 'init' ? w.initBaseLiabWeight : w.maintBaseLiabWeight);
  const v = base + quoteUsd;
  return v > 0 ? v * (h === 'init' ? w.initOverallAssetWeight : w.maintOverallAssetWeight) : v;
}

/**
 * Computes the Mango v4 requirement (module header).
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option or dated future
 */
export function computeMangoMargin(portfolio: Portfolio, ctx: MarginContext, p: MangoParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const stable = (a: string) => market.stablePrices?.get(a);
  const balances = new Map<string, number>();
  for (const c of v.collateral) balances.set(c.asset, (balances.get(c.asset) ?? 0) + c.qty);
  const health = { init: 0, maint: 0 };
  const perpSettled = { init: 0, maint: 0 };
  const charges: PositionCharge[] = [];
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    if (inst.kind === 'spot') {
      balances.set(inst.asset, (balances.get(inst.asset) ?? 0) + pv.units);
      continue;
    }
    if (inst.kind !== 'perpetual')
      throw unsupportedInstrument(
        MANGO_MODEL_NAME,
        portfolio,
        inst.id,
        inst.kind,
        'Mango v4 lists spot tokens and perpetuals',
      );
    const w = p.perps[inst.underlying] ?? p.defaultPerp;
    const oracle = pv.marked.markPrice;
    const entry = pv.position.entryPrice ?? oracle;
    const quote = -pv.units * entry;
    const byType = { init: 0, maint: 0 };
    for (const h of ['init', 'maint'] as const) {
      byType[h] = mangoPerpValue(pv.units, quote, mangoPrices(oracle, stable(inst.underlying), h), w, h);
      perpSettled[h] += byType[h];
    }
    // the perp's own share of the requirement: its unweighted value less its weighted value
    charges.push({ key: inst.id, imUsd: pv.valueUsd - byType.init, mmUsd: pv.valueUsd - byType.maint });
  }
  // Perps settle into the settle token; then every token is weighted.
  const settle = p.settleToken;
  const settlePrice = market.prices.get(settle) ?? 1;
  for (const h of ['init', 'maint'] as const) {
    for (const [asset, qty] of balances) {
      const extra = asset === settle ? perpSettled[h] / settlePrice : 0;
      health[h] += mangoTokenHealth(
        qty + extra,
        mangoPrices(market.prices.get(asset)!, stable(asset), h),
        p.tokens[asset] ?? p.defaultToken,
        h,
      );
    }
    if (!balances.has(settle) && perpSettled[h] !== 0)
      health[h] += mangoTokenHealth(
        perpSettled[h] / settlePrice,
        mangoPrices(settlePrice, stable(settle), h),
        p.tokens[settle] ?? p.defaultToken,
        h,
      );
  }
  // Token (and settlement) part of the requirement: the remainder after the perps' own shares,
  // so that the parts sum to IM = equity − init health and MM = equity − maint health. Mango's
  // ordering (init health ≤ maint health ≤ equity) makes IM ≥ MM ≥ 0; float rounding is absorbed
  // here (never below).
  const perpIm = charges.reduce((s, c) => s + c.imUsd, 0);
  const perpMm = charges.reduce((s, c) => s + c.mmUsd, 0);
  const mm = Math.max(0, v.equityUsd - health.maint);
  const im = Math.max(mm, v.equityUsd - health.init);
  charges.push({
    key: 'collateral:tokens',
    imUsd: im - perpIm,
    mmUsd: mm - perpMm,
    detail: { initHealth: health.init, maintHealth: health.maint },
  });
  return perPositionResult(MANGO_MODEL_NAME, p, market, charges, v.equityUsd);
}
