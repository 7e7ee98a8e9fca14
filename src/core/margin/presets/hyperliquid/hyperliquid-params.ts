/**
 * Parameters of the `hyperliquid` preset, validated with a strict zod schema and merged over the
 * defaults (merge-params.ts).
 *
 * Sources of the defaults (docs https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
 * and .../trading/margining):
 * - BTC 40x up to $150M of position value then 20x; ETH 25x up to $100M then 15x; SOL 20x to
 *   $70M then 10x (the margin tiers table);
 * - maintenance rate = 1 / (2·max leverage of the tier), the deduction making it continuous;
 * - other coins: one tier at 3x (the listing minimum in the same docs; an importer passes the
 *   venue's own tables from the `meta` payload);
 * - default leverage 20x cross (Hyperliquid's default, capped by the tier's maximum).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** One margin tier: from `lowerBoundUsd` of position value, at most `maxLeverage`. */
export interface HyperliquidTier {
  readonly lowerBoundUsd: number;
  readonly maxLeverage: number;
}

/** The leverage a user set on one position. */
export interface HyperliquidLeverage {
  /** leverage ratio ≥ 1 */
  readonly value: number;
  readonly type: 'cross' | 'isolated';
}

/** Parameters of the `hyperliquid` model. */
export interface HyperliquidParams {
  /** margin tiers per coin (the underlying), lower bounds ascending from 0 */
  readonly marginTiers: Readonly<Record<string, readonly HyperliquidTier[]>>;
  /** tiers of a coin not listed */
  readonly defaultTiers: readonly HyperliquidTier[];
  /** user leverage per instrument id */
  readonly leverage: Readonly<Record<string, HyperliquidLeverage>>;
  /** leverage of a position without one, ratio ≥ 1 (capped by the tier) */
  readonly defaultLeverage: number;
  /** assets that back perpetual margin (USDC) */
  readonly collateralAssets: readonly string[];
}

/** Defaults (module header for sources). */
export const DEFAULT_HYPERLIQUID_PARAMS: HyperliquidParams = {
  marginTiers: {
    BTC: [
      { lowerBoundUsd: 0, maxLeverage: 40 },
      { lowerBoundUsd: 150_000_000, maxLeverage: 20 },
    ],
    ETH: [
      { lowerBoundUsd: 0, maxLeverage: 25 },
      { lowerBoundUsd: 100_000_000, maxLeverage: 15 },
    ],
    SOL: [
      { lowerBoundUsd: 0, maxLeverage: 20 },
      { lowerBoundUsd: 70_000_000, maxLeverage: 10 },
    ],
  },
  defaultTiers: [{ lowerBoundUsd: 0, maxLeverage: 3 }],
  leverage: {},
  defaultLeverage: 20,
  collateralAssets: ['USDC'],
};

const TierSchema = z.strictObject({
  lowerBoundUsd: z.number().min(0),
  maxLeverage: z.number().min(1).max(1000),
});
const Tiers = z
  .array(TierSchema)
  .min(1)
  .refine((t) => t[0]!.lowerBoundUsd === 0, 'the first tier must start at 0')
  .refine(
    (t) => t.every((x, i) => i === 0 || x.lowerBoundUsd > t[i - 1]!.lowerBoundUsd),
    'lower bounds must increase',
  );

const PartialSchema = z.strictObject({
  marginTiers: z.record(z.string().min(1), Tiers).exactOptional(),
  defaultTiers: Tiers.exactOptional(),
  leverage: z
    .record(
      z.string().min(1),
      z.strictObject({ value: z.number().min(1).max(1000), type: z.enum(['cross', 'isolated']) }),
    )
    .exactOptional(),
  defaultLeverage: z.number().min(1).max(1000).exactOptional(),
  collateralAssets: z.array(z.string().min(1)).exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 * @example parseHyperliquidParams({ leverage: { 'hyperliquid:BTC': { value: 10, type: 'cross' } } })
 */
export function parseHyperliquidParams(doc: unknown): HyperliquidParams {
  return mergeParams('hyperliquid', DEFAULT_HYPERLIQUID_PARAMS, PartialSchema, doc);
}
