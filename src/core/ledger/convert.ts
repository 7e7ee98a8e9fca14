/**
 * @module ledger/convert
 *
 * THE float ↔ exact boundary of xmargin (STYLE §3.7). Risk math produces float64 values
 * (requirements in USD, collateral credit, liquidation sizes); the ledger holds bigint base
 * units. Every crossing goes through this file, with an explicit rounding direction.
 *
 * `toUnits` is exact: it uses the exact binary value of the double (mantissa · 2^exponent,
 * decomposed into BigInts), never `value * 10 ** decimals` (which rounds, e.g.
 * 0.1 × 1e18 as floats is 1e17 exactly and hides the true 100000000000000005.55… units).
 *
 * Policy (round against the account, in favour of solvency), encoded once in the helpers:
 * - {@link requirementToUnits}: margin requirements and fees round toward +∞ (`'ceil'`);
 * - {@link creditToUnits}: collateral credit and proceeds round toward −∞ (`'floor'`);
 * - {@link liquidationSizeToUnits}: a quantity to close rounds away from zero (`'up'`), so the
 *   executed trade removes at least the risk the plan assumed.
 * Call sites state their direction in a comment.
 */
import { ensureFinite, InvalidInputError } from '../errors.js';
import { requireDecimals } from './asset.js';
import { formatDecimal } from './decimal.js';
import { pow10 } from './pow10.js';
import { divideRounded, requireRoundingMode } from './rounding.js';
import type { RoundingMode } from './rounding.js';

// Scratch buffer to read the IEEE 754 bits of a double. Module state, but never observable:
// it is written and read within one synchronous call.
const BITS = new DataView(new ArrayBuffer(8));

const TWO_POW_32 = 4294967296; // 2^32, to join the two 32-bit halves of the mantissa
const IMPLICIT_BIT = 1n << 52n; // hidden leading 1 of normal doubles
const TWO_POW_53 = 2n ** 53n;
// 10^0 … 10^22 are exact doubles (5^22 < 2^53), which makes the fast path of fromUnits exact.
// Written as literals (correctly rounded by the parser) rather than `10 ** k`, whose
// accuracy ECMA-262 leaves to the implementation.
const POW10_F64: readonly number[] = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/**
 * Converts a finite double to integer base units, exactly, with an explicit rounding mode.
 *
 *   value = m · 2^e exactly (m the 53-bit signed mantissa, e the unbiased exponent)
 *   units = round_mode(m · 10^decimals · 2^e)     (an exact rational; one rounding)
 *
 * Safe integers take a fast path (value · 10^decimals, no rounding needed). −0 gives 0n.
 * Subnormals and the largest doubles are handled exactly.
 *
 * @param value     finite double in whole units of the asset (e.g. USD for a USD stablecoin
 *                  at par, or a quantity of BTC); any sign
 * @param decimals  decimals of the base unit, integer in [0, 36]
 * @param mode      rounding direction; prefer the policy helpers below
 * @returns         signed integer base units
 * @throws InvalidInputError ERR_INVALID_INPUT when `value` is NaN, ±Infinity or not a number,
 *   or `decimals`/`mode` are invalid
 * @see docs/methodology/ledger.md#the-float-boundary
 * @example
 *   // 0.1 is 0.1000000000000000055511151231257827021181583404541015625 as a double:
 *   toUnits(0.1, 18, 'floor');  // 100000000000000005n
 *   toUnits(0.1, 18, 'ceil');   // 100000000000000006n
 *   toUnits(1.5, 6, 'floor');   // 1500000n (exact, mode irrelevant)
 */
export function toUnits(value: number, decimals: number, mode: RoundingMode): bigint {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new InvalidInputError('value', value, 'must be a finite number');
  }
  requireDecimals(decimals);
  requireRoundingMode(mode);
  const scale = pow10(decimals);
  // Integers need no rounding; BigInt(-0) is 0n.
  if (Number.isSafeInteger(value)) return BigInt(value) * scale;

  BITS.setFloat64(0, value);
  const hi = BITS.getUint32(0);
  const lo = BITS.getUint32(4);
  const biasedExponent = (hi >>> 20) & 0x7ff;
  // 52 stored fraction bits: 20 in hi, 32 in lo; the join is < 2^52, exact in a double.
  let mantissa = BigInt((hi & 0xfffff) * TWO_POW_32 + lo);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074; // subnormal: value = fraction · 2^-1074
  } else {
    mantissa += IMPLICIT_BIT;
    exponent = biasedExponent - 1075; // value = (2^52 + fraction) · 2^(E − 1023 − 52)
  }
  if (hi >>> 31 === 1) mantissa = -mantissa;
  if (exponent >= 0) return (mantissa << BigInt(exponent)) * scale; // an integer: exact
  return divideRounded(mantissa * scale, 1n << BigInt(-exponent), mode);
}

/**
 * Converts integer base units to the nearest double (round half to even), for risk math.
 *
 *   value ≈ units / 10^decimals
 *
 * Exact when units / 10^decimals is representable (e.g. |units| < 2^53 and decimals 0, or
 * 1.5 USDC). Otherwise the nearest double: when |units| ≤ 2^53 and decimals ≤ 22 both
 * operands of units / 10^decimals are exact doubles and one IEEE division is correctly
 * rounded; else `Number(formatDecimal(units, decimals))`, which V8 rounds correctly
 * (ECMA-262 permits an error past the 20th significant digit in other engines).
 * Round trip: `toUnits(fromUnits(u, d), d, 'halfEven') === u` whenever |u| < 2^52 (the
 * relative error 2^-53 then stays under half a unit); near 2^53 it can fail by one unit.
 *
 * @param units     signed integer base units
 * @param decimals  decimals of the base unit, integer in [0, 36]
 * @returns         the value in whole units of the asset, as a finite double
 * @throws InvalidInputError ERR_INVALID_INPUT when `units` is not a bigint or `decimals` invalid
 * @throws XmarginError ERR_NUMERIC when the value overflows a double (|value| > 1.8e308)
 * @example fromUnits(1_500_000n, 6)  // 1.5
 */
export function fromUnits(units: bigint, decimals: number): number {
  if (typeof units !== 'bigint') throw new InvalidInputError('units', units, 'must be a bigint');
  requireDecimals(decimals);
  const divisor = POW10_F64[decimals];
  if (divisor !== undefined && units <= TWO_POW_53 && units >= -TWO_POW_53) {
    // Both operands exact, so the single division rounds correctly (IEEE 754).
    return Number(units) / divisor;
  }
  return ensureFinite(Number(formatDecimal(units, decimals)), 'fromUnits', { units, decimals });
}

/**
 * Converts a requirement or fee to base units, rounding toward +∞ (`'ceil'`): an amount the
 * account must hold or pay is never understated. A negative value (a rebate) also moves
 * toward +∞, i.e. the rebate shrinks: still in favour of solvency.
 *
 * @param valueUsd  requirement or fee in whole units of the settlement asset (USD for a USD
 *                  stablecoin at par; apply any price before calling), finite
 * @param decimals  decimals of the settlement asset, integer in [0, 36]
 * @returns         ⌈valueUsd · 10^decimals⌉ base units, exact
 * @throws InvalidInputError ERR_INVALID_INPUT on a non-finite value or invalid decimals
 * @example requirementToUnits(0.1, 6)  // 100001n: 0.1 is slightly above 1/10 as a double
 */
export function requirementToUnits(valueUsd: number, decimals: number): bigint {
  return toUnits(valueUsd, decimals, 'ceil'); // round up: a requirement must not be understated
}

/**
 * Converts collateral credit (or proceeds credited to the account) to base units, rounding
 * toward −∞ (`'floor'`): credit is never overstated. A negative value (a debit) grows in
 * magnitude, again in favour of solvency.
 *
 * @param value     credit in whole units of the asset, finite
 * @param decimals  decimals of the asset, integer in [0, 36]
 * @returns         ⌊value · 10^decimals⌋ base units, exact
 * @throws InvalidInputError ERR_INVALID_INPUT on a non-finite value or invalid decimals
 * @example creditToUnits(0.3, 6)  // 299999n: 0.3 is slightly below 3/10 as a double
 */
export function creditToUnits(value: number, decimals: number): bigint {
  return toUnits(value, decimals, 'floor'); // round down: credit must not be overstated
}

/**
 * Converts a signed quantity to close in a liquidation to base units, rounding away from
 * zero (`'up'`): the executed trade is at least as large as the plan assumed, so post-trade
 * health computed from the plan is never overstated. Capping at the open position is the
 * planner's job.
 *
 * @param size      quantity to trade, in whole units of the instrument's base asset, finite;
 *                  its sign is the trade side
 * @param decimals  decimals of the quantity, integer in [0, 36]
 * @returns         base units with |result| = ⌈|size| · 10^decimals⌉ and the sign of `size`
 * @throws InvalidInputError ERR_INVALID_INPUT on a non-finite value or invalid decimals
 * @example liquidationSizeToUnits(-0.123456789, 8)  // -12345679n
 */
export function liquidationSizeToUnits(size: number, decimals: number): bigint {
  return toUnits(size, decimals, 'up'); // away from zero: never close less than planned
}
