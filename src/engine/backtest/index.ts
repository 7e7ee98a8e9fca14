/**
 * @module backtest
 *
 * Backtests of the margin models on the shipped history (docs/methodology/backtesting.md): book
 * templates re-instantiated at every step, IM against the realised loss over the margin period of
 * risk, coverage statistics, capital and procyclicality, crash replays through the venue
 * simulation, and the report document (`"format": 1`).
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
