/**
 * Strict UTC timestamp parsing for history files: exactly `YYYY-MM-DDTHH:MM:SSZ` (bar open time)
 * or `YYYY-MM-DD` (UTC day). No time zones, no fractional seconds, no lenient `Date.parse`
 * guesses: anything else is rejected so that a mangled timestamp cannot shift a bar silently.
 */

/** One hour in ms. */
export const HOUR_MS = 3_600_000;
/** One UTC day in ms. */
export const DAY_MS = 86_400_000;

/** Which timestamp spelling a column uses. */
export type UtcTimeFormat = 'datetime' | 'date';

const ZERO = 48;

/** Value of the `n` decimal digits at `text[from..from+n)`, or -1 if any is not a digit. */
function digits(text: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant, `days_from_civil`). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses a UTC timestamp in the given spelling.
 *
 * @param text    `YYYY-MM-DDTHH:MM:SSZ` (format 'datetime') or `YYYY-MM-DD` (format 'date')
 * @param format  which spelling is required
 * @param start   index of the first character in `text` (default 0): parse a slice without copying it
 * @param end     index after the last character (default `text.length`)
 * @returns       ms since epoch UTC, or NaN when the text is not a valid timestamp of that
 *                spelling (wrong length or separators, non-digits, month 13, 2021-02-29, 24:00:00)
 */
export function parseUtcTime(text: string, format: UtcTimeFormat, start = 0, end = text.length): number {
  const len = format === 'date' ? 10 : 20;
  const at = (i: number) => text.charCodeAt(start + i);
  const DASH = 45;
  if (end - start !== len || at(4) !== DASH || at(7) !== DASH) return NaN;
  const y = digits(text, start, 4);
  const m = digits(text, start + 5, 2);
  const d = digits(text, start + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  let secOfDay = 0;
  if (format === 'datetime') {
    const COLON = 58;
    if (at(10) !== 84 /* T */ || at(13) !== COLON || at(16) !== COLON || at(19) !== 90 /* Z */) return NaN;
    const hh = digits(text, start + 11, 2);
    const mi = digits(text, start + 14, 2);
    const ss = digits(text, start + 17, 2);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return NaN;
    secOfDay = hh * 3600 + mi * 60 + ss;
  }
  return daysFromCivil(y, m, d) * DAY_MS + secOfDay * 1000;
}

/**
 * ISO-8601 UTC text of a time, for messages and reports (`2020-03-13T02:00:00Z`).
 * @param ms  ms since epoch UTC; a non-finite value is returned as its string
 */
export function formatUtcTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
