/**
 * One liquidation action applied to a portfolio (float64 risk math; exact settlement is the
 * engine's job): the new portfolio and what the trade cost the account.
 *
 * Cash flows settle in the account's cash asset (`cashAssetOf`): the stablecoin with the
 * largest liability, else `params.settlementAsset`. Closing a fraction φ of a position credits
 * φ × its marked value (perpetual/future uPnL, option premium, spot value), then debits slippage,
 * the liquidator fee and gas: nothing is created or lost.
 */
import { fromUnits, toUnits } from '../ledger/convert.js';
import type { CollateralBalance, Portfolio, Position } from '../portfolio/portfolio.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import { computeDefaultSlippage, computeSlippage } from './liquidation-cost.js';
import type { LiquidationParams } from './liquidation-params.js';

/** A liquidation action: reduce a position, sell collateral to repay liabilities, or a slice. */
export type LiquidationAction =
  /** close `fraction` ∈ (0, 1] of positions[index] */
  | { readonly kind: 'reduce'; readonly index: number; readonly fraction: number }
  /** sell `fraction` of the sellable amount of a non-stable asset (capped at the liability) */
  | { readonly kind: 'sellCollateral'; readonly asset: string; readonly fraction: number }
  /** scale every position and non-stable collateral by (1 − fraction), Derive-style */
  | { readonly kind: 'slice'; readonly fraction: number };

/** The outcome of one action. */
export interface ActionOutcome {
  readonly portfolio: Portfolio;
  /** signed trade size: contracts (reduce), asset units (sellCollateral), the fraction (slice) */
  readonly size: number;
  /** slippage + gas, USD (+∞ when not executable) */
  readonly costUsd: number;
  /** liquidator fee, USD */
  readonly feeUsd: number;
  /** liquidated notional, USD */
  readonly notionalUsd: number;
  /** true when a position was closed fully because its remainder would be dust */
  readonly dustClose: boolean;
}

const isStable = (asset: string, p: LiquidationParams) => p.stableAssets.includes(asset);

/** The asset cash flows settle in: the stable with the largest liability, else the settlement asset. */
export function cashAssetOf(portfolio: Portfolio, market: MarginMarket, params: LiquidationParams): string {
  let best: string | undefined;
  let worst = 0;
  for (const [sym, bal] of portfolio.collateral) {
    if (!isStable(sym, params) || bal.units >= 0n) continue;
    const usd = fromUnits(bal.units, bal.asset.decimals) * (market.prices.get(sym) ?? 1);
    if (usd < worst) [best, worst] = [sym, usd];
  }
  return best ?? params.settlementAsset;
}

/** USD a stable liability amounts to (≥ 0), across all stables. */
function stableLiabilityUsd(portfolio: Portfolio, market: MarginMarket, params: LiquidationParams): number {
  let total = 0;
  for (const [sym, bal] of portfolio.collateral)
    if (isStable(sym, params) && bal.units < 0n)
      total -= fromUnits(bal.units, bal.asset.decimals) * (market.prices.get(sym) ?? 1);
  return total;
}

/** Non-stable collateral assets with a positive balance, sorted by symbol. */
export function sellableAssets(portfolio: Portfolio, params: LiquidationParams): string[] {
  return [...portfolio.collateral]
    .filter(([s, b]) => !isStable(s, params) && b.units > 0n)
    .map(([s]) => s)
    .sort();
}

class Builder {
  readonly positions: Position[];
  readonly collateral: Map<string, CollateralBalance>;
  cost = 0;
  fee = 0;
  notional = 0;
  credit = 0;
  dust = false;
  constructor(
    pf: Portfolio,
    private readonly market: MarginMarket,
    private readonly params: LiquidationParams,
  ) {
    this.positions = [...pf.positions];
    this.collateral = new Map(pf.collateral);
  }
  /** closes φ of positions[i] (φ raised to 1 when the remainder is dust); returns the trade size */
  reduce(i: number, phi: number, pv: { valueUsd: number; units: number; notionalUsd: number }): number {
    const pos = this.positions[i]!;
    const marked = this.market.instruments.get(pos.instrument)!;
    const inst = marked.instrument;
    if (phi < 1 && pv.notionalUsd * (1 - phi) < this.params.dustUsd) [phi, this.dust] = [1, true];
    const units = pv.units * phi; // units closed, signed as the position
    this.credit += pv.valueUsd * phi;
    this.notional += pv.notionalUsd * phi;
    this.fee += this.params.liquidatorFee * pv.notionalUsd * phi;
    this.cost +=
      inst.kind === 'option'
        ? computeDefaultSlippage(units * marked.markPrice, inst.underlying, this.params)
        : computeSlippage(this.market, inst.underlying, -units, this.params);
    if (phi >= 1) this.positions[i] = { ...pos, size: 0 };
    else this.positions[i] = { ...pos, size: pos.size * (1 - phi) };
    return -pos.size * phi;
  }
  /** sells qty (> 0) units of asset; returns the signed trade size */
  sell(asset: string, qty: number): number {
    const bal = this.collateral.get(asset)!;
    const price = this.market.prices.get(asset)!;
    const have = fromUnits(bal.units, bal.asset.decimals);
    const left = qty >= have ? 0n : toUnits(have - qty, bal.asset.decimals, 'down');
    this.collateral.set(asset, { asset: bal.asset, units: left });
    this.credit += qty * price;
    this.notional += qty * price;
    this.fee += this.params.liquidatorFee * qty * price;
    this.cost += computeSlippage(this.market, asset, -qty, this.params);
    return -qty;
  }
  build(cashAsset: string, gasUsd: number): { portfolio: Portfolio; net: number } {
    this.cost += gasUsd;
    const net = this.credit - this.cost - this.fee;
    if (Number.isFinite(net) && net !== 0) {
      const prev = this.collateral.get(cashAsset);
      const asset = prev?.asset ?? this.market.assets.getAsset(cashAsset);
      const price = this.market.prices.get(cashAsset) ?? 1;
      const delta = toUnits(net / price, asset.decimals, 'floor'); // the account is never credited up
      this.collateral.set(cashAsset, { asset, units: (prev?.units ?? 0n) + delta });
    }
    const positions = this.positions.filter((p) => p.size !== 0);
    return { portfolio: { positions, collateral: this.collateral }, net };
  }
}

/**
 * Applies one action.
 *
 *   reduce φ:          size ← size·(1 − φ) (0 when the remainder's notional < dustUsd);
 *                      cash += φ·value − slippage − fee − gas
 *   sellCollateral φ:  sells φ·min(qty, liabilityUsd / price) of the asset;
 *                      cash += sold·price − slippage − fee − gas
 *   slice f:           every position reduce f, every non-stable asset sells f of its balance,
 *                      gas once (one transaction)
 *
 * fee = liquidatorFee × liquidated notional (positions |units|·index, collateral qty·price).
 *
 * @param portfolio  the portfolio
 * @param market     the market
 * @param action     the action (fractions in [0, 1])
 * @param params     planner params
 * @returns          new portfolio, signed size, cost (USD, +∞ if not executable), fee, notional
 */
export function applyLiquidationAction(
  portfolio: Portfolio,
  market: MarginMarket,
  action: LiquidationAction,
  params: LiquidationParams,
): ActionOutcome {
  const b = new Builder(portfolio, market, params);
  const cash = cashAssetOf(portfolio, market, params);
  const values = valuePortfolio(portfolio, market).positions;
  let size = action.fraction;
  if (action.kind === 'reduce') {
    size = b.reduce(action.index, action.fraction, values[action.index]!);
  } else if (action.kind === 'sellCollateral') {
    const bal = portfolio.collateral.get(action.asset)!;
    const price = market.prices.get(action.asset)!;
    const have = fromUnits(bal.units, bal.asset.decimals);
    const cap = Math.min(have, stableLiabilityUsd(portfolio, market, params) / price);
    size = b.sell(action.asset, cap * action.fraction);
  } else {
    values.forEach((pv, i) => b.reduce(i, action.fraction, pv));
    for (const a of sellableAssets(portfolio, params)) {
      const bal = portfolio.collateral.get(a)!;
      b.sell(a, fromUnits(bal.units, bal.asset.decimals) * action.fraction);
    }
  }
  const { portfolio: out } = b.build(cash, params.gasUsd);
  return {
    portfolio: out,
    size,
    costUsd: b.cost,
    feeUsd: b.fee,
    notionalUsd: b.notional,
    dustClose: b.dust,
  };
}
