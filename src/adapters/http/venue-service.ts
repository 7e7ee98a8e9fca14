/**
 * @module adapters/http/venue-service
 *
 * The service's runtime: the engine's {@link Venue} in memory, made durable by the store.
 *
 * Durability rule: every mutation (a user operation, a new sub-account, a key, a market update and
 * the operations the venue applies itself) goes through ONE serial queue:
 *
 *   apply to the Venue in memory (synchronous, all or nothing)
 *     → persist what changed (operations in order, specs, liquidations, market state) in ONE
 *       database transaction
 *       → only then acknowledge (resolve the caller's promise, publish the events).
 *
 * Jobs that arrive while a transaction is in flight are applied together and committed in the next
 * transaction (group commit); a market update always commits alone. A refused job changed nothing
 * and is answered after the commit of the jobs before it.
 *
 * A store that refuses a group of user jobs for their data (SQLSTATE classes 22, 23, 54: a value
 * that passed validation but that the database will not hold) does not stop the service: the group
 * is undone in memory (`Venue.rollback`) and its jobs are retried one transaction each; the one the
 * store refuses again is answered 400 naming what was refused, with nothing changed. Any other
 * storage failure, or a market update that fails midway, leaves the memory ahead of the database:
 * the service stops (fail-stop), refuses everything with ERR_UNAVAILABLE and calls `onFatal`.
 *
 * Time: the server's clock (service-clock.ts) stamps every operation; a client's `timeMs` is
 * accepted only from an admin and never behind the venue's clock.
 *
 * Restart (`start`): sub-accounts opened, operations restored in `seq` order (`Venue.restore`, no
 * checks: they were accepted once), then the last market state re-installed with
 * `Venue.restoreMarket` together with the fall limit's factors stored with it (the only state a
 * market leaves that the operations do not carry): no engine action runs again, so the venue is,
 * field by field, what it was when it stopped.
 *
 * Units: times ms UTC; prices quote ccy (USD) per unit; balances bigint base units.
 */
import { XmarginError } from '../../core/errors.js';
import { aggregateOracle, type OracleParams, type OracleResult } from '../../core/market/oracle-aggregate.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { SubAccount, SubAccountSpec } from '../../engine/accounts.js';
import type { JournalEntry } from '../../engine/journal.js';
import type { Operation, UserOperation } from '../../engine/operations.js';
import type { OracleStates } from '../../engine/policy/oracle-policy.js';
import type { SimMarketTemplate } from '../../engine/simulation/sim-market.js';
import type { MarketUpdateOptions, Venue } from '../../engine/venue/venue.js';
import type { VenueEvent } from '../../engine/venue/venue-types.js';
import type { CommitBatch, Store, StoredQuote } from '../store/store.js';
import { unavailable } from './http-errors.js';
import { wallClock, type ServiceClock } from './service-clock.js';
import { findUnstorable } from './text-rules.js';

/** The market the service keeps: what it needs to rebuild the MarginMarket after a restart. */
export interface MarketState {
  /** market time, ms UTC */
  readonly timeMs: number;
  /** index price per asset, quote ccy per unit */
  readonly prices: Readonly<Record<string, number>>;
  /** the listed instruments and their option vols (a replay's vols move with its history) */
  readonly template: SimMarketTemplate;
  /** present when a demo replay drives the market */
  readonly replay?: {
    readonly fromMs: number;
    readonly toMs: number;
    readonly speed: number;
    readonly stepHours: number;
  };
}

/** Rebuilds the market of a stored state (and its update options) exactly as it was applied. */
export type MarketOf = (
  state: MarketState,
  oracle: OracleStates | undefined,
) => { readonly market: MarginMarket; readonly options: MarketUpdateOptions };

/** What the runtime needs. */
export interface VenueServiceOptions {
  readonly venue: Venue;
  readonly store: Store;
  /** called once after a storage failure; the process must stop (the serve command exits 1) */
  readonly onFatal: (error: unknown) => void;
  /** rebuilds the market of a state: the demo replay's or a plain venue's (start-service.ts) */
  readonly marketOf: MarketOf;
  /** the server's clock (default the wall clock) */
  readonly clock?: ServiceClock;
  /** oracle aggregation rules for posted quotes (default: median of ≥ 1 source, 60 s, 10% outliers) */
  readonly oracleParams?: OracleParams;
  /** largest number of queued jobs committed in one transaction; default 256 */
  readonly maxGroup?: number;
}

/** Per asset, what a posting of quotes led to: the aggregate, or why there is none. */
export type QuoteOutcome =
  | {
      readonly price: number;
      readonly sources: readonly string[];
      readonly rejected: OracleResult['rejected'];
    }
  | { readonly error: { readonly code: string; readonly message: string } };

/** The outcome of a submitted user operation. */
export interface SubmitResult {
  readonly entry: JournalEntry;
  /** the operation as journaled (a trade with the engine's price, cash leg and fee) */
  readonly op: Operation;
  /** true when the key had been applied before (the first entry is returned, nothing changed) */
  readonly replayed: boolean;
}

interface JobOutput<T> {
  readonly value: T;
  readonly batch: CommitBatch;
}

/** One queued mutation: runs synchronously against the venue, returns what to persist. */
interface Job<T> {
  readonly kind: 'user' | 'market';
  readonly run: () => JobOutput<T>;
  readonly resolve: (v: T) => void;
  readonly reject: (e: unknown) => void;
}

type Outcome =
  | { job: Job<unknown>; ok: true; out: JobOutput<unknown>; events: VenueEvent[] }
  | { job: Job<unknown>; ok: false; error: unknown };

/** Default aggregation of posted quotes: median, one source suffices, 60 s freshness, 10% outliers. */
export const DEFAULT_SERVICE_ORACLE: OracleParams = {
  method: 'median',
  maxAgeMs: 60_000,
  maxDeviation: 0.1,
  minSources: 1,
};

/** True for a database refusal of the data itself (SQLSTATE class 22, 23 or 54). */
export function isDataRefusal(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/** The venue made durable: serial queue, persistence, replay on start, event fan-out. */
export class VenueService {
  readonly venue: Venue;
  readonly store: Store;
  readonly clock: ServiceClock;
  readonly #onFatal: (error: unknown) => void;
  readonly #marketOf: MarketOf;
  readonly #oracleParams: OracleParams;
  readonly #maxGroup: number;
  readonly #queue: Job<unknown>[] = [];
  #draining = false;
  #failed: unknown = undefined;
  #closing = false;
  #lastSeq = 0;
  readonly #listeners = new Set<(e: VenueEvent) => void>();
  #market: MarketState | undefined;
  readonly #quotes = new Map<string, StoredQuote>();
  #oracle: OracleStates | undefined;
  #idle: Promise<void> = Promise.resolve();
  #idleResolve: (() => void) | undefined;
  /** sub-accounts someone watches on the stream (reference counts): only they get `margin` events */
  readonly #watched = new Map<string, number>();

  constructor(options: VenueServiceOptions) {
    this.venue = options.venue;
    this.store = options.store;
    this.clock = options.clock ?? wallClock();
    this.#onFatal = options.onFatal;
    this.#marketOf = options.marketOf;
    this.#oracleParams = options.oracleParams ?? DEFAULT_SERVICE_ORACLE;
    this.#maxGroup = options.maxGroup ?? 256;
    // A venue of 10⁵ accounts re-margined on a tick emits `margin` events only for watched ones.
    this.venue.watchMargins((key) => this.#watched.has(key));
  }

  /** The stream watches these sub-accounts' margins (until `unwatch`). */
  watch(keys: Iterable<string>): void {
    for (const k of keys) this.#watched.set(k, (this.#watched.get(k) ?? 0) + 1);
  }

  /** Stops watching (one reference per key). */
  unwatch(keys: Iterable<string>): void {
    for (const k of keys) {
      const n = (this.#watched.get(k) ?? 0) - 1;
      if (n > 0) this.#watched.set(k, n);
      else this.#watched.delete(k);
    }
  }

  /**
   * Rebuilds the venue from the store: sub-accounts, operations in seq order, quotes, then the last
   * market state re-installed without any engine action. Call once, before serving.
   */
  async start(): Promise<{ subAccounts: number; operations: number; marketTimeMs: number | undefined }> {
    const specs = await this.store.loadSubAccounts();
    for (const s of specs) this.venue.openSubAccount(s);
    let operations = 0;
    let after = 0;
    for (;;) {
      const page = await this.store.loadOperations(after, 10_000);
      if (page.length === 0) break;
      for (const row of page) {
        const entry = this.venue.restore(row.op);
        if (entry.seq > this.#lastSeq) this.#lastSeq = entry.seq;
        after = row.seq;
        operations++;
      }
    }
    for (const q of await this.store.loadQuotes()) this.#quotes.set(`${q.asset}\u0000${q.source}`, q);
    const stored = await this.store.loadMarketState();
    if (stored) {
      const state = stored.body as MarketState;
      if (this.#quotes.size > 0) this.#oracle = this.#oracleStates(state.timeMs);
      const { market, options } = this.#marketOf(state, this.#oracle);
      if (options.oracle) this.#oracle = options.oracle;
      this.venue.restoreMarket(market, state.timeMs, options, stored.fallFactors);
      this.#market = state;
      this.clock.marketAt(state.timeMs);
    }
    return { subAccounts: specs.length, operations, marketTimeMs: stored?.timeMs };
  }

  /** The current market state (prices, time, instruments), if any. */
  market(): MarketState | undefined {
    return this.#market;
  }

  /** The server's time, ms UTC (never behind the venue's). */
  nowMs(): number {
    return Math.max(this.clock.nowMs(), this.venue.timeMs);
  }

  /** Number of operations applied (restored, submitted, engine), i.e. the last journal seq. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Listens to the venue's events, published after their commit; returns the unsubscribe function. */
  subscribe(listener: (e: VenueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True once a commit has failed (or the service is closing): nothing more is accepted. */
  get stopped(): boolean {
    return this.#failed !== undefined || this.#closing;
  }

  /**
   * A user operation, stamped with the server's time (or `timeMs`, an admin's, never behind the
   * venue's clock): applied, persisted, then acknowledged.
   * @throws the venue's refusal (XmarginError subclasses, nothing changed), or ERR_UNAVAILABLE
   */
  submit(request: Omit<UserOperation, 'timeMs'> & { timeMs?: number }): Promise<SubmitResult> {
    return this.#enqueue<SubmitResult>('user', () => {
      const now = this.nowMs();
      if (request.timeMs !== undefined && !(request.timeMs >= now))
        throw new XmarginError(
          'ERR_INVALID_INPUT',
          `timeMs must not be behind the venue's clock ${now}; got ${request.timeMs}`,
          {
            field: 'timeMs',
            value: request.timeMs,
            rule: "must be >= the venue's clock",
          },
        );
      const op = { ...request, timeMs: request.timeMs ?? now } as UserOperation;
      const r = this.venue.submit(op);
      if (r.replayed) return { value: r, batch: {} };
      this.#requireStorable(r.op, 'operation');
      this.#note(r.entry);
      return { value: r, batch: { operations: [{ op: r.op, origin: 'user' }] } };
    });
  }

  /** Opens a sub-account and persists its spec. @throws the venue's refusal (ERR_INVALID_INPUT) */
  openSubAccount(spec: SubAccountSpec): Promise<SubAccount> {
    return this.#enqueue('user', () => {
      this.#requireStorable(spec, 'sub-account');
      const sub = this.venue.openSubAccount(spec);
      return { value: sub, batch: { subAccounts: [spec] } };
    });
  }

  /**
   * Adopts a venue whose set-up was applied before the service existed (the demo's accounts and
   * books): persists the sub-accounts, the set-up operations (origin `engine`) and the market state
   * in one transaction. Only on an empty store.
   */
  adoptSetup(
    specs: readonly SubAccountSpec[],
    setup: readonly { readonly op: Operation; readonly entry: JournalEntry }[],
    state: MarketState,
  ): Promise<void> {
    return this.#enqueue('market', () => {
      for (const s of setup) this.#note(s.entry);
      this.#market = state;
      this.clock.marketAt(state.timeMs);
      return {
        value: undefined,
        batch: {
          subAccounts: specs,
          operations: setup.map((s) => ({ op: s.op, origin: 'engine' as const })),
          marketState: { timeMs: state.timeMs, body: state, fallFactors: this.venue.fallFactors() },
        },
      };
    });
  }

  /** Persists a new API key (by hash). */
  addApiKey(record: { keyHash: string; scopes: readonly string[]; label?: string }): Promise<void> {
    return this.#enqueue('user', () => {
      this.#requireStorable(record, 'key');
      return { value: undefined, batch: { apiKeys: [record] } };
    });
  }

  /** Revokes keys (by hash) now; returns the time of revocation. */
  revokeApiKeys(keyHashes: readonly string[]): Promise<number> {
    return this.#enqueue('user', () => {
      const revokedAtMs = Date.now();
      return {
        value: revokedAtMs,
        batch: { revokeKeys: keyHashes.map((keyHash) => ({ keyHash, revokedAtMs })) },
      };
    });
  }

  /**
   * A new market state: the venue re-margins (top-ups, liquidations); the engine's operations,
   * liquidation records and the market state are persisted together.
   */
  setMarket(state: MarketState, quotes: readonly StoredQuote[] = []): Promise<VenueEvent[]> {
    return this.#enqueue('market', () => this.#marketJob(state, quotes));
  }

  #marketJob(state: MarketState, quotes: readonly StoredQuote[]): JobOutput<VenueEvent[]> {
    const { market, options } = this.#marketOf(state, this.#oracle);
    const events = midUpdate(() => this.venue.updateMarket(market, state.timeMs, options));
    this.#market = state;
    this.clock.marketAt(state.timeMs);
    const batch: CommitBatch = {
      ...this.#batchOf(events),
      marketState: { timeMs: state.timeMs, body: state, fallFactors: this.venue.fallFactors() },
      quotes,
    };
    return { value: events, batch };
  }

  /**
   * A market update computed by someone else (the demo replay) that `apply` applies to the venue
   * inside the queue: persists its engine operations and the market state.
   */
  runMarketStep(
    apply: () => { state: MarketState; events: VenueEvent[] } | undefined,
  ): Promise<VenueEvent[] | undefined> {
    return this.#enqueue('market', () => {
      const out = midUpdate(apply);
      if (!out) return { value: undefined, batch: {} };
      this.#market = out.state;
      this.clock.marketAt(out.state.timeMs);
      return {
        value: out.events,
        batch: {
          ...this.#batchOf(out.events),
          marketState: { timeMs: out.state.timeMs, body: out.state, fallFactors: this.venue.fallFactors() },
        },
      };
    });
  }

  /**
   * Posted oracle quotes: aggregated per asset at the server's time (quotes from the future or
   * older than the aggregation's age limit are rejected), then a market update at the new prices and
   * the server's time. Assets without a surviving aggregate keep their price and are marked failed.
   * @returns per asset: the aggregate, or the error that stopped it
   */
  postQuotes(quotes: readonly StoredQuote[]): Promise<Record<string, QuoteOutcome>> {
    return this.#enqueue('market', () => {
      const base = this.#market;
      if (!base) throw unavailable('no market yet: the venue has no instruments to price');
      for (const q of quotes) this.#requireStorable(q, 'quote');
      const known = new Map(this.#quotes);
      for (const q of quotes) known.set(`${q.asset}\u0000${q.source}`, q);
      const nowMs = this.nowMs();
      const oracle = this.#oracleStates(nowMs, known);
      const prices: Record<string, number> = { ...base.prices };
      const out: Record<string, QuoteOutcome> = {};
      for (const asset of new Set(quotes.map((q) => q.asset))) {
        const s = oracle[asset];
        if (s?.error) out[asset] = { error: s.error };
        else if (s?.result) {
          prices[asset] = s.result.price;
          out[asset] = { price: s.result.price, sources: s.result.used, rejected: s.result.rejected };
        }
      }
      // Nothing above changed the service; from here on the update is applied.
      for (const [k, q] of known) this.#quotes.set(k, q);
      this.#oracle = oracle;
      const job = this.#marketJob({ ...base, timeMs: nowMs, prices }, quotes);
      return { ...job, value: out };
    });
  }

  /** Waits for the queue to empty (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.#queue.length === 0 && !this.#draining ? Promise.resolve() : this.#idle;
  }

  /** Stops taking jobs, lets queued ones finish, closes the store. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.whenIdle();
    await this.store.close();
  }

  // ---------------------------------------------------------------------------------------------

  /** Refuses (400, naming the field) a value the store would not hold. */
  #requireStorable(value: unknown, what: string): void {
    const bad = findUnstorable(value);
    if (bad)
      throw new XmarginError(
        'ERR_INVALID_INPUT',
        `${bad.path} ${bad.problem} (the ${what} could not be stored)`,
        {
          field: bad.path,
          rule: bad.problem,
        },
      );
  }

  #oracleStates(nowMs: number, quotes: ReadonlyMap<string, StoredQuote> = this.#quotes): OracleStates {
    const byAsset = new Map<string, StoredQuote[]>();
    for (const q of quotes.values()) {
      let list = byAsset.get(q.asset);
      if (!list) byAsset.set(q.asset, (list = []));
      list.push(q);
    }
    const states: Record<string, OracleStates[string]> = {};
    for (const [asset, list] of byAsset) {
      const prev = this.#oracle?.[asset];
      try {
        const result = aggregateOracle(
          list.map((q) => ({
            source: q.source,
            price: q.price,
            timestampMs: q.timeMs,
            ...(q.confidence !== undefined ? { confidence: q.confidence } : {}),
          })),
          this.#oracleParams,
          nowMs,
        );
        states[asset] = { result, lastFreshMs: result.oldestUsedMs };
      } catch (e) {
        const err = e as { code?: string; message?: string };
        states[asset] = {
          ...(prev?.result ? { result: prev.result } : {}),
          error: { code: err.code ?? 'ERR_INVARIANT', message: err.message ?? String(e) },
          lastFreshMs: prev?.lastFreshMs ?? 0,
        };
      }
    }
    return states;
  }

  #note(entry: JournalEntry): void {
    if (entry.seq > this.#lastSeq) this.#lastSeq = entry.seq;
  }

  /** What the venue's own events ask to persist: its operations and liquidation records. */
  #batchOf(events: readonly VenueEvent[]): CommitBatch {
    const operations: { op: Operation; origin: 'engine' }[] = [];
    const liquidations: { timeMs: number; subAccount: string; body: unknown }[] = [];
    for (const e of events) {
      if (e.type === 'operation') {
        this.#note(e.entry);
        operations.push({ op: e.op, origin: 'engine' });
      } else if (e.type === 'liquidation')
        liquidations.push({ timeMs: e.record.timeMs, subAccount: e.record.subAccount, body: e.record });
    }
    return { operations, liquidations };
  }

  #enqueue<T>(kind: Job<T>['kind'], run: Job<T>['run']): Promise<T> {
    if (this.#failed !== undefined) return Promise.reject(unavailable('stopped after a storage failure'));
    if (this.#closing) return Promise.reject(unavailable('shutting down'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ kind, run, resolve, reject } as Job<unknown>);
      if (!this.#draining) void this.#drain();
    });
  }

  /** The next group: user jobs up to maxGroup, or one market job alone. */
  #nextGroup(): Job<unknown>[] {
    if (this.#queue[0]!.kind === 'market') return this.#queue.splice(0, 1);
    let n = 0;
    while (n < this.#queue.length && n < this.#maxGroup && this.#queue[n]!.kind === 'user') n++;
    return this.#queue.splice(0, n);
  }

  #runJobs(jobs: readonly Job<unknown>[]): Outcome[] {
    return jobs.map((job) => {
      // Every event the venue emits while the job runs (health refreshes too) is published once the
      // job's transaction has committed.
      const events: VenueEvent[] = [];
      const unsubscribe = this.venue.subscribe((e) => events.push(e));
      try {
        return { job, ok: true as const, out: job.run(), events };
      } catch (error) {
        return { job, ok: false as const, error };
      } finally {
        unsubscribe();
      }
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    this.#idle = new Promise((r) => (this.#idleResolve = r));
    try {
      while (this.#queue.length > 0 && this.#failed === undefined) {
        const jobs = this.#nextGroup();
        const user = jobs[0]!.kind === 'user';
        const cp = user ? this.venue.checkpoint() : undefined;
        const seq = this.#lastSeq;
        const outcomes = this.#runJobs(jobs);
        const broken = outcomes.find((o) => !o.ok && o.error instanceof PartialUpdateError);
        if (broken) {
          // The venue may hold part of a market update that cannot be persisted: stop.
          this.#stop(outcomes, (broken as { error: PartialUpdateError }).error.cause);
          return;
        }
        const error = await this.#commit(outcomes);
        if (error === undefined) {
          if (cp) this.venue.release();
          this.#settle(outcomes);
          continue;
        }
        if (!cp || !isDataRefusal(error)) {
          this.#stop(outcomes, error);
          return;
        }
        // The store refused the group's data: undo it, then retry each job in its own transaction.
        this.venue.rollback(cp);
        this.#lastSeq = seq;
        if (!(await this.#retryOneByOne(jobs))) return;
      }
    } finally {
      this.#draining = false;
      this.#idleResolve?.();
    }
  }

  /** Commits the batches of the successful outcomes; returns the error, if the commit failed. */
  async #commit(outcomes: readonly Outcome[]): Promise<unknown> {
    const batch = mergeBatches(outcomes.flatMap((o) => (o.ok ? [o.out.batch] : [])));
    if (isEmptyBatch(batch)) return undefined;
    try {
      await this.store.commit(batch);
      return undefined;
    } catch (e) {
      return e ?? new Error('commit failed');
    }
  }

  /** Retries user jobs one transaction each after a refused group; false when the service stopped. */
  async #retryOneByOne(jobs: readonly Job<unknown>[]): Promise<boolean> {
    for (const job of jobs) {
      const cp = this.venue.checkpoint();
      const seq = this.#lastSeq;
      const outcomes = this.#runJobs([job]);
      const error = await this.#commit(outcomes);
      if (error === undefined) {
        this.venue.release();
        this.#settle(outcomes);
        continue;
      }
      if (!isDataRefusal(error)) {
        this.#stop(outcomes, error);
        return false;
      }
      this.venue.rollback(cp);
      this.#lastSeq = seq;
      const msg = (error as Error).message ?? String(error);
      job.reject(
        new XmarginError(
          'ERR_INVALID_INPUT',
          `the request holds a value the store refused (${msg}); nothing was changed`,
          {
            field: 'body',
            rule: 'must be storable',
            sqlState: (error as { code?: string }).code,
          },
        ),
      );
    }
    return true;
  }

  #settle(outcomes: readonly Outcome[]): void {
    for (const o of outcomes) {
      if (o.ok) {
        for (const e of o.events) this.#publish(e);
        o.job.resolve(o.out.value);
      } else o.job.reject(o.error);
    }
  }

  /** Fail-stop: nothing of this group is acknowledged, nothing more is accepted. */
  #stop(outcomes: readonly { job: Job<unknown> }[], error: unknown): void {
    this.#failed = error;
    const refusal = unavailable('stopped after a storage failure');
    for (const o of outcomes) o.job.reject(refusal);
    for (const j of this.#queue.splice(0)) j.reject(refusal);
    this.#onFatal(error);
  }

  #publish(e: VenueEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure (a closed socket) must not stop the others
      }
    }
  }
}

/** A market update threw midway: the venue's state may be partly changed (not all or nothing). */
class PartialUpdateError extends Error {
  override name = 'PartialUpdateError';
}

/** Runs a market update; any exception becomes a {@link PartialUpdateError} (fatal for the service). */
function midUpdate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new PartialUpdateError(`market update failed midway: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
    });
  }
}

function mergeBatches(batches: readonly CommitBatch[]): CommitBatch {
  const out = {
    subAccounts: [] as SubAccountSpec[],
    operations: [] as NonNullable<CommitBatch['operations']>[number][],
    liquidations: [] as NonNullable<CommitBatch['liquidations']>[number][],
    quotes: [] as StoredQuote[],
    apiKeys: [] as NonNullable<CommitBatch['apiKeys']>[number][],
    revokeKeys: [] as NonNullable<CommitBatch['revokeKeys']>[number][],
    marketState: undefined as CommitBatch['marketState'],
  };
  for (const b of batches) {
    out.subAccounts.push(...(b.subAccounts ?? []));
    out.operations.push(...(b.operations ?? []));
    out.liquidations.push(...(b.liquidations ?? []));
    out.quotes.push(...(b.quotes ?? []));
    out.apiKeys.push(...(b.apiKeys ?? []));
    out.revokeKeys.push(...(b.revokeKeys ?? []));
    if (b.marketState) out.marketState = b.marketState;
  }
  const { marketState, ...rest } = out;
  return marketState ? { ...rest, marketState } : rest;
}

function isEmptyBatch(b: CommitBatch): boolean {
  return (
    !b.marketState &&
    (b.subAccounts?.length ?? 0) === 0 &&
    (b.operations?.length ?? 0) === 0 &&
    (b.liquidations?.length ?? 0) === 0 &&
    (b.quotes?.length ?? 0) === 0 &&
    (b.apiKeys?.length ?? 0) === 0 &&
    (b.revokeKeys?.length ?? 0) === 0
  );
}
