/**
 * @module ledger/rounding
 *
 * Rounding modes for exact integer division, as small named functions (dinero
 * `core/divide/*` style). Every function takes a numerator `n` and a non-zero denominator `d`
 * of any signs and returns an integer near the exact rational quotient q = n / d.
 *
 * | mode       | rule                                   | 2.5 | −2.5 | 1.6 | −1.1 |
 * | ---------- | -------------------------------------- | --- | ---- | --- | ---- |
 * | `down`     | toward zero (truncate)                 |  2  |  −2  |  1  |  −1  |
 * | `up`       | away from zero                         |  3  |  −3  |  2  |  −2  |
 * | `floor`    | toward −∞                              |  2  |  −3  |  1  |  −2  |
 * | `ceil`     | toward +∞                              |  3  |  −2  |  2  |  −1  |
 * | `halfUp`   | nearest; ties away from zero           |  3  |  −3  |  2  |  −1  |
 * | `halfDown` | nearest; ties toward zero              |  2  |  −2  |  2  |  −1  |
 * | `halfEven` | nearest; ties to the even neighbour    |  2  |  −2  |  2  |  −1  |
 *
 * The names follow `java.math.RoundingMode` (UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN,
 * HALF_EVEN), whose Javadoc table is the golden source of the unit tests.
 *
 * Which mode to use is a policy decision made once, at the call site, with a comment: round
 * against the account, in favour of solvency (see docs/methodology/ledger.md#rounding-policy).
 */
import { InvalidInputError } from '../errors.js';

/** How an inexact quotient becomes an integer. See the module table. */
export type RoundingMode = 'down' | 'up' | 'floor' | 'ceil' | 'halfUp' | 'halfDown' | 'halfEven';

/** Every rounding mode, in the order of the module table. */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  'down',
  'up',
  'floor',
  'ceil',
  'halfUp',
  'halfDown',
  'halfEven',
]);

const MODE_SET: ReadonlySet<string> = new Set(ROUNDING_MODES);

/**
 * Whether `mode` names a rounding mode.
 * @param mode  any value
 * @returns     true for one of {@link ROUNDING_MODES}
 */
export function isRoundingMode(mode: unknown): mode is RoundingMode {
  return typeof mode === 'string' && MODE_SET.has(mode);
}

/**
 * Throws unless `mode` is a rounding mode (for callers that receive it from JavaScript).
 * @param mode   the value to check
 * @param field  the name used in the message
 * @throws InvalidInputError ERR_INVALID_INPUT when `mode` is not a rounding mode
 */
export function requireRoundingMode(mode: unknown, field = 'mode'): asserts mode is RoundingMode {
  if (!isRoundingMode(mode))
    throw new InvalidInputError(field, mode, `must be one of ${ROUNDING_MODES.join(', ')}`);
}

// Each named function below assumes d ≠ 0n; `divideRounded` checks it once.
// `n / d` on bigint truncates toward zero and `n % d` takes the sign of n, so the exact
// quotient is q + r/d with |r| < |d|, and r ≠ 0 exactly when the division is inexact.

/** Sign (−1n or 1n) of the exact quotient n/d, for n ≠ 0n. */
function quotientSign(n: bigint, d: bigint): bigint {
  return n < 0n !== d < 0n ? -1n : 1n;
}

/**
 * Compares the discarded fraction |r/d| with one half: −1 below, 0 on a tie, 1 above.
 * Exact: 2|r| against |d|, never a float.
 */
function compareHalf(r: bigint, d: bigint): number {
  const twice = 2n * (r < 0n ? -r : r);
  const ad = d < 0n ? -d : d;
  return twice < ad ? -1 : twice > ad ? 1 : 0;
}

/**
 * n/d rounded toward zero (truncation). Rule: q = trunc(n/d).
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked; use {@link divideRounded} for checked input)
 * @returns  the integer quotient with |result| ≤ |n/d|
 */
export function divideDown(n: bigint, d: bigint): bigint {
  return n / d;
}

/**
 * n/d rounded away from zero. Rule: q = trunc(n/d) + sign(n/d) when inexact.
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  the integer quotient with |result| ≥ |n/d|
 */
export function divideUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d === 0n ? q : q + quotientSign(n, d);
}

/**
 * n/d rounded toward −∞. Rule: the greatest integer ≤ n/d.
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  ⌊n/d⌋
 */
export function divideFloor(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

/**
 * n/d rounded toward +∞. Rule: the least integer ≥ n/d.
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  ⌈n/d⌉
 */
export function divideCeil(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n === d < 0n ? q + 1n : q;
}

/**
 * n/d rounded to the nearest integer, ties away from zero (commercial rounding).
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  nearest integer; 2.5 → 3, −2.5 → −3
 */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return r !== 0n && compareHalf(r, d) >= 0 ? q + quotientSign(n, d) : q;
}

/**
 * n/d rounded to the nearest integer, ties toward zero.
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  nearest integer; 2.5 → 2, −2.5 → −2
 */
export function divideHalfDown(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return r !== 0n && compareHalf(r, d) > 0 ? q + quotientSign(n, d) : q;
}

/**
 * n/d rounded to the nearest integer, ties to the even neighbour (banker's rounding,
 * IEEE 754 roundTiesToEven). Unbiased on average, so it suits symmetric conversions.
 * @param n  numerator, integer units
 * @param d  denominator, non-zero (unchecked)
 * @returns  nearest integer; 2.5 → 2, 3.5 → 4, −2.5 → −2
 */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const c = compareHalf(r, d);
  // On a tie, q (the truncation) is kept when it is already even, else we step away from zero.
  return c > 0 || (c === 0 && q % 2n !== 0n) ? q + quotientSign(n, d) : q;
}

/**
 * Exact integer division n/d with an explicit rounding mode.
 *
 *   result = round_mode(n / d), computed exactly on bigint (no float at any step)
 *
 * Every mode returns the exact quotient when d divides n; otherwise one of its two integer
 * neighbours, ⌊n/d⌋ or ⌈n/d⌉, chosen by the module table. Signs of n and d may be anything.
 *
 * @param n     numerator, integer (e.g. units × numerator of a ratio)
 * @param d     denominator, integer ≠ 0
 * @param mode  rounding mode; state the policy reason at the call site
 * @returns     the rounded integer quotient, in the unit of n/d
 * @throws InvalidInputError ERR_INVALID_INPUT when `d` is 0n or `mode` is unknown
 * @see docs/methodology/ledger.md#rounding-modes
 * @example
 *   divideRounded(7n, 2n, 'halfEven');   // 4n (3.5 → even neighbour 4)
 *   divideRounded(-7n, 2n, 'floor');     // -4n
 *   divideRounded(1n, 3n, 'ceil');       // 1n (a fee of 1/3 unit is charged as 1 unit)
 */
export function divideRounded(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new InvalidInputError('denominator', d, 'must be non-zero');
  switch (mode) {
    case 'down':
      return divideDown(n, d);
    case 'up':
      return divideUp(n, d);
    case 'floor':
      return divideFloor(n, d);
    case 'ceil':
      return divideCeil(n, d);
    case 'halfUp':
      return divideHalfUp(n, d);
    case 'halfDown':
      return divideHalfDown(n, d);
    case 'halfEven':
      return divideHalfEven(n, d);
    default:
      // Reached only from untyped JavaScript callers.
      throw new InvalidInputError('mode', mode, `must be one of ${ROUNDING_MODES.join(', ')}`);
  }
}
