/**
 * @module adapters/http/venue-service
 *
 * The service's runtime: the engine's {@link Venue} in memory, made durable by the store.
 *
 * Durability rule: every mutation (a user operation, a new sub-account, a market update and the
 * operations the venue applies itself) goes through ONE serial queue:
 *
 *   apply to the Venue in memory (synchronous, all or nothing)
 *     → persist what changed (operations in order, specs, liquidations, market state) in ONE
 *       database transaction
 *       → only then acknowledge (resolve the caller's promise, publish the events).
 *
 * Jobs that arrive while a transaction is in flight are applied together and committed in the
 * next transaction (group commit): each is still acknowledged only after its own commit. A refused
 * job changed nothing and is answered after the commit of the jobs before it, so no answer is ever
 * based on a state the database may not hold.
 *
 * If a commit fails, or a market update throws midway (the venue may hold part of it), the memory
 * is ahead of the database: the service stops (fail-stop): every
 * pending and later request is refused with ERR_UNAVAILABLE and `onFatal` is called (the serve
 * command logs and exits non-zero). On the next start the state is rebuilt from the database:
 * sub-accounts opened, operations restored in `seq` order (`Venue.restore`, no checks: they were
 * accepted once), then the last market state re-applied.
 *
 * Reads (GET) see the in-memory state, which may include operations of a transaction still in
 * flight (at most one group); writes are never acknowledged before they are durable.
 *
 * Units: times ms UTC; prices quote ccy (USD) per unit; balances bigint base units.
 */
import { aggregateOracle, type OracleParams, type OracleResult } from '../../core/market/oracle-aggregate.js';
import type { SubAccount, SubAccountSpec } from '../../engine/accounts.js';
import type { JournalEntry } from '../../engine/journal.js';
import type { Operation } from '../../engine/operations.js';
import type { OracleStates } from '../../engine/policy/oracle-policy.js';
import { buildSimMarket, type SimMarketTemplate } from '../../engine/simulation/sim-market.js';
import type { Venue } from '../../engine/venue/venue.js';
import type { VenueEvent } from '../../engine/venue/venue-types.js';
import type { CommitBatch, Store, StoredQuote } from '../store/store.js';
import { unavailable } from './http-errors.js';

/** The market the service keeps: what it needs to rebuild the MarginMarket after a restart. */
export interface MarketState {
  /** market time, ms UTC */
  readonly timeMs: number;
  /** index price per asset, quote ccy per unit */
  readonly prices: Readonly<Record<string, number>>;
  /** the listed instruments and their option vols */
  readonly template: SimMarketTemplate;
  /** present when a demo replay drives the market */
  readonly replay?: { readonly fromMs: number; readonly toMs: number; readonly speed: number };
}

/** What the runtime needs. */
export interface VenueServiceOptions {
  readonly venue: Venue;
  readonly store: Store;
  /** called once after a failed commit; the process must stop (the serve command exits 1) */
  readonly onFatal: (error: unknown) => void;
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
  /** true when the key had been applied before (the first entry is returned, nothing changed) */
  readonly replayed: boolean;
}

/** One queued mutation: runs synchronously against the venue, returns what to persist. */
interface Job<T> {
  readonly run: () => {
    readonly value: T;
    readonly batch: CommitBatch;
    readonly events: readonly VenueEvent[];
  };
  readonly resolve: (v: T) => void;
  readonly reject: (e: unknown) => void;
}

/** Default aggregation of posted quotes: median, one source suffices, 60 s freshness, 10% outliers. */
export const DEFAULT_SERVICE_ORACLE: OracleParams = {
  method: 'median',
  maxAgeMs: 60_000,
  maxDeviation: 0.1,
  minSources: 1,
};

/** The venue made durable: serial queue, persistence, replay on start, event fan-out. */
export class VenueService {
  readonly venue: Venue;
  readonly store: Store;
  readonly #onFatal: (error: unknown) => void;
  readonly #oracleParams: OracleParams;
  readonly #maxGroup: number;
  readonly #queue: Job<unknown>[] = [];
  #draining = false;
  #failed: unknown = undefined;
  #closing = false;
  #lastSeq = 0;
  readonly #timeOfKey = new Map<string, number>();
  readonly #listeners = new Set<(e: VenueEvent) => void>();
  #market: MarketState | undefined;
  readonly #quotes = new Map<string, StoredQuote>();
  #oracle: OracleStates | undefined;
  #idle: Promise<void> = Promise.resolve();
  #idleResolve: (() => void) | undefined;

  constructor(options: VenueServiceOptions) {
    this.venue = options.venue;
    this.store = options.store;
    this.#onFatal = options.onFatal;
    this.#oracleParams = options.oracleParams ?? DEFAULT_SERVICE_ORACLE;
    this.#maxGroup = options.maxGroup ?? 256;
  }

  /**
   * Rebuilds the venue from the store: sub-accounts, operations in seq order, quotes, market.
   * Resolves to what was restored. Call once, before serving.
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
        this.#note(row.op, entry);
        after = row.seq;
        operations++;
      }
    }
    for (const q of await this.store.loadQuotes()) this.#quotes.set(`${q.asset}\u0000${q.source}`, q);
    const stored = await this.store.loadMarketState();
    if (stored) {
      // A stored demo replay does not resume after a restart: the market stays where it was.
      const { replay: _replay, ...m } = stored.body as MarketState;
      this.#oracle = this.#oracleStates(m.timeMs);
      // Re-margin at the last market: may liquidate what has become liquidatable; persisted as usual.
      await this.setMarket(m);
    }
    return { subAccounts: specs.length, operations, marketTimeMs: stored?.timeMs };
  }

  /** The current market state (prices, time, instruments), if any. */
  market(): MarketState | undefined {
    return this.#market;
  }

  /** Number of operations applied (restored, submitted, engine), i.e. the last journal seq. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The time a key was first applied at, if it was: lets a retry without `timeMs` match its first try. */
  timeOfKey(key: string): number | undefined {
    return this.#timeOfKey.get(key);
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
   * A user operation: applied, persisted, then acknowledged.
   * @throws the venue's refusal (XmarginError subclasses, nothing changed), or ERR_UNAVAILABLE
   */
  submit(op: Operation): Promise<SubmitResult> {
    return this.#enqueue<SubmitResult>(() => {
      const entry = this.venue.apply(op);
      const replayed = entry.seq <= this.#lastSeq;
      if (replayed) return { value: { entry, replayed }, batch: {}, events: [] };
      this.#note(op, entry);
      return { value: { entry, replayed }, batch: { operations: [{ op, origin: 'user' }] }, events: [] };
    });
  }

  /** Opens a sub-account and persists its spec. @throws the venue's refusal (ERR_INVALID_INPUT) */
  openSubAccount(spec: SubAccountSpec): Promise<SubAccount> {
    return this.#enqueue(() => {
      const sub = this.venue.openSubAccount(spec);
      return { value: sub, batch: { subAccounts: [spec] }, events: [] };
    });
  }

  /**
   * Adopts a venue whose set-up was applied before the service existed (the demo's accounts and
   * books): persists the sub-accounts, the set-up operations (origin `engine`) and the market
   * state in one transaction. Only on an empty store.
   */
  adoptSetup(
    specs: readonly SubAccountSpec[],
    setup: readonly { readonly op: Operation; readonly entry: JournalEntry }[],
    state: MarketState,
  ): Promise<void> {
    return this.#enqueue(() => {
      for (const s of setup) this.#note(s.op, s.entry);
      this.#market = state;
      return {
        value: undefined,
        batch: {
          subAccounts: specs,
          operations: setup.map((s) => ({ op: s.op, origin: 'engine' as const })),
          marketState: { timeMs: state.timeMs, body: state },
        },
        events: [],
      };
    });
  }

  /** Persists a new API key (by hash). */
  addApiKey(record: { keyHash: string; scopes: readonly string[]; label?: string }): Promise<void> {
    return this.#enqueue(() => ({ value: undefined, batch: { apiKeys: [record] }, events: [] }));
  }

  /**
   * A new market state: the venue re-margins (top-ups, liquidations); the engine's operations,
   * liquidation records and the market state are persisted together.
   */
  setMarket(state: MarketState, quotes: readonly StoredQuote[] = []): Promise<VenueEvent[]> {
    return this.#enqueue(() => this.#marketJob(state, quotes));
  }

  #marketJob(state: MarketState, quotes: readonly StoredQuote[]) {
    const market = buildSimMarket(state.template, state.timeMs, state.prices);
    const events = midUpdate(() =>
      this.venue.updateMarket(market, state.timeMs, this.#oracle ? { oracle: this.#oracle } : {}),
    );
    this.#market = state;
    const batch: CommitBatch = {
      ...this.#batchOf(events),
      marketState: { timeMs: state.timeMs, body: state },
      quotes,
    };
    return { value: events, batch, events };
  }

  /**
   * A market update computed by someone else (the demo driver) that has already been applied to
   * the venue by `apply` inside the queue: persists its engine operations and the market state.
   */
  runMarketStep(
    apply: () => { state: MarketState; events: VenueEvent[] } | undefined,
  ): Promise<VenueEvent[] | undefined> {
    return this.#enqueue(() => {
      const out = midUpdate(apply);
      if (!out) return { value: undefined, batch: {}, events: [] };
      this.#market = out.state;
      return {
        value: out.events,
        batch: { ...this.#batchOf(out.events), marketState: { timeMs: out.state.timeMs, body: out.state } },
        events: out.events,
      };
    });
  }

  /**
   * Posted oracle quotes: aggregated per asset (at the latest quote time), then a market update at
   * the new prices. Assets without a surviving aggregate keep their price and are marked failed.
   * @returns per asset: the aggregate, or the error that stopped it
   */
  postQuotes(quotes: readonly StoredQuote[]): Promise<Record<string, QuoteOutcome>> {
    return this.#enqueue(() => {
      const base = this.#market;
      if (!base) throw unavailable('no market yet: the venue has no instruments to price');
      const known = new Map(this.#quotes);
      for (const q of quotes) known.set(`${q.asset}\u0000${q.source}`, q);
      const nowMs = Math.max(base.timeMs, ...quotes.map((q) => q.timeMs));
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

  #note(op: Operation, entry: JournalEntry): void {
    if (entry.seq > this.#lastSeq) this.#lastSeq = entry.seq;
    this.#timeOfKey.set(op.key, op.timeMs);
  }

  /** What the venue's own events ask to persist: its operations and liquidation records. */
  #batchOf(events: readonly VenueEvent[]): CommitBatch {
    const operations: { op: Operation; origin: 'engine' }[] = [];
    const liquidations: { timeMs: number; subAccount: string; body: unknown }[] = [];
    for (const e of events) {
      if (e.type === 'operation') {
        this.#note(e.op, e.entry);
        operations.push({ op: e.op, origin: 'engine' });
      } else if (e.type === 'liquidation')
        liquidations.push({ timeMs: e.record.timeMs, subAccount: e.record.subAccount, body: e.record });
    }
    return { operations, liquidations };
  }

  #enqueue<T>(run: Job<T>['run']): Promise<T> {
    if (this.#failed !== undefined) return Promise.reject(unavailable('stopped after a storage failure'));
    if (this.#closing) return Promise.reject(unavailable('shutting down'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve, reject } as Job<unknown>);
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    this.#idle = new Promise((r) => (this.#idleResolve = r));
    try {
      while (this.#queue.length > 0 && this.#failed === undefined) {
        const jobs = this.#queue.splice(0, this.#maxGroup);
        const outcomes = jobs.map((job) => {
          // Every event the venue emits while the job runs (also health refreshes after a user
          // operation) is published once the job's transaction has committed.
          const emitted: VenueEvent[] = [];
          const unsubscribe = this.venue.subscribe((e) => emitted.push(e));
          try {
            return { job, ok: true as const, out: { ...job.run(), events: emitted } };
          } catch (error) {
            return { job, ok: false as const, error };
          } finally {
            unsubscribe();
          }
        });
        const broken = outcomes.find((o) => !o.ok && o.error instanceof PartialUpdateError);
        if (broken) {
          // The venue may hold part of a market update that cannot be persisted: stop.
          this.#stop(outcomes, (broken as { error: PartialUpdateError }).error.cause);
          return;
        }
        const batch = mergeBatches(outcomes.flatMap((o) => (o.ok ? [o.out.batch] : [])));
        if (!isEmptyBatch(batch)) {
          try {
            await this.store.commit(batch);
          } catch (error) {
            this.#stop(outcomes, error);
            return;
          }
        }
        for (const o of outcomes) {
          if (o.ok) {
            for (const e of o.out.events) this.#publish(e);
            o.job.resolve(o.out.value);
          } else o.job.reject(o.error);
        }
      }
    } finally {
      this.#draining = false;
      this.#idleResolve?.();
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
    marketState: undefined as CommitBatch['marketState'],
  };
  for (const b of batches) {
    out.subAccounts.push(...(b.subAccounts ?? []));
    out.operations.push(...(b.operations ?? []));
    out.liquidations.push(...(b.liquidations ?? []));
    out.quotes.push(...(b.quotes ?? []));
    out.apiKeys.push(...(b.apiKeys ?? []));
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
    (b.apiKeys?.length ?? 0) === 0
  );
}
