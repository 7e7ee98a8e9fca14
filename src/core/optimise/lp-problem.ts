/**
 * @module optimise/lp-problem
 *
 * The port between the pure optimiser and a linear / mixed-integer solver:
 *
 *   minimise  c·x + offset   subject to   rowLower ≤ A·x ≤ rowUpper,   colLower ≤ x ≤ colUpper,
 *             x_j integer for every j with integer[j] = 1
 *
 * The core builds `LpProblem`s (`LpBuilder`) from risk arrays and candidate data and reads the
 * `LpSolution` back; a solver adapter (src/adapters/solver) implements `LpSolver`. Nothing here
 * knows which solver runs.
 *
 * Certified bound. For an LP, `lpDualBound` recomputes a lower bound on the optimum from the
 * row multipliers y the solver returns, by weak duality, with the reduced costs z = c − Aᵀy
 * computed here (not taken from the solver):
 *
 *   bound = offset + Σ_i (y_i > 0 ? y_i·rowLower_i : y_i·rowUpper_i)
 *                  + Σ_j (z_j > 0 ? z_j·colLower_j : z_j·colUpper_j)
 *
 * It holds for any y (an infinite bound met by a multiplier of the wrong sign gives −∞), so the
 * reported gap does not rest on the solver's own tolerance. For a MIP the bound is the solver's
 * branch-and-bound dual bound.
 * Reference: Bertsimas & Tsitsiklis, Introduction to Linear Optimization (1997), §4.3 (weak duality).
 */
import { InvariantError } from '../errors.js';

/** A linear or mixed-integer program in row-wise sparse form (minimisation). */
export interface LpProblem {
  readonly nCols: number;
  readonly nRows: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  /** 1 where the column must be integer */
  readonly integer: Uint8Array;
  readonly offset: number;
  /** CSR: row r holds indices[starts[r] .. starts[r+1]) with their values */
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** column names, for diagnostics */
  readonly colNames: readonly string[];
}

/** Outcome of a solve, as the solver reports it. */
export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'error';

/** What a solver returns. */
export interface LpSolution {
  readonly status: LpStatus;
  /** c·x + offset at the returned point (NaN when there is no point) */
  readonly objective: number;
  /** the solver's lower bound on the optimum (MIP: its dual bound; LP: its dual objective) */
  readonly solverBound: number;
  /**
   * primal values, length nCols (empty without a point); with status 'time-limit', a MIP's best
   * incumbent when it has one (objective its value, solverBound the branch-and-bound bound)
   */
  readonly colValue: Float64Array;
  /** row multipliers, length nRows (LP only; empty for a MIP) */
  readonly rowDual: Float64Array;
  /** true when integer columns were present (branch and bound ran) */
  readonly mip: boolean;
  /** solver's own message on failure */
  readonly message?: string;
}

/** Solve options. */
export interface LpSolveOptions {
  /** wall-clock limit, seconds (> 0) */
  readonly timeLimitSeconds: number;
  /** relative MIP gap at which branch and bound stops (e.g. 1e-4) */
  readonly mipRelGap: number;
  /**
   * a MIP start: values of some integer columns (the solver completes the rest by an LP with them
   * fixed, and ignores the start when that is infeasible)
   */
  readonly mipStart?: { readonly indices: Int32Array; readonly values: Float64Array };
}

/** The solver port: one synchronous solve, nothing shared between calls. */
export interface LpSolver {
  /** e.g. "HiGHS 1.15.3 (WebAssembly)" */
  readonly name: string;
  solve(problem: LpProblem, options: LpSolveOptions): LpSolution;
}

/** Builds an `LpProblem` one column and one row at a time. */
export class LpBuilder {
  readonly #cost: number[] = [];
  readonly #lo: number[] = [];
  readonly #hi: number[] = [];
  readonly #int: number[] = [];
  readonly #names: string[] = [];
  readonly #starts: number[] = [0];
  readonly #idx: number[] = [];
  readonly #val: number[] = [];
  readonly #rlo: number[] = [];
  readonly #rhi: number[] = [];
  offset = 0;

  /** Number of columns so far. */
  get nCols(): number {
    return this.#cost.length;
  }

  /** Adds a column; returns its index. */
  addCol(name: string, lower: number, upper: number, cost = 0, integer = false): number {
    if (!(lower <= upper) || Number.isNaN(cost))
      throw new InvariantError('LP column with lower > upper or NaN cost', { name, lower, upper, cost });
    this.#cost.push(cost);
    this.#lo.push(lower);
    this.#hi.push(upper);
    this.#int.push(integer ? 1 : 0);
    this.#names.push(name);
    return this.#cost.length - 1;
  }

  /** Adds `delta` to a column's cost. */
  addCost(col: number, delta: number): void {
    this.#cost[col] = this.#cost[col]! + delta;
  }

  /** Adds a row lower ≤ Σ coef·x ≤ upper (duplicate columns are summed; zeros dropped). */
  addRow(lower: number, upper: number, cols: readonly number[], coefs: readonly number[]): number {
    const merged = new Map<number, number>();
    for (let k = 0; k < cols.length; k++) {
      const v = coefs[k]!;
      if (!Number.isFinite(v)) throw new InvariantError('LP coefficient is not finite', { col: cols[k], v });
      merged.set(cols[k]!, (merged.get(cols[k]!) ?? 0) + v);
    }
    for (const [c, v] of merged) {
      if (v === 0) continue;
      this.#idx.push(c);
      this.#val.push(v);
    }
    this.#starts.push(this.#idx.length);
    this.#rlo.push(lower);
    this.#rhi.push(upper);
    return this.#rlo.length - 1;
  }

  /** The problem built so far. */
  build(): LpProblem {
    return {
      nCols: this.#cost.length,
      nRows: this.#rlo.length,
      colCost: Float64Array.from(this.#cost),
      colLower: Float64Array.from(this.#lo),
      colUpper: Float64Array.from(this.#hi),
      integer: Uint8Array.from(this.#int),
      offset: this.offset,
      starts: Int32Array.from(this.#starts),
      indices: Int32Array.from(this.#idx),
      values: Float64Array.from(this.#val),
      rowLower: Float64Array.from(this.#rlo),
      rowUpper: Float64Array.from(this.#rhi),
      colNames: [...this.#names],
    };
  }
}

/** Whether a problem has integer columns. */
export function isMip(p: LpProblem): boolean {
  return p.integer.some((v) => v === 1);
}

/**
 * Weak-duality lower bound of an LP from row multipliers y (module header). Works in either sign
 * convention of y: both are tried and the larger (valid) bound is kept.
 * @returns a lower bound on min c·x + offset, possibly −∞
 */
export function lpDualBound(p: LpProblem, rowDual: Float64Array): number {
  if (rowDual.length !== p.nRows) return -Infinity;
  let best = -Infinity;
  for (const sign of [1, -1]) {
    // Multipliers of the wrong sign for an infinite side (solver noise) are projected to 0: any
    // multipliers of the right signs give a valid bound, the reduced costs recomputed from them.
    const ys = Float64Array.from(rowDual, (v, r) => {
      const y = sign * v;
      return (y < 0 && p.rowUpper[r] === Infinity) || (y > 0 && p.rowLower[r] === -Infinity) ? 0 : y;
    });
    const z = Float64Array.from(p.colCost);
    // Σ_r |y_r·a_rj|: the scale of column j's reduced cost, for its noise threshold below.
    const scale = Float64Array.from(p.colCost, Math.abs);
    for (let r = 0; r < p.nRows; r++) {
      const y = ys[r]!;
      if (y === 0) continue;
      for (let k = p.starts[r]!; k < p.starts[r + 1]!; k++) {
        z[p.indices[k]!] = z[p.indices[k]!]! - y * p.values[k]!;
        scale[p.indices[k]!] = scale[p.indices[k]!]! + Math.abs(y * p.values[k]!);
      }
    }
    let b = p.offset;
    for (let r = 0; r < p.nRows && b > -Infinity; r++) {
      const y = ys[r]!;
      if (y > 0) b += y * p.rowLower[r]!;
      else if (y < 0) b += y * p.rowUpper[r]!;
    }
    for (let j = 0; j < p.nCols && b > -Infinity; j++) {
      const zj = z[j]!;
      // Reduced costs within the solver's dual tolerance (1e-7 relative to the terms that make
      // them) of 0 are taken as 0 where the bound is infinite (a free column, e.g. the VaR level
      // z); elsewhere they count exactly.
      const noise = 1e-7 * (1 + scale[j]!);
      if (zj > 0) b += Number.isFinite(p.colLower[j]!) ? zj * p.colLower[j]! : zj > noise ? -Infinity : 0;
      else if (zj < 0)
        b += Number.isFinite(p.colUpper[j]!) ? zj * p.colUpper[j]! : zj < -noise ? -Infinity : 0;
    }
    if (Number.isNaN(b)) continue;
    if (b > best) best = b;
  }
  return best;
}

/** c·x + offset. */
export function lpObjective(p: LpProblem, x: Float64Array): number {
  let v = p.offset;
  for (let j = 0; j < p.nCols; j++) v += p.colCost[j]! * x[j]!;
  return v;
}

/** The largest violation of a row or column bound at x (0 when feasible). */
export function lpMaxViolation(p: LpProblem, x: Float64Array): number {
  let worst = 0;
  for (let j = 0; j < p.nCols; j++) {
    worst = Math.max(worst, p.colLower[j]! - x[j]!, x[j]! - p.colUpper[j]!);
    if (p.integer[j] === 1) worst = Math.max(worst, Math.abs(x[j]! - Math.round(x[j]!)));
  }
  for (let r = 0; r < p.nRows; r++) {
    let a = 0;
    for (let k = p.starts[r]!; k < p.starts[r + 1]!; k++) a += p.values[k]! * x[p.indices[k]!]!;
    worst = Math.max(worst, p.rowLower[r]! - a, a - p.rowUpper[r]!);
  }
  return worst;
}
