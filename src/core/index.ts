/**
 * @module core
 *
 * The pure core of xmargin: everything here is deterministic computation on plain values, with
 * no I/O, no clock and no randomness (time and seeds are arguments). Layers: numeric → ledger,
 * market → instruments → pricing (→ scenarios → risk → margin → liquidation, in later modules).
 * Errors are `XmarginError`s with stable codes (docs/errors.md).
 */
export * from './errors.js';
export * from './numeric/index.js';
export * from './ledger/index.js';
export * from './market/index.js';
export * from './instruments/index.js';
export * from './pricing/index.js';
export * from './history/index.js';
export * from './statistics/index.js';
export * from './portfolio/index.js';
export * from './scenarios/index.js';
export * from './risk/index.js';
export * from './margin/index.js';
export * from './liquidation/index.js';
export * from './analytics/index.js';
export { parseWithSchema } from './params/parse.js';
