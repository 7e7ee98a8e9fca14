/**
 * @module adapters/solver/highs-solver
 *
 * The `LpSolver` port (core/optimise/lp-problem.ts) on HiGHS compiled to WebAssembly (npm
 * `highs`, MIT; HiGHS by J. Hall et al., University of Edinburgh, https://highs.dev). The Wasm
 * runtime loads once, asynchronously; each solve then runs synchronously on a fresh native model
 * that is disposed before returning, so nothing is shared between calls. Single-threaded.
 *
 * Status mapping: optimal → 'optimal'; infeasible → 'infeasible'; unbounded (or "unbounded or
 * infeasible") → 'unbounded'; time limit, iteration limit, interrupted → 'time-limit' (with a
 * MIP's best incumbent and its bound when it has one: the core verifies it and reports it as a
 * time-limited answer with its gap); anything else → 'error'. A MIP start (integer columns only)
 * is passed to HiGHS as a sparse solution, which it completes by an LP with those values fixed.
 */
import highsModule, { type Highs } from 'highs';
import type { LpProblem, LpSolution, LpSolveOptions, LpSolver } from '../../core/optimise/lp-problem.js';

// The package's ESM entry default-exports the loader, but its one declaration file is read as
// CommonJS under NodeNext, which types the default import as the module: cast to the loader.
const loadHighs = highsModule as unknown as typeof highsModule.default;
let loading: Promise<Highs> | undefined;

/** Loads the HiGHS runtime once per process. */
function runtime(): Promise<Highs> {
  if (loading === undefined) loading = loadHighs();
  return loading;
}

/** Creates the HiGHS-backed solver (loads the Wasm runtime on first use). */
export async function createHighsSolver(): Promise<LpSolver> {
  const highs = await runtime();
  const name = `HiGHS ${highs.version.string} (WebAssembly, npm highs)`;
  return { name, solve: (p, o) => solveWith(highs, p, o) };
}

function solveWith(highs: Highs, p: LpProblem, o: LpSolveOptions): LpSolution {
  const mip = p.integer.some((v) => v === 1);
  const inf = highs.infinity;
  const clip = (a: Float64Array) =>
    Float64Array.from(a, (v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
  const empty = new Float64Array(0);
  const model = highs.createModel({
    numCols: p.nCols,
    numRows: p.nRows,
    offset: p.offset,
    colCost: p.colCost,
    colLower: clip(p.colLower),
    colUpper: clip(p.colUpper),
    rowLower: clip(p.rowLower),
    rowUpper: clip(p.rowUpper),
    matrix: {
      format: 'csr',
      numRows: p.nRows,
      numCols: p.nCols,
      starts: p.starts,
      indices: p.indices,
      values: p.values,
    },
    ...(mip ? { integrality: Int32Array.from(p.integer) } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      time_limit: o.timeLimitSeconds,
      mip_rel_gap: o.mipRelGap,
      random_seed: 0,
      // The optimiser's LPs are dense scenario rows presolve cannot shrink: measured
      // (bench/optimise.bench.ts) it costs more than it saves on an LP; a MIP keeps it.
      presolve: mip ? 'choose' : 'off',
    });
    if (mip && o.mipStart !== undefined && o.mipStart.indices.length > 0)
      model.setSolution({ indices: o.mipStart.indices, values: o.mipStart.values });
    model.run();
    const st = model.getModelStatus();
    const c = highs.constants.modelStatus;
    const status =
      st === c.optimal || st === c.empty
        ? 'optimal'
        : st === c.infeasible
          ? 'infeasible'
          : st === c.unbounded || st === c.unboundedOrInfeasible
            ? 'unbounded'
            : st === c.timeLimit || st === c.iterationLimit || st === c.interrupted || st === c.solutionLimit
              ? 'time-limit'
              : 'error';
    if (status === 'time-limit' && mip && Number(model.info.get('primal_solution_status')) === 2) {
      // The best incumbent found within the limit, with the branch-and-bound bound.
      const bound = Number(model.info.get('mip_dual_bound'));
      return {
        status,
        objective: model.getObjectiveValue(),
        solverBound: Number.isFinite(bound) ? bound : -Infinity,
        colValue: Float64Array.from(model.getSolution().colValue),
        rowDual: empty,
        mip,
        message: `HiGHS model status ${st}: time limit, best incumbent`,
      };
    }
    if (status !== 'optimal')
      return {
        status,
        objective: NaN,
        solverBound: NaN,
        colValue: empty,
        rowDual: empty,
        mip,
        message: `HiGHS model status ${st}`,
      };
    const sol = model.getSolution();
    const objective = model.getObjectiveValue();
    const bound = mip ? Number(model.info.get('mip_dual_bound')) : objective;
    return {
      status,
      objective,
      solverBound: Number.isFinite(bound) ? bound : objective,
      colValue: Float64Array.from(sol.colValue),
      rowDual: mip ? empty : Float64Array.from(sol.rowDual),
      mip,
    };
  } catch (e) {
    return {
      status: 'error',
      objective: NaN,
      solverBound: NaN,
      colValue: empty,
      rowDual: empty,
      mip,
      message: String((e as Error)?.message ?? e),
    };
  } finally {
    model.dispose();
  }
}
