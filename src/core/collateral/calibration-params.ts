/**
 * Parameters of the collateral calibration (calibrate-collateral.ts), as a strict zod schema with
 * defaults. Units: λ per bar; bars and hours as integers; fractions; USD.
 * Reasons for the defaults: docs/methodology/collateral.md#calibration.
 */
import { z } from 'zod';
import { parseWithSchema } from '../params/parse.js';
import { DEFAULT_DEPEG_FLOOR_RULE } from './depeg-scenarios.js';
import { DEFAULT_DYNAMIC_HAIRCUT_PARAMS, DynamicHaircutParamsSchema } from './dynamic-haircut-params.js';

const EwmaSchema = z.strictObject({
  /** decay λ per bar, in (0, 1) */
  lambda: z.number().gt(0).lt(1),
  /** valid returns that seed the recursion (integer ≥ 1) */
  warmup: z.int().min(1),
});

/** Strict schema of {@link CalibrationParams}. */
export const CalibrationParamsSchema = z
  .strictObject({
    /** the dynamic haircut formula's parameters */
    haircut: DynamicHaircutParamsSchema,
    /** EWMA of hourly log returns (crypto assets) */
    hourlyEwma: EwmaSchema,
    /** EWMA of daily log returns (stablecoins, Yahoo daily) */
    dailyEwma: EwmaSchema,
    /** reference holding the liquidity part is evaluated at, USD (> 0) */
    holdingUsd: z.number().positive(),
    /** ADV assumptions per asset, USD (> 0), used when the history has no volume for it */
    advUsd: z.record(z.string().min(1), z.number().positive()),
    /** bounded rate brackets, USD, strictly increasing; an unbounded tier follows */
    bracketsUsd: z.array(z.number().positive()).min(1),
    /** days of history volume averaged into ADV (integer in [1, 365]) */
    advDays: z.int().min(1).max(365),
    /** an hourly series whose last close is older than this is stale (hours, integer ≥ 1) */
    maxStaleHours: z.int().min(1),
    /** a daily series whose last close is older than this is stale (days, integer ≥ 1) */
    maxStaleDays: z.int().min(1),
    /** stablecoin floor rule (depeg-scenarios.ts) */
    depeg: z.strictObject({
      minHistoryDays: z.int().min(2),
      genericQuantile: z.number().min(0).max(1),
      mmFraction: z.number().min(0).max(1),
    }),
    /** bars between the starts of the coverage windows (integer ≥ 1) */
    coverageStrideBars: z.int().min(1),
  })
  .refine((p) => p.bracketsUsd.every((b, i) => i === 0 || b > p.bracketsUsd[i - 1]!), {
    path: ['bracketsUsd'],
    message: 'bracketsUsd must be strictly increasing',
  });

/** Calibration parameters (validated; field docs on {@link CalibrationParamsSchema}). */
export type CalibrationParams = z.output<typeof CalibrationParamsSchema>;

/**
 * Defaults (docs/methodology/collateral.md#calibration): hourly λ = 0.995 (half-life
 * ln 0.5/ln λ ≈ 138 h ≈ 5.8 days) with one week of warm-up; daily λ = 0.94 (RiskMetrics) with 30
 * days; $1M reference holding; ADV from 30 days of Binance volume, else the assumptions below;
 * the brackets of the default BTC/ETH schedule (rate-based-models.ts).
 */
export const DEFAULT_CALIBRATION_PARAMS: CalibrationParams = {
  haircut: DEFAULT_DYNAMIC_HAIRCUT_PARAMS,
  hourlyEwma: { lambda: 0.995, warmup: 168 }, // per hour; 168 h = 1 week
  dailyEwma: { lambda: 0.94, warmup: 30 }, // per day
  holdingUsd: 1_000_000, // USD
  advUsd: { USDT: 5e10, USDC: 5e9, DAI: 2e8 }, // USD per day, assumptions (no volume shipped)
  bracketsUsd: [1_000_000, 5_000_000, 20_000_000, 100_000_000], // USD
  advDays: 30, // days
  maxStaleHours: 72, // hours
  maxStaleDays: 7, // days
  depeg: DEFAULT_DEPEG_FLOOR_RULE,
  coverageStrideBars: 1,
};

/**
 * Validates a full calibration params document.
 * @param doc  untrusted parsed JSON
 * @returns    the validated params
 * @throws ValidationError ERR_VALIDATION listing every failing field
 */
export function parseCalibrationParams(doc: unknown): CalibrationParams {
  return parseWithSchema(CalibrationParamsSchema, doc, 'calibration params');
}
