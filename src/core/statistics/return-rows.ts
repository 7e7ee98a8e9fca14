/**
 * @module statistics/return-rows
 *
 * Shape helpers shared by the estimators over T × A return matrices (time-major,
 * asset-contiguous: `returns[t·A + a]`, the `PriceHistory` layout).
 */
import { requireInput } from '../errors.js';

/**
 * Checks the T × A shape of a return matrix and returns T.
 * @param returns  T × A values
 * @param nAssets  A, an integer ≥ 1
 * @returns        T = returns.length / A
 * @throws InvalidInputError ERR_INVALID_INPUT when nAssets is not a positive integer or does not divide the length
 */
export function countRows(returns: Float64Array, nAssets: number): number {
  requireInput(Number.isInteger(nAssets) && nAssets >= 1, 'nAssets', nAssets, 'must be an integer >= 1');
  const T = returns.length / nAssets;
  requireInput(
    Number.isInteger(T),
    'returns.length',
    returns.length,
    `must be a multiple of nAssets = ${nAssets}`,
  );
  return T;
}

/**
 * True when every entry of row t is finite (a complete joint observation).
 * @param returns  T × A values
 * @param t        row index, 0 ≤ t < T (not checked)
 * @param nAssets  A
 */
export function isCompleteRow(returns: Float64Array, t: number, nAssets: number): boolean {
  const base = t * nAssets;
  for (let a = 0; a < nAssets; a++) if (!Number.isFinite(returns[base + a]!)) return false;
  return true;
}
