/**
 * @module engine/venue/liquidation-chain
 *
 * The one liquidation chain of the engine: what the venue does, in order, for a sub-account below
 * maintenance on a price fresh enough for liquidation, every step a journal operation:
 *
 * 1. **top-up** from siblings that opted in (collateral reuse), margin-checked on the sender;
 * 2. **liquidation** by the least-cost plan of `planLiquidation` (core/liquidation): positions
 *    transferred to the liquidator, collateral sold in the user's order, the charge (the liquidator's
 *    fee share and slippage, the insurance fund's share, gas) — or, when the venue sets its own
 *    liquidation pricing (core/margin/liquidation-pricing.ts: dYdX's fillable price and
 *    insurance fee, Drift's liquidator and insurance fees), the charge that rule gives for the
 *    positions the plan closes, plus gas;
 * 3. **bankruptcy**: the insurance fund pays the deficit, the rest is socialised by
 *    **auto-deleveraging** the most profitable × levered opposite positions (`rankAdl`).
 *
 * `xmargin serve`, `xmargin simulate`, the backtest's crash replays and the demo all reach this
 * module through `Venue.updateMarket`; test/architecture.test.ts forbids any other module to plan or
 * execute a liquidation.
 *
 * @see docs/methodology/venue-runtime.md
 */
import type { Asset } from '../../core/ledger/asset.js';
import { creditToUnits, fromUnits, requirementToUnits } from '../../core/ledger/convert.js';
import { InvariantError, RiskError } from '../../core/errors.js';
import {
  planLiquidation,
  rankAdl,
  type AdlAccount,
  type ClosedPosition,
  type LiquidationParams,
  type LiquidationPricing,
} from '../../core/liquidation/index.js';
import { cashAssetOf } from '../../core/liquidation/apply-liquidation-action.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { withFallFactor } from '../../core/margin/fall-limit.js';
import { getMarginModel } from '../../core/margin/registry.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import type { MarginMode } from '../accounts.js';
import type { Journal, JournalEntry } from '../journal.js';
import type { Operation } from '../operations.js';
import type { LiquidationRecord, SubAccountHealth, VenueEvent } from './venue-types.js';

/** What the chain needs of the venue. */
export interface ChainHost {
  readonly journal: Journal;
  readonly liquidatorKey: string;
  readonly liq: LiquidationParams;
  /** the venue's own liquidation pricing (absent: the planner's costs) */
  readonly pricing?: LiquidationPricing;
  readonly assets: ReadonlyMap<string, Asset>;
  ctx(): MarginContext | undefined;
  /** the sub-account's last computed health */
  healthOf(key: string): SubAccountHealth | undefined;
  /** re-derives and re-margins a sub-account, emitting its events; its new health */
  refresh(key: string, timeMs: number, events: VenueEvent[]): SubAccountHealth | undefined;
  emit(events: VenueEvent[], e: VenueEvent): void;
  /** a fresh key for an operation of the engine */
  engineKey(what: string): string;
  /** applies an engine operation (trusted) and reports it; a refusal is a bug */
  applyEngine(op: Operation, events: VenueEvent[]): JournalEntry;
  paramsFor(mode: MarginMode, timeMs: number): unknown;
  paramsByMode(timeMs: number): Partial<Record<MarginMode, unknown>>;
  /** the fall limit's factor g ≥ 1 on a sub-account's model requirement (venue-risk.ts) */
  fallFactor(key: string): number;
  recordLiquidation(record: LiquidationRecord): void;
}

/** An account in the ADL queue. */
export interface AdlRankRow {
  readonly rank: number;
  readonly subAccount: string;
  readonly instrument: string;
  readonly side: 'long' | 'short';
  /** uPnL × leverage, USD */
  readonly score: number;
  readonly pnlUsd: number;
  readonly leverage: number;
}

const LINEAR = new Set(['perpetual', 'future']);

/** Requirement a sibling must keep: max(IM, MM × (1 + buffer)). */
export function excessUsd(host: ChainHost, key: string): number {
  const h = host.healthOf(key);
  const sub = host.journal.accounts.get(key, 'subAccount');
  if (!h) return 0;
  return h.equityUsd - Math.max(h.initialUsd, h.maintenanceUsd * (1 + sub.limits.bufferFraction));
}

/**
 * Automatic top-up (collateral reuse): a sub-account that opted in receives, before it is
 * liquidated, the settlement stablecoin from its siblings' excess (each sibling keeps its own
 * requirement: the transfer is margin-checked on the sender), up to what brings it back to IM.
 */
export function topUp(host: ChainHost, key: string, timeMs: number, events: VenueEvent[]): void {
  const sub = host.journal.accounts.get(key, 'subAccount');
  const ctx = host.ctx();
  if (!sub.limits.autoTopUp || !ctx) return;
  const asset = host.liq.settlementAsset;
  const a = host.assets.get(asset);
  if (!a) return;
  const price = ctx.market.prices.get(asset) ?? 1;
  const siblings = host.journal.accounts
    .list()
    .filter((s) => s.accountId === sub.accountId && s.key !== key)
    .sort((x, y) => (x.key < y.key ? -1 : 1));
  for (const sib of siblings) {
    // A transfer in can raise the receiver's IM a little (a haircut on what it receives): the
    // amount carries 1% headroom, and up to three rounds per sibling close what gap remains.
    for (let round = 0; round < 3; round++) {
      const h = host.healthOf(key);
      if (!h) return;
      const needUsd = h.initialUsd - h.equityUsd;
      if (!(needUsd > 0)) return;
      host.refresh(sib.key, timeMs, events);
      const spare = excessUsd(host, sib.key);
      const balance = host.journal.balanceOf(sib.key, asset);
      if (!(spare > 0) || balance <= 0n) break;
      let units = requirementToUnits(Math.min(needUsd * 1.01, spare) / price, a.decimals);
      if (units > balance) units = balance;
      if (units <= 0n) break;
      const op: Operation = {
        kind: 'transfer',
        key: host.engineKey('top-up'),
        timeMs,
        from: sib.key,
        to: key,
        asset,
        units,
      };
      try {
        const entry = host.journal.apply(op, {
          ctx,
          params: host.paramsByMode(timeMs),
          fallFactor: (k) => host.fallFactor(k),
        });
        host.emit(events, { type: 'operation', op, entry });
      } catch (e) {
        if (e instanceof RiskError && e.code === 'ERR_INSUFFICIENT_MARGIN') break; // sibling cannot spare it
        throw e;
      }
      host.refresh(sib.key, timeMs, events);
      host.refresh(key, timeMs, events);
    }
  }
}

/** Executes the planner's plan for one sub-account as journal operations. */
export function liquidate(host: ChainHost, key: string, timeMs: number, events: VenueEvent[]): void {
  const ctx = host.ctx()!;
  const market = ctx.market;
  const sub = host.journal.accounts.get(key, 'subAccount');
  const before = host.healthOf(key)!;
  const pf = host.journal.portfolioOf(key);
  // The planner targets the requirement the health check holds the account to (the fall limit's g).
  const model = withFallFactor(getMarginModel(sub.mode), host.fallFactor(key));
  const plan = planLiquidation(pf, ctx, model, host.paramsFor(sub.mode, timeMs), host.liq, {
    collateralOrder: sub.limits.collateralOrder,
  });
  if (plan.status === 'healthy') return;
  const cashAsset = cashAssetOf(pf, market, host.liq);
  const cash = host.assets.get(cashAsset);
  if (!cash)
    throw new InvariantError(`settlement asset ${cashAsset} is not a venue asset`, { asset: cashAsset });
  const cashPrice = market.prices.get(cashAsset) ?? 1;
  const toCash = (usd: number) => creditToUnits(usd / cashPrice, cash.decimals);
  const liquidator = host.liquidatorKey;

  // Positions: the closed part of each moves to the liquidator at its mark value.
  const values = valuePortfolio(pf, market).positions;
  const after = new Map(plan.portfolioAfter.positions.map((p) => [p.instrument, p.size]));
  const closedLinear: ClosedPosition[] = [];
  const linearNotionalUsd = values
    .filter((v) => LINEAR.has(v.marked.instrument.kind))
    .reduce((s, v) => s + Math.abs(v.notionalUsd), 0);
  for (const v of values) {
    const p = v.position;
    const closed = p.size - (after.get(p.instrument) ?? 0);
    if (closed === 0 || Math.sign(closed) !== Math.sign(p.size)) continue;
    const size = Math.abs(closed) > Math.abs(p.size) ? p.size : closed;
    const linear = LINEAR.has(v.marked.instrument.kind);
    if (host.pricing && linear && v.marked.markPrice > 0) {
      const units = (Math.sign(p.size) * v.notionalUsd) / v.marked.markPrice;
      closedLinear.push({
        instrument: p.instrument,
        positionUnits: units,
        closedUnits: (units * size) / p.size,
        oracleUsd: v.marked.markPrice,
        // TMMR pro rata to notional (core/margin/liquidation-pricing.ts)
        positionMmrUsd:
          linearNotionalUsd > 0 ? (before.maintenanceUsd * Math.abs(v.notionalUsd)) / linearNotionalUsd : 0,
      });
    }
    const price = linear ? (p.entryPrice ?? v.marked.markPrice) : v.marked.markPrice;
    host.applyEngine(
      {
        kind: 'liquidation',
        key: host.engineKey('liq'),
        timeMs,
        from: key,
        to: liquidator,
        instrument: p.instrument,
        size,
        price,
        asset: cashAsset,
        cashUnits: toCash((v.valueUsd * size) / p.size),
        penaltyUnits: 0n,
      },
      events,
    );
  }
  // Collateral sold by the plan (in the user's order when one is set).
  for (const [symbol, bal] of pf.collateral) {
    if (symbol === cashAsset || bal.units <= 0n) continue;
    const left = plan.portfolioAfter.collateral.get(symbol)?.units ?? 0n;
    const sold = bal.units - (left > 0n ? left : 0n);
    if (sold <= 0n) continue;
    const usd = fromUnits(sold, bal.asset.decimals) * (market.prices.get(symbol) ?? 0);
    host.applyEngine(
      {
        kind: 'collateral-sale',
        key: host.engineKey('sale'),
        timeMs,
        from: key,
        to: liquidator,
        asset: symbol,
        units: sold,
        cashAsset,
        cashUnits: toCash(usd),
      },
      events,
    );
  }
  // The charge: slippage and the liquidator's fee share to the liquidator, the fund's share, gas;
  // under the venue's own pricing, its spread and fees for the positions closed, and gas.
  const gasUsd = Math.min(plan.totalCostUsd, plan.steps.length * host.liq.gasUsd);
  const own = host.pricing?.charge({
    equityUsd: before.equityUsd,
    maintenanceUsd: before.maintenanceUsd,
    notionalUsd: linearNotionalUsd,
    closed: closedLinear,
  });
  const slippageUsd = own ? own.spreadUsd : plan.totalCostUsd - gasUsd;
  const insuranceUsd = own ? own.insuranceUsd : plan.insuranceFundUsd;
  const feeUsd = own ? own.liquidatorFeeUsd + own.insuranceUsd : plan.liquidatorFeeUsd;
  const liquidatorUsd = slippageUsd + Math.max(0, feeUsd - insuranceUsd);
  const roundUp = (usd: number) => (usd > 0 ? requirementToUnits(usd / cashPrice, cash.decimals) : 0n);
  const charge = { liq: roundUp(liquidatorUsd), ins: roundUp(insuranceUsd), gas: roundUp(gasUsd) };
  if (charge.liq + charge.ins + charge.gas > 0n)
    host.applyEngine(
      {
        kind: 'liquidation-charge',
        key: host.engineKey('charge'),
        timeMs,
        from: key,
        to: liquidator,
        asset: cashAsset,
        liquidatorUnits: charge.liq,
        insuranceUnits: charge.ins,
        gasUnits: charge.gas,
      },
      events,
    );

  // A bankrupt remainder: the insurance fund, then auto-deleveraging.
  let insurancePaidUsd = 0;
  let adlUsd = 0;
  let deficitUsd = 0;
  const rest = host.journal.portfolioOf(key);
  const bankrupt = rest.positions.length === 0 && valuePortfolio(rest, market).equityUsd < 0;
  if (bankrupt) {
    let owed = -host.journal.balanceOf(key, cashAsset);
    deficitUsd = Math.max(0, -valuePortfolio(rest, market).equityUsd);
    const fund = host.journal.balanceOf('insurance-fund', cashAsset);
    const pay = owed < fund ? owed : fund;
    if (pay > 0n) {
      host.applyEngine(
        {
          kind: 'insurance-payout',
          key: host.engineKey('insurance'),
          timeMs,
          to: key,
          asset: cashAsset,
          units: pay,
        },
        events,
      );
      owed -= pay;
      insurancePaidUsd = fromUnits(pay, cash.decimals) * cashPrice;
    }
    if (owed > 0n) adlUsd = autoDeleverage(host, key, pf, owed, cashAsset, timeMs, events);
  }
  host.refresh(liquidator, timeMs, events);
  const afterH = host.refresh(key, timeMs, events)!;
  const record: LiquidationRecord = {
    timeMs,
    subAccount: key,
    outcome: plan.status === 'restored' ? 'restored' : bankrupt ? 'bankrupt' : 'unreachable',
    plan: plan.chosen,
    steps: plan.steps.length,
    pricing: host.pricing?.name ?? 'planner',
    costUsd: slippageUsd + gasUsd,
    feeUsd,
    insuranceUsd,
    bankrupt,
    deficitUsd,
    insurancePaidUsd,
    adlUsd,
    before,
    after: afterH,
  };
  host.recordLiquidation(record);
  host.emit(events, { type: 'liquidation', record });
}

/** Positions of a sub-account as the ADL ranking sees them (only those with a uPnL defined). */
function adlPositions(host: ChainHost, key: string, market: MarginMarket): AdlPositionView[] {
  const pf: Portfolio = host.journal.portfolioOf(key);
  if (pf.positions.length === 0) return [];
  const v = valuePortfolio(pf, market);
  const equity = v.equityUsd;
  return v.positions
    .filter((p) => LINEAR.has(p.marked.instrument.kind) && p.position.entryPrice !== undefined)
    .map((p) => ({
      instrument: p.position.instrument,
      side: (p.position.size > 0 ? 'long' : 'short') as 'long' | 'short',
      uPnlUsd: p.valueUsd,
      leverage: equity > 0 ? p.notionalUsd / equity : 0,
      size: p.position.size,
      entryPrice: p.position.entryPrice!,
      markPrice: p.marked.markPrice,
    }));
}

/**
 * Socialises `owed` base units of `cashAsset` over the most profitable × levered positions
 * opposite to the bankrupt's closed linear positions: each ranked position is closed against the
 * liquidator (which holds the bankrupt's side) up to the size the liquidator took over, at mark,
 * and pays up to its profit on the closed part towards the deficit. Returns the USD socialised.
 */
function autoDeleverage(
  host: ChainHost,
  bankrupt: string,
  closedFrom: Portfolio,
  owed: bigint,
  cashAsset: string,
  timeMs: number,
  events: VenueEvent[],
): number {
  const market = host.ctx()!.market;
  const cash = host.assets.get(cashAsset)!;
  const cashPrice = market.prices.get(cashAsset) ?? 1;
  let socialised = 0n;
  for (const closed of closedFrom.positions) {
    if (owed <= 0n) break;
    const inst = market.instruments.get(closed.instrument)?.instrument;
    if (!inst || !LINEAR.has(inst.kind)) continue;
    const side = closed.size > 0 ? 'short' : 'long'; // the opposite side pays
    const accounts: AdlAccount[] = [];
    const byId = new Map<string, AdlPositionView>();
    for (const sub of host.journal.accounts.list()) {
      if (sub.key === bankrupt || sub.key === host.liquidatorKey) continue;
      const p = adlPositions(host, sub.key, market).find(
        (x) => x.instrument === closed.instrument && x.side === side && x.uPnlUsd > 0,
      );
      if (!p) continue;
      accounts.push({ id: sub.key, positions: [p] });
      byId.set(sub.key, p);
    }
    let capacity = Math.abs(closed.size); // contracts the liquidator took over
    for (const r of rankAdl(accounts, side)) {
      if (owed <= 0n || capacity <= 0) break;
      const p = byId.get(r.id)!;
      const size = Math.sign(p.size) * Math.min(Math.abs(p.size), capacity);
      const profitUsd = (p.uPnlUsd * size) / p.size;
      const profitUnits = creditToUnits(profitUsd / cashPrice, cash.decimals);
      const take = profitUnits < owed ? profitUnits : owed;
      if (take <= 0n) continue;
      host.applyEngine(
        {
          kind: 'adl',
          key: host.engineKey('adl'),
          timeMs,
          from: r.id,
          to: bankrupt,
          liquidator: host.liquidatorKey,
          instrument: closed.instrument,
          size,
          price: p.entryPrice,
          asset: cashAsset,
          cashUnits: profitUnits,
          units: take,
        },
        events,
      );
      owed -= take;
      socialised += take;
      capacity -= Math.abs(size);
      host.refresh(r.id, timeMs, events);
    }
  }
  return fromUnits(socialised, cash.decimals) * cashPrice;
}

/** Auto-deleveraging queue per instrument and side: most profitable × levered first. */
export function adlRanks(host: ChainHost): AdlRankRow[] {
  const ctx = host.ctx();
  if (!ctx) return [];
  const rows: AdlRankRow[] = [];
  const byInstrument = new Map<string, AdlAccount[]>();
  for (const sub of host.journal.accounts.list()) {
    if (sub.key === host.liquidatorKey) continue;
    for (const p of adlPositions(host, sub.key, ctx.market)) {
      let list = byInstrument.get(p.instrument);
      if (!list) byInstrument.set(p.instrument, (list = []));
      list.push({ id: sub.key, positions: [p] });
    }
  }
  for (const [instrument, accounts] of [...byInstrument].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const side of ['long', 'short'] as const)
      for (const r of rankAdl(accounts, side)) {
        const p = accounts.find((a) => a.id === r.id)!.positions[0]!;
        rows.push({
          rank: r.rank,
          subAccount: r.id,
          instrument,
          side,
          score: r.scoreUsd,
          pnlUsd: r.uPnlUsd,
          leverage: p.leverage,
        });
      }
  return rows;
}

/** A linear position with what ADL needs. */
interface AdlPositionView {
  readonly instrument: string;
  readonly side: 'long' | 'short';
  /** USD */
  readonly uPnlUsd: number;
  /** notional / equity */
  readonly leverage: number;
  /** contracts */
  readonly size: number;
  readonly entryPrice: number;
  readonly markPrice: number;
}
