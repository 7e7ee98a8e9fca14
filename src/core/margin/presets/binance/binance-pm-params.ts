/**
 * Parameters of the `binance-pm` preset, validated with a strict zod schema and merged over the
 * defaults (merge-params.ts).
 *
 * Sources of the defaults:
 * - USDⓈ-M leverage brackets of BTCUSDT (first four, Binance `GET /fapi/v1/leverageBracket` as
 *   shown on the futures leverage-and-margin page): 0–50k 0.40%, 50k–600k 0.50%, 600k–3M 0.65%,
 *   3M–12M 1.00%; `cum` derived by continuity (tiers/bracket.ts); an importer passes the
 *   venue's own brackets from the leverageBracket payload;
 * - other symbols: one bracket at 1% (an xmargin assumption);
 * - tiered collateral rates (from 11 September 2024, Binance "Cross Margin collateral haircuts"
 *   FAQ): BTC 100% to $100M, 97.5% to $120M, 95% to $150M, 90% to $180M, 85% to $200M (ETH taken
 *   the same: an assumption); stablecoins 100%; an unlisted asset 10% (the FAQ's default);
 * - margin-loan maintenance rate 5% of the borrowed value (an assumption: Binance sets it by the
 *   cross-margin leverage);
 * - default leverage 20x.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import { continuousDeductions, type Bracket, type CollateralTier } from '../../tiers/bracket.js';
import { BracketsSchema, CollateralTiersSchema } from '../../tiers/tier-schemas.js';

/** Parameters of the `binance-pm` model. */
export interface BinancePmParams {
  /** maintenance brackets by instrument id or underlying (floor, rate, `cum`) */
  readonly brackets: Readonly<Record<string, readonly Bracket[]>>;
  readonly defaultBrackets: readonly Bracket[];
  /** user leverage per instrument id, ratio ≥ 1 */
  readonly leverage: Readonly<Record<string, number>>;
  readonly defaultLeverage: number;
  /** progressive collateral rates per asset */
  readonly collateralRates: Readonly<Record<string, readonly CollateralTier[]>>;
  /** rate of an asset not listed */
  readonly defaultCollateralRate: number;
  /** maintenance of a margin loan, fraction of the borrowed value */
  readonly marginLoanMmr: number;
}

const btcFloors = [
  { floorUsd: 0, rate: 0.004 },
  { floorUsd: 50_000, rate: 0.005 },
  { floorUsd: 600_000, rate: 0.0065 },
  { floorUsd: 3_000_000, rate: 0.01 },
];
const cum = continuousDeductions(btcFloors);
const bigCoin: CollateralTier[] = [
  { floorUsd: 0, rate: 1 },
  { floorUsd: 100_000_000, rate: 0.975 },
  { floorUsd: 120_000_000, rate: 0.95 },
  { floorUsd: 150_000_000, rate: 0.9 },
  { floorUsd: 180_000_000, rate: 0.85 },
];
const full: CollateralTier[] = [{ floorUsd: 0, rate: 1 }];

/** Defaults (module header for sources). */
export const DEFAULT_BINANCE_PM_PARAMS: BinancePmParams = {
  brackets: { BTC: btcFloors.map((b, i) => ({ ...b, deductionUsd: cum[i]! })) },
  defaultBrackets: [{ floorUsd: 0, rate: 0.01, deductionUsd: 0 }],
  leverage: {},
  defaultLeverage: 20,
  collateralRates: { BTC: bigCoin, ETH: bigCoin, USDT: full, USDC: full, FDUSD: full, BNB: full },
  defaultCollateralRate: 0.1,
  marginLoanMmr: 0.05,
};

const fraction = z.number().min(0).max(1);
const PartialSchema = z.strictObject({
  brackets: z.record(z.string().min(1), BracketsSchema).exactOptional(),
  defaultBrackets: BracketsSchema.exactOptional(),
  leverage: z.record(z.string().min(1), z.number().min(1).max(200)).exactOptional(),
  defaultLeverage: z.number().min(1).max(200).exactOptional(),
  collateralRates: z.record(z.string().min(1), CollateralTiersSchema).exactOptional(),
  defaultCollateralRate: fraction.exactOptional(),
  marginLoanMmr: fraction.exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseBinancePmParams(doc: unknown): BinancePmParams {
  return mergeParams('binance-pm', DEFAULT_BINANCE_PM_PARAMS, PartialSchema, doc);
}
