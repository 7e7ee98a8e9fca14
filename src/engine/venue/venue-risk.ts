/**
 * @module engine/venue/venue-risk
 *
 * The venue's margin state on the columnar book (engine/book/risk-book.ts): every sub-account's
 * slots re-derived from the journal after each operation that touches it, every model prepared once
 * per market update (core/margin/kernel), and re-margining of only the accounts that a market update
 * can change:
 *
 * - the accounts holding an asset whose market inputs changed (a price, a mark, a listing; when the
 *   valuation time moves, every asset with a dated instrument, since options decay and futures
 *   converge);
 * - every account of a mode whose params changed (a new or phasing-in version);
 * - every account of a statistical mode (es, var) when the time moves (its scenario windows move);
 * - every account of a mode whose params declare a fall limit when the time moves (its floor decays).
 *
 * The fall limit (core/margin/fall-limit.ts; a mode's `maxFallPerDay`, the `es` model's 10% a day):
 * each sub-account's IM and MM are the model's times a factor g ≥ 1 kept in the book's columns
 * (`fallG`, `fallMs`), applied on this thread after the kernels (and after the worker threads of a
 * sharded re-margin), so every path gives the same numbers. At a re-margin at market time t:
 *
 * - t later than the time g was set (a new market): g = max(1, floor / IM) with
 *   floor = (1 − f)^((t − T)/1 day) × the account's last limited IM (the IM before this re-margin;
 *   when the holdings changed since, g × IM: the factor carries over);
 * - t the same (an operation, a top-up, a liquidation step at the same market): g is kept, so a
 *   smaller book is held to g × its own requirement, not to the larger book's floor;
 * - no state yet, a zero requirement at a new market, or a mode without a limit: g = 1.
 *
 * Units: IM, MM USD; times ms UTC.
 * A mode's re-margin of many accounts is shared with worker threads when its kernel is plain tables
 * (engine/book/shard-pool.ts; same numbers, bit for bit).
 *
 * Health is classified by the one classifier (core/margin/account-risk.ts) with the venue's
 * thresholds; a value that cannot be computed is liquidatable (fail closed).
 */
import { fromUnits } from '../../core/ledger/convert.js';
import {
  classifyHealth,
  HEALTH_STATUSES,
  toAccountRisk,
  type HealthStatus,
  type HealthThresholds,
} from '../../core/margin/account-risk.js';
import {
  accountEquity,
  balanceKey,
  buildMarketRows,
  ROW_LINEAR,
  type MarketRows,
} from '../../core/margin/kernel/account-rows.js';
import { fallLimitFactor, maxFallPerDayOf } from '../../core/margin/fall-limit.js';
import { prepareMargin, type PreparedMargin } from '../../core/margin/kernel/prepared-margin.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel, STATISTICAL_MODELS } from '../../core/margin/registry.js';
import type { SubAccount } from '../accounts.js';
import { RiskBook, type SlotSpec } from '../book/risk-book.js';
import { defaultWorkerCount, ShardPool } from '../book/shard-pool.js';
import { loadWasmKernel, type WasmKernel } from '../book/wasm-kernel.js';
import type { PortfolioTables } from '../../core/margin/kernel/portfolio-tables.js';
import type { Journal } from '../journal.js';
import type { SubAccountHealth } from './venue-types.js';

/** A status crossing found by a re-margin. */
export interface StatusChange {
  readonly a: number;
  readonly from: HealthStatus;
  readonly to: HealthStatus;
}

/** A mode's accounts in one re-margin from which the work is shared with worker threads. */
export const SHARD_MIN_ACCOUNTS = 16_384;

/** The tables of a kernel that worker threads can run (the portfolio kernel's), if any. */
function tablesOf(kernel: PreparedMargin): PortfolioTables | undefined {
  return (kernel as { readonly tables?: PortfolioTables }).tables;
}

/** The venue's margin state (module header). */
export class VenueRisk {
  readonly book = new RiskBook();
  readonly #journal: Journal;
  readonly #thresholds: HealthThresholds;
  readonly #paramsFor: (mode: string, timeMs: number) => unknown;
  readonly #subs: SubAccount[] = [];
  readonly #index = new Map<string, number>();
  readonly #modes: string[] = [];
  readonly #modeIndex = new Map<string, number>();
  #ctx: MarginContext | undefined;
  #rows: MarketRows | undefined;
  #timeMs = 0;
  /** per mode index: the params, their fall limit and the kernel prepared for the current market */
  #prepared: ({ params: unknown; fall: number | null; kernel: PreparedMargin } | undefined)[] = [];
  /** the IM of each account of a re-margin before it (the fall limit's last limited IM) */
  #before = new Float64Array(64);
  #ids = new Int32Array(64);
  /** the WebAssembly SIMD accelerator of the kernels' scenario loops (undefined: plain loops) */
  readonly #simd: WasmKernel | undefined;
  /** worker threads for large re-margins (0: none), started at the first one */
  readonly #workers: number;
  #pool: ShardPool | undefined;
  #grouped = new Int32Array(64);

  /**
   * @param options.simd     false: plain loops even when the WebAssembly kernel is built
   * @param options.workers  worker threads that share re-margins of at least
   *                         {@link SHARD_MIN_ACCOUNTS} accounts of one mode (default: a core each
   *                         beyond this thread's, at most 7; 0: never)
   */
  constructor(
    journal: Journal,
    thresholds: HealthThresholds,
    paramsFor: (mode: string, timeMs: number) => unknown,
    options: { readonly simd?: boolean; readonly workers?: number } = {},
  ) {
    this.#journal = journal;
    this.#thresholds = thresholds;
    this.#paramsFor = paramsFor;
    this.#simd = options.simd === false ? undefined : loadWasmKernel();
    this.#workers = Math.max(0, Math.floor(options.workers ?? defaultWorkerCount()));
  }

  /** Threads a large re-margin runs on (1 until the pool has started, or without workers). */
  get threads(): number {
    return this.#pool?.threads ?? 1;
  }

  /** Stops the worker threads (later re-margins run on this thread). */
  close(): void {
    this.#pool?.close();
  }

  /** Whether the kernels run their scenario loops in WebAssembly SIMD. */
  get accelerated(): boolean {
    return this.#simd !== undefined;
  }

  /** Appends `sub` to the book under its mode's index (a new mode gets the next one). */
  #append(sub: SubAccount): number {
    let m = this.#modeIndex.get(sub.mode);
    if (m === undefined) {
      m = this.#modes.length;
      this.#modes.push(sub.mode);
      this.#modeIndex.set(sub.mode, m);
      this.#prepared.push(undefined);
    }
    const a = this.book.addAccount(m);
    this.#subs.push(sub);
    this.#index.set(sub.key, a);
    return a;
  }

  /** Adds an open sub-account to the book (empty until synced). */
  add(sub: SubAccount): number {
    const a = this.#append(sub);
    this.sync(sub.key);
    return a;
  }

  /**
   * Adds a sub-account with its slots given directly, not derived from the journal: a book loaded
   * in bulk (benchmarks of 10⁶ accounts). The journal does not know these accounts.
   */
  addLoaded(sub: SubAccount, slots: readonly SlotSpec[]): number {
    const a = this.#append(sub);
    this.book.setSlots(a, slots);
    return a;
  }

  /** Removes the most recently added sub-account (an opening undone). */
  removeLast(key: string): void {
    if (this.#subs.at(-1)?.key !== key) return;
    this.#subs.pop();
    this.#index.delete(key);
    this.book.removeLast();
  }

  indexOf(key: string): number | undefined {
    return this.#index.get(key);
  }

  /** Re-derives a sub-account's slots from the journal (balances by symbol, then positions). */
  sync(key: string): void {
    const a = this.#index.get(key);
    if (a === undefined) return;
    const pf = this.#journal.portfolioOf(key);
    const u = this.book.universe;
    const slots: SlotSpec[] = [];
    for (const [sym, bal] of pf.collateral)
      slots.push({
        row: u.intern(balanceKey(sym)),
        qty: fromUnits(bal.units, bal.asset.decimals),
        entry: NaN,
      });
    for (const p of pf.positions)
      slots.push({ row: u.intern(p.instrument), qty: p.size, entry: p.entryPrice ?? NaN });
    this.book.setSlots(a, slots);
  }

  /**
   * A new market: rows valued, models prepared; returns the accounts to re-margin (module header).
   * @param full  re-margin everything (a restart, the first market)
   */
  setMarket(ctx: MarginContext, timeMs: number, full = false): Int32Array {
    const prev = this.#rows;
    const rows = buildMarketRows(ctx.market, this.book.universe);
    let learnt = false;
    for (let g = 0; g < rows.size; g++)
      if (rows.underlying[g]! >= 0 && this.book.setRowAsset(g, rows.underlyings[rows.underlying[g]!]!))
        learnt = true;
    if (learnt) this.book.recomputeMasks();
    const timeMoved = prev === undefined || prev.market.valuationMs !== ctx.market.valuationMs;
    const changed = new Set<string>();
    for (let g = 0; g < rows.size; g++) {
      const u = rows.underlying[g]!;
      if (u < 0) continue;
      const asset = rows.underlyings[u]!;
      if (changed.has(asset)) continue;
      if (
        prev === undefined ||
        g >= prev.size ||
        prev.priced[g] !== rows.priced[g] ||
        !Object.is(prev.mark[g], rows.mark[g]) ||
        !Object.is(prev.index[g], rows.index[g]) ||
        (timeMoved && rows.kind[g] !== 0 && rows.kind[g] !== ROW_LINEAR) ||
        (timeMoved &&
          rows.kind[g] === ROW_LINEAR &&
          ctx.market.instruments.get(rows.universe.keys[g]!)?.instrument.kind === 'future')
      )
        changed.add(asset);
    }
    this.#ctx = ctx;
    this.#rows = rows;
    this.#timeMs = timeMs;
    const fullModes = new Uint8Array(this.#modes.length);
    this.#simd?.reset(); // every kernel is prepared again below
    this.#modes.forEach((mode, m) => {
      const params = this.#paramsFor(mode, timeMs);
      const fall = maxFallPerDayOf(params);
      const old = this.#prepared[m];
      if (
        full ||
        old === undefined ||
        old.params !== params ||
        (timeMoved && (STATISTICAL_MODELS.has(mode) || fall !== null))
      )
        fullModes[m] = 1;
      const kernel = prepareMargin(
        getMarginModel(mode),
        ctx,
        params,
        rows,
        old !== undefined && old.params === params ? old.kernel : undefined,
        changed,
        this.#simd,
      );
      this.#prepared[m] = { params, fall, kernel };
    });
    const mask = this.book.maskOf(changed);
    const n = this.book.size;
    if (this.#ids.length < n) this.#ids = new Int32Array(Math.max(n, this.#ids.length * 2));
    let k = 0;
    for (let a = 0; a < n; a++)
      if (full || fullModes[this.book.mode[a]!] === 1 || (this.book.mask[a]! & mask) !== 0)
        this.#ids[k++] = a;
    return this.#ids.subarray(0, k);
  }

  /**
   * Re-margins accounts `ids` (all modes), writing equity, IM, MM and status to the book.
   * @returns the status crossings, in account order
   */
  remargin(ids: Int32Array): StatusChange[] {
    const rows = this.#rows;
    if (!rows) return [];
    const book = this.book;
    const view = book.view();
    const out = { im: book.im, mm: book.mm };
    const portfolioOf = (a: number) => this.#journal.portfolioOf(this.#subs[a]!.key);
    if (this.#before.length < ids.length)
      this.#before = new Float64Array(Math.max(ids.length, 2 * this.#before.length));
    for (let k = 0; k < ids.length; k++) this.#before[k] = book.im[ids[k]!]!;
    // The accounts grouped by mode (a counting sort, account order kept within a mode).
    const nModes = this.#modes.length;
    const at = new Int32Array(nModes + 1);
    for (let k = 0; k < ids.length; k++) at[book.mode[ids[k]!]! + 1]!++;
    for (let m = 0; m < nModes; m++) at[m + 1]! += at[m]!;
    if (this.#grouped.length < ids.length)
      this.#grouped = new Int32Array(Math.max(ids.length, 2 * this.#grouped.length));
    const grouped = this.#grouped;
    const fill = at.slice(0, nModes);
    for (let k = 0; k < ids.length; k++) grouped[fill[book.mode[ids[k]!]!]!++] = ids[k]!;
    for (let m = 0; m < nModes; m++) {
      const count = at[m + 1]! - at[m]!;
      if (count === 0) continue;
      const list = grouped.subarray(at[m]!, at[m + 1]!);
      const kernel = this.#kernelOf(m);
      const tables = tablesOf(kernel);
      if (tables !== undefined && this.#workers > 0 && count >= SHARD_MIN_ACCOUNTS) {
        this.#pool ??= new ShardPool(this.#workers);
        this.#pool.run(tables, view, list, count, out, (part, n) =>
          kernel.margin(view, part, n, out, portfolioOf),
        );
      } else kernel.margin(view, list, count, out, portfolioOf);
    }
    const changes: StatusChange[] = [];
    for (let k = 0; k < ids.length; k++) {
      const a = ids[k]!;
      this.#applyFallLimit(a, this.#prepared[book.mode[a]!]!.fall, this.#before[k]!);
      const eq = accountEquity(view, a, rows);
      book.equity[a] = eq;
      const st = HEALTH_STATUSES.indexOf(classifyHealth(eq, book.im[a]!, book.mm[a]!, this.#thresholds));
      const was = book.status[a]!;
      book.status[a] = st;
      if (st !== was) changes.push({ a, from: HEALTH_STATUSES[was]!, to: HEALTH_STATUSES[st]! });
    }
    return changes;
  }

  /**
   * The fall limit on account `a` just re-margined (module header): sets g and its time, and
   * multiplies the kernel's IM and MM by g.
   * @param fall    the mode's daily limit (null: none)
   * @param before  the account's IM before this re-margin, USD
   */
  #applyFallLimit(a: number, fall: number | null, before: number): void {
    const book = this.book;
    const raw = book.im[a]!;
    const t = this.#timeMs;
    let g = book.fallG[a]!;
    if (!Number.isFinite(raw)) return; // not valued: fail closed, the state waits
    if (g === 0 || fall === null) g = 1;
    else if (t > book.fallMs[a]!) {
      const last = book.synced[a] === 1 ? g * raw : before;
      g = Number.isFinite(last) && last >= 0 ? fallLimitFactor(last, raw, fall, t - book.fallMs[a]!) : 1;
    }
    book.fallG[a] = g;
    book.fallMs[a] = t;
    book.synced[a] = 0;
    if (g !== 1) {
      book.im[a] = g * raw;
      book.mm[a] = g * book.mm[a]!;
    }
  }

  /** The fall limit's factor g on a sub-account's model requirement (1 when none binds). */
  fallFactor(key: string): number {
    const a = this.#index.get(key);
    const g = a === undefined ? 0 : this.book.fallG[a]!;
    return g > 0 ? g : 1;
  }

  /** Every sub-account's fall-limit factor other than 1, by key (what a store persists with the market). */
  fallFactors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let a = 0; a < this.book.size; a++) {
      const g = this.book.fallG[a]!;
      if (g > 0 && g !== 1) out[this.#subs[a]!.key] = g;
    }
    return out;
  }

  /**
   * Re-installs fall-limit factors as they were at market time `timeMs` (a restart; the market is
   * then re-installed at that time, so the factors are kept). Keys not in the book are ignored.
   */
  restoreFallFactors(factors: Readonly<Record<string, number>>, timeMs: number): void {
    for (const [key, g] of Object.entries(factors)) {
      const a = this.#index.get(key);
      if (a === undefined || !(g >= 1 && g < Infinity)) continue;
      this.book.fallG[a] = g;
      this.book.fallMs[a] = timeMs;
    }
  }

  /** The kernel of mode `m` at the current market (prepared now for a mode first seen since). */
  #kernelOf(m: number): PreparedMargin {
    let p = this.#prepared[m];
    if (p === undefined) {
      const mode = this.#modes[m]!;
      const params = this.#paramsFor(mode, this.#timeMs);
      p = {
        params,
        fall: maxFallPerDayOf(params),
        kernel: prepareMargin(
          getMarginModel(mode),
          this.#ctx!,
          params,
          this.#rows!,
          undefined,
          undefined,
          this.#simd,
        ),
      };
      this.#prepared[m] = p;
    }
    return p.kernel;
  }

  /** Re-derives and re-margins one sub-account; returns its status change, if any. */
  refresh(key: string): StatusChange | undefined {
    const a = this.#index.get(key);
    if (a === undefined) return undefined;
    this.sync(key);
    if (!this.#rows) return undefined;
    return this.remargin(Int32Array.of(a))[0];
  }

  /** True once a market has been set. */
  get hasMarket(): boolean {
    return this.#rows !== undefined;
  }

  /** The context of the current market. */
  get context(): MarginContext | undefined {
    return this.#ctx;
  }

  /** True when the account's model could not value it (its numbers are NaN: fail closed). */
  isUnvalued(key: string): boolean {
    const a = this.#index.get(key);
    return a !== undefined && this.#rows !== undefined && Number.isNaN(this.book.im[a]!);
  }

  /** The kernel prepared for a mode at the current market (explanations, planners). */
  prepared(mode: string): PreparedMargin | undefined {
    const m = this.#modeIndex.get(mode);
    return m === undefined || !this.#rows ? undefined : this.#kernelOf(m);
  }

  /** A sub-account's health from the book's columns. */
  health(key: string): SubAccountHealth {
    const a = this.#index.get(key);
    const sub = a === undefined ? undefined : this.#subs[a];
    if (a === undefined || sub === undefined) throw new Error(`no account ${key}`);
    const base = { key, accountId: sub.accountId, subAccountId: sub.subAccountId, mode: sub.mode };
    if (!this.#rows)
      return { ...base, equityUsd: 0, initialUsd: 0, maintenanceUsd: 0, health: null, status: 'healthy' };
    const r = toAccountRisk(this.book.equity[a]!, this.book.im[a]!, this.book.mm[a]!, this.#thresholds);
    return { ...base, ...r, status: this.book.statusOf(a) };
  }

  /** The sub-account at book index `a`. */
  subAt(a: number): SubAccount {
    return this.#subs[a]!;
  }

  /** The valuation time of the current market. */
  get timeMs(): number {
    return this.#timeMs;
  }
}
