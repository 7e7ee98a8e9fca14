/**
 * @module margin/kernel/account-rows
 *
 * Accounts as columns: what the prepared margin kernels read. A **row** is one thing an account can
 * hold, named by a key: an instrument id, or `collateral:<ASSET>` for a balance (risk/risk-arrays.ts
 * `collateralKey`). A {@link RowUniverse} numbers the rows a venue knows (it only grows); a
 * {@link AccountRowsView} lists, per account, the slots it holds: row, signed quantity (contracts,
 * or asset units for a balance) and, for perpetuals and futures, the entry price.
 *
 * Slot order inside an account is the Portfolio's (engine/to-portfolio.ts): balances by asset
 * symbol, then positions by instrument id, so a kernel can sum equity in exactly the order
 * `valuePortfolio` does and get the same double.
 *
 * {@link MarketRows} holds, per row, what the current market says of it (priced or not, kind,
 * contract size, mark or price, underlying), built once per market update and shared by every model.
 *
 * Units: quantities signed (long > 0); prices quote ccy (USD) per unit of underlying; values USD.
 */
import { fromUnits } from '../../ledger/convert.js';
import type { MarginMarket } from '../../portfolio/margin-market.js';
import type { Portfolio } from '../../portfolio/portfolio.js';
import { collateralKey } from '../../risk/risk-arrays.js';

/** The rows a venue knows: keys in the order they were first seen. Grows, never shrinks. */
export class RowUniverse {
  readonly keys: string[] = [];
  readonly #index = new Map<string, number>();

  /** The row of `key`, added when new. */
  intern(key: string): number {
    let g = this.#index.get(key);
    if (g === undefined) {
      g = this.keys.length;
      this.keys.push(key);
      this.#index.set(key, g);
    }
    return g;
  }

  /** The row of `key`, or undefined. */
  find(key: string): number | undefined {
    return this.#index.get(key);
  }

  get size(): number {
    return this.keys.length;
  }
}

/** Accounts × slots, columnar. Slots of account a: [start[a], start[a] + count[a]). */
export interface AccountRowsView {
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** per slot: the row (RowUniverse index) */
  readonly row: Int32Array;
  /** per slot: contracts (instrument rows) or asset units (balance rows), signed */
  readonly qty: Float64Array;
  /** per slot: entry price of a perpetual or future, quote ccy per unit; NaN otherwise */
  readonly entry: Float64Array;
}

/** Row kinds. */
export const ROW_COLLATERAL = 0;
export const ROW_LINEAR = 1;
export const ROW_OPTION = 2;
export const ROW_SPOT = 3;

/** What the market says of each row (arrays indexed by row). */
export interface MarketRows {
  readonly market: MarginMarket;
  readonly universe: RowUniverse;
  /** number of rows covered (the universe's size when built) */
  readonly size: number;
  /** 1 when the market values the row (a listed instrument, a priced asset) */
  readonly priced: Uint8Array;
  /** ROW_* */
  readonly kind: Uint8Array;
  /** units of the underlying per contract (1 for balances) */
  readonly contractSize: Float64Array;
  /** mark price of an instrument, price of an asset, quote ccy per unit */
  readonly mark: Float64Array;
  /** index price of the row's underlying (an asset: its own price) */
  readonly index: Float64Array;
  /** the row's underlying (an asset: itself), as an index into `underlyings` */
  readonly underlying: Int32Array;
  /** the assets rows are on, in first-seen order */
  readonly underlyings: readonly string[];
}

/** The key of a balance row. */
export const balanceKey = collateralKey;

/**
 * What the market says of every row of the universe (registering the market's instruments and
 * priced assets first, so every listed thing has a row).
 */
export function buildMarketRows(market: MarginMarket, universe: RowUniverse): MarketRows {
  for (const a of market.prices.keys()) universe.intern(balanceKey(a));
  for (const id of market.instruments.keys()) universe.intern(id);
  const n = universe.size;
  const priced = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const contractSize = new Float64Array(n).fill(1);
  const mark = new Float64Array(n).fill(NaN);
  const index = new Float64Array(n).fill(NaN);
  const underlying = new Int32Array(n).fill(-1);
  const underlyings: string[] = [];
  const uIndex = new Map<string, number>();
  const uOf = (a: string) => {
    let u = uIndex.get(a);
    if (u === undefined) {
      u = underlyings.length;
      underlyings.push(a);
      uIndex.set(a, u);
    }
    return u;
  };
  for (let g = 0; g < n; g++) {
    const key = universe.keys[g]!;
    if (key.startsWith('collateral:')) {
      const asset = key.slice('collateral:'.length);
      const price = market.prices.get(asset);
      kind[g] = ROW_COLLATERAL;
      underlying[g] = uOf(asset);
      if (price !== undefined) {
        priced[g] = 1;
        mark[g] = price;
        index[g] = price;
      }
      continue;
    }
    const m = market.instruments.get(key);
    if (!m) continue; // known from before (expired, delisted): not valued now
    const inst = m.instrument;
    kind[g] = inst.kind === 'option' ? ROW_OPTION : inst.kind === 'spot' ? ROW_SPOT : ROW_LINEAR;
    contractSize[g] = inst.contractSize;
    mark[g] = m.markPrice;
    underlying[g] = uOf(inst.underlying);
    const ix = market.prices.get(inst.underlying);
    if (ix !== undefined) {
      index[g] = ix;
      priced[g] = 1;
    }
  }
  return { market, universe, size: n, priced, kind, contractSize, mark, index, underlying, underlyings };
}

/**
 * Mark-to-market equity of account `a`, exactly as `valuePortfolio` computes it (same expressions,
 * same order): Σ balances qty·price + Σ positions, a linear position units·(mark − entry), any other
 * units·mark (units = qty·contractSize). NaN when a row is not priced (fail closed).
 */
export function accountEquity(view: AccountRowsView, a: number, m: MarketRows): number {
  let collateral = 0;
  let positions = 0;
  const s1 = view.start[a]! + view.count[a]!;
  for (let s = view.start[a]!; s < s1; s++) {
    const g = view.row[s]!;
    if (g >= m.size || m.priced[g] === 0) return NaN;
    const q = view.qty[s]!;
    const k = m.kind[g]!;
    if (k === ROW_COLLATERAL) collateral += q * m.mark[g]!;
    else {
      const units = q * m.contractSize[g]!;
      const e = view.entry[s]!;
      positions += k === ROW_LINEAR ? (Number.isNaN(e) ? 0 : units * (m.mark[g]! - e)) : units * m.mark[g]!;
    }
  }
  return collateral + positions;
}

/**
 * The columnar view of whole portfolios (tests, benchmarks, bulk loads): account a = portfolios[a].
 * Slots are balances by symbol, then positions by instrument id; a portfolio holding one instrument
 * twice keeps two slots (kernels add them), as `compute` does. Collateral quantities are converted
 * with `fromUnits`, as `valuePortfolio` does.
 */
export function buildAccountRows(portfolios: readonly Portfolio[], universe: RowUniverse): AccountRowsView {
  let slots = 0;
  for (const pf of portfolios) slots += pf.collateral.size + pf.positions.length;
  const start = new Int32Array(portfolios.length);
  const count = new Int32Array(portfolios.length);
  const row = new Int32Array(slots);
  const qty = new Float64Array(slots);
  const entry = new Float64Array(slots).fill(NaN);
  let s = 0;
  portfolios.forEach((pf, a) => {
    start[a] = s;
    for (const sym of [...pf.collateral.keys()].sort()) {
      const bal = pf.collateral.get(sym)!;
      row[s] = universe.intern(balanceKey(sym));
      qty[s++] = fromUnits(bal.units, bal.asset.decimals);
    }
    const positions = [...pf.positions].sort((x, y) =>
      x.instrument < y.instrument ? -1 : x.instrument > y.instrument ? 1 : 0,
    );
    for (const p of positions) {
      row[s] = universe.intern(p.instrument);
      qty[s] = p.size;
      entry[s++] = p.entryPrice ?? NaN;
    }
    count[a] = s - start[a]!;
  });
  return { start, count, row, qty, entry };
}
