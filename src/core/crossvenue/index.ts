/**
 * @module crossvenue
 *
 * The combined view of one trader's book across venues: each venue's own requirement (its
 * preset), the book margined as one by xmargin's model with netting only inside declared
 * agreements (capped), the move while collateral is in transit, the venue default charge, and the
 * collateral moves that release the difference. Methodology: docs/methodology/cross-venue.md.
 */
export {
  computeCrossVenue,
  compareWithReported,
  type CrossVenueInput,
  type CrossVenueResult,
  type GroupView,
  type ReportedMargin,
  type Reproduction,
  type VenueBook,
  type VenueView,
} from './compute-cross-venue.js';
export {
  CrossVenueParamsSchema,
  DEFAULT_CROSS_VENUE_PARAMS,
  DEFAULT_NETTING_CAP,
  latencyBetween,
  parseCrossVenueParams,
  type CrossVenueParams,
  type LatencyPair,
  type MovesParams,
  type NettingAgreement,
} from './cross-venue-params.js';
export { planCollateralMoves, type CollateralMove, type MovePlan } from './plan-collateral-moves.js';
export { mergeTaggedPortfolios, selectVenues, splitByVenue, venuesOf } from './split-by-venue.js';
export { transferMoveLoss, type MoveLoss } from './transfer-move-loss.js';
export { mergeMarketFiles } from './merge-market-files.js';
export {
  allocateAcrossVenues,
  type AllocatedMove,
  type CrossVenueAllocation,
  type EvaluatedPlan,
  type VenueAfterMoves,
  type VenueSlot,
} from './allocate-across-venues.js';
