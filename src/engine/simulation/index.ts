/**
 * @module simulation
 *
 * Venue simulation: a seeded book of accounts replayed through real hourly prices under each
 * margin model, liquidated by the engine's planner (docs/methodology/simulation.md); the reusable
 * pieces of the replays: the crash catalogue, price paths (closes or intrabar extremes), moving
 * implied vol, funding and insurance rules.
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
export { CRASH_WINDOWS, selectCrashes, type CrashWindow } from './crash-catalogue.js';
export {
  buildReplaySteps,
  INTRABAR_CORRECTIONS,
  parsePricePath,
  type IntrabarCorrection,
  type PricePath,
  type ReplayPathInput,
} from './replay-path.js';
export { attachReplayVols, REPLAY_VOL_SPOT, REPLAY_VOL_BOUNDS, type ReplayVolInput } from './replay-vols.js';
export {
  DEFAULT_INSURANCE_OF_OPEN_INTEREST,
  THIN_FUNDING,
  defaultInsuranceUsd,
  openInterestUsd,
  parseFundingRange,
  parseInsuranceUsd,
} from './venue-funding.js';

export { failedOutcome, replayOutcome, type ReplayOutcome } from './replay-outcome.js';
