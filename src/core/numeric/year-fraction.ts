/**
 * @module numeric/year-fraction
 *
 * Time is milliseconds since the Unix epoch, UTC. Option time to expiry is a year fraction
 * on ACT/365 (Fixed): 365 days of 86,400,000 ms make one year, leap days included as days.
 */

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;
/** Milliseconds in one ACT/365 year. */
export const MS_PER_YEAR = 365 * MS_PER_DAY;

/**
 * Year fraction between two instants, ACT/365: (toMs − fromMs) / (365 × 86,400,000).
 * Negative when `toMs` is before `fromMs` (an expired instrument), which callers handle.
 * @param fromMs  start, ms since epoch UTC
 * @param toMs    end, ms since epoch UTC
 * @returns       years (may be ≤ 0)
 * @example yearFraction(Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)) // 1
 */
export function yearFraction(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}
