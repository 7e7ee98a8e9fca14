/**
 * @module margin/kernel/prepared-margin
 *
 * Compute once, explain on demand. Every margin model has two faces:
 *
 * - `prepare(context, params, rows)`, once per market update: a {@link PreparedMargin} whose
 *   `margin` computes IM and MM for many accounts at once from their columnar rows
 *   (account-rows.ts), allocating nothing per account: what a venue runs on every tick;
 * - `explain(portfolio)`: the model's full computation for one account (components, contributions,
 *   worst scenario), when someone asks.
 *
 * The two agree: kernel.test.ts holds every model's kernel equal to its `compute` on random books.
 * Models with a dedicated kernel (portfolio, isolated, cross, es, var) prepare it; any other model
 * (the venue presets) runs through {@link prepareGeneric}, which rebuilds each account's Portfolio
 * and calls `compute`: correct and the same numbers, not allocation-free.
 *
 * Fails closed: an account holding a row the market cannot value gets NaN (the classifier calls it
 * liquidatable); a model that cannot margin a book (an unsupported instrument) gives NaN too.
 */
import { XmarginError } from '../../errors.js';
import type { Portfolio } from '../../portfolio/portfolio.js';
import type { MarginContext, MarginModel, MarginResult } from '../margin-model.js';
import type { AccountRowsView, MarketRows } from './account-rows.js';
import type { SimdKernel } from './simd-kernel.js';

/** Where a kernel writes: IM and MM in USD, indexed by account. */
export interface MarginOut {
  readonly im: Float64Array;
  readonly mm: Float64Array;
}

/** A model prepared for one market update (module header). */
export interface PreparedMargin {
  readonly model: string;
  /**
   * IM and MM of accounts `ids[0..n)`, written at `out.im[a]`, `out.mm[a]`.
   * @param portfolioOf  the exact Portfolio of an account (used by kernels that need it: generic)
   */
  margin(
    view: AccountRowsView,
    ids: Int32Array,
    n: number,
    out: MarginOut,
    portfolioOf: (a: number) => Portfolio,
  ): void;
  /** The model's full result for one account (components, contributions, worst scenario). */
  explain(portfolio: Portfolio): MarginResult;
}

/** A model that prepares its own kernel. */
export interface PreparableModel<P> extends MarginModel<P> {
  /**
   * @param previous  what this model prepared at the last update, for the parts that did not
   *                  change (risk arrays of underlyings whose inputs are the same)
   * @param changed   underlyings whose inputs changed since `previous` (undefined: all)
   */
  prepare(
    ctx: MarginContext,
    params: P,
    rows: MarketRows,
    previous?: PreparedMargin,
    changed?: ReadonlySet<string>,
    simd?: SimdKernel,
  ): PreparedMargin;
}

/** True when the model has a kernel of its own. */
export function isPreparable<P>(m: MarginModel<P>): m is PreparableModel<P> {
  return typeof (m as Partial<PreparableModel<P>>).prepare === 'function';
}

/** Runs `compute` and keeps IM and MM; a refusal of the model (not a bug) is NaN: fail closed. */
function computeOrNaN<P>(
  model: MarginModel<P>,
  pf: Portfolio,
  ctx: MarginContext,
  params: P,
): { im: number; mm: number } {
  try {
    const r = model.compute(pf, ctx, params);
    return { im: r.initialUsd, mm: r.maintenanceUsd };
  } catch (e) {
    if (e instanceof XmarginError && e.code !== 'ERR_INVARIANT') return { im: NaN, mm: NaN };
    throw e;
  }
}

/** The kernel of a model without one: `compute` per account (module header). */
export function prepareGeneric<P>(model: MarginModel<P>, ctx: MarginContext, params: P): PreparedMargin {
  return {
    model: model.name,
    margin(_view, ids, n, out, portfolioOf) {
      for (let k = 0; k < n; k++) {
        const a = ids[k]!;
        const r = computeOrNaN(model, portfolioOf(a), ctx, params);
        out.im[a] = r.im;
        out.mm[a] = r.mm;
      }
    },
    explain: (pf) => model.compute(pf, ctx, params),
  };
}

/**
 * The prepared form of any model: its own kernel when it has one, else the generic one.
 * @example const k = prepareMargin(getMarginModel('portfolio'), ctx, params, buildMarketRows(market, universe));
 */
export function prepareMargin<P>(
  model: MarginModel<P>,
  ctx: MarginContext,
  params: P,
  rows: MarketRows,
  previous?: PreparedMargin,
  changed?: ReadonlySet<string>,
  simd?: SimdKernel,
): PreparedMargin {
  return isPreparable(model)
    ? model.prepare(ctx, params, rows, previous, changed, simd)
    : prepareGeneric(model, ctx, params);
}
