/**
 * @module engine/journal
 *
 * The exact double-entry journal, in memory. Every operation becomes postings over bigint base
 * units that sum to zero per asset, so nothing is created or lost: for every asset,
 * Σ balances over all ledger accounts (sub-accounts and system accounts) = 0 at all times, and
 * Σ sub-account and non-external system balances = Σ deposits − Σ withdrawals = −balance(external).
 *
 * Guarantees:
 * - idempotency: an operation's `key` is applied once; replaying the same content returns the
 *   first entry and changes nothing; reusing a key with other content is refused;
 * - all or nothing: an operation is validated, margin-checked and balance-checked on a tentative
 *   state; only when every check passes is it committed. A refused operation changes nothing
 *   (not even the record of keys);
 * - a withdrawal or transfer out must leave the sender covering its requirement, and a trade that
 *   increases risk (grows |position| or flips it) must also keep leverage within the sub-account's
 *   limit (margin-check.ts); `trusted` skips these checks for replays and engine operations.
 *
 * Time is an argument (`timeMs` on each operation); no clock, no randomness, no I/O.
 *
 * @see docs/methodology/ledger-journal.md
 */
import type { Asset } from '../core/ledger/asset.js';
import { InvalidInputError, InvariantError, requireInput, XmarginError } from '../core/errors.js';
import type { MarginContext } from '../core/margin/margin-model.js';
import type { Portfolio } from '../core/portfolio/portfolio.js';
import { AccountBook } from './accounts.js';
import type { MarginMode, SubAccount, SubAccountSpec, VenueLimits } from './accounts.js';
import { checkInitialMargin } from './margin-check.js';
import { buildEffect, toFingerprint } from './operations.js';
import type { LedgerReader, Operation, Posting, PositionChange } from './operations.js';
import { toPortfolio } from './to-portfolio.js';
import type { PositionState } from './to-portfolio.js';

/** A committed operation. */
export interface JournalEntry {
  /** 1-based position in the journal */
  readonly seq: number;
  readonly key: string;
  readonly kind: Operation['kind'];
  readonly timeMs: number;
  readonly postings: readonly Posting[];
  readonly positionChanges: readonly PositionChange[];
}

/** What the journal needs to start. */
export interface JournalOptions {
  /** assets that balances may hold (symbol, decimals) */
  readonly assets: readonly Asset[];
  readonly venue: VenueLimits;
}

/** Per-operation environment. */
export interface ApplyOptions {
  /** market context for the margin check; required by withdrawals, transfers and risk-increasing trades */
  readonly ctx?: MarginContext;
  /** model params per margin mode (the venue's effective version); absent modes use the defaults */
  readonly params?: Readonly<Partial<Record<MarginMode, unknown>>>;
  /** the fall limit's factor g ≥ 1 per sub-account (the venue's; default 1: the model's requirement) */
  readonly fallFactor?: (subAccount: string) => number;
  /**
   * skip the margin check: for operations already accepted once (replay from a store on restart)
   * and for the engine's own liquidation operations, which restore health by construction
   */
  readonly trusted?: boolean;
}

/** A deep, plain copy of the journal's state (for audits and tests). */
export interface JournalSnapshot {
  readonly subAccounts: readonly SubAccount[];
  /** ledger account → asset → base units (zero balances omitted) */
  readonly balances: Readonly<Record<string, Readonly<Record<string, bigint>>>>;
  /** sub-account → instrument → position */
  readonly positions: Readonly<Record<string, Readonly<Record<string, PositionState>>>>;
  readonly entries: readonly JournalEntry[];
  readonly keys: readonly string[];
}

/** A position closer to zero than this fraction of the sizes involved is closed (float residue). */
const CLOSE_TOLERANCE = 1e-12;

/**
 * Applies one position change: sizes add; the entry price is the size-weighted average when the
 * position grows, kept when it shrinks, and the fill price when it flips.
 */
function applyPositionChange(prev: PositionState | undefined, c: PositionChange): PositionState | undefined {
  const oldSize = prev?.size ?? 0;
  const size = oldSize + c.size;
  if (Math.abs(size) <= CLOSE_TOLERANCE * Math.max(Math.abs(oldSize), Math.abs(c.size))) return undefined;
  if (!prev || Math.sign(oldSize) !== Math.sign(size)) return { size, entryPrice: c.price };
  if (Math.abs(size) < Math.abs(oldSize)) return { size, entryPrice: prev.entryPrice };
  const entryPrice = (Math.abs(oldSize) * prev.entryPrice + Math.abs(c.size) * c.price) / Math.abs(size);
  return { size, entryPrice };
}

/** The journal: accounts, balances, positions and the list of committed entries. */
export class Journal {
  readonly accounts: AccountBook;
  readonly #assets: ReadonlyMap<string, Asset>;
  readonly #balances = new Map<string, Map<string, bigint>>();
  readonly #positions = new Map<string, Map<string, PositionState>>();
  readonly #entries: JournalEntry[] = [];
  readonly #byKey = new Map<string, { fingerprint: string; entry: JournalEntry; op: Operation }>();
  #undoing = false;
  /** per entry since `beginUndo`: the maps the entry replaced (undefined = none) */
  readonly #undo: {
    key: string;
    balances: [string, Map<string, bigint> | undefined][];
    positions: [string, Map<string, PositionState> | undefined][];
  }[] = [];

  /** @throws InvalidInputError ERR_INVALID_INPUT on invalid venue limits or a duplicated asset */
  constructor(options: JournalOptions) {
    this.accounts = new AccountBook(options.venue);
    const assets = new Map<string, Asset>();
    for (const a of options.assets) {
      requireInput(!assets.has(a.symbol), 'assets', a.symbol, 'must not repeat an asset symbol');
      assets.set(a.symbol, a);
    }
    this.#assets = assets;
  }

  /** Opens a sub-account (see {@link AccountBook.open}). Not a journal operation: no balances move. */
  openSubAccount(spec: SubAccountSpec): SubAccount {
    return this.accounts.open(spec);
  }

  /** Balance of a ledger account (sub-account key or system account) in base units; 0 if none. */
  balanceOf(account: string, asset: string): bigint {
    return this.#balances.get(account)?.get(asset) ?? 0n;
  }

  /** Σ balances of one asset over every ledger account, base units. Always 0 (conservation). */
  totalOf(asset: string): bigint {
    let t = 0n;
    for (const m of this.#balances.values()) t += m.get(asset) ?? 0n;
    return t;
  }

  /** Number of committed entries. */
  entryCount(): number {
    return this.#entries.length;
  }

  /** The committed entries, in order. */
  entries(): readonly JournalEntry[] {
    return [...this.#entries];
  }

  /**
   * The entry committed under an idempotency key, with the fingerprint of what was asked
   * (operations.ts `toFingerprint`), or undefined.
   */
  entryOfKey(
    key: string,
  ): { readonly fingerprint: string; readonly entry: JournalEntry; readonly op: Operation } | undefined {
    return this.#byKey.get(key);
  }

  /**
   * Starts recording what each new entry replaces, so that {@link rollbackTo} can undo it (off by
   * default: a journal that is never rolled back keeps no undo log).
   */
  beginUndo(): void {
    this.#undo.length = 0;
    this.#undoing = true;
  }

  /**
   * Undoes the entries committed after the first `keep` ones, newest first, restoring balances,
   * positions and keys exactly; only entries since {@link beginUndo} can be undone.
   * For a store that refused to persist them (the service rolls back what it could not commit).
   * @throws InvariantError ERR_INVARIANT when an entry to undo is older than the undo log
   */
  rollbackTo(keep: number): void {
    const first = this.#entries.length - this.#undo.length;
    if (!(Number.isInteger(keep) && keep >= first && keep <= this.#entries.length))
      throw new InvariantError(`rollbackTo(${keep}): only entries after ${first} can be undone`, {
        keep,
        first,
      });
    while (this.#entries.length > keep) {
      const u = this.#undo.pop()!;
      const e = this.#entries.pop()!;
      for (const [account, m] of u.balances) {
        if (m) this.#balances.set(account, m);
        else this.#balances.delete(account);
      }
      for (const [sub, m] of u.positions) {
        if (m) this.#positions.set(sub, m);
        else this.#positions.delete(sub);
      }
      this.#byKey.delete(e.key);
    }
  }

  /** Forgets the undo log and stops recording: the entries so far can no longer be undone. */
  releaseUndo(): void {
    this.#undo.length = 0;
    this.#undoing = false;
  }

  /**
   * The sub-account's state as a margin-model Portfolio.
   * @throws InvalidInputError ERR_INVALID_INPUT when no such sub-account is open
   */
  portfolioOf(subAccount: string): Portfolio {
    this.accounts.get(subAccount, 'subAccount');
    return toPortfolio(
      this.#balances.get(subAccount) ?? new Map(),
      this.#positions.get(subAccount) ?? new Map(),
      this.#assets,
    );
  }

  /**
   * Applies one operation, all or nothing, at most once per idempotency key.
   *
   * Steps: replay check → validation and postings (operations.ts) → Σ postings = 0 per asset →
   * tentative state → margin check of the sender (withdrawal, transfer) → commit.
   *
   * @param op       the operation (amounts in base units, sizes in contracts, prices in quote ccy)
   * @param options  `ctx` for the margin check
   * @returns        the committed entry (the first one, on a replay)
   * @throws InvalidInputError ERR_INVALID_INPUT on a field breaking a rule; XmarginError ERR_IDEMPOTENCY_CONFLICT for a key reused
   *         with other content; or a missing `ctx`; RiskError ERR_INSUFFICIENT_MARGIN with { requiredUsd,
   *         equityAfterUsd, shortfallUsd } when the margin check fails; InvariantError
   *         ERR_INVARIANT when postings do not balance (a bug)
   * @example journal.apply({ kind: 'deposit', key: 'd1', timeMs: 0, to: 'alice/main', asset: 'USDC', units: 1_000_000n })
   */
  apply(op: Operation, options: ApplyOptions = {}): JournalEntry {
    const fingerprint = toFingerprint(op);
    const seen = typeof op.key === 'string' ? this.#byKey.get(op.key) : undefined;
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw new XmarginError(
          'ERR_IDEMPOTENCY_CONFLICT',
          `key must not be reused with different content (first used by ${seen.entry.kind} #${seen.entry.seq}); got ${JSON.stringify(op.key)}`,
          { field: 'key', value: op.key, firstSeq: seen.entry.seq },
        );
      }
      return seen.entry;
    }
    const effect = buildEffect(op, this.#reader());
    assertBalancedPostings(effect.postings, op.key);

    // Tentative state: copies of only the touched accounts, committed at the end.
    const balances = new Map<string, Map<string, bigint>>();
    for (const p of effect.postings) {
      let m = balances.get(p.account);
      if (!m) balances.set(p.account, (m = new Map(this.#balances.get(p.account) ?? [])));
      m.set(p.asset, (m.get(p.asset) ?? 0n) + p.units);
    }
    const positions = new Map<string, Map<string, PositionState>>();
    for (const c of effect.positionChanges) {
      let m = positions.get(c.subAccount);
      if (!m) positions.set(c.subAccount, (m = new Map(this.#positions.get(c.subAccount) ?? [])));
      const next = applyPositionChange(m.get(c.instrument), c);
      if (next) m.set(c.instrument, next);
      else m.delete(c.instrument);
    }

    const checked =
      effect.marginChecked ?? (op.kind === 'trade' && this.#increasesRisk(op) ? op.subAccount : undefined);
    if (checked !== undefined && options.trusted !== true) {
      const sub = this.accounts.get(checked, op.kind === 'trade' ? 'subAccount' : 'from');
      if (!options.ctx)
        throw new InvalidInputError('ctx', undefined, `must be given for a ${op.kind} (margin check)`);
      const portfolio = toPortfolio(
        balances.get(sub.key) ?? this.#balances.get(sub.key) ?? new Map(),
        positions.get(sub.key) ?? this.#positions.get(sub.key) ?? new Map(),
        this.#assets,
      );
      const params = options.params?.[sub.mode];
      checkInitialMargin(sub, portfolio, options.ctx, op.kind === 'trade' ? 'size' : 'units', {
        ...(params !== undefined ? { params } : {}),
        ...(options.fallFactor ? { fallFactor: options.fallFactor(sub.key) } : {}),
        leverage: op.kind === 'trade',
      });
    }

    // Commit: nothing below can throw. The replaced maps are kept for `rollbackTo`.
    if (this.#undoing)
      this.#undo.push({
        key: op.key,
        balances: [...balances.keys()].map((a) => [a, this.#balances.get(a)]),
        positions: [...positions.keys()].map((p) => [p, this.#positions.get(p)]),
      });
    for (const [account, m] of balances) {
      for (const [asset, units] of m) if (units === 0n) m.delete(asset);
      this.#balances.set(account, m);
    }
    for (const [sub, m] of positions) this.#positions.set(sub, m);
    const entry: JournalEntry = {
      seq: this.#entries.length + 1,
      key: op.key,
      kind: op.kind,
      timeMs: op.timeMs,
      postings: effect.postings,
      positionChanges: effect.positionChanges,
    };
    this.#entries.push(entry);
    this.#byKey.set(op.key, { fingerprint, entry, op });
    return entry;
  }

  /** A sub-account's position in an instrument (size and average entry price), or undefined. */
  positionOf(subAccount: string, instrument: string): PositionState | undefined {
    const p = this.#positions.get(subAccount)?.get(instrument);
    return p ? { ...p } : undefined;
  }

  /** Signed position (contracts) of a sub-account in an instrument; 0 when none. */
  positionSizeOf(subAccount: string, instrument: string): number {
    return this.#positions.get(subAccount)?.get(instrument)?.size ?? 0;
  }

  /** A trade increases risk when it grows |position| or flips its side. */
  #increasesRisk(op: { subAccount: string; instrument: string; size: number }): boolean {
    const before = this.positionSizeOf(op.subAccount, op.instrument);
    const after = before + op.size;
    return before * after < 0 || Math.abs(after) > Math.abs(before);
  }

  /** A deep plain copy of the state: equal snapshots mean equal states. */
  snapshot(): JournalSnapshot {
    const balances: Record<string, Record<string, bigint>> = {};
    for (const [account, m] of [...this.#balances].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (m.size > 0) balances[account] = Object.fromEntries([...m].sort());
    }
    const positions: Record<string, Record<string, PositionState>> = {};
    for (const [sub, m] of this.#positions) {
      if (m.size > 0) positions[sub] = Object.fromEntries([...m].sort().map(([k, p]) => [k, { ...p }]));
    }
    return {
      subAccounts: this.accounts.list().map((s) => ({ ...s, limits: { ...s.limits } })),
      balances,
      positions,
      entries: this.#entries.map((e) => ({
        ...e,
        postings: e.postings.map((p) => ({ ...p })),
        positionChanges: e.positionChanges.map((c) => ({ ...c })),
      })),
      keys: [...this.#byKey.keys()],
    };
  }

  #reader(): LedgerReader {
    return {
      isSubAccount: (key) => this.accounts.find(key) !== undefined,
      isAsset: (symbol) => this.#assets.has(symbol),
      balanceOf: (account, asset) => this.balanceOf(account, asset),
      positionSizeOf: (sub, instrument) => this.#positions.get(sub)?.get(instrument)?.size ?? 0,
    };
  }
}

/**
 * Σ postings = 0 for every asset, or the operation is a bug and is refused.
 * @throws InvariantError ERR_INVARIANT naming the asset and its non-zero sum (base units)
 */
export function assertBalancedPostings(postings: readonly Posting[], key: string): void {
  const sums = new Map<string, bigint>();
  for (const p of postings) sums.set(p.asset, (sums.get(p.asset) ?? 0n) + p.units);
  for (const [asset, sum] of sums)
    if (sum !== 0n)
      throw new InvariantError(`postings of ${key} must sum to 0 per asset; ${asset} sums to ${sum}`, {
        key,
        asset,
        sum,
      });
}
