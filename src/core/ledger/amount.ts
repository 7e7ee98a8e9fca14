/**
 * @module ledger/amount
 *
 * An exact amount of one asset: an integer number of base units (`bigint`). 1 USDC with
 * 6 decimals is `1_000_000n` units. Sign convention: positive = the holder owns it,
 * negative = the holder owes it.
 *
 * Arithmetic is exact. Sums and differences never round; the only rounding is in
 * {@link scaleAmount}, whose mode is explicit. Combining two different assets is refused
 * with `ERR_ASSET_MISMATCH`: conversion between assets goes through a price, elsewhere.
 *
 * Amounts are plain objects typed `readonly`; they are not frozen at run time, to keep every
 * ledger operation allocation-light. Treat them as values.
 */
import { InvalidInputError } from '../errors.js';
import { requireSameAsset } from './asset.js';
import type { Asset } from './asset.js';
import { divideRounded } from './rounding.js';
import type { RoundingMode } from './rounding.js';

/** An exact amount: `units` base units of `asset` (1 whole = 10^asset.decimals units). */
export interface Amount {
  /** the asset the units are counted in */
  readonly asset: Asset;
  /** signed integer base units; positive = owned by the holder, negative = owed */
  readonly units: bigint;
}

/**
 * An amount of `units` base units of `asset`.
 * @param asset  the asset
 * @param units  signed integer base units (e.g. 1_500_000n for 1.5 USDC)
 * @returns      the amount
 * @throws InvalidInputError ERR_INVALID_INPUT when `units` is not a bigint (untyped callers)
 * @example amountOf(usdc, 1_500_000n)  // 1.5 USDC
 */
export function amountOf(asset: Asset, units: bigint): Amount {
  if (typeof units !== 'bigint') throw new InvalidInputError('units', units, 'must be a bigint');
  return { asset, units };
}

/**
 * a + b, exact.
 * @param a  an amount
 * @param b  an amount of the same asset
 * @returns  the sum, in the same asset
 * @throws RiskError ERR_ASSET_MISMATCH when the assets differ (details name both symbols)
 * @example addAmounts(amountOf(usdc, 1n), amountOf(usdc, 2n)).units  // 3n
 */
export function addAmounts(a: Amount, b: Amount): Amount {
  requireSameAsset(a.asset, b.asset, 'add');
  return { asset: a.asset, units: a.units + b.units };
}

/**
 * a − b, exact. Inverse of {@link addAmounts}: subtract(add(a, b), b) = a.
 * @param a  an amount
 * @param b  an amount of the same asset
 * @returns  the difference, in the same asset (may be negative)
 * @throws RiskError ERR_ASSET_MISMATCH when the assets differ
 */
export function subtractAmounts(a: Amount, b: Amount): Amount {
  requireSameAsset(a.asset, b.asset, 'subtract');
  return { asset: a.asset, units: a.units - b.units };
}

/**
 * −a, exact (an asset becomes a liability and back).
 * @param a  an amount
 * @returns  the negated amount, same asset; negating zero gives zero
 */
export function negateAmount(a: Amount): Amount {
  return { asset: a.asset, units: -a.units };
}

/**
 * Orders two amounts of the same asset.
 * @param a  an amount
 * @param b  an amount of the same asset
 * @returns  −1 when a < b, 0 when equal, 1 when a > b (usable as a sort comparator)
 * @throws RiskError ERR_ASSET_MISMATCH when the assets differ
 */
export function compareAmounts(a: Amount, b: Amount): -1 | 0 | 1 {
  requireSameAsset(a.asset, b.asset, 'compare');
  return a.units < b.units ? -1 : a.units > b.units ? 1 : 0;
}

/**
 * Whether an amount is zero.
 * @param a  an amount
 * @returns  true when `a.units === 0n`
 */
export function isZero(a: Amount): boolean {
  return a.units === 0n;
}

/**
 * Σ amounts, exact. The asset is given explicitly so that the empty sum is a zero of it.
 * @param asset    the asset every amount must be in
 * @param amounts  the amounts to add (may be empty)
 * @returns        the total, in `asset`; zero for an empty list
 * @throws RiskError ERR_ASSET_MISMATCH on the first amount of another asset
 * @example sumAmounts(usdc, [amountOf(usdc, 1n), amountOf(usdc, 2n)]).units  // 3n
 */
export function sumAmounts(asset: Asset, amounts: readonly Amount[]): Amount {
  let total = 0n;
  for (const a of amounts) {
    requireSameAsset(asset, a.asset, 'sum');
    total += a.units;
  }
  return { asset, units: total };
}

/**
 * Multiplies an amount by an exact ratio, with an explicit rounding mode.
 *
 *   units' = round_mode(units × numerator / denominator)
 *
 * The product is formed exactly before the single division, so there is one rounding only.
 * Exact (no rounding) whenever denominator divides units × numerator.
 *
 * @param amount       the amount to scale
 * @param numerator    integer numerator of the ratio (any sign)
 * @param denominator  integer denominator of the ratio, ≠ 0 (any sign)
 * @param mode         rounding mode; the call site states why (e.g. `'ceil'` for a fee:
 *                     it must never be understated)
 * @returns            the scaled amount, in the same asset
 * @throws InvalidInputError ERR_INVALID_INPUT when `denominator` is 0n or `mode` is unknown
 * @see docs/methodology/ledger.md#rounding-modes
 * @example
 *   // A 5 bps fee on 1,000.000001 USDC, rounded up: ceil(1_000_000_001 × 5 / 10_000) = 500_001n
 *   scaleAmount(amountOf(usdc, 1_000_000_001n), 5n, 10_000n, 'ceil').units;  // 500_001n
 */
export function scaleAmount(
  amount: Amount,
  numerator: bigint,
  denominator: bigint,
  mode: RoundingMode,
): Amount {
  return { asset: amount.asset, units: divideRounded(amount.units * numerator, denominator, mode) };
}
