/**
 * Parameters of the `okx-pm` preset (OKX portfolio margin mode, risk units MR1–MR9), validated
 * with a strict zod schema and merged over the defaults (merge-params.ts).
 *
 * Sources of the defaults (docs/methodology/presets-venues.md#okx-pm):
 * - MR1 price moves, MR4 annualised basis move, MR6 extreme move: OKX announcement "OKX will
 *   further adjust portfolio margin parameters" (2 Jan 2025, in force from 6 Jan 2025):
 *   MR1 BTC, ETH ±0/4/8/12%; LTC, BCH, EOS, OKB, DOT, BSV, LINK, FIL, ADA, TRX, UNI, XRP
 *   ±0/6/12/18%; others ±0/8/16/25%. MR6 BTC, ETH ±24%; SOL, DOGE, PEPE, XRP, BNB, SHIB, LTC,
 *   ORDI, WLD, BCH, ADA ±36%; others ±50%. MR4 BTC, ETH 5%; the MR6 list 15%; others 30%;
 * - MR7 multipliers of the raw minimum charge (same announcement, from 15 Jan 2025): ×1 to
 *   $250k, ×2 to $500k, ×4 to $1M, ×6 to $2M, ×8 to $3M, ×10 to $4M, ×12 above;
 * - IMR = 1.3 × MMR: OKX help "Multi-currency margin mode vs. Portfolio margin mode";
 * - MR1 vol shock: 30 vol points at 0 days to expiry (OKX help "Portfolio margin mode:
 *   cross-margin trading (Risk Unit Merge)"); the later tenors (15 points at 30 days, 8 at 180,
 *   5 at 365) are an xmargin assumption standing for the venue's table;
 * - assumptions (not in the published copies read): MR6 weight 1/3, MR4 tenor floor 30 days, the
 *   raw minimum charge of 0.45% of a derivative's notional (implied by OKX's worked example of
 *   31 May 2024: MR7 = 3,020.87 USDT for −10 BTC of BTCUSDT perpetual at BTC ≈ $67,000) and
 *   0.1% of an option's underlying value; the multiplier applied progressively (by slice).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import type { CollateralTier } from '../../tiers/bracket.js';
import { CollateralTiersSchema } from '../../tiers/tier-schemas.js';
import { DEFAULT_OKX_PARAMS } from './okx-params.js';

/** The stress parameters of one risk unit (underlying). */
export interface OkxPmUnitParams {
  /** MR1 price move magnitudes, fractions (each taken up and down; 0 included) */
  readonly priceMoves: readonly number[];
  /** MR6 extreme move, fraction */
  readonly extremeMove: number;
  /** MR4 annualised basis move, fraction per year */
  readonly basisAnnualMove: number;
}

/** One point of the MR1 vol-shock term structure: shock in vol points at `days` to expiry. */
export interface OkxPmVolShockPoint {
  readonly days: number;
  readonly points: number;
}

/** One slice of the MR7 multiplier: raw minimum charge above `floorUsd` is multiplied by `multiplier`. */
export interface OkxPmMultiplierTier {
  readonly floorUsd: number;
  readonly multiplier: number;
}

/** Parameters of the `okx-pm` model. */
export interface OkxPmParams {
  /** per underlying; `defaultUnit` for the others */
  readonly units: Readonly<Record<string, OkxPmUnitParams>>;
  readonly defaultUnit: OkxPmUnitParams;
  /** MR1/MR6 vol shock in points by days to expiry (linear between points, flat outside) */
  readonly volShock: readonly OkxPmVolShockPoint[];
  /** MR6 weight on the extreme-move P&L */
  readonly extremeWeight: number;
  /** MR2 horizon of the theta decay, days */
  readonly thetaDays: number;
  /** MR4 floor on the tenor spread, days */
  readonly basisMinDays: number;
  /** MR7 raw charge: fraction of a perpetual's or future's notional */
  readonly minChargeLinearRate: number;
  /** MR7 raw charge: fraction of an option's underlying value (|units|·index) */
  readonly minChargeOptionRate: number;
  readonly minChargeMultipliers: readonly OkxPmMultiplierTier[];
  /** IMR = imrFactor × MMR */
  readonly imrFactor: number;
  /** spot-derivatives risk offset: balances of an underlying hedge its derivatives */
  readonly spotHedging: boolean;
  readonly stableAssets: readonly string[];
  readonly discountRates: Readonly<Record<string, readonly CollateralTier[]>>;
  readonly defaultDiscountRate: number;
}

const unit = (priceMoves: number[], extremeMove: number, basisAnnualMove: number): OkxPmUnitParams => ({
  priceMoves,
  extremeMove,
  basisAnnualMove,
});
const MAJOR = [0, 0.04, 0.08, 0.12];
const MID = [0, 0.06, 0.12, 0.18];
const OTHER = [0, 0.08, 0.16, 0.25];
const units: Record<string, OkxPmUnitParams> = {
  BTC: unit(MAJOR, 0.24, 0.05),
  ETH: unit(MAJOR, 0.24, 0.05),
};
// In both published lists (MR1 mid-caps and MR6/MR4 majors-after-BTC/ETH).
for (const c of ['LTC', 'BCH', 'XRP', 'ADA']) units[c] = unit(MID, 0.36, 0.15);
// MR1 mid-caps only.
for (const c of ['EOS', 'OKB', 'DOT', 'BSV', 'LINK', 'FIL', 'TRX', 'UNI']) units[c] = unit(MID, 0.5, 0.3);
// MR6/MR4 list only.
for (const c of ['SOL', 'DOGE', 'PEPE', 'BNB', 'SHIB', 'ORDI', 'WLD']) units[c] = unit(OTHER, 0.36, 0.15);

/** Defaults (module header for sources). */
export const DEFAULT_OKX_PM_PARAMS: OkxPmParams = {
  units,
  defaultUnit: unit(OTHER, 0.5, 0.3),
  volShock: [
    { days: 0, points: 0.3 },
    { days: 30, points: 0.15 },
    { days: 180, points: 0.08 },
    { days: 365, points: 0.05 },
  ],
  extremeWeight: 1 / 3,
  thetaDays: 1,
  basisMinDays: 30,
  minChargeLinearRate: 0.0045,
  minChargeOptionRate: 0.001,
  minChargeMultipliers: [
    { floorUsd: 0, multiplier: 1 },
    { floorUsd: 250_000, multiplier: 2 },
    { floorUsd: 500_000, multiplier: 4 },
    { floorUsd: 1_000_000, multiplier: 6 },
    { floorUsd: 2_000_000, multiplier: 8 },
    { floorUsd: 3_000_000, multiplier: 10 },
    { floorUsd: 4_000_000, multiplier: 12 },
  ],
  imrFactor: 1.3,
  spotHedging: true,
  stableAssets: ['USD', 'USDT', 'USDC', 'DAI'],
  discountRates: DEFAULT_OKX_PARAMS.discountRates,
  defaultDiscountRate: DEFAULT_OKX_PARAMS.defaultDiscountRate,
};

const fraction = z.number().min(0).max(1);
const Unit = z.strictObject({
  priceMoves: z.array(fraction).min(1),
  extremeMove: fraction,
  basisAnnualMove: z.number().min(0).max(10),
});
const ascending = <T>(key: (t: T) => number, msg: string) =>
  [(t: readonly T[]) => t.every((x, i) => i === 0 || key(x) > key(t[i - 1]!)), msg] as const;

const PartialSchema = z.strictObject({
  units: z.record(z.string().min(1), Unit).exactOptional(),
  defaultUnit: Unit.exactOptional(),
  volShock: z
    .array(z.strictObject({ days: z.number().min(0), points: z.number().min(0).max(5) }))
    .min(1)
    .refine(...ascending((p: OkxPmVolShockPoint) => p.days, 'days must increase'))
    .exactOptional(),
  extremeWeight: z.number().gt(0).max(1).exactOptional(),
  thetaDays: z.number().min(0).max(30).exactOptional(),
  basisMinDays: z.number().min(0).max(3650).exactOptional(),
  minChargeLinearRate: fraction.exactOptional(),
  minChargeOptionRate: fraction.exactOptional(),
  minChargeMultipliers: z
    .array(z.strictObject({ floorUsd: z.number().min(0), multiplier: z.number().min(0) }))
    .min(1)
    .refine((t) => t[0]!.floorUsd === 0, 'the first tier must start at floorUsd 0')
    .refine(...ascending((t: OkxPmMultiplierTier) => t.floorUsd, 'floorUsd must increase'))
    .exactOptional(),
  imrFactor: z.number().min(1).max(10).exactOptional(),
  spotHedging: z.boolean().exactOptional(),
  stableAssets: z.array(z.string().min(1)).exactOptional(),
  discountRates: z.record(z.string().min(1), CollateralTiersSchema).exactOptional(),
  defaultDiscountRate: fraction.exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseOkxPmParams(doc: unknown): OkxPmParams {
  return mergeParams('okx-pm', DEFAULT_OKX_PM_PARAMS, PartialSchema, doc);
}
