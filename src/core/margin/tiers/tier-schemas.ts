/**
 * Strict schemas of tier tables in preset params (tiers/bracket.ts): floors in USD ascending from
 * 0, rates and deductions as the venues publish them.
 */
import { z } from 'zod';

const fraction = z.number().min(0).max(1);

/** One maintenance bracket. */
export const BracketSchema = z.strictObject({
  floorUsd: z.number().min(0),
  rate: fraction,
  deductionUsd: z.number().min(0),
});
/** One progressive collateral tier. */
export const CollateralTierSchema = z.strictObject({ floorUsd: z.number().min(0), rate: fraction });

const ascending = <T extends { floorUsd: number }>(s: z.ZodType<T[]>) =>
  s
    .refine((t) => t.length > 0 && t[0]!.floorUsd === 0, 'the first tier must start at 0')
    .refine((t) => t.every((x, i) => i === 0 || x.floorUsd > t[i - 1]!.floorUsd), 'floors must increase');

/** A bracket table. */
export const BracketsSchema = ascending(z.array(BracketSchema));
/** A collateral tier table. */
export const CollateralTiersSchema = ascending(z.array(CollateralTierSchema));
