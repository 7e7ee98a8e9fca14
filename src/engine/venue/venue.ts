/**
 * @module engine/venue
 *
 * The venue runtime: the exact journal, the columnar risk book (venue-risk.ts) and the current
 * market. The one path from a price to a liquidation: the service, `xmargin simulate`, the
 * backtest's crash replays and the demo all drive `updateMarket`.
 *
 * - user operations (`apply`) pass the idempotency check, the targets and sizes, the engine's
 *   pricing of trades, the oracle policy (a stale or failed oracle blocks risk-increasing actions
 *   and says why), the reduce-only status, and the journal's margin and leverage checks on the
 *   conservative market, with the venue's effective (phased-in) model params;
 * - a market update (`updateMarket`) prepares every mode's kernel once, re-margins only the
 *   sub-accounts it can change, emits health events, and hands every liquidatable sub-account to
 *   the liquidation chain (liquidation-chain.ts: top-up, least-cost plan, insurance fund, ADL) when
 *   the oracle is fresh enough for liquidation.
 *
 * Every operation the venue applies itself is reported as an `operation` event, so a store that
 * persists every operation rebuilds the venue by replaying them with `restore`, then re-installs
 * the market with `restoreMarket`. Nothing is created or lost: every operation's postings sum to
 * zero per asset.
 *
 * Units: USD (float64) for equity and requirements, exact base units for balances, ms UTC. No
 * clock: times are arguments.
 *
 * @see docs/methodology/venue-runtime.md
 */
import type { Asset } from '../../core/ledger/asset.js';
import { InvalidInputError, InvariantError, RiskError, XmarginError } from '../../core/errors.js';
import {
  DEFAULT_LIQUIDATION_PARAMS,
  type LiquidationParams,
  type LiquidationPricing,
} from '../../core/liquidation/index.js';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  isLiquidatableStatus,
  isReduceOnlyStatus,
  validateHealthThresholds,
  type HealthThresholds,
} from '../../core/margin/account-risk.js';
import { createMarginContext, type MarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import type { MarginMode, SubAccount, SubAccountSpec, VenueLimits } from '../accounts.js';
import { Journal, type JournalEntry } from '../journal.js';
import { toFingerprint, USER_OPERATION_KINDS, type Operation, type UserOperation } from '../operations.js';
import {
  ORACLE_POLICY_DEFAULTS,
  checkOraclePolicy,
  type OraclePolicyParams,
  type OracleStates,
} from '../policy/oracle-policy.js';
import {
  DEFAULT_TRADING_PARAMS,
  validateTradingParams,
  type TradingParams,
} from '../policy/trading-policy.js';
import type { ParamValue, VenueParamsHistory } from '../policy/venue-params.js';
import { adlRanks, liquidate, topUp, type AdlRankRow, type ChainHost } from './liquidation-chain.js';
import { actionOf, assetsPriced, requireUserTargets, toOperation } from './venue-requests.js';
import { VenueRisk } from './venue-risk.js';
import type { LiquidationRecord, SubAccountHealth, VenueEvent } from './venue-types.js';

export { VENUE_ACCOUNT_ID } from './venue-requests.js';
export type { AdlRankRow } from './liquidation-chain.js';

/** Model params documents per margin mode (merged over each model's defaults by `parseParams`). */
export type ModeParams = { readonly [mode: string]: ParamValue };

/** Configuration of a {@link Venue}. */
export interface VenueConfig {
  /** assets balances may hold (symbol, decimals) */
  readonly assets: readonly Asset[];
  readonly limits: VenueLimits;
  /** liquidation planner params (default DEFAULT_LIQUIDATION_PARAMS) */
  readonly liquidation?: LiquidationParams;
  /**
   * the venue's own liquidation pricing (core/margin/liquidation-pricing.ts): what the closed
   * positions cost the account; absent: the planner's costs
   */
  readonly liquidationPricing?: LiquidationPricing;
  /** oracle age limits per action (default ORACLE_POLICY_DEFAULTS) */
  readonly oraclePolicy?: OraclePolicyParams;
  /** health thresholds (core/margin/account-risk.ts; default DEFAULT_HEALTH_THRESHOLDS) */
  readonly thresholds?: HealthThresholds;
  /** trading rules: bands, market maker spreads, fees, size bounds (default DEFAULT_TRADING_PARAMS) */
  readonly trading?: TradingParams;
  /** versioned model params per mode, phased in; absent: each model's defaults */
  readonly params?: VenueParamsHistory<ModeParams>;
  /** price history for the statistical modes (`es`, `var`) */
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

/** The venue runtime. */
export class Venue {
  readonly journal: Journal;
  readonly liquidatorKey: string;
  readonly #config: VenueConfig;
  readonly #liq: LiquidationParams;
  readonly #thresholds: HealthThresholds;
  readonly #trading: TradingParams;
  readonly #assets: ReadonlyMap<string, Asset>;
  readonly #risk: VenueRisk;
  #ctx: MarginContext | undefined;
  #conservativeCtx: MarginContext | undefined;
  #oracle: OracleStates | undefined;
  #timeMs = 0;
  readonly #liquidations: LiquidationRecord[] = [];
  readonly #listeners = new Set<(e: VenueEvent) => void>();
  readonly #parsedParams = new Map<string, unknown>();
  /** which sub-accounts get a `margin` event on a re-margin (default all) */
  #marginEvents: (key: string) => boolean = () => true;
  readonly #host: ChainHost;

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
    this.#risk = new VenueRisk(this.journal, this.#thresholds, (m, t) => this.paramsFor(m, t));
    this.#host = this.#chainHost();
  }

  /** Listens to every event (also returned by `updateMarket`); returns the unsubscribe function. */
  subscribe(listener: (e: VenueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Chooses which sub-accounts get a `margin` event when re-margined (a venue of 10⁵ accounts
   * emits them only for those someone watches); status, liquidation and operation events are
   * always emitted.
   */
  watchMargins(filter: (key: string) => boolean): void {
    this.#marginEvents = filter;
  }

  /** Opens a sub-account (see AccountBook.open). */
  openSubAccount(spec: SubAccountSpec): SubAccount {
    const sub = this.journal.openSubAccount(spec);
    this.#risk.add(sub);
    if (this.#ctx) this.#refresh(sub.key, this.#timeMs, []);
    return sub;
  }

  /** The current market context, once `updateMarket` has been called. */
  context(): MarginContext | undefined {
    return this.#ctx;
  }

  /** The price history the statistical modes read (`es`, `var`), if the venue has one. */
  get history(): MarketHistory | undefined {
    return this.#config.history;
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

  /** The columnar book (benchmarks, diagnostics: memory per account). */
  get book() {
    return this.#risk.book;
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
    requireUserTargets(request, this.liquidatorKey);
    const op = toOperation(request, {
      journal: this.journal,
      market: this.#ctx?.market,
      assets: this.#assets,
      liq: this.#liq,
      trading: this.#trading,
    });
    const action = actionOf(op, this.journal);
    if (action !== undefined && this.#oracle !== undefined && action.riskClass === 'risk-increasing') {
      const assets = assetsPriced(
        this.journal,
        this.#ctx?.market,
        this.#oracle,
        this.#liq,
        action.subAccount,
        op,
      );
      const d = checkOraclePolicy(
        { kind: action.kind, riskClass: action.riskClass, assets },
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
    if (action?.kind === 'trade' && action.riskClass === 'risk-increasing' && this.#risk.hasMarket) {
      const h = this.#risk.health(action.subAccount);
      if (isReduceOnlyStatus(h.status))
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
        {
          field: 'kind',
          value: op.kind,
          rule: 'a market must exist',
        },
      );
    const entry = this.journal.apply(op, {
      ...(ctx ? { ctx } : {}),
      params: this.#paramsByMode(op.timeMs),
      fallFactor: (key) => this.#risk.fallFactor(key),
    });
    for (const key of touchedSubAccounts(entry)) this.#refresh(key, op.timeMs, []);
    return { entry, op, replayed: false };
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
    for (const s of [...this.journal.accounts.list()].reverse())
      if (!keep.has(s.key)) {
        this.journal.accounts.remove(s.key);
        this.#risk.removeLast(s.key);
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
    for (const key of touchedSubAccounts(entry))
      if (this.#ctx) this.#refresh(key, op.timeMs, []);
      else this.#risk.sync(key);
    return entry;
  }

  /**
   * A new market state: prepares every mode's kernel, re-margins the sub-accounts it can change,
   * then tops up and liquidates those below MM (liquidation-chain.ts).
   *
   * @param market  the marked market at `timeMs`
   * @param timeMs  valuation time, ms UTC (≥ the previous update's)
   * @returns       the events, in order (also sent to subscribers)
   */
  updateMarket(market: MarginMarket, timeMs: number, options: MarketUpdateOptions = {}): VenueEvent[] {
    const first = this.#install(market, timeMs, options);
    const events: VenueEvent[] = [];
    this.#emit(events, { type: 'tick', timeMs, prices: Object.fromEntries(market.prices) });
    this.#remargin(this.#risk.setMarket(this.#ctx!, timeMs, first), timeMs, events);
    // Every sub-account below MM (re-margined now or waiting since an earlier tick for a fresh price).
    const book = this.#risk.book;
    const candidates: string[] = [];
    for (let a = 0; a < book.size; a++) {
      const key = this.#risk.subAt(a).key;
      if (isLiquidatableStatus(book.statusOf(a)) && this.#hasSomethingToLiquidate(key)) candidates.push(key);
    }
    for (const key of candidates) {
      if (options.oracle !== undefined) {
        const assets = assetsPriced(this.journal, market, this.#oracle, this.#liq, key);
        const d = checkOraclePolicy(
          { kind: 'liquidation', riskClass: 'risk-reducing', assets },
          options.oracle,
          timeMs,
          this.#config.oraclePolicy ?? ORACLE_POLICY_DEFAULTS,
        );
        if (!d.allowed) continue; // liquidation waits for a fresh price
      }
      topUp(this.#host, key, timeMs, events);
      const h = this.#refresh(key, timeMs, events);
      if (h && isLiquidatableStatus(h.status)) liquidate(this.#host, key, timeMs, events);
    }
    return events;
  }

  /**
   * Re-installs a market state the venue was at (after a restart): the context, the oracle states
   * and the time, and every sub-account's health, with NO engine action (no top-up, no
   * liquidation): the operations those took the first time are already in the journal. Applying it
   * twice is the same as applying it once. `fallFactors` are the fall limit's factors the venue had
   * at that market ({@link fallFactors}, persisted with it), re-installed before the re-margin.
   * @throws InvalidInputError naming `timeMs` when it is behind the venue's time
   */
  restoreMarket(
    market: MarginMarket,
    timeMs: number,
    options: MarketUpdateOptions = {},
    fallFactors: Readonly<Record<string, number>> = {},
  ): void {
    this.#install(market, timeMs, options);
    this.#risk.restoreFallFactors(fallFactors, timeMs);
    this.#risk.remargin(this.#risk.setMarket(this.#ctx!, timeMs, true));
  }

  /** Sets the market, its conservative twin and the oracle; true on the first market. */
  #install(market: MarginMarket, timeMs: number, options: MarketUpdateOptions): boolean {
    if (!(Number.isSafeInteger(timeMs) && timeMs >= this.#timeMs))
      throw new InvalidInputError(
        'timeMs',
        timeMs,
        `must be an integer ms >= the last update ${this.#timeMs}`,
      );
    const first = this.#ctx === undefined;
    this.#timeMs = timeMs;
    this.#ctx = createMarginContext(market, this.#config.history);
    this.#conservativeCtx = options.conservative
      ? createMarginContext(options.conservative, this.#config.history)
      : undefined;
    this.#oracle = options.oracle;
    return first;
  }

  /** The sub-account's last computed health. */
  health(key: string): SubAccountHealth {
    this.journal.accounts.get(key, 'subAccount');
    if (key === this.liquidatorKey) {
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
    return this.#risk.health(key);
  }

  /** Every sub-account's last computed health (the liquidator excluded), in opening order. */
  healthAll(): SubAccountHealth[] {
    const out: SubAccountHealth[] = [];
    for (let a = 0; a < this.#risk.book.size; a++) out.push(this.#risk.health(this.#risk.subAt(a).key));
    return out;
  }

  /**
   * The fall limit's factor g ≥ 1 on a sub-account's model requirement (1 when none binds; the
   * venue's IM and MM are the model's × g: venue-risk.ts). What-ifs and verdicts scale by it.
   */
  fallFactor(key: string): number {
    return this.#risk.fallFactor(key);
  }

  /**
   * Every sub-account's fall-limit factor other than 1, by key: the state a store persists with
   * each market state, and gives back to {@link restoreMarket} on a restart.
   */
  fallFactors(): Record<string, number> {
    return this.#risk.fallFactors();
  }

  /** Auto-deleveraging queue per instrument and side: most profitable × levered first. */
  adlRanks(): AdlRankRow[] {
    return adlRanks(this.#host);
  }

  // ---------------------------------------------------------------------------------------------

  #emit(events: VenueEvent[], e: VenueEvent): void {
    events.push(e);
    for (const l of this.#listeners) l(e);
  }

  /** Re-margins `ids` and emits margin (as watched) and status events. */
  #remargin(ids: Int32Array, timeMs: number, events: VenueEvent[]): void {
    const changes = this.#risk.remargin(ids);
    for (let k = 0; k < ids.length; k++) {
      const key = this.#risk.subAt(ids[k]!).key;
      if (this.#marginEvents(key)) this.#emit(events, { type: 'margin', account: this.#risk.health(key) });
    }
    for (const c of changes)
      this.#emit(events, {
        type: 'status',
        timeMs,
        from: c.from,
        account: this.#risk.health(this.#risk.subAt(c.a).key),
      });
  }

  /** Re-derives and re-margins a sub-account; emits `margin` and, on a status change, `status`. */
  #refresh(key: string, timeMs: number, events: VenueEvent[]): SubAccountHealth | undefined {
    if (key === this.liquidatorKey || this.#risk.indexOf(key) === undefined) return undefined;
    const change = this.#risk.refresh(key);
    if (!this.#ctx) return undefined;
    const h = this.#risk.health(key);
    if (this.#marginEvents(key)) this.#emit(events, { type: 'margin', account: h });
    if (change) this.#emit(events, { type: 'status', timeMs, from: change.from, account: h });
    return h;
  }

  /**
   * Whether a liquidation could change anything: a position to close, non-settlement collateral to
   * sell, or a negative settlement balance the insurance fund can still pay. A bankrupt sub-account
   * with none of these is left as it is (its deficit was charged once, when it went bankrupt), so
   * that re-applying a market never charges it again. An account its model cannot value is not
   * liquidated on numbers it does not have.
   */
  #hasSomethingToLiquidate(key: string): boolean {
    if (this.#risk.isUnvalued(key)) return false;
    const pf = this.journal.portfolioOf(key);
    if (pf.positions.length > 0) return true;
    for (const [symbol, bal] of pf.collateral)
      if (bal.units > 0n && symbol !== this.#liq.settlementAsset && !this.#liq.stableAssets.includes(symbol))
        return true;
    const owed = -this.journal.balanceOf(key, this.#liq.settlementAsset);
    return owed > 0n && this.journal.balanceOf('insurance-fund', this.#liq.settlementAsset) > 0n;
  }

  /** What the liquidation chain sees of the venue. */
  #chainHost(): ChainHost {
    return {
      journal: this.journal,
      liquidatorKey: this.liquidatorKey,
      liq: this.#liq,
      ...(this.#config.liquidationPricing ? { pricing: this.#config.liquidationPricing } : {}),
      assets: this.#assets,
      ctx: () => this.#ctx,
      healthOf: (key) => (this.#risk.indexOf(key) === undefined ? undefined : this.#risk.health(key)),
      refresh: (key, timeMs, events) => this.#refresh(key, timeMs, events),
      emit: (events, e) => this.#emit(events, e),
      engineKey: (what) => `engine-${this.journal.entryCount() + 1}-${what}`,
      applyEngine: (op, events) => {
        let entry: JournalEntry;
        try {
          entry = this.journal.apply(op, { trusted: true });
        } catch (e) {
          throw new InvariantError(
            `engine operation ${op.kind} ${op.key} was refused: ${(e as Error).message}`,
            {
              op: op.kind,
              key: op.key,
            },
          );
        }
        for (const key of touchedSubAccounts(entry)) this.#risk.sync(key);
        this.#emit(events, { type: 'operation', op, entry });
        return entry;
      },
      paramsFor: (mode, timeMs) => this.paramsFor(mode, timeMs),
      paramsByMode: (timeMs) => this.#paramsByMode(timeMs),
      fallFactor: (key) => this.#risk.fallFactor(key),
      recordLiquidation: (record) => this.#liquidations.push(record),
    };
  }
}

/** Sub-accounts an entry's postings or position changes touch. */
function touchedSubAccounts(entry: JournalEntry): string[] {
  const out = new Set<string>();
  for (const p of entry.postings) if (p.account.includes('/')) out.add(p.account);
  for (const c of entry.positionChanges) out.add(c.subAccount);
  return [...out];
}
