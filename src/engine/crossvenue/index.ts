/**
 * @module engine/crossvenue
 *
 * Crash replay across venues through the engine's venue runtime: each venue liquidating its part
 * of the book by its own preset, against the whole book as one account (docs/methodology/cross-venue.md).
 */
export {
  replayAcrossVenues,
  replayBooks,
  type ReplayBooksOptions,
  type CrossVenueReplayInput,
  type CrossVenueReplayResult,
  type ReplayBook,
  type ReplayOutcome,
} from './replay-across-venues.js';
export { movedMarket, priceFactors, type BarPoint } from './replay-market.js';
