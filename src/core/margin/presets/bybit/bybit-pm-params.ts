/**
 * Parameters of the `bybit-pm` preset (Bybit Unified Trading Account, portfolio margin mode),
 * validated with a strict zod schema and merged over the defaults (merge-params.ts).
 *
 * Sources of the defaults (docs/methodology/presets-venues.md#bybit-pm):
 * - price range of the BTC and ETH risk units ±10% (Bybit Learn "Bybit Portfolio Margin Model:
 *   Risk Parameter Adjustment in 2025": narrowed from ±15% on 10 Jan 2025);
 * - vega spread factor 0.03% per day for BTC and ETH (Bybit help "Margin Calculations under
 *   Portfolio Margin", as summarised in the copy read);
 * - MM = max loss + contingency, IM = MM × IM factor (same help page);
 * - assumptions standing for Bybit's margin-parameter page (not in the copies read): other coins'
 *   price range ±15%, 7 evenly spaced price points, vol shock ±30% relative, IM factor 1.2,
 *   perpetual/futures risk factor 0.5%, net short option factor 1%, the vega spread factor of
 *   other coins taken as BTC's; the delta spread factor taken as OKX's published annualised basis
 *   move (5% a year BTC and ETH, 30% others): the summary's "45–60%" read as a yearly rate would
 *   charge a hedged calendar more than the naked position, so it is not used;
 * - collateral value ratios: the `bybit-unified` defaults.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import type { CollateralTier } from '../../tiers/bracket.js';
import { CollateralTiersSchema } from '../../tiers/tier-schemas.js';
import { DEFAULT_BYBIT_PARAMS } from './bybit-params.js';

/** The stress and contingency parameters of one base coin's risk unit. */
export interface BybitPmCoinParams {
  /** largest price move of the grid, fraction (±) */
  readonly priceRange: number;
  /** relative vol shock up and down: σ·(1 + up), σ·(1 − down) */
  readonly volShockUp: number;
  readonly volShockDown: number;
  /** IM = imFactor × MM */
  readonly imFactor: number;
  /** perpetual/futures contingency: Σ|qty|·index·rate */
  readonly perpFuturesRate: number;
  /** short option contingency: max(0, −Σ option qty)·index·rate */
  readonly shortOptionRate: number;
  /** vega spread: days between expiries × hedged option qty × index × rate */
  readonly vegaSpreadRatePerDay: number;
  /** delta spread: years between tenors × hedged linear qty × index × rate */
  readonly deltaSpreadAnnualRate: number;
}

/** Parameters of the `bybit-pm` model. */
export interface BybitPmParams {
  readonly coins: Readonly<Record<string, BybitPmCoinParams>>;
  readonly defaultCoin: BybitPmCoinParams;
  /** price points from −range to +range (odd, so 0 is one of them) */
  readonly pricePoints: number;
  /** Spot Hedging enabled: balances of a coin hedge its derivatives */
  readonly spotHedging: boolean;
  readonly stableAssets: readonly string[];
  readonly collateralValueRatios: Readonly<Record<string, readonly CollateralTier[]>>;
  readonly defaultCollateralValueRatio: number;
}

const coin = (priceRange: number, deltaSpreadAnnualRate: number): BybitPmCoinParams => ({
  priceRange,
  volShockUp: 0.3,
  volShockDown: 0.3,
  imFactor: 1.2,
  perpFuturesRate: 0.005,
  shortOptionRate: 0.01,
  vegaSpreadRatePerDay: 0.0003,
  deltaSpreadAnnualRate,
});

/** Defaults (module header for sources). */
export const DEFAULT_BYBIT_PM_PARAMS: BybitPmParams = {
  coins: { BTC: coin(0.1, 0.05), ETH: coin(0.1, 0.05) },
  defaultCoin: coin(0.15, 0.3),
  pricePoints: 7,
  spotHedging: false,
  stableAssets: ['USD', 'USDT', 'USDC', 'DAI'],
  collateralValueRatios: DEFAULT_BYBIT_PARAMS.collateralValueRatios,
  defaultCollateralValueRatio: DEFAULT_BYBIT_PARAMS.defaultCollateralValueRatio,
};

const fraction = z.number().min(0).max(1);
const Coin = z.strictObject({
  priceRange: z.number().gt(0).max(1),
  volShockUp: z.number().min(0).max(10),
  volShockDown: fraction,
  imFactor: z.number().min(1).max(10),
  perpFuturesRate: fraction,
  shortOptionRate: fraction,
  vegaSpreadRatePerDay: fraction,
  deltaSpreadAnnualRate: z.number().min(0).max(10),
});

const PartialSchema = z.strictObject({
  coins: z.record(z.string().min(1), Coin).exactOptional(),
  defaultCoin: Coin.exactOptional(),
  pricePoints: z
    .number()
    .int()
    .min(3)
    .max(101)
    .refine((n) => n % 2 === 1, 'must be odd (0 is a price point)')
    .exactOptional(),
  spotHedging: z.boolean().exactOptional(),
  stableAssets: z.array(z.string().min(1)).exactOptional(),
  collateralValueRatios: z.record(z.string().min(1), CollateralTiersSchema).exactOptional(),
  defaultCollateralValueRatio: fraction.exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseBybitPmParams(doc: unknown): BybitPmParams {
  return mergeParams('bybit-pm', DEFAULT_BYBIT_PM_PARAMS, PartialSchema, doc);
}
