/**
 * @module simulation
 *
 * Venue simulation: a seeded book of accounts replayed through real hourly prices under each
 * margin model, liquidated by the engine's planner (docs/methodology/simulation.md).
 */
export {
  generateVenue,
  ARCHETYPE_WEIGHTS,
  type AccountKind,
  type SimAccount,
  type RequirementFn,
} from './generate-venue.js';
export {
  buildSimMarket,
  createSimTemplate,
  type SimMarketTemplate,
  type SimInstrument,
} from './sim-market.js';
export { simulateVenue, type SimulationInput, type SimulationResult } from './simulate-venue.js';
export type { ModelReport, StepLedger, AdlEvent } from './simulation-types.js';
