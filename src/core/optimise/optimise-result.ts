/**
 * The optimiser's answer (optimise-trades.ts): the trades with their exact costs, the margin
 * before and after (verified by the model), the capital freed, the solver's objective, bound and
 * gap, and the verification. Units: USD, contracts.
 */
import type { MarginResult } from '../margin/margin-model.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { candidateCostUsd, type Candidate } from './candidates.js';
import type { MarginLpForm } from './margin-lp.js';
import type { OptimiseGoal, OptimiseRequest } from './optimise-trades.js';

/** One proposed trade. */
export interface ProposedTrade {
  readonly instrument: string;
  /** signed contracts (buy > 0) */
  readonly size: number;
  /** spread and slippage, fee and gas, USD (exact, from the curve) */
  readonly slippageUsd: number;
  readonly feeUsd: number;
  readonly gasUsd: number;
  readonly costUsd: number;
  /** premium paid (> 0) or received (< 0), USD: an exchange at the mark, not a cost */
  readonly premiumUsd: number;
  readonly deltaChange: number;
  readonly costSource: Candidate['costSource'];
}

/** Margin figures of one side. */
export interface MarginFigures {
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  readonly equityUsd: number;
  readonly excessUsd: number;
}

/** The optimiser's answer. */
export interface OptimiseResult {
  readonly model: string;
  readonly goal: OptimiseGoal;
  /** 'improved': trades proposed; 'optimal-already': the book cannot be improved; 'target-met': IM ≤ target already */
  readonly status: 'improved' | 'optimal-already' | 'target-met';
  readonly trades: readonly ProposedTrade[];
  readonly before: MarginFigures;
  /** after the trades: IM and MM of the book with the trades at the mark (the model's own
   * computation), equity less the execution cost */
  readonly after: MarginFigures;
  /** exact execution cost of the trades, and as the LP charged it (≥ exact), USD */
  readonly costUsd: number;
  readonly lpCostUsd: number;
  /** excess(after) − excess(before), USD, and as a fraction of IM before */
  readonly capitalFreedUsd: number;
  readonly capitalFreedPct: number | null;
  readonly solver: {
    readonly name: string;
    readonly kind: 'LP' | 'MILP';
    readonly objectiveUsd: number;
    readonly boundUsd: number;
    readonly gapUsd: number;
    readonly gapRel: number;
    readonly iterations: number;
    readonly columns: number;
    readonly rows: number;
    /**
     * true when the solver stopped at its time limit: the answer is its best incumbent, verified
     * like any other, NOT proven optimal; the gap says by how much it may miss the optimum
     */
    readonly timeLimited: boolean;
  };
  readonly verification: {
    readonly exactness: MarginLpForm['exactness'];
    readonly method: string;
    /** IM the solver's model gives the answer, and the model's own computation, USD */
    readonly solverImUsd: number;
    readonly verifiedImUsd: number;
    readonly differenceUsd: number;
    readonly toleranceUsd: number;
    readonly agrees: true;
  };
  readonly candidates: number;
  readonly notes: readonly string[];
  /** the verified results, before and after */
  readonly resultBefore: MarginResult;
  readonly resultAfter: MarginResult;
  readonly portfolioAfter: Portfolio;
}

const figures = (r: MarginResult): MarginFigures => ({
  initialUsd: r.initialUsd,
  maintenanceUsd: r.maintenanceUsd,
  equityUsd: r.equityUsd,
  excessUsd: r.equityUsd - r.initialUsd,
});

/** A trade with its exact execution cost from the candidate's curve. */
export function proposedTrade(c: Candidate, size: number): ProposedTrade {
  const slippageUsd = c.slippageUsd(size);
  const feeUsd = c.feePerContractUsd * Math.abs(size);
  return {
    instrument: c.instrument,
    size,
    slippageUsd,
    feeUsd,
    gasUsd: c.gasUsd,
    costUsd: candidateCostUsd(c, size),
    premiumUsd: size * c.premiumPerContractUsd,
    deltaChange: size * c.deltaPerContract,
    costSource: c.costSource,
  };
}

/** Assembles the answer (capital freed after the execution cost). */
export function buildOptimiseResult(
  req: OptimiseRequest,
  nCandidates: number,
  status: OptimiseResult['status'],
  trades: readonly ProposedTrade[],
  before: MarginResult,
  after: MarginResult,
  portfolioAfter: Portfolio,
  s: {
    lpCost: number;
    objective: number;
    bound: number;
    iterations: number;
    cols: number;
    rows: number;
    mip: boolean;
    exactness: MarginLpForm['exactness'];
    method: string;
    solverIm: number;
    tol: number;
    timeLimited: boolean;
  },
  notes: readonly string[],
): OptimiseResult {
  const cost = trades.reduce((x, t) => x + t.costUsd, 0);
  const b = figures(before);
  // The book is margined with the trades at the mark; their execution cost leaves equity.
  const a = {
    ...figures(after),
    equityUsd: after.equityUsd - cost,
    excessUsd: after.equityUsd - cost - after.initialUsd,
  };
  const gapUsd = Math.max(0, s.objective - s.bound);
  const freed = a.excessUsd - b.excessUsd;
  return {
    model: req.model.name,
    goal: req.goal,
    status,
    trades,
    before: b,
    after: a,
    costUsd: cost,
    lpCostUsd: s.lpCost,
    capitalFreedUsd: freed,
    capitalFreedPct: b.initialUsd > 0 ? freed / b.initialUsd : null,
    solver: {
      name: req.solver.name,
      kind: s.mip ? 'MILP' : 'LP',
      objectiveUsd: s.objective,
      boundUsd: s.bound,
      gapUsd,
      gapRel: gapUsd / Math.max(1, Math.abs(s.objective)),
      iterations: s.iterations,
      columns: s.cols,
      rows: s.rows,
      timeLimited: s.timeLimited,
    },
    verification: {
      exactness: s.exactness,
      method: s.method,
      solverImUsd: s.solverIm,
      verifiedImUsd: after.initialUsd,
      differenceUsd: after.initialUsd - s.solverIm,
      toleranceUsd: s.tol,
      agrees: true,
    },
    candidates: nCandidates,
    notes,
    resultBefore: before,
    resultAfter: after,
    portfolioAfter,
  };
}
