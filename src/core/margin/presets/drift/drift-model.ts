/**
 * The `drift` preset: Drift v2 cross margin (ANCHORS §2.3;
 * `drift-labs/protocol-v2: programs/drift/src/math/margin.rs`
 * `calculate_margin_requirement_and_total_collateral_and_liability_info`).
 *
 * Drift's test, for K ∈ {initial, maintenance}:
 *
 *   Σ_deposits v·aw_K + Σ_perps wPnL_K  ≥  Σ_borrows |v|·lw_K + Σ_perps N·r_K
 *
 *   aw_K = min(w_K, 1.1/(1 + imf·√qty))          lw_K = max(w_K, 0.8·w_K + imf·√|qty|)
 *   r_K  = max(ratio_K, 0.8·ratio_K + imf·√|base|),  N = |base|·index (Drift: oracle price)
 *   wPnL_K = pnl·unrealizedPnlWeight(pnl, K); for K = initial also min(·, maxPositiveUpnlForInitialUsd)
 *
 * Rearranged into xmargin's "equity ≥ requirement" with equity at the maintenance weights and
 * liabilities at full value (so that equity ≥ MM and equity ≥ IM are exactly Drift's two tests):
 *
 *   equity = Σ_deposits v·aw_M − Σ_borrows |v| + Σ_perps wPnL_M
 *   MM     = Σ_borrows |v|·(lw_M − 1) + Σ_perps N·r_M
 *   IM     = Σ_borrows |v|·(lw_I − 1) + Σ_deposits v·(aw_M − aw_I) + Σ_perps [N·r_I + wPnL_M − wPnL_I]
 *
 * IM ≥ MM ≥ 0 follows from the params rules (IAW ≤ MAW, ILW ≥ MLW ≥ 1, IM ratio ≥ MM ratio,
 * initial P&L weight ≤ maintenance weight). A balance is the net of the collateral and any spot
 * positions in the asset; positions in the same instrument net. Options fail closed
 * (ERR_UNSUPPORTED_INSTRUMENT naming the position, `details.reason = 'unsupported-instrument'`).
 * Not reproduced: open orders, strict (TWAP) oracle prices, deposit-scaled initial asset weights,
 * the unrealised-P&L imbalance scaling, high-leverage mode, isolated positions, funding.
 */
import { RiskError, ensureFinite } from '../../../errors.js';
import type { Contribution, MarginComponent, MarginContext, MarginResult } from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PositionValue } from '../../../portfolio/valuation.js';
import type { DriftParams } from './drift-params.js';
import { sizeDiscountAssetWeight, sizePremiumLiabilityWeight, unrealizedPnlWeight } from './drift-weights.js';

/** Model name. */
export const DRIFT_MODEL_NAME = 'drift';

/** A contribution key holding part of a spot balance (collateral or a spot position). */
interface BalancePart {
  readonly key: string;
  readonly qty: number;
}

/** Refuses an instrument the venue does not list: margin fails closed, naming the position. */
function unsupported(portfolio: Portfolio, instrument: string, kind: string, why: string): RiskError {
  const i = portfolio.positions.findIndex((p) => p.instrument === instrument);
  return new RiskError(
    'ERR_UNSUPPORTED_INSTRUMENT',
    `positions[${i}].instrument ${JSON.stringify(instrument)} is a ${kind}: not supported by the drift model (${why})`,
    {
      field: `positions[${i}].instrument`,
      id: instrument,
      kind,
      model: DRIFT_MODEL_NAME,
      reason: 'unsupported-instrument',
    },
  );
}

/** Accumulates results: components, contributions, totals. */
class Totals {
  im = 0;
  mm = 0;
  equity = 0;
  readonly components: MarginComponent[] = [];
  readonly contributions = new Map<string, number>();
  add(key: string, imUsd: number): void {
    this.contributions.set(key, (this.contributions.get(key) ?? 0) + imUsd);
  }
}

/** Spot balances: Drift's deposits (asset weights) and borrows (liability weights). */
function addSpotBalances(
  t: Totals,
  balances: ReadonlyMap<string, BalancePart[]>,
  ctx: MarginContext,
  p: DriftParams,
): void {
  for (const [asset, parts] of balances) {
    const qty = parts.reduce((s, x) => s + x.qty, 0);
    const price = ctx.market.prices.get(asset)!; // collateral and spot instruments have priced assets
    const value = qty * price;
    const m = p.spotMarkets[asset] ?? p.defaultSpotMarket;
    const size = Math.abs(qty);
    let imUsd: number;
    let mmUsd: number;
    let detail: Record<string, unknown>;
    if (value >= 0) {
      // A deposit: equity counts it at the maintenance weight; IM adds the initial discount.
      const awI = sizeDiscountAssetWeight(size, m.imfFactor, m.initialAssetWeight);
      const awM = sizeDiscountAssetWeight(size, m.imfFactor, m.maintenanceAssetWeight);
      t.equity += value * awM;
      imUsd = value * (awM - awI);
      mmUsd = 0;
      detail = { qty, valueUsd: value, initialAssetWeight: awI, maintenanceAssetWeight: awM };
    } else {
      // A borrow: equity carries the liability at full value; requirements add the weight above 1.
      const lwI = sizePremiumLiabilityWeight(size, m.imfFactor, m.initialLiabilityWeight);
      const lwM = sizePremiumLiabilityWeight(size, m.imfFactor, m.maintenanceLiabilityWeight);
      t.equity += value;
      imUsd = -value * (lwI - 1);
      mmUsd = -value * (lwM - 1);
      detail = { qty, valueUsd: value, initialLiabilityWeight: lwI, maintenanceLiabilityWeight: lwM };
    }
    t.im += imUsd;
    t.mm += mmUsd;
    t.components.push({ name: `spot:${asset}`, initialUsd: imUsd, maintenanceUsd: mmUsd, detail });
    // Allocate to the parts in proportion to their share of the net balance (sums exactly to
    // imUsd up to rounding; a part of opposite sign gets a negative share: it offsets).
    for (const part of parts) t.add(part.key, qty === 0 ? 0 : (imUsd * part.qty) / qty);
  }
}

/** Perpetual positions (and dated futures margined as perpetuals), netted by instrument. */
function addPerps(t: Totals, perps: readonly PositionValue[], ctx: MarginContext, p: DriftParams): void {
  const byId = new Map<string, { pv: PositionValue; units: number; pnl: number }>();
  for (const pv of perps) {
    const prev = byId.get(pv.position.instrument);
    byId.set(pv.position.instrument, {
      pv: prev?.pv ?? pv,
      units: (prev?.units ?? 0) + pv.units,
      pnl: (prev?.pnl ?? 0) + pv.valueUsd,
    });
  }
  for (const { pv, units, pnl } of byId.values()) {
    const inst = pv.marked.instrument;
    const m = p.perpMarkets[inst.underlying] ?? p.defaultPerpMarket;
    const base = Math.abs(units);
    const notionalUsd = base * ctx.market.prices.get(inst.underlying)!;
    const rI = sizePremiumLiabilityWeight(base, m.imfFactor, m.initialMarginRatio);
    const rM = sizePremiumLiabilityWeight(base, m.imfFactor, m.maintenanceMarginRatio);
    const wpnlM = pnl * unrealizedPnlWeight(pnl, 'maintenance', m);
    // Drift caps the positive P&L counted for IM (MAX_POSITIVE_UPNL_FOR_INITIAL_MARGIN).
    const wpnlI = Math.min(pnl * unrealizedPnlWeight(pnl, 'initial', m), p.maxPositiveUpnlForInitialUsd);
    const imUsd = notionalUsd * rI + (wpnlM - wpnlI);
    const mmUsd = notionalUsd * rM;
    t.equity += wpnlM;
    t.im += imUsd;
    t.mm += mmUsd;
    t.components.push({
      name: `position:${inst.id}`,
      initialUsd: imUsd,
      maintenanceUsd: mmUsd,
      detail: {
        notionalUsd,
        initialRatio: rI,
        maintenanceRatio: rM,
        pnlUsd: pnl,
        weightedPnlInitialUsd: wpnlI,
        weightedPnlMaintenanceUsd: wpnlM,
      },
    });
    t.add(inst.id, imUsd);
  }
}

/**
 * Computes the Drift v2 cross-margin requirement of a portfolio (module header).
 * @param portfolio  positions and collateral
 * @param ctx        the market (index prices stand for Drift's oracle prices)
 * @param p          parsed params (parseDriftParams)
 * @returns          MarginResult with IM ≥ MM ≥ 0, equity at maintenance weights, one component
 *                   per spot balance and per perpetual, contributions per position and collateral
 *                   asset summing to IM
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option position (or a dated future when
 *         params.datedFutures = 'reject'), naming `positions[i].instrument`
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeDriftMargin(portfolio: Portfolio, ctx: MarginContext, p: DriftParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const balances = new Map<string, BalancePart[]>();
  const part = (asset: string, x: BalancePart) => balances.set(asset, [...(balances.get(asset) ?? []), x]);
  for (const c of v.collateral) part(c.asset, { key: `collateral:${c.asset}`, qty: c.qty });
  const perps: PositionValue[] = [];
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    if (inst.kind === 'option') throw unsupported(portfolio, inst.id, inst.kind, 'Drift v2 lists no options');
    if (inst.kind === 'future' && p.datedFutures === 'reject')
      throw unsupported(portfolio, inst.id, inst.kind, "params.datedFutures is 'reject'");
    if (inst.kind === 'spot') part(inst.asset, { key: inst.id, qty: pv.units });
    else perps.push(pv);
  }
  const t = new Totals();
  addSpotBalances(t, balances, ctx, p);
  addPerps(t, perps, ctx, p);
  const contributions: Contribution[] = [...t.contributions].map(([key, initialUsd]) => ({
    key,
    initialUsd,
  }));
  const details = { snapshotId: market.snapshotId };
  return {
    model: DRIFT_MODEL_NAME,
    initialUsd: ensureFinite(t.im, 'drift initial margin', details),
    maintenanceUsd: ensureFinite(t.mm, 'drift maintenance margin', details),
    equityUsd: ensureFinite(t.equity, 'drift equity', details),
    components: t.components,
    contributions,
    paramsVersion: paramsVersion(DRIFT_MODEL_NAME, p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}
