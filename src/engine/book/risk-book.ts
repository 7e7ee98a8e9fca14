/**
 * @module engine/book/risk-book
 *
 * The venue's columnar book: every sub-account's holdings as slots in typed arrays (the
 * `AccountRowsView` the prepared margin kernels read, core/margin/kernel), and its margin state
 * (equity, IM, MM, status) as columns. No object per position on the hot path.
 *
 * - Slots live in one slab; an account's slots are contiguous, with room to grow (capacity doubles;
 *   an account that outgrows its room moves to the end of the slab; the slab is compacted when half
 *   of it is holes).
 * - Each account carries a bitmask of the assets its rows are on (positions' underlyings and
 *   balances), so a market update re-margins only the accounts holding a changed asset; a venue with
 *   more than 31 assets marks the rest in bit 31 (re-margined with any change beyond the 31st).
 * - The journal stays the exact ledger; the book is re-derived from it for every account an
 *   operation touches (`setSlots`), so the two never disagree.
 *
 * - Every column is in shared memory, so worker threads (shard-pool.ts) read the slots and write IM
 *   and MM without a copy.
 * - The fall limit's state (core/margin/fall-limit.ts) is per account in columns too: the factor g
 *   the model's IM and MM were last multiplied by, the market time it was set at, and whether the
 *   holdings changed since (engine/venue/venue-risk.ts applies it).
 *
 * Units: quantities as the journal holds them (contracts; asset units for balances); USD outputs.
 */
import { HEALTH_STATUSES, type HealthStatus } from '../../core/margin/account-risk.js';
import { RowUniverse, type AccountRowsView } from '../../core/margin/kernel/account-rows.js';

/** One slot as the book receives it. */
export interface SlotSpec {
  readonly row: number;
  readonly qty: number;
  /** entry price of a perpetual or future; NaN otherwise */
  readonly entry: number;
}

const OTHER_ASSETS_BIT = 31;

type Column = Int32Array | Uint32Array | Float64Array | Uint8Array;
type ColumnType<T extends Column> = {
  new (buffer: SharedArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** A column of `n` elements in shared memory (worker threads read the slots and write IM and MM). */
function column<T extends Column>(type: ColumnType<T>, n: number): T {
  return new type(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT));
}

/** The columnar book (module header). */
export class RiskBook {
  readonly universe = new RowUniverse();
  #n = 0;
  #start = column(Int32Array, 16);
  #count = column(Int32Array, 16);
  #cap = column(Int32Array, 16);
  #row = column(Int32Array, 256);
  #qty = column(Float64Array, 256);
  #entry = column(Float64Array, 256);
  #used = 0;
  #holes = 0;
  /** per account: bitmask of its assets (bit i = asset i of `assetOf`) */
  mask = column(Uint32Array, 16);
  /** per account: index of its margin mode in the venue's mode list */
  mode = column(Int32Array, 16);
  /** per account outputs, USD */
  equity = column(Float64Array, 16);
  im = column(Float64Array, 16);
  mm = column(Float64Array, 16);
  /** per account: HEALTH_STATUSES index */
  status = column(Uint8Array, 16);
  /** per account: the fall limit's factor g ≥ 1 on the model's IM and MM (0: no state yet) */
  fallG = column(Float64Array, 16);
  /** per account: the market time g was set at, ms UTC */
  fallMs = column(Float64Array, 16);
  /** per account: 1 when the slots changed since the last re-margin */
  synced = column(Uint8Array, 16);
  /** per row: the asset it is on, as a bit index (−1 until known) */
  #rowAsset = new Int32Array(64).fill(-1);
  readonly #assets = new Map<string, number>();

  /** Number of accounts. */
  get size(): number {
    return this.#n;
  }

  /** The slots as the kernels read them (valid until the next change of the book). */
  view(): AccountRowsView {
    return { start: this.#start, count: this.#count, row: this.#row, qty: this.#qty, entry: this.#entry };
  }

  /** Adds an empty account under mode `mode`; returns its index. */
  addAccount(mode: number): number {
    const a = this.#n++;
    if (a >= this.#start.length) this.#growAccounts(this.#start.length * 2);
    this.#start[a] = this.#used;
    this.#count[a] = 0;
    this.#cap[a] = 0;
    this.mode[a] = mode;
    this.status[a] = 0;
    this.fallG[a] = 0;
    this.fallMs[a] = 0;
    this.synced[a] = 0;
    return a;
  }

  /** Removes the last account (an opening undone); only the last one may be removed. */
  removeLast(): void {
    if (this.#n > 0) this.#n--;
  }

  /** The bit of an asset (assets beyond the 31st share bit 31). */
  assetBit(asset: string): number {
    let b = this.#assets.get(asset);
    if (b === undefined) {
      b = Math.min(this.#assets.size, OTHER_ASSETS_BIT);
      this.#assets.set(asset, b);
    }
    return b;
  }

  /** Records the asset a row is on (first sight of the row in a market); true when it was new. */
  setRowAsset(row: number, asset: string): boolean {
    if (row >= this.#rowAsset.length) {
      const next = new Int32Array(Math.max(row + 1, this.#rowAsset.length * 2)).fill(-1);
      next.set(this.#rowAsset);
      this.#rowAsset = next;
    }
    if (this.#rowAsset[row] !== -1) return false;
    this.#rowAsset[row] = this.assetBit(asset);
    return true;
  }

  /** Recomputes every account's asset mask (after rows learnt their assets from a market). */
  recomputeMasks(): void {
    for (let a = 0; a < this.#n; a++) {
      let mask = 0;
      const s1 = this.#start[a]! + this.#count[a]!;
      for (let s = this.#start[a]!; s < s1; s++) {
        const r = this.#row[s]!;
        const bit = r < this.#rowAsset.length ? this.#rowAsset[r]! : -1;
        mask |= bit >= 0 ? 1 << bit : 1 << OTHER_ASSETS_BIT;
      }
      this.mask[a] = mask >>> 0;
    }
  }

  /** The mask of assets whose bits are set for these names. */
  maskOf(assets: Iterable<string>): number {
    let m = 0;
    for (const a of assets) m |= 1 << this.assetBit(a);
    return m >>> 0;
  }

  /** Replaces account `a`'s slots (in the order the kernels expect: balances, then positions). */
  setSlots(a: number, slots: readonly SlotSpec[]): void {
    const k = slots.length;
    if (k > this.#cap[a]!) {
      // Move to the end with room to grow; the old place becomes a hole.
      this.#holes += this.#cap[a]!;
      const cap = Math.max(4, k * 2);
      this.#ensureSlab(this.#used + cap);
      this.#start[a] = this.#used;
      this.#cap[a] = cap;
      this.#used += cap;
    }
    const s0 = this.#start[a]!;
    let mask = 0;
    for (let i = 0; i < k; i++) {
      const sl = slots[i]!;
      this.#row[s0 + i] = sl.row;
      this.#qty[s0 + i] = sl.qty;
      this.#entry[s0 + i] = sl.entry;
      const bit = sl.row < this.#rowAsset.length ? this.#rowAsset[sl.row]! : -1;
      mask |= bit >= 0 ? 1 << bit : 1 << OTHER_ASSETS_BIT;
    }
    this.#count[a] = k;
    this.mask[a] = mask >>> 0;
    this.synced[a] = 1;
    if (this.#holes > this.#used / 2 && this.#used > 1024) this.#compact();
  }

  /** The status of account `a`. */
  statusOf(a: number): HealthStatus {
    return HEALTH_STATUSES[this.status[a]!]!;
  }

  /** Bytes held by the book's typed arrays (for the benchmark's memory per account). */
  bytes(): number {
    return (
      this.#start.byteLength * 3 +
      this.#row.byteLength +
      this.#qty.byteLength +
      this.#entry.byteLength +
      this.mask.byteLength +
      this.mode.byteLength +
      this.equity.byteLength * 5 +
      this.status.byteLength * 2
    );
  }

  #ensureSlab(n: number): void {
    if (n <= this.#row.length) return;
    const size = Math.max(n, this.#row.length * 2);
    const row = column(Int32Array, size);
    row.set(this.#row);
    const qty = column(Float64Array, size);
    qty.set(this.#qty);
    const entry = column(Float64Array, size);
    entry.set(this.#entry);
    this.#row = row;
    this.#qty = qty;
    this.#entry = entry;
  }

  #growAccounts(n: number): void {
    const grow = <T extends Column>(x: T): T => {
      const y = column(x.constructor as ColumnType<T>, n);
      y.set(x);
      return y;
    };
    this.#start = grow(this.#start);
    this.#count = grow(this.#count);
    this.#cap = grow(this.#cap);
    this.mask = grow(this.mask);
    this.mode = grow(this.mode);
    this.equity = grow(this.equity);
    this.im = grow(this.im);
    this.mm = grow(this.mm);
    this.status = grow(this.status);
    this.fallG = grow(this.fallG);
    this.fallMs = grow(this.fallMs);
    this.synced = grow(this.synced);
  }

  /** Rewrites the slab without holes, accounts in order, each keeping its room. */
  #compact(): void {
    let total = 0;
    for (let a = 0; a < this.#n; a++) total += this.#cap[a]!;
    const row = column(Int32Array, Math.max(total * 2, 256));
    const qty = column(Float64Array, row.length);
    const entry = column(Float64Array, row.length);
    let at = 0;
    for (let a = 0; a < this.#n; a++) {
      const s0 = this.#start[a]!;
      const k = this.#count[a]!;
      row.set(this.#row.subarray(s0, s0 + k), at);
      qty.set(this.#qty.subarray(s0, s0 + k), at);
      entry.set(this.#entry.subarray(s0, s0 + k), at);
      this.#start[a] = at;
      at += this.#cap[a]!;
    }
    this.#row = row;
    this.#qty = qty;
    this.#entry = entry;
    this.#used = at;
    this.#holes = 0;
  }
}
