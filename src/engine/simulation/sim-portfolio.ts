/**
 * Small portfolio helpers of the simulation: collateral in asset units from float quantities,
 * cash credits/debits in USDC, and settlement of expired positions.
 *
 * Units: quantities in asset units (BTC, ETH, USDC), USD for values; collateral stays exact
 * bigint base units (rounded to the nearest unit when created from a float).
 */
import { defineAsset } from '../../core/ledger/asset.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import { DEFAULT_ASSET_DECIMALS } from '../../core/portfolio/market-file.js';
import type { Portfolio, Position } from '../../core/portfolio/portfolio.js';
import type { SimMarketTemplate } from './sim-market.js';

/** Base units of `qty` asset units (rounded to the nearest unit). */
export function toUnits(qty: number, decimals: number): bigint {
  if (decimals <= 6) return BigInt(Math.round(qty * 10 ** decimals));
  return BigInt(Math.round(qty * 1e6)) * 10n ** BigInt(decimals - 6);
}

/** A portfolio from positions and float collateral quantities per asset. */
export function makePortfolio(
  positions: readonly Position[],
  collateral: Readonly<Record<string, number>>,
): Portfolio {
  const map = new Map<string, { asset: ReturnType<typeof defineAsset>; units: bigint }>();
  for (const [symbol, qty] of Object.entries(collateral)) {
    const decimals = DEFAULT_ASSET_DECIMALS[symbol] ?? 8;
    map.set(symbol, { asset: defineAsset(symbol, decimals), units: toUnits(qty, decimals) });
  }
  return { positions, collateral: map };
}

/** The portfolio with `usd` added to its USDC balance (negative = debit), rounded to a unit. */
export function addUsdc(pf: Portfolio, usd: number, market: MarginMarket): Portfolio {
  const price = market.prices.get('USDC') ?? 1;
  const cur = pf.collateral.get('USDC');
  const asset = cur?.asset ?? defineAsset('USDC', 6);
  const units = (cur?.units ?? 0n) + toUnits(usd / price, asset.decimals);
  const collateral = new Map(pf.collateral);
  collateral.set('USDC', { asset, units });
  return { positions: pf.positions, collateral };
}

/**
 * Settles positions in instruments that expired at or before `timeMs` into USDC: an option at
 * its intrinsic value (size × |S − K|⁺), a future at size × (S − entry). The account's mark
 * equity is unchanged up to the last mark before expiry (cash-settled at the spot `prices`).
 */
export function settleExpired(
  pf: Portfolio,
  template: SimMarketTemplate,
  timeMs: number,
  prices: Readonly<Record<string, number>>,
  market: MarginMarket,
): Portfolio {
  let cashUsd = 0;
  const kept: Position[] = [];
  for (const p of pf.positions) {
    const i = template.instruments.find((x) => x.id === p.instrument);
    if (i?.expiryMs === undefined || i.expiryMs > timeMs) {
      kept.push(p);
      continue;
    }
    const s = prices[i.underlying] ?? 0;
    if (i.kind === 'option') {
      const k = i.strike ?? 0;
      cashUsd += p.size * Math.max(0, i.optionType === 'call' ? s - k : k - s);
    } else cashUsd += p.size * (s - (p.entryPrice ?? s));
  }
  if (kept.length === pf.positions.length) return pf;
  return addUsdc({ positions: kept, collateral: pf.collateral }, cashUsd, market);
}
