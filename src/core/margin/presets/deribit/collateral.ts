/**
 * Deribit cross-collateral valuation, shared by `deribit-sm` and `deribit-pm` (ANCHORS §2.1,
 * "Cross-collateral": every collateral currency valued in USD at its index, less a per-currency
 * haircut).
 *
 *   held (net qty > 0):   value·(1 − haircut)       owed (net qty < 0):   value (in full)
 *
 * A balance is the net of the portfolio's collateral in the asset and any spot-instrument
 * positions in it (a spot position is a holding, not a derivative). Haircuts are fractions in
 * [0, 1). The default values are xmargin assumptions: the cited Deribit page names the mechanism
 * but the stored copy gives no numbers (docs/methodology/presets-deribit-dydx-drift.md#deribit-sm).
 */
import { z } from 'zod';
import type { MarginMarket } from '../../../portfolio/margin-market.js';
import type { PortfolioValuation } from '../../../portfolio/valuation.js';

/** Collateral haircut parameters of both Deribit presets. */
export interface DeribitCollateralParams {
  /** haircut per asset symbol: fraction of the index value not credited, range [0, 1) */
  readonly collateralHaircuts: Readonly<Record<string, number>>;
  /** haircut of any other asset, range [0, 1) */
  readonly defaultCollateralHaircut: number;
}

/** Default haircuts (assumptions, see the module header): BTC/ETH 2%, USDC 0%, USDT 0.5%, others 10%. */
export const DEFAULT_DERIBIT_COLLATERAL: DeribitCollateralParams = {
  collateralHaircuts: { USD: 0, USDC: 0, USDT: 0.005, BTC: 0.02, ETH: 0.02 },
  defaultCollateralHaircut: 0.1,
};

const haircut = z.number().min(0).lt(1);

/** Strict partial-schema fields of the collateral params (spread into each preset's schema). */
export const DeribitCollateralSchemaFields = {
  collateralHaircuts: z.record(z.string().min(1), haircut).exactOptional(),
  defaultCollateralHaircut: haircut.exactOptional(),
};

/** One part of a balance: the contribution key that holds it and its quantity. */
export interface BalancePart {
  /** `collateral:<ASSET>` or a spot instrument id */
  readonly key: string;
  /** signed quantity in asset units */
  readonly qty: number;
}

/** A net balance of one asset. */
export interface NetBalance {
  readonly asset: string;
  readonly priceUsd: number;
  readonly qty: number;
  readonly parts: readonly BalancePart[];
}

/**
 * Net balances per asset: collateral plus spot-instrument positions.
 * @param v       the portfolio's valuation (valuePortfolio)
 * @param market  the market (index prices)
 * @returns       one entry per asset, in first-seen order
 */
export function netBalances(v: PortfolioValuation, market: MarginMarket): NetBalance[] {
  const parts = new Map<string, BalancePart[]>();
  const add = (asset: string, part: BalancePart) => parts.set(asset, [...(parts.get(asset) ?? []), part]);
  for (const c of v.collateral) add(c.asset, { key: `collateral:${c.asset}`, qty: c.qty });
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    if (inst.kind === 'spot') add(inst.asset, { key: inst.id, qty: pv.units });
  }
  return [...parts].map(([asset, ps]) => ({
    asset,
    priceUsd: market.prices.get(asset)!, // valuation succeeded, so every asset is priced
    qty: ps.reduce((s, x) => s + x.qty, 0),
    parts: ps,
  }));
}

/**
 * Equity of the collateral after haircuts: Σ held·(1 − h) + Σ owed (module header).
 * @returns USD; negative when liabilities exceed the haircut assets
 */
export function haircutCollateralUsd(balances: readonly NetBalance[], p: DeribitCollateralParams): number {
  let usd = 0;
  for (const b of balances) {
    const value = b.qty * b.priceUsd;
    const h = p.collateralHaircuts[b.asset] ?? p.defaultCollateralHaircut;
    // Only what is held is haircut; a liability counts in full (never understated).
    usd += value > 0 ? value * (1 - h) : value;
  }
  return usd;
}

/**
 * Equity as the Deribit presets value it: haircut collateral (spot positions included) plus the
 * value of every derivative position (option MtM, perpetual/future unrealised P&L).
 */
export function deribitEquityUsd(
  v: PortfolioValuation,
  market: MarginMarket,
  p: DeribitCollateralParams,
): number {
  let derivativesUsd = 0;
  for (const pv of v.positions) if (pv.marked.instrument.kind !== 'spot') derivativesUsd += pv.valueUsd;
  return haircutCollateralUsd(netBalances(v, market), p) + derivativesUsd;
}
