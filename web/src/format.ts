/**
 * @module format
 * Number and time formatting for the dashboard: one place, so every table and chart reads the same.
 *
 * Conventions: en-US grouping (`1,234,567.89`), a leading ASCII minus (`-$1,234.50`), UTC times.
 * Missing or non-finite values (null, NaN, ±Infinity where not meaningful) print as an em dash `—`,
 * never as `NaN` or `$0.00`, so that a missing number is never read as a zero.
 * Fractions (shocks, percentages) come in as fractions (0.1 = 10%), as on the wire.
 * Pure: no DOM, no clock; unit-tested in test/web/format.test.ts.
 */

/** Printed for a missing or non-finite value. */
export const MISSING = '—';

const usd2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactFmt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

function isNum(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Sign prefix: '-' for negatives, '+' for positives when `signed`, '' otherwise (zero is unsigned). */
function signOf(x: number, signed: boolean): string {
  if (x < 0) return '-';
  return signed && x > 0 ? '+' : '';
}

/**
 * A USD amount with thousands separators and cents: 1234567.891 → `$1,234,567.89`, -1234.5 → `-$1,234.50`.
 * Rounds half away from zero at the cent (Intl's default), and a value that rounds to zero prints
 * without a sign.
 *
 * @param usd     amount in USD (float)
 * @param signed  prefix positives with '+' (for changes)
 * @returns the formatted amount, or `—` when missing
 */
export function formatUsd(usd: number | null | undefined, signed = false): string {
  if (!isNum(usd)) return MISSING;
  const body = usd2.format(Math.abs(usd));
  const sign = body === '0.00' ? '' : signOf(usd, signed);
  return `${sign}$${body}`;
}

/**
 * A short USD amount for chart axes and labels: 1234567 → `$1.2M`, -950 → `-$950`.
 *
 * @param usd amount in USD
 * @returns the compact amount, or `—` when missing
 */
export function formatUsdCompact(usd: number | null | undefined): string {
  if (!isNum(usd)) return MISSING;
  const body = compactFmt.format(Math.abs(usd));
  return `${body === '0' ? '' : signOf(usd, false)}$${body}`;
}

/**
 * A plain number with thousands separators and a fixed number of decimals: (1234.5, 2) → `1,234.50`.
 *
 * @param x       the number
 * @param digits  decimals shown (0–20)
 * @param signed  prefix positives with '+'
 * @returns the formatted number, or `—` when missing
 */
export function formatNumber(x: number | null | undefined, digits = 2, signed = false): string {
  if (!isNum(x)) return MISSING;
  const body = Math.abs(x).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const zero = Number(body.replace(/,/g, '')) === 0;
  return `${zero ? '' : signOf(x, signed)}${body}`;
}

/**
 * A fraction as a percentage: 0.4123 → `41.2%`, -0.05 → `-5.0%`.
 *
 * @param fraction  the fraction (1 = 100%)
 * @param digits    decimals of the percentage
 * @param signed    prefix positives with '+'
 * @returns the percentage, or `—` when missing
 */
export function formatPct(fraction: number | null | undefined, digits = 1, signed = false): string {
  if (!isNum(fraction)) return MISSING;
  return `${formatNumber(fraction * 100, digits, signed)}%`;
}

/**
 * A scenario shock, a fraction, as a whole signed percentage: -0.2 → `-20%`, 0.15 → `+15%`, 0 → `0%`.
 * Shocks finer than a percent keep one decimal: 0.025 → `+2.5%`.
 *
 * @param fraction the shock (0.1 = +10%)
 * @returns the signed percentage, or `—` when missing
 */
export function formatShock(fraction: number | null | undefined): string {
  if (!isNum(fraction)) return MISSING;
  const pct = fraction * 100;
  const digits = Math.abs(pct - Math.round(pct)) < 1e-9 ? 0 : 1;
  return `${formatNumber(pct, digits, true)}%`;
}

/**
 * Health, equity over maintenance margin, with two decimals: 1.2345 → `1.23`. `null` means the
 * account needs no maintenance margin (MM = 0) and prints as `∞`: it cannot be liquidated.
 *
 * @param health equity / MM (dimensionless), or null when MM = 0
 * @returns the health, `∞` for null
 */
export function formatHealth(health: number | null | undefined): string {
  if (health === null) return '∞';
  return formatNumber(health, 2);
}

/**
 * A price with precision that suits its size: ≥ 1 → 2 decimals with grouping (`65,000.10`);
 * below 1 → 4 significant digits (`0.01235`).
 *
 * @param price a price in quote currency per unit
 * @returns the price, or `—` when missing
 */
export function formatPrice(price: number | null | undefined): string {
  if (!isNum(price)) return MISSING;
  if (Math.abs(price) >= 1 || price === 0) return formatNumber(price, 2);
  return price.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

/**
 * A position size or quantity: grouping, up to 8 decimals, trailing zeros dropped: -1.5 → `-1.5`,
 * 12000 → `12,000`, 0.123456789 → `0.12345679`.
 *
 * @param size   quantity in the instrument's units
 * @param signed prefix positives with '+'
 * @returns the size, or `—` when missing
 */
export function formatSize(size: number | null | undefined, signed = false): string {
  if (!isNum(size)) return MISSING;
  const body = Math.abs(size).toLocaleString('en-US', { maximumFractionDigits: 8 });
  return `${body === '0' ? '' : signOf(size, signed)}${body}`;
}

/**
 * A UTC timestamp, to the second: 1772366400000 → `2026-03-01 12:00:00`.
 *
 * @param timeMs ms since the epoch (UTC)
 * @returns the time, or `—` when missing
 */
export function formatTime(timeMs: number | null | undefined): string {
  if (!isNum(timeMs)) return MISSING;
  return new Date(timeMs).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * An exact decimal string (a ledger amount on the wire) with thousands separators, without going
 * through a float, so no digit is lost: `"1234567.123456789"` → `1,234,567.123456789`,
 * `"-0.5"` → `-0.5`. Strings that are not plain decimals are returned unchanged.
 *
 * @param amount a decimal string such as `"-1234.50"`
 * @returns the grouped string
 */
export function formatDecimalString(amount: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (m === null) return amount;
  const grouped = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1]}${grouped}${m[3] ?? ''}`;
}
