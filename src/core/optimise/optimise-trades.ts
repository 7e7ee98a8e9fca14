/**
 * @module optimise
 *
 * Hedge optimisation (docs/methodology/optimiser.md): the trades x over a candidate set that
 *
 *   release:     minimise IM(book + x) + cost(x)
 *   target:      minimise cost(x)  s.t.  IM(book + x) ≤ target        (a pre-liquidation plan)
 *   close-only:  as release, each trade only reduces a position held
 *
 * subject to the limits of build-trade-lp.ts, solved by an `LpSolver` (LP, or MILP with lots or
 * a trade count), then VERIFIED: the optimised book (trades netted into the positions,
 * apply-netted-trades.ts) is margined by the model's own `compute`. The solver's IM and the
 * model's must agree to max(abs, rel·IM) (exact forms), the model's must not exceed the solver's
 * (upper-bound forms), or the linearisation is refined and solved again, at most
 * `maxIterations` times (linearised forms); otherwise the answer is refused
 * (ERR_OPTIMISATION_UNVERIFIED). A release answer that does not beat the current book
 * (verified IM + exact cost ≥ IM today) is returned as no trades.
 * Gap: LP: (objective − weak-duality bound from the duals)/max(1, |objective|) (lp-problem.ts);
 * MIP: the solver's branch-and-bound bound.
 * Units: USD, contracts. The core reads no clock: solve times are measured by the caller.
 */
import { RiskError, XmarginError, requireInput } from '../errors.js';
import type { MarginContext, MarginModel } from '../margin/margin-model.js';
import type { Trade } from '../margin/efficiency.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { applyNettedTrades } from './apply-netted-trades.js';
import type { Candidate } from './candidates.js';
import { buildOptimiseResult, proposedTrade, type OptimiseResult } from './optimise-result.js';
import { addTradeColumns, type ExposureBands, type TradeColumns } from './build-trade-lp.js';
import {
  LpBuilder,
  isMip,
  lpDualBound,
  type LpProblem,
  type LpSolveOptions,
  type LpSolver,
} from './lp-problem.js';
import { addAffineRow, evalAffine, holdingsOf, type MarginLpForm, type MarginLpInput } from './margin-lp.js';
import { deribitPmLp, portfolioLp } from './grid-lp.js';
import { dydxLp, rateModelLp } from './rate-lp.js';
import { statisticalLp } from './es-lp.js';
import type { OptimiserParams } from './optimiser-params.js';

/**
 * Agreement required of a linearised form, fraction of IM: cutting planes close the last 0.1% of
 * a curved term slowly, and the answer reported is the model's own figure either way.
 */
const LINEARISED_REL_TOL = 1e-3;

/** What the optimiser is asked for. */
export type OptimiseGoal = 'release' | 'target' | 'close-only';

/** Models with an LP form. */
export const OPTIMISABLE_MODELS = [
  'isolated',
  'cross',
  'portfolio',
  'deribit-pm',
  'es',
  'var',
  'dydx',
] as const;

const FORMS: Readonly<Record<string, (input: MarginLpInput) => MarginLpForm>> = {
  isolated: (i) => rateModelLp('isolated', i),
  cross: (i) => rateModelLp('cross', i),
  portfolio: portfolioLp,
  'deribit-pm': deribitPmLp,
  es: (i) => statisticalLp('es', i),
  var: (i) => statisticalLp('var', i),
  dydx: dydxLp,
};

/** An optimisation request. */
export interface OptimiseRequest {
  readonly portfolio: Portfolio;
  readonly ctx: MarginContext;
  readonly model: MarginModel<unknown>;
  readonly modelParams: unknown;
  readonly goal: OptimiseGoal;
  /** target IM for goal 'target', USD (≥ 0) */
  readonly targetImUsd?: number;
  readonly budgetUsd?: number;
  readonly maxTrades?: number;
  readonly bands?: ExposureBands;
  readonly candidates: readonly Candidate[];
  readonly params: OptimiserParams;
  readonly solver: LpSolver;
}

/** Narrows candidates and size bounds for close-only (reduce positions held only). */
function closeOnlyBounds(req: OptimiseRequest): { candidates: Candidate[]; bounds: [number, number][] } {
  const held = holdingsOf(req.portfolio, req.ctx).positions;
  const candidates: Candidate[] = [];
  const bounds: [number, number][] = [];
  for (const c of req.candidates) {
    const q = held.get(c.instrument) ?? 0;
    if (q === 0) continue;
    const lot = c.lotSize;
    const floorLot = (v: number) => (lot > 0 ? Math.floor(v / lot + 1e-9) * lot : v);
    candidates.push(c);
    bounds.push(q > 0 ? [-floorLot(Math.min(q, c.maxSell)), 0] : [0, floorLot(Math.min(-q, c.maxBuy))]);
  }
  return { candidates, bounds };
}

/**
 * Finds and verifies the trades (module header).
 * @throws InvalidInputError ERR_INVALID_INPUT (an unsupported model, empty candidates, a target
 *         without a level, budget ≤ 0, a bad band or trade count); RiskError
 *         ERR_OPTIMISATION_INFEASIBLE naming the constraint; ERR_SOLVER on a solver failure or
 *         time-out; ERR_OPTIMISATION_UNVERIFIED when the model disagrees with the solver
 */
export function optimiseTrades(req: OptimiseRequest): OptimiseResult {
  const { ctx, model, modelParams: mp, params } = req;
  const makeForm = FORMS[model.name];
  requireInput(
    makeForm !== undefined,
    'model',
    model.name,
    `must be one the optimiser has an LP form for: ${OPTIMISABLE_MODELS.join(', ')}`,
  );
  if (req.budgetUsd !== undefined)
    requireInput(
      req.budgetUsd > 0 && req.budgetUsd < Infinity,
      'budgetUsd',
      req.budgetUsd,
      'must be a number > 0',
    );
  if (req.goal === 'target')
    requireInput(
      req.targetImUsd !== undefined && req.targetImUsd >= 0 && req.targetImUsd < Infinity,
      'targetImUsd',
      req.targetImUsd,
      "must be a number >= 0 with goal 'target'",
    );
  const before = model.compute(req.portfolio, ctx, mp);
  let candidates = [...req.candidates];
  let sizeBounds: [number, number][] | undefined;
  if (req.goal === 'close-only') ({ candidates, bounds: sizeBounds } = closeOnlyBounds(req));
  requireInput(
    candidates.length > 0,
    'candidates',
    0,
    req.goal === 'close-only'
      ? 'must include an instrument held (close-only reduces positions held)'
      : 'must not be empty',
  );
  const notes: string[] = [];
  const noTrades = (status: OptimiseResult['status'], why: string): OptimiseResult => {
    notes.push(why);
    return buildOptimiseResult(
      req,
      candidates.length,
      status,
      [],
      before,
      before,
      req.portfolio,
      {
        lpCost: 0,
        objective: before.initialUsd,
        bound: before.initialUsd,
        iterations: 0,
        cols: 0,
        rows: 0,
        mip: false,
        exactness: 'exact',
        method: 'no trade',
        solverIm: before.initialUsd,
        tol: 0,
        timeLimited: false,
      },
      notes,
    );
  };
  if (req.goal === 'target' && before.initialUsd <= req.targetImUsd!)
    return noTrades(
      'target-met',
      `IM ${before.initialUsd.toFixed(2)} is already at or below the target ${req.targetImUsd!.toFixed(2)}`,
    );

  const b = new LpBuilder();
  const tradeCols = addTradeColumns(b, candidates, {
    ...(req.budgetUsd !== undefined ? { budgetUsd: req.budgetUsd } : {}),
    ...(req.maxTrades !== undefined ? { maxTrades: req.maxTrades } : {}),
    ...(req.bands ? { bands: req.bands } : {}),
    ...(sizeBounds ? { sizeBounds } : {}),
  });
  const form = makeForm({
    builder: b,
    portfolio: req.portfolio,
    ctx,
    params: mp,
    candidates,
    x: tradeCols.x,
  });
  // Objective: IM + cost (release, close-only); cost + ε·IM with IM ≤ target (the ε keeps the
  // epigraph columns tight, so the LP's IM is the model's, not a slack upper value).
  const imWeight = req.goal === 'target' ? 1e-7 : 1;
  tradeCols.cost.cols.forEach((c, i) => b.addCost(c, tradeCols.cost.coefs[i]!));
  form.im.cols.forEach((c, i) => b.addCost(c, imWeight * form.im.coefs[i]!));
  b.offset = imWeight * form.im.constant;
  if (req.goal === 'target') addAffineRow(b, -Infinity, req.targetImUsd!, form.im);

  const held = holdingsOf(req.portfolio, ctx).positions;
  let iterations = 0;
  for (;;) {
    iterations++;
    const problem = b.build();
    const opts = { timeLimitSeconds: params.timeLimitSeconds, mipRelGap: params.mipRelGap };
    const mipStart = isMip(problem)
      ? relaxedStart(req.solver, problem, opts, tradeCols, candidates, req.maxTrades)
      : undefined;
    const sol = req.solver.solve(problem, { ...opts, ...(mipStart !== undefined && { mipStart }) });
    const timeLimited = sol.status === 'time-limit' && sol.colValue.length === problem.nCols;
    if (sol.status === 'infeasible') {
      throw new RiskError(
        'ERR_OPTIMISATION_INFEASIBLE',
        req.goal === 'target'
          ? `targetImUsd ${req.targetImUsd} cannot be reached with these candidates and limits (IM today ${before.initialUsd.toFixed(2)})`
          : 'the constraints admit no trade (bands, budget or size bounds)',
        {
          field: req.goal === 'target' ? 'targetImUsd' : 'constraints',
          value: req.targetImUsd ?? null,
          rule: 'must be reachable',
          initialUsd: before.initialUsd,
        },
      );
    }
    if (sol.status !== 'optimal' && !timeLimited)
      throw new XmarginError(
        'ERR_SOLVER',
        `solver ${req.solver.name} ended with status ${sol.status}${sol.message ? ` (${sol.message})` : ''}; no result is reported`,
        { status: sol.status, solver: req.solver.name },
      );
    const trades = Float64Array.from(tradeCols.x, (col, i) =>
      snap(sol.colValue[col]!, candidates[i]!, held.get(candidates[i]!.instrument) ?? 0),
    );
    const list: Trade[] = [];
    trades.forEach((size, i) => {
      if (size !== 0) list.push({ instrument: candidates[i]!.instrument, size });
    });
    const pfAfter = applyNettedTrades(req.portfolio, list, ctx);
    const after = model.compute(pfAfter, ctx, mp);
    const solverIm = form.predict(sol.colValue, trades);
    const v = after.initialUsd;
    const tol = Math.max(
      params.tolerance.abs,
      params.tolerance.rel * Math.max(Math.abs(v), Math.abs(solverIm)),
    );
    const linTol = Math.max(tol, LINEARISED_REL_TOL * Math.max(Math.abs(v), Math.abs(solverIm)));
    const diff = v - solverIm;
    // With goal 'target' the objective is the cost: the IM epigraph columns need not be tight
    // (IM ≤ target only bounds them), so the solver's IM is an upper bound of the model's.
    const upper = form.exactness === 'upper-bound' || (req.goal === 'target' && form.exactness === 'exact');
    const ok = upper
      ? diff <= tol
      : form.exactness === 'exact'
        ? Math.abs(diff) <= tol
        : Math.abs(diff) <= linTol || diff <= tol;
    if (!ok && !timeLimited && iterations < params.maxIterations && form.refine(trades, sol.colValue) > 0)
      continue;
    if (!ok) {
      throw new RiskError(
        'ERR_OPTIMISATION_UNVERIFIED',
        `${model.name}: the model's IM of the optimised book (${v.toFixed(2)}) differs from the solver's (${solverIm.toFixed(2)}) by ${diff.toFixed(2)} USD, beyond the tolerance ${(form.exactness === 'linearised' ? linTol : tol).toFixed(2)} (${form.exactness} LP form, ${iterations} round(s)); the answer is refused`,
        {
          model: model.name,
          verifiedImUsd: v,
          solverImUsd: solverIm,
          differenceUsd: diff,
          exactness: form.exactness,
          iterations,
        },
      );
    }
    const lpCost = evalAffine(tradeCols.cost, sol.colValue);
    const bound = isMip(problem) ? sol.solverBound : lpDualBound(problem, sol.rowDual);
    const proposed = list.map((t) =>
      proposedTrade(
        candidates.find((c) => c.instrument === t.instrument)!,
        t.size,
      ),
    );
    const cost = proposed.reduce((a, t) => a + t.costUsd, 0);
    if (form.exactness !== 'exact')
      notes.push(`${form.exactness} LP form: ${form.method}; ${iterations} solve(s)`);
    if (isMip(problem))
      notes.push(
        `integer lots or a trade count: solved as a MILP (branch and bound${mipStart !== undefined ? ', started from the rounded LP relaxation' : ''})`,
      );
    if (timeLimited)
      notes.push(
        `time limit of ${params.timeLimitSeconds} s reached: the best answer found, NOT proven optimal; the optimum is at most ${(sol.objective - sol.solverBound).toFixed(2)} USD better (the gap)`,
      );
    const info = {
      timeLimited,
      lpCost,
      objective: sol.objective,
      bound,
      iterations,
      cols: problem.nCols,
      rows: problem.nRows,
      mip: isMip(problem),
      exactness: form.exactness,
      method: form.method,
      solverIm,
      tol: form.exactness === 'linearised' ? linTol : tol,
    };
    if (req.goal === 'target') {
      if (v > req.targetImUsd! + tol)
        throw new RiskError(
          'ERR_OPTIMISATION_UNVERIFIED',
          `the optimised book's verified IM ${v.toFixed(2)} is above targetImUsd ${req.targetImUsd}`,
          { verifiedImUsd: v, targetImUsd: req.targetImUsd },
        );
    } else if (list.length === 0 || !(v + cost < before.initialUsd - 1e-9)) {
      return noTrades(
        'optimal-already',
        `no trade among ${candidates.length} candidates lowers IM + cost below today's IM ${before.initialUsd.toFixed(2)}`,
      );
    }
    return buildOptimiseResult(
      req,
      candidates.length,
      'improved',
      proposed,
      before,
      after,
      pfAfter,
      info,
      notes,
    );
  }
}

/**
 * A MIP start from the LP relaxation (integrality dropped): the `maxTrades` candidates the
 * relaxation trades most (in USD of notional), each rounded to whole lots, the others not traded.
 * The solver completes the continuous columns and ignores the start if it is infeasible; the
 * branch and bound then starts with an incumbent instead of none (undefined when the relaxation
 * is not solved).
 */
function relaxedStart(
  solver: LpSolver,
  problem: LpProblem,
  opts: LpSolveOptions,
  cols: TradeColumns,
  candidates: readonly Candidate[],
  maxTrades: number | undefined,
): { indices: Int32Array; values: Float64Array } | undefined {
  const relaxed = solver.solve({ ...problem, integer: new Uint8Array(problem.nCols) }, opts);
  if (relaxed.status !== 'optimal') return undefined;
  const size = cols.x.map((c) => relaxed.colValue[c]!);
  const order = size
    .map((v, i) => ({ i, usd: Math.abs(v) * candidates[i]!.markPrice * candidates[i]!.contractSize }))
    .filter((o) => o.usd > 0)
    .sort((a, b) => b.usd - a.usd)
    .slice(0, maxTrades ?? candidates.length);
  const chosen = new Set(order.map((o) => o.i));
  const indices: number[] = [];
  const values: number[] = [];
  candidates.forEach((c, i) => {
    const lot = cols.lotCols[i];
    const n = chosen.has(i) && c.lotSize > 0 ? Math.round(size[i]! / c.lotSize) : 0;
    if (lot !== undefined) {
      indices.push(lot);
      values.push(n);
    }
    const pick = cols.pickCols[i];
    if (pick !== undefined) {
      indices.push(pick);
      values.push(chosen.has(i) && (c.lotSize === 0 || n !== 0) ? 1 : 0);
    }
  });
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/**
 * A solver value as a trade: whole lots; noise below 1e-9 of the size limit dropped, and a
 * value within that noise of closing the position held closes it exactly.
 */
function snap(v: number, c: Candidate, held: number): number {
  const eps = 1e-9 * Math.max(1, c.maxBuy, c.maxSell, Math.abs(held));
  if (held !== 0 && Math.abs(v + held) <= eps) return -held;
  if (c.lotSize > 0) {
    const n = Math.round(v / c.lotSize);
    return n === 0 ? 0 : n * c.lotSize;
  }
  return Math.abs(v) <= eps ? 0 : v;
}
