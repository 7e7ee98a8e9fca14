/**
 * @module backtest
 *
 * Backtests of the margin models on the shipped history (docs/methodology/backtesting.md): book
 * templates re-instantiated at every step, IM against the realised loss over the margin period of
 * risk, coverage statistics at each model's claimed level (one-sided Kupiec, Christoffersen, Basel,
 * Acerbi–Szekely Z2, size of misses), the fall limit, capital on the hedged books on common days,
 * procyclicality, crash replays through the venue simulation, model cards, and the report
 * document (`"format": 1`).
 */
export {
  checkTemplate,
  instantiateTemplate,
  templateAssets,
  templateFromPortfolio,
  templateTenors,
  type BacktestInstrument,
  type BookTemplate,
  type InstantiatedBook,
  type LegSize,
  type TemplateCollateral,
  type TemplateLeg,
} from './book-template.js';
export { REFERENCE_BOOKS, venueTemplates, type VenueTemplate } from './reference-books.js';
export {
  buildBacktestMarket,
  marketDataAt,
  realisedVol,
  REALISED_VOL_DAYS,
  STABLE_ASSETS,
  type BacktestHistory,
  type StepMarketData,
} from './backtest-market.js';
export {
  backtestTimes,
  mergeBacktestRuns,
  runBacktest,
  targetRate,
  type AccountSeries,
  type BacktestBook,
  type BacktestInput,
  type BacktestRun,
  type ModelBookErrors,
} from './run-backtest.js';
export {
  bookModelStats,
  coverageStats,
  imSeries,
  largestRise,
  lossSeries,
  modelSummary,
  summariseBacktest,
  sumSeries,
  type BookModelStats,
  type CoverageStats,
  type ModelSummary,
} from './backtest-stats.js';
export {
  badDebtByModel,
  CRASH_WINDOWS,
  runCrashReplays,
  type CrashModelOutcome,
  type CrashReplay,
  type CrashReplayInput,
  type CrashWindow,
} from './crash-replays.js';
export {
  BACKTEST_REPORT_FORMAT,
  buildBacktestReport,
  type BacktestReport,
  type SummaryRow,
} from './backtest-report.js';
export { applyBacktestFallLimits } from './backtest-fall-limit.js';
export { coverageLevel, type CoverageLevel } from './coverage-level.js';
export {
  coverageVerdicts,
  MAX_MISS_MULTIPLE,
  VERDICT_LEVEL,
  Z2_SAMPLES,
  Z2_SEED,
  type CoverageVerdict,
} from './coverage-verdict.js';
export { CAPITAL_REFERENCES, compareCapital, HEDGED_TOTAL, type CapitalRow } from './capital-comparison.js';
export { claimOf, MODEL_CLAIMS, type ModelClaim } from './model-claims.js';
export { buildModelCard, MODEL_CARDS_FORMAT, type ModelCard, type ModelCardInputs } from './model-cards.js';
export { BAR_CAPITAL, checkBar, type BarCheck, type BarInputs } from './bar-checks.js';
export {
  candidateLegs,
  mergeOptimisedRuns,
  optimiseBookAt,
  replayOptimisedBooks,
  runOptimisedBacktest,
  summariseOptimised,
  type OptimisedBacktestInput,
  type OptimisedBacktestRun,
  type OptimisedCrashInput,
  type OptimisedCrashRow,
  type OptimisedSeries,
  type OptimisedStep,
  type OptimisedSummary,
  optimiserSection,
  type OptimiserSection,
  type OptimiseKeep,
} from './optimised-backtest.js';
