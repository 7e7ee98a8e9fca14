/**
 * @module optimise
 *
 * The optimiser (docs/methodology/optimiser.md): hedge and close-out trades that free the most
 * margin per unit of cost, and collateral allocation across sub-accounts, as LP/MILP models
 * solved by a solver behind the `LpSolver` port and verified by the margin models themselves.
 */
export {
  LpBuilder,
  lpDualBound,
  lpObjective,
  lpMaxViolation,
  isMip,
  type LpProblem,
  type LpSolution,
  type LpSolveOptions,
  type LpSolver,
  type LpStatus,
} from './lp-problem.js';
export { DEFAULT_OPTIMISER_PARAMS, parseOptimiserParams, type OptimiserParams } from './optimiser-params.js';
export {
  defaultCandidates,
  parseCandidateFile,
  candidateCostUsd,
  CandidateFileSchema,
  type Candidate,
  type CostPiece,
} from './candidates.js';
export { applyNettedTrades } from './apply-netted-trades.js';
export type { ExposureBands, TradeLimits } from './build-trade-lp.js';
export {
  optimiseTrades,
  OPTIMISABLE_MODELS,
  type OptimiseGoal,
  type OptimiseRequest,
} from './optimise-trades.js';
export type { OptimiseResult, ProposedTrade, MarginFigures } from './optimise-result.js';
export {
  allocateCollateral,
  parseAllocationFile,
  AllocationFileSchema,
  type AllocationAccount,
  type AllocationAccountResult,
  type AllocationResult,
  type CollateralTransfer,
} from './allocate-collateral.js';
