/**
 * Parameters of the `okx-unified` preset (OKX unified account, multi-currency margin, cross),
 * validated with a strict zod schema and merged over the defaults (merge-params.ts).
 *
 * Sources of the defaults:
 * - position tiers: OKX `GET /api/v5/public/position-tiers` (instType SWAP, instFamily BTC-USDT)
 *   tier 1 up to 10,000 contracts of 0.01 BTC (100 BTC): MMR 0.4%, IMR 0.8% (125x); further
 *   tiers are the venue's (an importer passes them from the position-tiers payload); other
 *   underlyings: one tier at MMR 1%, IMR 2% (an xmargin assumption);
 * - discount rates (`GET /api/v5/public/discount-rate-interest-free-quota`): stablecoins 100%;
 *   BTC and ETH 100% to $5M then 97.5% (an assumption standing for the venue's table);
 *   an unlisted currency 0 (it does not count as margin);
 * - default leverage 10x.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import type { CollateralTier } from '../../tiers/bracket.js';
import { CollateralTiersSchema } from '../../tiers/tier-schemas.js';

/** One position tier: positions up to `maxUnits` of the underlying (null: no cap). */
export interface OkxTier {
  readonly maxUnits: number | null;
  /** maintenance margin rate, fraction */
  readonly mmr: number;
  /** initial margin rate at the tier's max leverage, fraction */
  readonly imr: number;
}

/** Parameters of the `okx-unified` model. */
export interface OkxParams {
  /** position tiers by instrument id or underlying, `maxUnits` ascending */
  readonly tiers: Readonly<Record<string, readonly OkxTier[]>>;
  readonly defaultTiers: readonly OkxTier[];
  readonly leverage: Readonly<Record<string, number>>;
  readonly defaultLeverage: number;
  /** progressive discount rates per currency */
  readonly discountRates: Readonly<Record<string, readonly CollateralTier[]>>;
  readonly defaultDiscountRate: number;
}

const stable: CollateralTier[] = [{ floorUsd: 0, rate: 1 }];
const major: CollateralTier[] = [
  { floorUsd: 0, rate: 1 },
  { floorUsd: 5_000_000, rate: 0.975 },
];

/** Defaults (module header for sources). */
export const DEFAULT_OKX_PARAMS: OkxParams = {
  tiers: { BTC: [{ maxUnits: 100, mmr: 0.004, imr: 0.008 }] },
  defaultTiers: [{ maxUnits: null, mmr: 0.01, imr: 0.02 }],
  leverage: {},
  defaultLeverage: 10,
  discountRates: { USDT: stable, USDC: stable, USD: stable, BTC: major, ETH: major },
  defaultDiscountRate: 0,
};

const fraction = z.number().min(0).max(1);
const Tiers = z
  .array(z.strictObject({ maxUnits: z.number().gt(0).nullable(), mmr: fraction, imr: fraction }))
  .min(1)
  .refine(
    (t) =>
      t.every(
        (x, i) =>
          i === 0 ||
          (t[i - 1]!.maxUnits !== null && (x.maxUnits === null || x.maxUnits > t[i - 1]!.maxUnits!)),
      ),
    'maxUnits must increase (only the last may be null)',
  );

const PartialSchema = z.strictObject({
  tiers: z.record(z.string().min(1), Tiers).exactOptional(),
  defaultTiers: Tiers.exactOptional(),
  leverage: z.record(z.string().min(1), z.number().min(1).max(200)).exactOptional(),
  defaultLeverage: z.number().min(1).max(200).exactOptional(),
  discountRates: z.record(z.string().min(1), CollateralTiersSchema).exactOptional(),
  defaultDiscountRate: fraction.exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseOkxParams(doc: unknown): OkxParams {
  return mergeParams('okx-unified', DEFAULT_OKX_PARAMS, PartialSchema, doc);
}
