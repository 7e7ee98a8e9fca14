/**
 * @module ledger/decimal
 *
 * Decimal strings ↔ exact base units. On the wire and in JSON, amounts are decimal strings
 * (`"-12.345"`), never JSON numbers: a float would already have lost digits. Parsing is pure
 * string scanning plus one `BigInt(...)` of a digit string; no float is ever formed.
 *
 * Accepted grammar (documented decision, strict on purpose):
 *
 *   decimal  = [ "+" | "-" ] digits [ "." digits ]
 *   digits   = one or more of 0-9
 *
 * - `"5"`, `"-0.5"`, `"+1.25"`, `"007.10"` are accepted (leading zeros are harmless).
 * - `".5"` and `"5."` are refused: a point needs a digit on both sides, as in JSON numbers
 *   (RFC 8259 §6); a truncated field on the wire should fail, not change magnitude silently.
 * - Exponents (`"1e5"`), spaces, `_`/`,` separators, `"NaN"`, `"Infinity"`, hex (`"0x10"`)
 *   and the empty string are refused with `ERR_INVALID_INPUT`.
 * - No length limit is imposed here; limit untrusted strings at the adapter (zod `max`).
 *
 * Formatting is canonical: no `+`, no leading zeros, `-` only for non-zero values, and either
 * exactly `decimals` fraction digits or (with `trimZeros`) none that are trailing zeros.
 */
import { InvalidInputError, RiskError } from '../errors.js';
import { amountOf } from './amount.js';
import type { Amount } from './amount.js';
import { requireDecimals } from './asset.js';
import type { Asset } from './asset.js';
import { pow10 } from './pow10.js';
import { divideRounded, requireRoundingMode } from './rounding.js';
import type { RoundingMode } from './rounding.js';

const DECIMAL_RULE =
  'must be a decimal string: optional sign, digits, optional "." and digits (no exponent, no spaces)';

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_PLUS = 43;
const CHAR_MINUS = 45;
const CHAR_DOT = 46;

/** Options of {@link formatDecimal} and {@link formatAmount}. */
export interface FormatDecimalOptions {
  /** drop trailing fraction zeros (and the point when nothing is left): `"12"` not `"12.000000"` */
  readonly trimZeros?: boolean;
}

/** Index just past the run of ASCII digits starting at `i`. */
function scanDigits(text: string, i: number): number {
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) break;
    i++;
  }
  return i;
}

/** parseDecimal with the field name used in messages; shared by parseDecimal and parseAmount. */
function parseDecimalAs(
  text: string,
  decimals: number,
  mode: RoundingMode | undefined,
  field: string,
): bigint {
  requireDecimals(decimals);
  if (mode !== undefined) requireRoundingMode(mode);
  if (typeof text !== 'string') throw new InvalidInputError(field, text, DECIMAL_RULE);
  const len = text.length;
  let i = 0;
  let negative = false;
  if (len > 0) {
    const c = text.charCodeAt(0);
    if (c === CHAR_MINUS) {
      negative = true;
      i = 1;
    } else if (c === CHAR_PLUS) {
      i = 1;
    }
  }
  const intStart = i;
  const intEnd = scanDigits(text, intStart);
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (intEnd < len && text.charCodeAt(intEnd) === CHAR_DOT) {
    fracStart = intEnd + 1;
    fracEnd = scanDigits(text, fracStart);
    // "5." is refused: a point must be followed by at least one digit.
    if (fracEnd === fracStart) throw new InvalidInputError(field, text, DECIMAL_RULE);
  }
  // ".5" (no integer digit) and any trailing garbage are refused.
  if (intEnd === intStart || fracEnd !== len) throw new InvalidInputError(field, text, DECIMAL_RULE);

  // Trailing zeros beyond `decimals` carry no value: "1.2300" is exact at 2 decimals.
  let fracLen = fracEnd - fracStart;
  while (fracLen > decimals && text.charCodeAt(fracStart + fracLen - 1) === CHAR_0) fracLen--;
  const digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracStart + fracLen);

  if (fracLen <= decimals) {
    // Exact: append the missing zeros, so the digit string is already in base units.
    const magnitude = BigInt(fracLen === decimals ? digits : digits + '0'.repeat(decimals - fracLen));
    return negative ? -magnitude : magnitude;
  }
  const excess = fracLen - decimals;
  if (mode === undefined) {
    throw new RiskError(
      'ERR_INEXACT',
      `${field} ${JSON.stringify(text)} has ${fracLen} significant fraction digits but only ${decimals} fit; ` +
        'pass a rounding mode to round',
      { field, value: text, decimals, fractionDigits: fracLen },
    );
  }
  // One exact division by 10^excess, rounded with the caller's mode (signs handled there).
  const scaled = BigInt(digits);
  return divideRounded(negative ? -scaled : scaled, pow10(excess), mode);
}

/**
 * Parses a decimal string into integer base units, exactly: units = value × 10^decimals.
 *
 * Without `mode`, the value must fit in `decimals` fraction digits (trailing zeros beyond
 * them are fine); otherwise `ERR_INEXACT`. With `mode`, extra digits are rounded with it
 * (e.g. `'floor'` for a deposit credit). `"-0"` parses to `0n`. See the module header for the
 * accepted grammar.
 *
 * @param text      decimal string, e.g. `"-12.345"` (whole units of the asset)
 * @param decimals  decimals of the base unit, integer in [0, 36]
 * @param mode      optional rounding mode for values with more fraction digits than `decimals`
 * @returns         signed integer base units
 * @throws InvalidInputError ERR_INVALID_INPUT naming `text` when the grammar is broken, or
 *   naming `decimals`/`mode` when they are invalid
 * @throws RiskError ERR_INEXACT (details: value, decimals, fractionDigits) when rounding would
 *   be needed and no mode was given
 * @see docs/methodology/ledger.md#decimal-strings-on-the-wire
 * @example
 *   parseDecimal('1.5', 6);               // 1_500_000n
 *   parseDecimal('-0.0000015', 6, 'floor'); // -2n (−1.5 units, toward −∞)
 *   parseDecimal('0.0000015', 6);         // throws ERR_INEXACT
 */
export function parseDecimal(text: string, decimals: number, mode?: RoundingMode): bigint {
  return parseDecimalAs(text, decimals, mode, 'text');
}

/**
 * Formats integer base units as a canonical decimal string: units / 10^decimals, exactly.
 *
 * Canonical: no `+`, no leading zeros (`"0.5"`), `-` only for non-zero values, exactly
 * `decimals` fraction digits unless `trimZeros` (then `"12"`, `"0.5"`). Decimals 0 gives an
 * integer string. Never rounds.
 *
 * @param units     signed integer base units
 * @param decimals  decimals of the base unit, integer in [0, 36]
 * @param options   `trimZeros` to drop trailing fraction zeros
 * @returns         the decimal string in whole units
 * @throws InvalidInputError ERR_INVALID_INPUT when `units` is not a bigint or `decimals` invalid
 * @example
 *   formatDecimal(-500_000n, 6);                       // "-0.500000"
 *   formatDecimal(12_000_000n, 6, { trimZeros: true }); // "12"
 */
export function formatDecimal(units: bigint, decimals: number, options?: FormatDecimalOptions): string {
  if (typeof units !== 'bigint') throw new InvalidInputError('units', units, 'must be a bigint');
  requireDecimals(decimals);
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (decimals > 0) {
    // Left-pad so that there is at least one integer digit: 5n at 6 decimals → "0000005".
    if (digits.length <= decimals) digits = '0'.repeat(decimals + 1 - digits.length) + digits;
    const cut = digits.length - decimals;
    let fracEnd = digits.length;
    if (options?.trimZeros === true) {
      while (fracEnd > cut && digits.charCodeAt(fracEnd - 1) === CHAR_0) fracEnd--;
    }
    digits = fracEnd > cut ? `${digits.slice(0, cut)}.${digits.slice(cut, fracEnd)}` : digits.slice(0, cut);
  }
  return negative ? `-${digits}` : digits;
}

/**
 * Parses a decimal string of whole units into an {@link Amount} of `asset`.
 * Same grammar, exactness and rounding rules as {@link parseDecimal}, at `asset.decimals`;
 * messages name the field `amount`.
 *
 * @param asset  the asset (its decimals fix the base unit)
 * @param text   decimal string of whole units, e.g. `"1.5"` for 1.5 USDC
 * @param mode   optional rounding mode when `text` has more fraction digits than the asset
 * @returns      the exact amount
 * @throws InvalidInputError ERR_INVALID_INPUT naming `amount` on a malformed string
 * @throws RiskError ERR_INEXACT when rounding would be needed and no mode was given
 * @example parseAmount(usdc, '1.5')  // { asset: usdc, units: 1_500_000n }
 */
export function parseAmount(asset: Asset, text: string, mode?: RoundingMode): Amount {
  return amountOf(asset, parseDecimalAs(text, asset.decimals, mode, 'amount'));
}

/**
 * Formats an amount as a canonical decimal string of whole units (no symbol): the wire form.
 * @param amount   the amount
 * @param options  `trimZeros` to drop trailing fraction zeros
 * @returns        e.g. `"1.500000"` for 1.5 USDC, `"1.5"` with `trimZeros`
 * @example formatAmount(amountOf(usdc, 1_500_000n))  // "1.500000"
 */
export function formatAmount(amount: Amount, options?: FormatDecimalOptions): string {
  return formatDecimal(amount.units, amount.asset.decimals, options);
}
