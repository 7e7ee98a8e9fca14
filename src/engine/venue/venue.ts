/**
 * @module engine/venue
 *
 * The venue runtime: the exact journal plus the current market, re-margined on every market
 * update. It is where the engine's policies meet:
 *
 * - user operations (`apply`) pass the oracle policy (a stale or failed oracle blocks
 *   risk-increasing actions and says why), the reduce-only status, and the journal's margin and
 *   leverage checks, valued on the conservative market for initial margin when one is given, with
 *   the venue's effective (phased-in) model params at the operation's time;
 * - a market update (`updateMarket`) re-margins every sub-account under its own mode, emits health
 *   events when a threshold is crossed, and for each liquidatable sub-account (when the oracle is
 *   fresh enough for liquidation): tops it up from siblings that opted in (collateral reuse), then
 *   executes the least-cost plan of `planLiquidation` as journal operations against the venue's
 *   liquidator sub-account (position transfers, collateral sales in the user's order, the fee,
 *   slippage and gas charge), pays a bankrupt deficit from the insurance fund and socialises the
 *   rest by auto-deleveraging the most profitable opposite positions (`rankAdl`).
 *
 * Every operation the venue applies itself is reported as an `operation` event, so a store that
 * persists every operation rebuilds the venue by replaying them with `restore` (no checks: they were
 * accepted once). Nothing is created or lost: every operation's postings sum to zero per asset.
 *
 * Units: USD (float64) for equity and requirements, exact base units for balances, ms UTC. No
 * clock: times are arguments.
 *
 * @see docs/methodology/venue-runtime.md
 */
import type { Asset } from '../../core/ledger/asset.js';
import { creditToUnits, fromUnits, requirementToUnits } from '../../core/ledger/convert.js';
import { InvalidInputError, InvariantError, RiskError, XmarginError } from '../../core/errors.js';
import {
  DEFAULT_LIQUIDATION_PARAMS,
  planLiquidation,
  rankAdl,
  type AdlAccount,
  type LiquidationParams,
} from '../../core/liquidation/index.js';
import { cashAssetOf } from '../../core/liquidation/apply-liquidation-action.js';
import { createMarginContext, type MarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import type { MarginMode, SubAccount, SubAccountSpec, VenueLimits } from '../accounts.js';
import { Journal, type JournalEntry } from '../journal.js';
import { toFingerprint, USER_OPERATION_KINDS, type Operation, type UserOperation } from '../operations.js';
import {
  DEFAULT_TRADING_PARAMS,
  priceTrade,
  validateTradingParams,
  type TradingParams,
} from '../policy/trading-policy.js';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  isLiquidatableStatus,
  isReduceOnlyStatus,
  toAccountRisk,
  validateHealthThresholds,
  type HealthThresholds,
} from '../../core/margin/account-risk.js';
import {
  ORACLE_POLICY_DEFAULTS,
  checkOraclePolicy,
  classifyAction,
  type ActionKind,
  type OraclePolicyParams,
  type OracleStates,
} from '../policy/oracle-policy.js';
import type { ParamValue, VenueParamsHistory } from '../policy/venue-params.js';
import type { LiquidationRecord, SubAccountHealth, VenueEvent } from './venue-types.js';

/** Model params documents per margin mode (merged over each model's defaults by `parseParams`). */
export type ModeParams = { readonly [mode: string]: ParamValue };

/** Configuration of a {@link Venue}. */
export interface VenueConfig {
  /** assets balances may hold (symbol, decimals) */
  readonly assets: readonly Asset[];
  readonly limits: VenueLimits;
  /** liquidation planner params (default DEFAULT_LIQUIDATION_PARAMS) */
  readonly liquidation?: LiquidationParams;
  /** oracle age limits per action (default ORACLE_POLICY_DEFAULTS) */
  readonly oraclePolicy?: OraclePolicyParams;
  /** health thresholds (core/margin/account-risk.ts; default DEFAULT_HEALTH_THRESHOLDS) */
  readonly thresholds?: HealthThresholds;
  /** trading rules: bands, market maker spreads, fees, size bounds (default DEFAULT_TRADING_PARAMS) */
  readonly trading?: TradingParams;
  /** versioned model params per mode, phased in; absent: each model's defaults */
  readonly params?: VenueParamsHistory<ModeParams>;
  /** price history for the statistical mode (`es`) */
  readonly history?: MarketHistory;
  /** the liquidator (backstop) sub-account, opened on construction; default `venue/backstop` */
  readonly liquidator?: { readonly accountId: string; readonly subAccountId: string };
}

/** Options of a market update. */
export interface MarketUpdateOptions {
  /** oracle state per asset: liquidation needs a fresh price, user actions are checked against it */
  readonly oracle?: OracleStates;
  /**
   * the same market valued at conservative (stable) prices: initial-margin checks of
   * risk-increasing actions use it (assets at min(oracle, stable), liabilities at max)
   */
  readonly conservative?: MarginMarket;
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

/** The account id reserved for the venue's own sub-accounts (liquidator, market making). */
export const VENUE_ACCOUNT_ID = 'venue';

const LINEAR = new Set(['perpetual', 'future']);

/** The venue runtime. */
export class Venue {
  readonly journal: Journal;
  readonly liquidatorKey: string;
  readonly #config: VenueConfig;
  readonly #liq: LiquidationParams;
  readonly #thresholds: HealthThresholds;
  readonly #trading: TradingParams;
  readonly #assets: ReadonlyMap<string, Asset>;
  #ctx: MarginContext | undefined;
  #conservativeCtx: MarginContext | undefined;
  #oracle: OracleStates | undefined;
  #timeMs = 0;
  readonly #health = new Map<string, SubAccountHealth>();
  /** sub-accounts whose model could not value them at the last refresh (failed closed) */
  readonly #unvalued = new Set<string>();
  readonly #liquidations: LiquidationRecord[] = [];
  readonly #listeners = new Set<(e: VenueEvent) => void>();
  readonly #parsedParams = new Map<string, unknown>();

  /** @throws InvalidInputError ERR_INVALID_INPUT on invalid limits, assets or liquidator id */
  constructor(config: VenueConfig) {
    this.#config = config;
    this.#liq = config.liquidation ?? DEFAULT_LIQUIDATION_PARAMS;
    this.#thresholds = validateHealthThresholds(config.thresholds ?? DEFAULT_HEALTH_THRESHOLDS);
    this.#trading = validateTradingParams(config.trading ?? DEFAULT_TRADING_PARAMS);
    this.#assets = new Map(config.assets.map((a) => [a.symbol, a]));
    this.journal = new Journal({ assets: config.assets, venue: config.limits });
    const l = config.liquidator ?? { accountId: 'venue', subAccountId: 'backstop' };
    this.liquidatorKey = this.journal.openSubAccount({ ...l, mode: 'cross' }).key;
  }

  /** Listens to every event (also returned by `updateMarket`); returns the unsubscribe function. */
  subscribe(listener: (e: VenueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens a sub-account (see AccountBook.open). */
  openSubAccount(spec: SubAccountSpec): SubAccount {
    return this.journal.openSubAccount(spec);
  }

  /** The current market context, once `updateMarket` has been called. */
  context(): MarginContext | undefined {
    return this.#ctx;
  }

  /** Time of the last market update, ms UTC. */
  get timeMs(): number {
    return this.#timeMs;
  }

  /** The liquidations executed so far, oldest first. */
  liquidations(): readonly LiquidationRecord[] {
    return this.#liquidations;
  }

  /** Insurance fund balances, base units per asset. */
  insuranceFund(): ReadonlyMap<string, bigint> {
    const out = new Map<string, bigint>();
    for (const a of this.#assets.keys()) {
      const u = this.journal.balanceOf('insurance-fund', a);
      if (u !== 0n) out.set(a, u);
    }
    return out;
  }

  /** The model params of a mode in effect at `timeMs` (the venue's phased-in version, else defaults). */
  paramsFor(mode: MarginMode, timeMs: number): unknown {
    const model = getMarginModel(mode);
    const history = this.#config.params;
    if (history === undefined || history.versions.length === 0) return model.defaultParams;
    const eff = history.effectiveAt(timeMs);
    const doc = eff.params[mode];
    if (doc === undefined) return model.defaultParams;
    const key = `${mode}:${eff.hash}:${eff.progress}`;
    let parsed = this.#parsedParams.get(key);
    if (parsed === undefined) {
      parsed = model.parseParams(doc);
      if (this.#parsedParams.size > 256) this.#parsedParams.clear();
      this.#parsedParams.set(key, parsed);
    }
    return parsed;
  }

  #paramsByMode(timeMs: number): Partial<Record<MarginMode, unknown>> {
    const out: Partial<Record<MarginMode, unknown>> = {};
    for (const sub of this.journal.accounts.list()) out[sub.mode] ??= this.paramsFor(sub.mode, timeMs);
    return out;
  }

  /** Health thresholds in force (validated). */
  get thresholds(): HealthThresholds {
    return this.#thresholds;
  }

  /** A venue asset (symbol, decimals), or undefined. */
  assetOf(symbol: string): Asset | undefined {
    return this.#assets.get(symbol);
  }

  /** Trading rules in force (validated). */
  get trading(): TradingParams {
    return this.#trading;
  }

  /**
   * Applies a user operation (deposit, withdrawal, transfer, trade request, funding) against the
   * current market, all or nothing. `op.timeMs` is the server's time: oracle ages, parameter
   * versions and expiries are measured against it.
   *
   * Order of the checks: the idempotency key first (a retry of an applied operation returns its
   * first entry whatever the venue's state now; the same key with another request is refused),
   * then the accounts (the venue's own sub-accounts are never a target), sizes, the trade's price
   * (the engine prices every trade: trading-policy.ts), the oracle policy, the reduce-only status,
   * and the journal's margin and leverage checks on the conservative market.
   *
   * @throws InvalidInputError naming the field; XmarginError ERR_IDEMPOTENCY_CONFLICT,
   *         ERR_UNKNOWN_INSTRUMENT, ERR_INSTRUMENT_EXPIRED; RiskError ERR_PRICE_OUT_OF_BOUNDS,
   *         ERR_ORACLE_STALE / ERR_ORACLE_INSUFFICIENT_SOURCES / ERR_MISSING_MARKET_DATA (oracle
   *         policy, `field` naming what the action prices), ERR_INSUFFICIENT_MARGIN
   */
  apply(request: UserOperation): JournalEntry {
    return this.submit(request).entry;
  }

  /**
   * {@link apply}, also returning the operation as journaled (a trade with the cash leg and fee the
   * engine computed: what a store persists) and whether the key had been applied before (a replay:
   * nothing changed, the first entry and operation are returned).
   */
  submit(request: UserOperation): { entry: JournalEntry; op: Operation; replayed: boolean } {
    if (!(USER_OPERATION_KINDS as readonly string[]).includes(request.kind))
      throw new InvalidInputError('kind', request.kind, `must be one of ${USER_OPERATION_KINDS.join(', ')}`);
    const seen = typeof request.key === 'string' ? this.journal.entryOfKey(request.key) : undefined;
    if (seen) {
      if (seen.fingerprint === toFingerprint(request))
        return { entry: seen.entry, op: seen.op, replayed: true };
      throw new XmarginError(
        'ERR_IDEMPOTENCY_CONFLICT',
        `key must not be reused with different content (first used by ${seen.entry.kind} #${seen.entry.seq}); got ${JSON.stringify(request.key)}`,
        { field: 'key', value: request.key, firstSeq: seen.entry.seq, rule: 'one request per key' },
      );
    }
    this.#requireUserTargets(request);
    const op = this.#toOperation(request);
    const action = this.#actionOf(op);
    if (action !== undefined && this.#oracle !== undefined && action.riskClass === 'risk-increasing') {
      const d = checkOraclePolicy(
        { kind: action.kind, riskClass: action.riskClass, assets: this.#assetsPriced(action.subAccount, op) },
        this.#oracle,
        op.timeMs,
        this.#config.oraclePolicy ?? ORACLE_POLICY_DEFAULTS,
      );
      if (!d.allowed)
        throw new RiskError(d.error.code, d.error.message, {
          ...d.error.details,
          field: op.kind === 'trade' ? 'instrument' : 'asset',
          rule: 'risk-increasing actions need fresh oracle prices for every asset they price',
          value: d.problems.map((p) => p.asset).join(', '),
        });
    }
    if (action?.kind === 'trade' && action.riskClass === 'risk-increasing') {
      const h = this.#health.get(action.subAccount);
      if (h && isReduceOnlyStatus(h.status))
        throw new RiskError(
          'ERR_INSUFFICIENT_MARGIN',
          `size must reduce risk while ${h.key} is ${h.status} (equity ${h.equityUsd.toFixed(2)} USD, ` +
            `MM ${h.maintenanceUsd.toFixed(2)} USD, reduce-only below MM × ${this.#thresholds.reduceOnly}); ` +
            `got a trade of ${(op as { size: number }).size} that increases it`,
          {
            field: 'size',
            rule: 'reduce-only below the reduce-only threshold',
            value: (op as { size: number }).size,
            subAccount: h.key,
            status: h.status,
          },
        );
    }
    const ctx = action?.riskClass === 'risk-increasing' ? (this.#conservativeCtx ?? this.#ctx) : this.#ctx;
    if (ctx === undefined && action?.riskClass === 'risk-increasing')
      throw new XmarginError(
        'ERR_MISSING_MARKET_DATA',
        `${op.kind} needs a market to margin-check against; no market update has been received yet`,
        { field: 'kind', value: op.kind, rule: 'a market must exist' },
      );
    const entry = this.journal.apply(op, {
      ...(ctx ? { ctx } : {}),
      params: this.#paramsByMode(op.timeMs),
    });
    for (const key of touchedSubAccounts(entry)) this.#refresh(key, op.timeMs, []);
    return { entry, op, replayed: false };
  }

  /** A venue sub-account (liquidator, `venue/...`) or a system account is never a user's target. */
  #requireUserTargets(op: UserOperation): void {
    const own = (key: unknown) =>
      typeof key === 'string' &&
      (key === this.liquidatorKey || key.startsWith(`${VENUE_ACCOUNT_ID}/`) || !key.includes('/'));
    const check = (field: string, key: unknown, allowSettlement = false) => {
      if (allowSettlement && key === 'settlement') return;
      if (own(key))
        throw new InvalidInputError(
          field,
          key,
          "must name a user's sub-account (not the venue's own or a system account)",
        );
    };
    switch (op.kind) {
      case 'deposit':
        return check('to', op.to);
      case 'withdrawal':
        return check('from', op.from);
      case 'transfer':
        check('from', op.from);
        return check('to', op.to);
      case 'trade':
        return check('subAccount', op.subAccount);
      case 'funding':
        check('payer', op.payer, true);
        return check('receiver', op.receiver, true);
    }
  }

  /** The journal operation of a request: trades priced by the engine, deposits bounded. */
  #toOperation(request: UserOperation): Operation {
    if (request.kind === 'deposit') {
      const a = this.#assets.get(request.asset);
      const price = this.#ctx?.market.prices.get(request.asset);
      if (a && typeof request.units === 'bigint' && price !== undefined) {
        const usd = fromUnits(request.units, a.decimals) * price;
        if (!(usd <= this.#trading.maxDepositUsd))
          throw new InvalidInputError(
            'units',
            request.units,
            `must be worth <= the venue's maxDepositUsd ${this.#trading.maxDepositUsd} USD per deposit (worth ${usd.toExponential(3)} USD)`,
          );
      }
      return request;
    }
    if (request.kind !== 'trade') return request;
    for (const f of ['cashUnits', 'feeUnits'] as const)
      if (f in request)
        throw new InvalidInputError(
          f,
          (request as unknown as Record<string, unknown>)[f],
          'must not be given: the venue computes the cash leg and the fee of a trade',
        );
    this.journal.accounts.get(request.subAccount, 'subAccount');
    const market = this.#ctx?.market;
    if (!market)
      throw new XmarginError(
        'ERR_MISSING_MARKET_DATA',
        'a trade needs a market to price it; no market update has been received yet',
        {
          field: 'instrument',
          value: request.instrument,
          rule: 'a market must exist',
        },
      );
    const marked = market.instruments.get(request.instrument);
    const settlement = this.#assets.get(this.#liq.settlementAsset);
    if (!settlement)
      throw new InvariantError(`settlement asset ${this.#liq.settlementAsset} is not a venue asset`, {});
    const held = this.journal.positionOf(request.subAccount, request.instrument);
    return priceTrade(request, {
      marked,
      indexUsd: marked ? (market.prices.get(marked.instrument.underlying) ?? NaN) : NaN,
      held,
      settlement: { symbol: settlement.symbol, decimals: settlement.decimals },
      nowMs: request.timeMs,
      params: this.#trading,
    });
  }

  /**
   * Marks the present state so that what follows can be undone with {@link rollback} (a store that
   * cannot persist it): the journal records what each new entry replaces until {@link release}.
   */
  checkpoint(): { readonly entries: number; readonly subAccounts: readonly string[] } {
    this.journal.beginUndo();
    return {
      entries: this.journal.entryCount(),
      subAccounts: this.journal.accounts.list().map((s) => s.key),
    };
  }

  /**
   * Undoes every operation and sub-account opening since `cp`, and re-margins what they touched:
   * the venue is as it was at the checkpoint. Only user operations and openings may be undone (the
   * service never rolls back a market update: it stops instead).
   */
  rollback(cp: { readonly entries: number; readonly subAccounts: readonly string[] }): void {
    const touched = new Set<string>();
    for (const e of this.journal.entries().slice(cp.entries))
      for (const k of touchedSubAccounts(e)) touched.add(k);
    this.journal.rollbackTo(cp.entries);
    const keep = new Set(cp.subAccounts);
    for (const s of this.journal.accounts.list())
      if (!keep.has(s.key)) {
        this.journal.accounts.remove(s.key);
        this.#health.delete(s.key);
        touched.delete(s.key);
      }
    for (const k of touched) if (this.journal.accounts.find(k)) this.#refresh(k, this.#timeMs, []);
    this.journal.releaseUndo();
  }

  /** Ends a checkpoint: what was applied since is durable and can no longer be undone. */
  release(): void {
    this.journal.releaseUndo();
  }

  /**
   * Applies an operation that was accepted once (a stored one on restart, the venue's own set-up or
   * settlement), without margin or oracle checks; once a market exists, re-margins what it touched.
   */
  restore(op: Operation): JournalEntry {
    const entry = this.journal.apply(op, { trusted: true });
    if (this.#ctx) for (const key of touchedSubAccounts(entry)) this.#refresh(key, op.timeMs, []);
    return entry;
  }

  /**
   * A new market state: re-margins every sub-account, then tops up and liquidates those below MM.
   *
   * @param market  the marked market at `timeMs`
   * @param timeMs  valuation time, ms UTC (≥ the previous update's)
   * @returns       the events, in order (also sent to subscribers)
   */
  updateMarket(market: MarginMarket, timeMs: number, options: MarketUpdateOptions = {}): VenueEvent[] {
    if (!(Number.isSafeInteger(timeMs) && timeMs >= this.#timeMs))
      throw new InvalidInputError(
        'timeMs',
        timeMs,
        `must be an integer ms >= the last update ${this.#timeMs}`,
      );
    this.#timeMs = timeMs;
    this.#ctx = createMarginContext(market, this.#config.history);
    this.#conservativeCtx = options.conservative
      ? createMarginContext(options.conservative, this.#config.history)
      : undefined;
    this.#oracle = options.oracle;
    const events: VenueEvent[] = [];
    this.#emit(events, { type: 'tick', timeMs, prices: Object.fromEntries(market.prices) });
    const liquidatable: string[] = [];
    for (const sub of this.journal.accounts.list()) {
      if (sub.key === this.liquidatorKey) continue;
      const h = this.#refresh(sub.key, timeMs, events);
      if (h && isLiquidatableStatus(h.status) && this.#hasSomethingToLiquidate(sub.key))
        liquidatable.push(sub.key);
    }
    for (const key of liquidatable) {
      if (options.oracle !== undefined) {
        const d = checkOraclePolicy(
          { kind: 'liquidation', riskClass: 'risk-reducing', assets: this.#assetsPriced(key) },
          options.oracle,
          timeMs,
          this.#config.oraclePolicy ?? ORACLE_POLICY_DEFAULTS,
        );
        if (!d.allowed) continue; // liquidation waits for a fresh price
      }
      this.#topUp(key, timeMs, events);
      const h = this.#refresh(key, timeMs, events);
      if (h && isLiquidatableStatus(h.status)) this.#liquidate(key, timeMs, events);
    }
    return events;
  }

  /**
   * Re-installs a market state the venue was at (after a restart): the context, the oracle states
   * and the time, and every sub-account's health, with NO engine action (no top-up, no
   * liquidation): the operations those took the first time are already in the journal. Applying it
   * twice is the same as applying it once.
   * @throws InvalidInputError naming `timeMs` when it is behind the venue's time
   */
  restoreMarket(market: MarginMarket, timeMs: number, options: MarketUpdateOptions = {}): void {
    if (!(Number.isSafeInteger(timeMs) && timeMs >= this.#timeMs))
      throw new InvalidInputError(
        'timeMs',
        timeMs,
        `must be an integer ms >= the last update ${this.#timeMs}`,
      );
    this.#timeMs = timeMs;
    this.#ctx = createMarginContext(market, this.#config.history);
    this.#conservativeCtx = options.conservative
      ? createMarginContext(options.conservative, this.#config.history)
      : undefined;
    this.#oracle = options.oracle;
    this.#health.clear();
    for (const sub of this.journal.accounts.list())
      if (sub.key !== this.liquidatorKey) this.#refresh(sub.key, timeMs, []);
  }

  /** The sub-account's last computed health. */
  health(key: string): SubAccountHealth {
    this.journal.accounts.get(key, 'subAccount');
    return this.#health.get(key) ?? this.#refresh(key, this.#timeMs, []) ?? this.#emptyHealth(key);
  }

  /** Every sub-account's last computed health (the liquidator excluded), in opening order. */
  healthAll(): SubAccountHealth[] {
    return this.journal.accounts
      .list()
      .filter((s) => s.key !== this.liquidatorKey)
      .map((s) => this.#health.get(s.key) ?? this.#emptyHealth(s.key));
  }

  /** Auto-deleveraging queue per instrument and side: most profitable × levered first. */
  adlRanks(): AdlRankRow[] {
    const ctx = this.#ctx;
    if (!ctx) return [];
    const rows: AdlRankRow[] = [];
    const byInstrument = new Map<string, AdlAccount[]>();
    for (const sub of this.journal.accounts.list()) {
      if (sub.key === this.liquidatorKey) continue;
      for (const p of this.#adlPositions(sub.key, ctx.market)) {
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

  // ---------------------------------------------------------------------------------------------

  #emit(events: VenueEvent[], e: VenueEvent): void {
    events.push(e);
    for (const l of this.#listeners) l(e);
  }

  /**
   * Whether a liquidation could change anything: a position to close, non-settlement collateral to
   * sell, or a negative settlement balance the insurance fund can still pay. A bankrupt sub-account
   * with none of these is left as it is (its deficit was charged once, when it went bankrupt), so
   * that re-applying a market never charges it again.
   */
  #hasSomethingToLiquidate(key: string): boolean {
    if (this.#unvalued.has(key)) return false;
    const pf = this.journal.portfolioOf(key);
    if (pf.positions.length > 0) return true;
    for (const [symbol, bal] of pf.collateral)
      if (bal.units > 0n && symbol !== this.#liq.settlementAsset && !this.#liq.stableAssets.includes(symbol))
        return true;
    const owed = -this.journal.balanceOf(key, this.#liq.settlementAsset);
    return owed > 0n && this.journal.balanceOf('insurance-fund', this.#liq.settlementAsset) > 0n;
  }

  #emptyHealth(key: string): SubAccountHealth {
    const sub = this.journal.accounts.get(key, 'subAccount');
    return {
      key,
      accountId: sub.accountId,
      subAccountId: sub.subAccountId,
      mode: sub.mode,
      equityUsd: 0,
      initialUsd: 0,
      maintenanceUsd: 0,
      health: null,
      status: 'healthy',
    };
  }

  /** Recomputes a sub-account's health; emits `margin` and, on a status change, `status`. */
  #refresh(key: string, timeMs: number, events: VenueEvent[]): SubAccountHealth | undefined {
    const ctx = this.#ctx;
    if (!ctx || key === this.liquidatorKey) return undefined;
    const sub = this.journal.accounts.get(key, 'subAccount');
    const model = getMarginModel(sub.mode);
    let risk;
    try {
      const r = model.compute(this.journal.portfolioOf(key), ctx, this.paramsFor(sub.mode, timeMs));
      risk = toAccountRisk(r.equityUsd, r.initialUsd, r.maintenanceUsd, this.#thresholds);
      this.#unvalued.delete(key);
    } catch (e) {
      // Fail closed: an account the model cannot value is liquidatable (no new risk, reported),
      // never healthy; the engine does not liquidate it on numbers it does not have.
      if (!(e instanceof XmarginError) || e.code === 'ERR_INVARIANT') throw e;
      risk = toAccountRisk(NaN, NaN, NaN, this.#thresholds);
      this.#unvalued.add(key);
    }
    const h: SubAccountHealth = {
      key,
      accountId: sub.accountId,
      subAccountId: sub.subAccountId,
      mode: sub.mode,
      ...risk,
    };
    const prev = this.#health.get(key);
    this.#health.set(key, h);
    this.#emit(events, { type: 'margin', account: h });
    if (prev && prev.status !== h.status)
      this.#emit(events, { type: 'status', timeMs, from: prev.status, account: h });
    return h;
  }

  #actionOf(
    op: Operation,
  ): { kind: ActionKind; riskClass: ReturnType<typeof classifyAction>; subAccount: string } | undefined {
    switch (op.kind) {
      case 'trade': {
        const before = this.journal.positionSizeOf(op.subAccount, op.instrument);
        const size = typeof op.size === 'number' ? op.size : 0;
        if (!Number.isFinite(size)) return undefined; // the journal names the field
        return {
          kind: 'trade',
          riskClass: classifyAction('trade', before, before + size),
          subAccount: op.subAccount,
        };
      }
      case 'withdrawal':
        return { kind: 'withdrawal', riskClass: 'risk-increasing', subAccount: op.from };
      case 'transfer':
        return { kind: 'transfer-out', riskClass: 'risk-increasing', subAccount: op.from };
      case 'deposit':
        return { kind: 'deposit', riskClass: 'risk-reducing', subAccount: op.to };
      default:
        return undefined;
    }
  }

  /**
   * Assets whose prices an action's checks use: the underlyings of the sub-account's positions
   * (and of a traded instrument) and its non-stable collateral, limited to assets the oracle
   * covers or that are not stablecoins (a stablecoin without an oracle is taken at its market
   * price).
   */
  #assetsPriced(subAccount: string, op?: Operation): string[] {
    const out = new Set<string>();
    const market = this.#ctx?.market;
    const stable = (a: string) => this.#liq.stableAssets.includes(a) && this.#oracle?.[a] === undefined;
    if (this.journal.accounts.find(subAccount)) {
      const pf = this.journal.portfolioOf(subAccount);
      for (const p of pf.positions) {
        const u = market?.instruments.get(p.instrument)?.instrument.underlying;
        if (u !== undefined) out.add(u);
      }
      for (const a of pf.collateral.keys()) out.add(a);
    }
    if (op?.kind === 'trade') {
      const u = market?.instruments.get(op.instrument)?.instrument.underlying;
      if (u !== undefined) out.add(u);
    }
    if (op && 'asset' in op && typeof op.asset === 'string') out.add(op.asset);
    return [...out].filter((a) => !stable(a)).sort();
  }

  /** Requirement a sibling must keep: max(IM, MM × (1 + buffer)). */
  #excessUsd(key: string): number {
    const h = this.#health.get(key);
    const sub = this.journal.accounts.get(key, 'subAccount');
    if (!h) return 0;
    return h.equityUsd - Math.max(h.initialUsd, h.maintenanceUsd * (1 + sub.limits.bufferFraction));
  }

  /**
   * Automatic top-up (collateral reuse): a sub-account that opted in receives, before it is
   * liquidated, the settlement stablecoin from its siblings' excess (each sibling keeps its own
   * requirement: the transfer is margin-checked on the sender), up to what brings it back to IM.
   */
  #topUp(key: string, timeMs: number, events: VenueEvent[]): void {
    const sub = this.journal.accounts.get(key, 'subAccount');
    const ctx = this.#ctx;
    if (!sub.limits.autoTopUp || !ctx) return;
    const asset = this.#liq.settlementAsset;
    const a = this.#assets.get(asset);
    if (!a) return;
    const price = ctx.market.prices.get(asset) ?? 1;
    const siblings = this.journal.accounts
      .list()
      .filter((s) => s.accountId === sub.accountId && s.key !== key)
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    for (const sib of siblings) {
      // A transfer in can raise the receiver's IM a little (a haircut on what it receives): the
      // amount carries 1% headroom, and up to three rounds per sibling close what gap remains.
      for (let round = 0; round < 3; round++) {
        const h = this.#health.get(key);
        if (!h) return;
        const needUsd = h.initialUsd - h.equityUsd;
        if (!(needUsd > 0)) return;
        this.#refresh(sib.key, timeMs, events);
        const excessUsd = this.#excessUsd(sib.key);
        const balance = this.journal.balanceOf(sib.key, asset);
        if (!(excessUsd > 0) || balance <= 0n) break;
        let units = requirementToUnits(Math.min(needUsd * 1.01, excessUsd) / price, a.decimals);
        if (units > balance) units = balance;
        if (units <= 0n) break;
        const op: Operation = {
          kind: 'transfer',
          key: this.#engineKey('top-up'),
          timeMs,
          from: sib.key,
          to: key,
          asset,
          units,
        };
        try {
          const entry = this.journal.apply(op, { ctx, params: this.#paramsByMode(timeMs) });
          this.#emit(events, { type: 'operation', op, entry });
        } catch (e) {
          if (e instanceof RiskError && e.code === 'ERR_INSUFFICIENT_MARGIN') break; // sibling cannot spare it
          throw e;
        }
        this.#refresh(sib.key, timeMs, events);
        this.#refresh(key, timeMs, events);
      }
    }
  }

  #engineKey(what: string): string {
    return `engine-${this.journal.entryCount() + 1}-${what}`;
  }

  #applyEngine(op: Operation, events: VenueEvent[]): JournalEntry {
    try {
      const entry = this.journal.apply(op, { trusted: true });
      this.#emit(events, { type: 'operation', op, entry });
      return entry;
    } catch (e) {
      throw new InvariantError(`engine operation ${op.kind} ${op.key} was refused: ${(e as Error).message}`, {
        op: op.kind,
        key: op.key,
      });
    }
  }

  /** Executes the planner's plan for one sub-account as journal operations. */
  #liquidate(key: string, timeMs: number, events: VenueEvent[]): void {
    const ctx = this.#ctx!;
    const market = ctx.market;
    const sub = this.journal.accounts.get(key, 'subAccount');
    const before = this.#health.get(key)!;
    const pf = this.journal.portfolioOf(key);
    const model = getMarginModel(sub.mode);
    const plan = planLiquidation(pf, ctx, model, this.paramsFor(sub.mode, timeMs), this.#liq, {
      collateralOrder: sub.limits.collateralOrder,
    });
    if (plan.status === 'healthy') return;
    const cashAsset = cashAssetOf(pf, market, this.#liq);
    const cash = this.#assets.get(cashAsset);
    if (!cash)
      throw new InvariantError(`settlement asset ${cashAsset} is not a venue asset`, { asset: cashAsset });
    const cashPrice = market.prices.get(cashAsset) ?? 1;
    const toCash = (usd: number) => creditToUnits(usd / cashPrice, cash.decimals);
    const liquidator = this.liquidatorKey;

    // Positions: the closed part of each moves to the liquidator at its mark value.
    const values = valuePortfolio(pf, market).positions;
    const after = new Map(plan.portfolioAfter.positions.map((p) => [p.instrument, p.size]));
    for (const v of values) {
      const p = v.position;
      const closed = p.size - (after.get(p.instrument) ?? 0);
      if (closed === 0 || Math.sign(closed) !== Math.sign(p.size)) continue;
      const size = Math.abs(closed) > Math.abs(p.size) ? p.size : closed;
      const linear = LINEAR.has(v.marked.instrument.kind);
      const price = linear ? (p.entryPrice ?? v.marked.markPrice) : v.marked.markPrice;
      this.#applyEngine(
        {
          kind: 'liquidation',
          key: this.#engineKey('liq'),
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
      this.#applyEngine(
        {
          kind: 'collateral-sale',
          key: this.#engineKey('sale'),
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
    // The charge: slippage and the liquidator's fee share to the liquidator, the fund's share, gas.
    const gasUsd = Math.min(plan.totalCostUsd, plan.steps.length * this.#liq.gasUsd);
    const slippageUsd = plan.totalCostUsd - gasUsd;
    const insuranceUsd = plan.insuranceFundUsd;
    const liquidatorUsd = slippageUsd + Math.max(0, plan.liquidatorFeeUsd - insuranceUsd);
    const roundUp = (usd: number) => (usd > 0 ? requirementToUnits(usd / cashPrice, cash.decimals) : 0n);
    const charge = { liq: roundUp(liquidatorUsd), ins: roundUp(insuranceUsd), gas: roundUp(gasUsd) };
    if (charge.liq + charge.ins + charge.gas > 0n)
      this.#applyEngine(
        {
          kind: 'liquidation-charge',
          key: this.#engineKey('charge'),
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
    const rest = this.journal.portfolioOf(key);
    const bankrupt = rest.positions.length === 0 && valuePortfolio(rest, market).equityUsd < 0;
    if (bankrupt) {
      let owed = -this.journal.balanceOf(key, cashAsset);
      deficitUsd = Math.max(0, -valuePortfolio(rest, market).equityUsd);
      const fund = this.journal.balanceOf('insurance-fund', cashAsset);
      const pay = owed < fund ? owed : fund;
      if (pay > 0n) {
        this.#applyEngine(
          {
            kind: 'insurance-payout',
            key: this.#engineKey('insurance'),
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
      if (owed > 0n) adlUsd = this.#autoDeleverage(key, pf, owed, cashAsset, timeMs, events);
    }
    this.#refresh(liquidator, timeMs, events);
    const afterH = this.#refresh(key, timeMs, events)!;
    const record: LiquidationRecord = {
      timeMs,
      subAccount: key,
      outcome: plan.status === 'restored' ? 'restored' : bankrupt ? 'bankrupt' : 'unreachable',
      plan: plan.chosen,
      steps: plan.steps.length,
      costUsd: plan.totalCostUsd,
      feeUsd: plan.liquidatorFeeUsd,
      insuranceUsd,
      bankrupt,
      deficitUsd,
      insurancePaidUsd,
      adlUsd,
      before,
      after: afterH,
    };
    this.#liquidations.push(record);
    this.#emit(events, { type: 'liquidation', record });
  }

  /** Positions of a sub-account as the ADL ranking sees them (only those with a uPnL defined). */
  #adlPositions(key: string, market: MarginMarket): AdlPositionView[] {
    const pf: Portfolio = this.journal.portfolioOf(key);
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
  #autoDeleverage(
    bankrupt: string,
    closedFrom: Portfolio,
    owed: bigint,
    cashAsset: string,
    timeMs: number,
    events: VenueEvent[],
  ): number {
    const market = this.#ctx!.market;
    const cash = this.#assets.get(cashAsset)!;
    const cashPrice = market.prices.get(cashAsset) ?? 1;
    let socialised = 0n;
    for (const closed of closedFrom.positions) {
      if (owed <= 0n) break;
      const inst = market.instruments.get(closed.instrument)?.instrument;
      if (!inst || !LINEAR.has(inst.kind)) continue;
      const side = closed.size > 0 ? 'short' : 'long'; // the opposite side pays
      const accounts: AdlAccount[] = [];
      const byId = new Map<string, AdlPositionView>();
      for (const sub of this.journal.accounts.list()) {
        if (sub.key === bankrupt || sub.key === this.liquidatorKey) continue;
        const p = this.#adlPositions(sub.key, market).find(
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
        this.#applyEngine(
          {
            kind: 'adl',
            key: this.#engineKey('adl'),
            timeMs,
            from: r.id,
            to: bankrupt,
            liquidator: this.liquidatorKey,
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
        this.#refresh(r.id, timeMs, events);
      }
    }
    return fromUnits(socialised, cash.decimals) * cashPrice;
  }
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

/** Sub-accounts an entry's postings or position changes touch. */
function touchedSubAccounts(entry: JournalEntry): string[] {
  const out = new Set<string>();
  for (const p of entry.postings) if (p.account.includes('/')) out.add(p.account);
  for (const c of entry.positionChanges) out.add(c.subAccount);
  return [...out];
}
