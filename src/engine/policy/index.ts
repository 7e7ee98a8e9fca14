/**
 * @module engine/policy
 *
 * Oracle policy per action (stale or failed oracles block risk-increasing actions; liquidation
 * needs a fresh price; initial margin values at the conservative stable price) and versioned
 * venue parameters with phase-in of risk-increasing changes. Times in ms UTC.
 * See docs/methodology/oracle-policy.md.
 */
export * from './oracle-policy.js';
export * from './venue-params.js';
