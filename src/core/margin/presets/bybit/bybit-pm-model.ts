/**
 * The `bybit-pm` preset: Bybit Unified Trading Account, portfolio margin mode (Bybit help
 * "Margin Calculations under Portfolio Margin (Unified Trading Account)").
 *
 * Per base coin's risk unit u (stress-grid.ts: perpetuals, futures, options and spot of the
 * coin, plus the spot in use when Spot Hedging is enabled), with the coin's parameters:
 *
 *   max loss  = worst loss over `pricePoints` moves evenly spaced in ±priceRange
 *               × vol up σ·(1 + up) / same / down σ·(1 − down)           (full repricing)
 *   contingency:
 *     perpetual/futures = Σ_linear |qty|·index·perpFuturesRate
 *     short options     = max(0, −Σ_options qty)·index·shortOptionRate
 *     vega spread       = days between option expiries × hedged option qty·index·vegaSpreadRatePerDay
 *     delta spread      = years between linear tenors × hedged linear qty·index·deltaSpreadAnnualRate
 *   MM_u = max loss + Σ contingency,   IM_u = imFactor·MM_u
 *   MM = Σ_u MM_u,  IM = Σ_u IM_u,  equity = total margin balance as bybit-unified
 *
 * (hedged amounts and spreads: hedgedSpread in stress-grid.ts; the vega spread's legs are the
 * net option quantities per expiry, the delta spread's the linear quantities per tenor.)
 * Contributions: the max loss's Euler shares at its worst scenario and one key per contingency
 * term (`<term>:<u>`), scaled by imFactor. Not reproduced: the USDT-USDC spread contingency,
 * borrowing margin, open orders, and Bybit's current grid, vol shocks and factors where they
 * are assumptions (bybit-pm-params.ts). Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { paramsVersion } from '../../params-version.js';
import { shockedVol } from '../deribit/pm-scenarios.js';
import {
  evenMagnitudes,
  gridLoss,
  hedgedSpread,
  moveGrid,
  riskUnitResult,
  riskUnitsOf,
  type RiskUnit,
  type UnitRequirement,
} from '../stress-grid.js';
import { bybitMarginBalance } from './bybit-model.js';
import type { BybitPmCoinParams, BybitPmParams } from './bybit-pm-params.js';

/** Model name. */
export const BYBIT_PM_MODEL_NAME = 'bybit-pm';

/** The contingency terms of a unit (module header), USD. */
export function bybitPmContingency(unit: RiskUnit, c: BybitPmCoinParams): Record<string, number> {
  let linearQty = 0;
  let optionNet = 0;
  const linearLegs: { amount: number; tYears: number }[] = [];
  const byExpiry = new Map<number, number>();
  for (const it of unit.items) {
    const kind = it.marked?.instrument.kind;
    if (kind === 'option') {
      optionNet += it.qty;
      byExpiry.set(it.tYears, (byExpiry.get(it.tYears) ?? 0) + it.qty);
    } else {
      if (kind === 'perpetual' || kind === 'future') linearQty += Math.abs(it.qty);
      linearLegs.push({ amount: it.qty, tYears: it.tYears });
    }
  }
  const vega = hedgedSpread([...byExpiry].map(([tYears, amount]) => ({ amount, tYears })));
  const delta = hedgedSpread(linearLegs);
  const s = unit.indexUsd;
  return {
    perpFutures: linearQty * s * c.perpFuturesRate,
    shortOptions: Math.max(0, -optionNet) * s * c.shortOptionRate,
    vegaSpread: vega.spreadYears * 365 * vega.hedged * s * c.vegaSpreadRatePerDay,
    deltaSpread: delta.spreadYears * delta.hedged * s * c.deltaSpreadAnnualRate,
  };
}

/**
 * Computes the Bybit portfolio-margin requirement (module header).
 * @throws RiskError ERR_MISSING_MARKET_DATA if an option lacks forward, vol or time to expiry
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeBybitPmMargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  p: BybitPmParams,
): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const stamp = paramsVersion(BYBIT_PM_MODEL_NAME, p);
  const units: UnitRequirement[] = riskUnitsOf(
    v,
    market.prices,
    stable,
    p.spotHedging,
    BYBIT_PM_MODEL_NAME,
  ).map((unit) => {
    const c = p.coins[unit.underlying] ?? p.defaultCoin;
    const grid = moveGrid(
      'PM',
      evenMagnitudes(c.priceRange, (p.pricePoints + 1) / 2),
      ['up', 'same', 'down'],
      1,
    );
    const loss = gridLoss(ctx, BYBIT_PM_MODEL_NAME, stamp, unit, grid, (vol, state) =>
      shockedVol(vol, state, state === 'up' ? c.volShockUp : c.volShockDown, 'relative'),
    );
    const contingency = bybitPmContingency(unit, c);
    const mmUsd = loss.lossUsd + Object.values(contingency).reduce((a, b) => a + b, 0);
    const contributions = new Map<string, number>();
    for (const [k, x] of loss.shares) contributions.set(k, c.imFactor * x);
    for (const [k, x] of Object.entries(contingency))
      if (x > 0) contributions.set(`${k}:${unit.underlying}`, c.imFactor * x);
    return {
      underlying: unit.underlying,
      imUsd: c.imFactor * mmUsd,
      mmUsd,
      contributions,
      detail: {
        maxLossUsd: loss.lossUsd,
        scenario: loss.scenario.id,
        ...contingency,
        deltaUnits: unit.deltaUnits,
        spotInUse: unit.spotInUse,
      },
      ...(loss.lossUsd > 0 ? { worst: { scenario: loss.scenario, pnlUsd: loss.pnlUsd } } : {}),
    };
  });
  return riskUnitResult(BYBIT_PM_MODEL_NAME, p, market, units, bybitMarginBalance(v, p));
}
