/**
 * Parameters of the `bybit-unified` preset (Bybit Unified Trading Account, regular margin,
 * cross), validated with a strict zod schema and merged over the defaults (merge-params.ts).
 *
 * Sources of the defaults:
 * - risk limits of BTCUSDT (Bybit `GET /v5/market/risk-limit`, first tiers): up to $2M MMR 0.5%,
 *   IMR 1% (100x), deduction 0; up to $2.6M... are the venue's (an importer passes the payload's
 *   tiers); other symbols one tier at MMR 1%, IMR 2% (an xmargin assumption);
 * - taker fee 0.055% (Bybit's base derivatives taker fee), used for the fee to close;
 * - collateral value ratios: stablecoins 100%, BTC and ETH 100% to $5M then 97.5% (assumptions
 *   standing for Bybit's tiered collateral table).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import type { CollateralTier } from '../../tiers/bracket.js';
import { CollateralTiersSchema } from '../../tiers/tier-schemas.js';

/** One risk-limit tier: positions up to `riskLimitValueUsd` of value. */
export interface BybitRiskLimit {
  readonly riskLimitValueUsd: number;
  /** maintenance rate, fraction */
  readonly maintenanceMargin: number;
  /** maintenance deduction, USD */
  readonly mmDeductionUsd: number;
  /** initial rate at the tier's max leverage, fraction */
  readonly initialMargin: number;
}

/** Parameters of the `bybit-unified` model. */
export interface BybitParams {
  readonly riskLimits: Readonly<Record<string, readonly BybitRiskLimit[]>>;
  readonly defaultRiskLimits: readonly BybitRiskLimit[];
  readonly leverage: Readonly<Record<string, number>>;
  readonly defaultLeverage: number;
  /** taker fee rate used for the estimated fee to close, fraction */
  readonly takerFee: number;
  readonly collateralValueRatios: Readonly<Record<string, readonly CollateralTier[]>>;
  readonly defaultCollateralValueRatio: number;
}

const stable: CollateralTier[] = [{ floorUsd: 0, rate: 1 }];
const major: CollateralTier[] = [
  { floorUsd: 0, rate: 1 },
  { floorUsd: 5_000_000, rate: 0.975 },
];

/** Defaults (module header for sources). */
export const DEFAULT_BYBIT_PARAMS: BybitParams = {
  riskLimits: {
    BTC: [{ riskLimitValueUsd: 2_000_000, maintenanceMargin: 0.005, mmDeductionUsd: 0, initialMargin: 0.01 }],
  },
  defaultRiskLimits: [
    { riskLimitValueUsd: 1e15, maintenanceMargin: 0.01, mmDeductionUsd: 0, initialMargin: 0.02 },
  ],
  leverage: {},
  defaultLeverage: 10,
  takerFee: 0.00055,
  collateralValueRatios: { USDT: stable, USDC: stable, BTC: major, ETH: major },
  defaultCollateralValueRatio: 0,
};

const fraction = z.number().min(0).max(1);
const Limits = z
  .array(
    z.strictObject({
      riskLimitValueUsd: z.number().gt(0),
      maintenanceMargin: fraction,
      mmDeductionUsd: z.number().min(0),
      initialMargin: fraction,
    }),
  )
  .min(1)
  .refine(
    (t) => t.every((x, i) => i === 0 || x.riskLimitValueUsd > t[i - 1]!.riskLimitValueUsd),
    'riskLimitValueUsd must increase',
  );

const PartialSchema = z.strictObject({
  riskLimits: z.record(z.string().min(1), Limits).exactOptional(),
  defaultRiskLimits: Limits.exactOptional(),
  leverage: z.record(z.string().min(1), z.number().min(1).max(200)).exactOptional(),
  defaultLeverage: z.number().min(1).max(200).exactOptional(),
  takerFee: z.number().min(0).max(0.01).exactOptional(),
  collateralValueRatios: z.record(z.string().min(1), CollateralTiersSchema).exactOptional(),
  defaultCollateralValueRatio: fraction.exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseBybitParams(doc: unknown): BybitParams {
  return mergeParams('bybit-unified', DEFAULT_BYBIT_PARAMS, PartialSchema, doc);
}
