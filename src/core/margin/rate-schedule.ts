/**
 * Tiered margin rates (brackets), as large venues publish them: the rate steps up with the
 * position's notional, and a deduction keeps the requirement continuous across brackets
 * (Binance/Hyperliquid "maintenance amount"):
 *
 *   margin(N) = N·rate_k − deduction_k   for N in bracket k
 *   deduction_0 = 0,  deduction_k = deduction_{k−1} + upTo_{k−1}·(rate_k − rate_{k−1})
 *
 * so margin is continuous and non-decreasing in N, and equals N·rate_0 in the first bracket.
 * Units: notional in quote currency; rates fractions (0.02 = 2%).
 */
import { z } from 'zod';

/** One bracket: applies up to `upToUsd` (null = no upper bound; must be the last). */
export interface RateTier {
  readonly upToUsd: number | null;
  readonly imRate: number;
  readonly mmRate: number;
}

export const RateTierSchema = z.strictObject({
  upToUsd: z.number().positive().nullable(),
  imRate: z.number().min(0).max(1),
  mmRate: z.number().min(0).max(1),
});

/** Rule violations of a schedule, as [field, message] (empty when valid). */
export function checkRateSchedule(field: string, tiers: readonly RateTier[]): [string, string][] {
  const out: [string, string][] = [];
  if (tiers.length === 0) out.push([field, 'must have at least one tier']);
  tiers.forEach((t, i) => {
    if (t.mmRate > t.imRate)
      out.push([`${field}[${i}].mmRate`, `must be <= imRate (${t.imRate}); got ${t.mmRate}`]);
    if (i < tiers.length - 1 && t.upToUsd === null)
      out.push([`${field}[${i}].upToUsd`, 'may be null only in the last tier']);
    if (i === tiers.length - 1 && t.upToUsd !== null)
      out.push([`${field}[${i}].upToUsd`, 'must be null in the last tier (no upper bound)']);
    const prev = tiers[i - 1];
    if (prev && prev.upToUsd !== null && t.upToUsd !== null && !(t.upToUsd > prev.upToUsd)) {
      out.push([`${field}[${i}].upToUsd`, `must increase; got ${t.upToUsd} after ${prev.upToUsd}`]);
    }
    if (prev && (t.imRate < prev.imRate || t.mmRate < prev.mmRate))
      out.push([`${field}[${i}]`, 'rates must not decrease with size']);
  });
  return out;
}

/** Initial and maintenance margin of a notional under a schedule (module header). */
export function tieredMargin(
  notionalUsd: number,
  tiers: readonly RateTier[],
): { imUsd: number; mmUsd: number; tier: number } {
  let dedIm = 0;
  let dedMm = 0;
  for (let k = 0; k < tiers.length; k++) {
    const t = tiers[k]!;
    if (k > 0) {
      const prev = tiers[k - 1]!;
      dedIm += prev.upToUsd! * (t.imRate - prev.imRate);
      dedMm += prev.upToUsd! * (t.mmRate - prev.mmRate);
    }
    if (t.upToUsd === null || notionalUsd <= t.upToUsd) {
      return { imUsd: notionalUsd * t.imRate - dedIm, mmUsd: notionalUsd * t.mmRate - dedMm, tier: k };
    }
  }
  throw new Error('unreachable: the last tier is unbounded');
}
