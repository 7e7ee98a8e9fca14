/**
 * Formats an epoch-ms instant as ISO 8601 UTC for error messages. Pure: formats the given
 * instant, never reads the clock. Values outside the Date range are printed as numbers.
 * @param ms  ms since epoch UTC
 * @returns   e.g. "2025-03-28T08:00:00.000Z"
 */
export function toIsoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
