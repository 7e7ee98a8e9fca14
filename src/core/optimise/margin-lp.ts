/**
 * @module optimise/margin-lp
 *
 * A margin model's requirement as LP rows over the trade variables x_c (contracts of candidate
 * c), for `optimiseTrades`. Each form adds its columns and rows to the builder and returns IM as
 * an affine expression; how exact it is:
 *
 * - 'exact': the LP value of IM equals the model's own computation at every x (deribit-pm, cross,
 *   dydx, and portfolio with one underlying): worst loss over a grid is min t, t ≥ −pnl_s;
 *   tiered rates and option rules are convex piecewise-linear (epigraph rows);
 * - 'upper-bound': the LP value is never below the model's (isolated: a profit locked in a
 *   position that the trade closes is still counted; var: ES at the same level stands in for
 *   VaR, which is not convex);
 * - 'linearised': a nonlinear part is replaced by cuts around trial points, refined between
 *   solves (portfolio across underlyings: the correlation combination √(LᵀCL); es: the
 *   square-root liquidity add-on).
 * Positions are netted per instrument (apply-netted-trades.ts), as the venue books them.
 */
import { InvalidInputError } from '../errors.js';
import { haircutRequirement, type HaircutParams } from '../margin/collateral-haircuts.js';
import type { MarginContext } from '../margin/margin-model.js';
import { settlementAsset } from '../margin/efficiency.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import type { Candidate } from './candidates.js';
import type { LpBuilder } from './lp-problem.js';

/** c + Σ coefs·cols. */
export interface Affine {
  constant: number;
  readonly cols: number[];
  readonly coefs: number[];
}

/** Creates an affine expression. */
export function affine(constant = 0): Affine {
  return { constant, cols: [], coefs: [] };
}

/** a += k·b (in place). */
export function addAffine(a: Affine, b: Affine, k = 1): void {
  a.constant += k * b.constant;
  for (let i = 0; i < b.cols.length; i++) {
    a.cols.push(b.cols[i]!);
    a.coefs.push(k * b.coefs[i]!);
  }
}

/** Adds row  lower ≤ Σ (coef·col) + expr ≤ upper, moving expr's constant to the bounds. */
export function addAffineRow(b: LpBuilder, lower: number, upper: number, expr: Affine): void {
  b.addRow(lower - expr.constant, upper - expr.constant, expr.cols, expr.coefs);
}

/** Value of an affine expression at column values. */
export function evalAffine(a: Affine, colValue: Float64Array): number {
  let v = a.constant;
  for (let i = 0; i < a.cols.length; i++) v += a.coefs[i]! * colValue[a.cols[i]!]!;
  return v;
}

/** How the LP value of IM relates to the model's computation (module header). */
export type LpExactness = 'exact' | 'upper-bound' | 'linearised';

/** What a form gives the optimiser. */
export interface MarginLpForm {
  readonly im: Affine;
  readonly exactness: LpExactness;
  /** one line on the method, for the output */
  readonly method: string;
  /**
   * adds rows for a trial answer (trades in contracts per candidate, the LP's column values): the
   * scenarios it breaks, or cuts of a linearised part; returns the rows added (0: nothing to add)
   */
  refine(trades: Float64Array, colValue: Float64Array): number;
  /** IM the form predicts at a solution: the affine value plus any discrete term it leaves out */
  predict(colValue: Float64Array, trades: Float64Array): number;
}

/** Inputs of a form. */
export interface MarginLpInput {
  readonly builder: LpBuilder;
  readonly portfolio: Portfolio;
  readonly ctx: MarginContext;
  readonly params: unknown;
  readonly candidates: readonly Candidate[];
  /** column of x_c per candidate */
  readonly x: readonly number[];
}

/** The netted holdings: contracts per instrument, asset units per collateral asset. */
export interface Holdings {
  readonly positions: ReadonlyMap<string, number>;
  /** perpetual/future value locked in the position (isolated), USD */
  readonly positionValueUsd: ReadonlyMap<string, number>;
  readonly collateral: ReadonlyMap<string, number>;
  /** the asset premiums settle in, and its price */
  readonly cashAsset: string;
  readonly cashPrice: number;
}

/** Netted holdings of a portfolio. */
export function holdingsOf(portfolio: Portfolio, ctx: MarginContext): Holdings {
  const v = valuePortfolio(portfolio, ctx.market);
  const positions = new Map<string, number>();
  const values = new Map<string, number>();
  for (const pv of v.positions) {
    const id = pv.position.instrument;
    positions.set(id, (positions.get(id) ?? 0) + pv.position.size);
    values.set(id, (values.get(id) ?? 0) + pv.valueUsd);
  }
  const collateral = new Map(v.collateral.map((c) => [c.asset, c.qty]));
  const cashAsset = settlementAsset(portfolio, ctx);
  return {
    positions,
    positionValueUsd: values,
    collateral,
    cashAsset,
    cashPrice: ctx.market.prices.get(cashAsset) ?? 1,
  };
}

/**
 * Contracts held after the trades in each instrument touched (held or candidate), as affine
 * expressions: q_i + x_c.
 */
export function netQuantities(h: Holdings, input: MarginLpInput): Map<string, Affine> {
  const out = new Map<string, Affine>();
  for (const [id, q] of h.positions) out.set(id, affine(q));
  input.candidates.forEach((c, k) => {
    let e = out.get(c.instrument);
    if (!e) out.set(c.instrument, (e = affine(0)));
    e.cols.push(input.x[k]!);
    e.coefs.push(1);
  });
  return out;
}

/** Value of the settlement asset after premiums, USD: value₀ − Σ premium_c·x_c. */
export function cashValue(h: Holdings, input: MarginLpInput): Affine {
  const e = affine((h.collateral.get(h.cashAsset) ?? 0) * h.cashPrice);
  input.candidates.forEach((c, k) => {
    if (c.premiumPerContractUsd !== 0) {
      e.cols.push(input.x[k]!);
      e.coefs.push(-c.premiumPerContractUsd);
    }
  });
  return e;
}

/**
 * The haircut of the settlement asset after the trades: h·value when held, (w − 1)·|value| when
 * owed, on value = cashValue(...) (premiums move it). A position the trades close completely
 * realises its P&L into that asset, a discrete move the LP does not see; `correction` gives the
 * exact change of the haircut it causes at a solution, which the form adds to its prediction.
 */
export function addCashHaircut(
  b: LpBuilder,
  h: Holdings,
  input: MarginLpInput,
  haircut: number,
  liabilityWeight: number,
): { col: number; correction: (colValue: Float64Array, trades: Float64Array) => number } {
  const value = cashValue(h, input);
  const f = (v: number) => (v >= 0 ? haircut * v : (liabilityWeight - 1) * -v);
  const col = addEpigraph(b, `haircut:${h.cashAsset}`, value, [
    { slope: haircut, intercept: 0 },
    { slope: -(liabilityWeight - 1), intercept: 0 },
  ]);
  const correction = (colValue: Float64Array, trades: Float64Array) => {
    let realised = 0;
    input.candidates.forEach((c, k) => {
      const q = h.positions.get(c.instrument) ?? 0;
      if (q !== 0 && trades[k] === -q && c.kind !== 'option')
        realised += h.positionValueUsd.get(c.instrument) ?? 0;
    });
    if (realised === 0) return 0;
    const v = evalAffine(value, colValue);
    return f(v + realised) - f(v);
  };
  return { col, correction };
}

/**
 * Haircuts of the stablecoins held (those `skip` does not exclude) added to `im`: a constant for
 * each, except the settlement asset whose value moves with premiums (addCashHaircut). Returns the
 * settlement asset's correction for the prediction.
 */
export function addStableHaircuts(
  b: LpBuilder,
  h: Holdings,
  input: MarginLpInput,
  im: Affine,
  p: HaircutParams,
  skip: (asset: string) => boolean,
): (colValue: Float64Array, trades: Float64Array) => number {
  let correction: (colValue: Float64Array, trades: Float64Array) => number = () => 0;
  for (const [asset, qty] of h.collateral) {
    if (skip(asset)) continue;
    if (asset === h.cashAsset) {
      const hc = p.haircuts[asset] ?? p.defaultHaircut;
      const cash = addCashHaircut(b, h, input, hc.im, p.liabilityWeight.im);
      im.cols.push(cash.col);
      im.coefs.push(1);
      correction = cash.correction;
    } else {
      const price = input.ctx.market.prices.get(asset)!;
      im.constant += haircutRequirement({ asset, qty, priceUsd: price, valueUsd: qty * price }, p).imUsd;
    }
  }
  return correction;
}

/**
 * Adds a column m ≥ max over lines (slope·e + intercept) (the epigraph of a convex piecewise
 * linear function of the affine e) and returns it.
 */
export function addEpigraph(
  b: LpBuilder,
  name: string,
  e: Affine,
  lines: readonly { slope: number; intercept: number }[],
  lower = -Infinity,
): number {
  const m = b.addCol(name, lower, Infinity);
  for (const l of lines) {
    // m − slope·e ≥ intercept
    const row = affine(-l.slope * e.constant);
    row.cols.push(m);
    row.coefs.push(1);
    addAffine(row, { constant: 0, cols: e.cols, coefs: e.coefs }, -l.slope);
    addAffineRow(b, l.intercept, Infinity, row);
  }
  return m;
}

/** A candidate a model cannot take (e.g. an option under dydx). */
export function unsupportedCandidate(model: string, c: Candidate, why: string): InvalidInputError {
  return new InvalidInputError(
    `candidates[${c.instrument}]`,
    c.instrument,
    `cannot be traded under ${model}: ${why}`,
  );
}
