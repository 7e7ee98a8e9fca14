/**
 * @module engine/venue
 *
 * The venue runtime (journal + market + re-margining + top-up + liquidation) and the demo venue
 * that replays real history through it.
 */
export * from './venue-types.js';
export * from './venue.js';
export * from './demo-venue.js';
export { VenueRisk } from './venue-risk.js';
export { admitBook } from './admit-book.js';
export { settleExpiries } from './expiry-settlement.js';
