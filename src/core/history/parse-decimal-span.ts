/**
 * Fast, strict decimal parsing of one CSV cell in place (no substring per cell): the hot loop of
 * reading years of hourly bars.
 */

/** 10^k for k = 0…22, each exactly representable as a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Plain or exponent decimal, optional sign; everything `Number` would also accept, minus the lenient forms. */
const DECIMAL = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Value of the decimal number written in `text[start..end)`, identical to `Number(slice)` for
 * every accepted spelling.
 *
 * Fast path: `digits[.digits]` with at most 15 digits in all. Then the digits form an integer
 * M < 10^15 < 2^53 and the value is M / 10^k with both operands exact doubles, so the single
 * IEEE division is correctly rounded, i.e. the same double `Number` returns (Clinger 1990).
 * Anything else (sign, exponent, more digits) goes through `Number` after a strict format check.
 *
 * @param text   the whole file
 * @param start  index of the cell's first character
 * @param end    index after the cell's last character
 * @returns      the value; NaN for an empty cell, whitespace, `NaN`, `Infinity`, hex or any
 *               other text that is not a decimal number
 * @see W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990
 */
export function parseDecimalSpan(text: string, start: number, end: number): number {
  let m = 0;
  let nDigits = 0;
  let fracDigits = -1; // -1 until the decimal point is seen
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      nDigits++;
      if (fracDigits >= 0) fracDigits++;
    } else if (c === 46 && fracDigits < 0 && i > start) {
      fracDigits = 0;
    } else {
      return slowPath(text, start, end);
    }
  }
  if (nDigits === 0 || nDigits > 15 || fracDigits === 0) return slowPath(text, start, end);
  return fracDigits > 0 ? m / POW10[fracDigits]! : m;
}

function slowPath(text: string, start: number, end: number): number {
  const s = text.slice(start, end);
  return DECIMAL.test(s) ? Number(s) : NaN;
}
