/**
 * @module solvency
 *
 * Verifiable solvency (docs/methodology/solvency-proofs.md): per epoch, a Merkle sum tree over
 * every account's equity and maintenance margin (MM), with range checks; the risk arrays the
 * epoch publishes; the exact integer checks a compliance proof makes; inclusion proofs. Pure and
 * deterministic: the Poseidon hash and the salts are arguments. Units: micro-USD for equity, MM
 * and risk-array values; micro-units for quantities (fixed-point.ts).
 */
export * from './field.js';
export * from './fixed-point.js';
export * from './sum-tree.js';
export * from './risk-class.js';
export * from './scan-arrays.js';
export * from './account-scan.js';
export * from './leaf.js';
export * from './build-epoch.js';
export * from './inclusion.js';
export * from './public-signals.js';
