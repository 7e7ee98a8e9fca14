/**
 * @module engine/book/columnar-book
 *
 * `ColumnarBook`: accounts × positions in typed arrays (book-kernel.ts `BookData`), built from
 * portfolios or raw columns over the `portfolio` model's risk arrays, with full and incremental
 * re-margining and health-threshold events. Scope (docs/methodology/engine-book.md): the model's
 * scenario part, short-option and linear contingencies and stablecoin haircuts (fixed per account
 * at build); no joint-stress floor (stressWeight must be 0), no oracle-confidence add-on (an
 * account exposed to a low-confidence underlying is rejected), correlations from params only.
 */
import { InvariantError } from '../../core/errors.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { portfolioRiskArrays } from '../../core/margin/portfolio-model.js';
import { correlationOf, type PortfolioModelParams } from '../../core/margin/portfolio-params.js';
import { haircutRequirement } from '../../core/margin/collateral-haircuts.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { collateralKey, type RiskArrays } from '../../core/risk/risk-arrays.js';
import {
  ALL_UNDERLYINGS,
  KIND_LINEAR,
  KIND_NONE,
  KIND_OPTION,
  N_PARAMS,
  P_IM_FACTOR,
  P_LINEAR_RATE,
  P_MARGIN_CALL_RATIO,
  P_MIN_DIVERSIFIED,
  P_MM_FRACTION,
  P_REDUCE_ONLY_RATIO,
  P_SHORT_OPTION_RATE,
  accountInitialMargin,
  createScratch,
  decodeEvents,
  remarginShard,
  type BookData,
  type HealthEvent,
  type KernelScratch,
} from './book-kernel.js';

/** Health thresholds as multiples of MM. */
export interface BookThresholds {
  /** margin call below MM × this */
  readonly marginCallRatio: number;
  /** reduce-only below MM × this (liquidatable below MM) */
  readonly reduceOnlyRatio: number;
}

export const DEFAULT_BOOK_THRESHOLDS: BookThresholds = { marginCallRatio: 1.2, reduceOnlyRatio: 1.05 };

/** Raw columns of a book (instrument indices into `BookUniverse.keys`). */
export interface BookColumns {
  /** nAccounts + 1 offsets into instrument/qty */
  readonly accountStart: Int32Array;
  readonly instrument: Int32Array;
  /** contracts for instruments, asset units for `collateral:` rows */
  readonly qty: Float64Array;
  /** per account, USD */
  readonly collateralUsd: Float64Array;
  /** per account, USD */
  readonly equityUsd: Float64Array;
  /** per account, USD (stablecoin haircuts); zeros when absent */
  readonly fixedAddOnUsd?: Float64Array;
}

/** The instruments a book can hold: every risk-array row of every non-stable underlying. */
export interface BookUniverse {
  readonly underlyings: readonly string[];
  /** global row keys: instrument ids and `collateral:<ASSET>` */
  readonly keys: readonly string[];
  readonly keyIndex: ReadonlyMap<string, number>;
  readonly arrays: readonly RiskArrays[];
}

const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * Math.max(n, 1))).subarray(0, n);
const i32 = (n: number) => new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 1))).subarray(0, n);
const u8 = (n: number) => new Uint8Array(new SharedArrayBuffer(Math.max(n, 1))).subarray(0, n);

/** The universe of a market under `params` (builds or reuses the cached risk arrays). */
export function buildBookUniverse(ctx: MarginContext, params: PortfolioModelParams): BookUniverse {
  const market = ctx.market;
  const stable = new Set([...params.stableAssets, market.quoteCurrency]);
  const underlyings = [...market.prices.keys()].filter((a) => !stable.has(a));
  for (const m of market.instruments.values())
    if (!underlyings.includes(m.instrument.underlying))
      throw new InvariantError('instrument on a stable or unpriced underlying', { id: m.instrument.id });
  if (underlyings.length > 30) throw new InvariantError('at most 30 underlyings', { n: underlyings.length });
  const keys: string[] = [];
  const arrays = underlyings.map((u) => {
    const a = portfolioRiskArrays(ctx, params, u);
    keys.push(...a.keys);
    return a;
  });
  return { underlyings, keys, keyIndex: new Map(keys.map((k, i) => [k, i])), arrays };
}

/** Accounts × positions in typed arrays, margined by the book kernel (module header). */
export class ColumnarBook {
  readonly data: BookData;
  readonly universe: BookUniverse;
  private readonly scratch: KernelScratch;
  private readonly events: Int32Array;
  private readonly counts = new Int32Array(2);
  private epoch = 0;

  private constructor(data: BookData, universe: BookUniverse) {
    this.data = data;
    this.universe = universe;
    this.scratch = createScratch(data);
    this.events = new Int32Array(3 * Math.max(data.nAccounts, 1));
  }

  /**
   * A book from raw columns; IM/MM/health are zero and every state healthy until the first
   * `remarginAll`. @throws InvariantError on inconsistent shapes or params the book does not model
   */
  static fromColumns(
    ctx: MarginContext,
    params: PortfolioModelParams,
    cols: BookColumns,
    thresholds: BookThresholds = DEFAULT_BOOK_THRESHOLDS,
    universe: BookUniverse = buildBookUniverse(ctx, params),
  ): ColumnarBook {
    if (params.stressWeight !== 0)
      throw new InvariantError('the columnar book has no joint-stress floor: stressWeight must be 0', {
        stressWeight: params.stressWeight,
      });
    if (params.correlations.source === 'history' && ctx.history)
      throw new InvariantError('the columnar book takes correlations from params only', {});
    const nA = cols.accountStart.length - 1;
    const nP = cols.instrument.length;
    const nG = universe.keys.length;
    const nU = universe.underlyings.length;
    if (
      nA < 0 ||
      cols.qty.length !== nP ||
      cols.accountStart[0] !== 0 ||
      cols.accountStart[nA] !== nP ||
      cols.collateralUsd.length !== nA ||
      cols.equityUsd.length !== nA ||
      (cols.fixedAddOnUsd !== undefined && cols.fixedAddOnUsd.length !== nA)
    )
      throw new InvariantError('book column shape mismatch', { nA, nP });
    for (let a = 0; a < nA; a++)
      if (cols.accountStart[a + 1]! < cols.accountStart[a]!)
        throw new InvariantError('account offsets must not decrease', { account: a });
    const market = ctx.market;
    const instUnderlying = i32(nG);
    const instRow = i32(nG);
    const instKind = i32(nG);
    const instContractSize = f64(nG);
    let g = 0;
    universe.arrays.forEach((arr, u) =>
      arr.keys.forEach((key, row) => {
        instUnderlying[g] = u;
        instRow[g] = row;
        const inst = market.instruments.get(key)?.instrument;
        instKind[g] = inst === undefined ? KIND_NONE : inst.kind === 'option' ? KIND_OPTION : KIND_LINEAR;
        instContractSize[g] = inst?.contractSize ?? 1;
        g++;
      }),
    );
    // CSR instrument → accounts (an account once per instrument).
    const count = new Int32Array(nG + 1);
    const last = new Int32Array(nG).fill(-1);
    for (let a = 0; a < nA; a++)
      for (let p = cols.accountStart[a]!; p < cols.accountStart[a + 1]!; p++) {
        const gi = cols.instrument[p]!;
        if (!(gi >= 0 && gi < nG)) throw new InvariantError('instrument index out of range', { gi, nG });
        if (last[gi] !== a) {
          last[gi] = a;
          count[gi + 1] = count[gi + 1]! + 1;
        }
      }
    const instAccountStart = i32(nG + 1);
    for (let k = 0; k < nG; k++) instAccountStart[k + 1] = instAccountStart[k]! + count[k + 1]!;
    const instAccounts = i32(instAccountStart[nG]!);
    const fill = Int32Array.from(instAccountStart.subarray(0, nG));
    last.fill(-1);
    for (let a = 0; a < nA; a++)
      for (let p = cols.accountStart[a]!; p < cols.accountStart[a + 1]!; p++) {
        const gi = cols.instrument[p]!;
        if (last[gi] !== a) {
          last[gi] = a;
          instAccounts[fill[gi]!] = a;
          fill[gi] = fill[gi]! + 1;
        }
      }
    const correlation = f64(nU * nU);
    for (let u = 0; u < nU; u++)
      for (let v = 0; v < nU; v++)
        correlation[u * nU + v] = correlationOf(params, universe.underlyings[u]!, universe.underlyings[v]!);
    const pv = f64(N_PARAMS);
    pv[P_IM_FACTOR] = params.imFactor;
    pv[P_MM_FRACTION] = params.mmFraction;
    pv[P_MIN_DIVERSIFIED] = params.minDiversifiedFraction;
    pv[P_SHORT_OPTION_RATE] = params.contingencies.shortOptionRate;
    pv[P_LINEAR_RATE] = params.contingencies.linearRate;
    pv[P_MARGIN_CALL_RATIO] = thresholds.marginCallRatio;
    pv[P_REDUCE_ONLY_RATIO] = thresholds.reduceOnlyRatio;
    const copyF64 = (x: Float64Array) => {
      const y = f64(x.length);
      y.set(x);
      return y;
    };
    const accountStart = i32(nA + 1);
    accountStart.set(cols.accountStart);
    const posInstrument = i32(nP);
    posInstrument.set(cols.instrument);
    const data: BookData = {
      nAccounts: nA,
      nUnderlyings: nU,
      accountStart,
      posInstrument,
      qty: copyF64(cols.qty),
      collateralUsd: copyF64(cols.collateralUsd),
      equityUsd: copyF64(cols.equityUsd),
      fixedAddOnUsd: cols.fixedAddOnUsd ? copyF64(cols.fixedAddOnUsd) : f64(nA),
      instUnderlying,
      instRow,
      instKind,
      instContractSize,
      instAccountStart,
      instAccounts,
      nScenarios: Int32Array.from(universe.arrays, (a) => a.nScenarios),
      unitPnl: universe.arrays.map((a) => copyF64(a.unitPnl)),
      spotDir: universe.arrays.map((a) =>
        copyF64(Float64Array.from(a.scenarios, (s) => Math.sign(s.spotMove))),
      ),
      indexUsd: copyF64(Float64Array.from(universe.underlyings, (u) => market.prices.get(u)!)),
      correlation,
      params: pv,
      imUsd: f64(nA),
      mmUsd: f64(nA),
      healthUsd: f64(nA),
      healthRatio: f64(nA),
      state: u8(nA),
      stamp: i32(nA),
    };
    return new ColumnarBook(data, universe);
  }

  /**
   * A book from portfolios (account index = position in the list), valued at the context's
   * market. Row order per account follows the object model: positions, then non-stable collateral.
   */
  static fromPortfolios(
    portfolios: readonly Portfolio[],
    ctx: MarginContext,
    params: PortfolioModelParams,
    thresholds: BookThresholds = DEFAULT_BOOK_THRESHOLDS,
  ): ColumnarBook {
    const universe = buildBookUniverse(ctx, params);
    const market = ctx.market;
    const stable = new Set([...params.stableAssets, market.quoteCurrency]);
    const nA = portfolios.length;
    const accountStart = new Int32Array(nA + 1);
    const instrument: number[] = [];
    const qty: number[] = [];
    const collateralUsd = new Float64Array(nA);
    const equityUsd = new Float64Array(nA);
    const fixedAddOnUsd = new Float64Array(nA);
    const push = (key: string, q: number) => {
      const gi = universe.keyIndex.get(key);
      if (gi === undefined) throw new InvariantError('position outside the book universe', { key });
      instrument.push(gi);
      qty.push(q);
    };
    portfolios.forEach((portfolio, a) => {
      const v = valuePortfolio(portfolio, market);
      const exposed = new Set<string>();
      for (const pv of v.positions) {
        const inst = pv.marked.instrument;
        exposed.add(inst.underlying);
        if (inst.kind === 'spot') push(collateralKey(inst.underlying), pv.units);
        else push(pv.position.instrument, pv.position.size);
      }
      for (const c of v.collateral) {
        if (stable.has(c.asset)) {
          const r = haircutRequirement(c, params).imUsd;
          if (r > 0) fixedAddOnUsd[a] = fixedAddOnUsd[a]! + r;
        } else {
          exposed.add(c.asset);
          push(collateralKey(c.asset), c.qty);
        }
      }
      for (const u of exposed) {
        const conf = market.confidence.get(u);
        if (conf !== undefined && conf < params.contingencies.confidenceThreshold)
          throw new InvariantError('the columnar book has no oracle-confidence add-on', { account: a, u });
      }
      collateralUsd[a] = v.collateralUsd;
      equityUsd[a] = v.equityUsd;
      accountStart[a + 1] = instrument.length;
    });
    return ColumnarBook.fromColumns(
      ctx,
      params,
      {
        accountStart,
        instrument: Int32Array.from(instrument),
        qty: Float64Array.from(qty),
        collateralUsd,
        equityUsd,
        fixedAddOnUsd,
      },
      thresholds,
      universe,
    );
  }

  get nAccounts(): number {
    return this.data.nAccounts;
  }

  /** Initial margin of account `a`, USD, at the book's current risk arrays (no state change). */
  initialMarginOf(a: number): number {
    if (!(a >= 0 && a < this.data.nAccounts)) throw new InvariantError('account out of range', { a });
    return accountInitialMargin(this.data, a, this.scratch);
  }

  /** A fresh epoch for the dedupe stamps (shared with ShardedBook). */
  nextEpoch(): number {
    this.epoch = (this.epoch % 0x7ffffffe) + 1;
    return this.epoch;
  }

  /** Bitmask of underlying names. @throws InvariantError on an unknown underlying */
  maskOf(changedUnderlyings: readonly string[]): number {
    let mask = 0;
    for (const u of changedUnderlyings) {
      const i = this.universe.underlyings.indexOf(u);
      if (i < 0) throw new InvariantError('unknown underlying', { u });
      mask |= 1 << i;
    }
    return mask;
  }

  /** Re-margins every account on this thread; returns the threshold crossings by account. */
  remarginAll(): HealthEvent[] {
    return this.run(ALL_UNDERLYINGS).events;
  }

  /**
   * Re-margins only the accounts holding an instrument (or collateral) on a changed underlying,
   * after `updateUnderlying` installed its new risk arrays. `touched` = accounts re-margined.
   */
  remargin(changedUnderlyings: readonly string[]): { touched: number; events: HealthEvent[] } {
    return this.run(this.maskOf(changedUnderlyings));
  }

  private run(mask: number): { touched: number; events: HealthEvent[] } {
    remarginShard(this.data, mask, 0, 1, this.nextEpoch(), this.scratch, this.events, this.counts);
    const events: HealthEvent[] = [];
    decodeEvents(this.events, this.counts[1]!, events);
    events.sort((x, y) => x.account - y.account);
    return { touched: this.counts[0]!, events };
  }

  /**
   * Installs rebuilt risk arrays of `underlying` (same rows and scenarios: a market update, not a
   * listing change) and its new index price, USD. Equity is the caller's (`data.equityUsd`).
   * @throws InvariantError when the rows or scenario count differ
   */
  updateUnderlying(underlying: string, arrays: RiskArrays, indexUsd: number): void {
    const u = this.universe.underlyings.indexOf(underlying);
    const old = this.universe.arrays[u];
    if (
      old === undefined ||
      arrays.underlying !== underlying ||
      arrays.nScenarios !== old.nScenarios ||
      arrays.keys.length !== old.keys.length ||
      arrays.keys.some((k, i) => k !== old.keys[i])
    )
      throw new InvariantError('risk arrays do not match the book layout', { underlying });
    this.data.unitPnl[u]!.set(arrays.unitPnl);
    arrays.scenarios.forEach((s, i) => (this.data.spotDir[u]![i] = Math.sign(s.spotMove)));
    this.data.indexUsd[u] = indexUsd;
  }
}

/** Incremental re-margin of `book` after `changedUnderlyings`' risk arrays were rebuilt. */
export function remargin(
  book: ColumnarBook,
  changedUnderlyings: readonly string[],
): { touched: number; events: HealthEvent[] } {
  return book.remargin(changedUnderlyings);
}
