/**
 * @module scenarios
 *
 * Scenario sets as data: term-scaled vol shocks, risk-matrix grids per underlying (spot × vol,
 * extended dampened moves, skew rotations) and named joint stresses from real crashes. Moves are
 * relative; weights multiply P&L; nothing here values a position (see risk/).
 */
export { shockVol, volTermMultiplier, type VolDirection, type VolShockParams } from './vol-shock.js';
export {
  buildGridScenarios,
  evenMoves,
  skewVol,
  type GridParams,
  type GridScenario,
  type SkewParams,
} from './grid.js';
export { NAMED_STRESSES, type StressScenario } from './stress.js';
export {
  buildHistoricalScenarios,
  estimateVolSpotSlope,
  type HistoricalScenarioParams,
  type HistoricalScenarios,
  type MarketHistory,
  type ScenarioSet,
  type StressPeriod,
} from './historical-scenarios.js';
