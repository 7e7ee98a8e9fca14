/**
 * @module adapters/http/trader-contract
 *
 * The part of the API contract for the trader's view (trader-routes.ts): where an account is
 * liquidated, its greeks and P&L across spot, the verdict on proposed trades, and the position
 * builder. Request schemas are strict; response schemas mirror core/analytics and are what the
 * dashboard's types derive from (re-exported by contract.ts). Units as in contract-responses.ts:
 * `…Usd` USD floats, `…Pct` fractions, prices USD per unit, times ms UTC.
 */
import { z } from 'zod';
import { AssetSymbol, InstrumentId, SubAccountKey } from './contract-requests.js';
import { HealthStatusSchema, HealthThresholdsSchema } from './contract-responses.js';

/** Signed contracts, finite and non-zero (the notional is bounded by the plausibility rule). */
const Size = z
  .number()
  .refine((x) => Number.isFinite(x) && x !== 0, 'must be a finite non-zero number of contracts')
  .refine((x) => Math.abs(x) <= 1e12, 'must be at most 1e12 contracts in absolute value');
const Leg = z.strictObject({ instrument: InstrumentId, size: Size });
const Points = z.coerce.number().int().min(3).max(401);
const ModelName = z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be a margin model name');

/** GET …/risk */
export const RiskQuery = z.strictObject({ points: Points.default(61), key: z.string().optional() });

/** POST …/verdict: the trades to judge, as the venue would fill them (orders). */
export const VerdictRequest = z.strictObject({ trades: z.array(Leg).min(1).max(20) });

/** POST /builder: a hypothetical book, from a sub-account or from nothing. */
export const BuilderRequest = z.strictObject({
  /** start from this sub-account's balances and positions (read scope needed) */
  base: SubAccountKey.optional(),
  /** extra collateral, decimal strings of the asset (e.g. "10000.5"; negative = borrowed) */
  collateral: z
    .record(
      AssetSymbol,
      z.string().regex(/^-?\d{1,30}(\.\d{1,36})?$/, 'must be a decimal string like "10000.5"'),
    )
    .optional(),
  /** hypothetical legs, filled at the mark (options pay or receive their premium) */
  legs: z.array(Leg).max(50).default([]),
  /** the model of the liquidation prices and the P&L lines (default the base's mode, else portfolio) */
  model: ModelName.optional(),
  points: Points.default(61),
});

const Usd = z.number();
const DailyVolSchema = z.object({
  daily: z.number(),
  annual: z.number(),
  source: z.enum(['implied-atm', 'realised-30d']),
  from: z.string(),
});
const SideSchema = z.object({
  side: z.enum(['down', 'up']),
  priceUsd: z.number(),
  movePct: z.number(),
  moveDailyVols: z.number().nullable(),
  residualUsd: Usd,
});

/** Liquidation prices (core/analytics/liquidation-prices.ts). */
export const LiquidationReportSchema = z.object({
  model: z.string(),
  equityUsd: Usd,
  initialUsd: Usd,
  maintenanceUsd: Usd,
  liquidatableNow: z.boolean(),
  underlyings: z.array(
    z.object({
      underlying: z.string(),
      spotUsd: z.number(),
      dailyVol: DailyVolSchema.nullable(),
      down: SideSchema.nullable(),
      up: SideSchema.nullable(),
    }),
  ),
  joint: z
    .object({
      dailyVols: z.number(),
      moves: z.array(
        z.object({
          underlying: z.string(),
          priceUsd: z.number(),
          movePct: z.number(),
          moveDailyVols: z.number(),
        }),
      ),
      residualUsd: Usd,
    })
    .nullable(),
  volRule: z.enum(['held', 'model']),
  searchRange: z.object({ minFactor: z.number(), maxFactor: z.number() }),
});

/** Greeks per underlying, coin and USD (core/analytics/portfolio-greeks.ts). */
export const GreeksSchema = z.object({
  underlyings: z.array(
    z.object({
      underlying: z.string(),
      spotUsd: z.number(),
      deltaCoin: z.number(),
      deltaUsd: Usd,
      gamma: z.number(),
      gammaCoin: z.number(),
      gammaUsd: Usd,
      vegaUsd: Usd,
      vegaCoin: z.number(),
      thetaUsd: Usd,
      thetaCoin: z.number(),
    }),
  ),
  positions: z.array(
    z.object({
      key: z.string(),
      underlying: z.string(),
      deltaCoin: z.number(),
      gamma: z.number(),
      vegaUsd: Usd,
      thetaUsd: Usd,
    }),
  ),
  totalUsd: z.object({ delta: Usd, gamma: Usd, vega: Usd, theta: Usd }),
});

/** P&L across one underlying's spot (core/analytics/pnl-curve.ts). */
export const PnlCurveSchema = z.object({
  underlying: z.string(),
  model: z.string(),
  spotUsd: z.number(),
  expiryMs: z.number().nullable(),
  points: z.array(
    z.object({
      priceUsd: z.number(),
      pnlNowUsd: Usd,
      pnlExpiryUsd: Usd.nullable(),
      equityUsd: Usd.nullable(),
      initialUsd: Usd.nullable(),
      maintenanceUsd: Usd.nullable(),
      initialLineUsd: Usd.nullable(),
      maintenanceLineUsd: Usd.nullable(),
    }),
  ),
  liquidationPricesUsd: z.array(z.number()),
});

/** GET …/risk */
export const RiskResponse = z.object({
  key: z.string(),
  mode: z.string(),
  timeMs: z.number(),
  status: HealthStatusSchema,
  health: z.number().nullable(),
  thresholds: HealthThresholdsSchema,
  liquidation: LiquidationReportSchema,
  greeks: GreeksSchema,
  curves: z.array(PnlCurveSchema),
});

const AccountRiskViewSchema = z.object({
  equityUsd: Usd,
  initialUsd: Usd,
  maintenanceUsd: Usd,
  excessUsd: Usd,
  health: z.number().nullable(),
  status: HealthStatusSchema,
  liquidation: LiquidationReportSchema,
});

/** POST …/verdict (core/analytics/whatif-verdict.ts) */
export const VerdictResponse = z.object({
  model: z.string(),
  trades: z.array(z.object({ instrument: z.string(), size: z.number() })),
  verdict: z.enum(['accepted', 'refused']),
  riskIncreasing: z.boolean(),
  tradingCostUsd: Usd,
  rule: z.enum(['risk-reducing', 'initial-margin', 'reduce-only', 'leverage']),
  reason: z.string(),
  shortfallUsd: Usd.nullable(),
  requiredUsd: Usd.nullable(),
  before: AccountRiskViewSchema,
  after: AccountRiskViewSchema,
  delta: z.object({ initialUsd: Usd, maintenanceUsd: Usd, equityUsd: Usd, excessUsd: Usd }),
  warnings: z.array(z.string()),
  thresholds: HealthThresholdsSchema,
});

/** POST /builder */
export const BuilderResponse = z.object({
  base: z.string().nullable(),
  model: z.string(),
  timeMs: z.number(),
  positions: z.array(z.object({ instrument: z.string(), size: z.number() })),
  collateral: z.array(z.object({ asset: z.string(), amount: z.number(), valueUsd: Usd })),
  models: z.array(
    z.object({
      model: z.string(),
      initialUsd: Usd,
      maintenanceUsd: Usd,
      equityUsd: Usd,
      excessUsd: Usd,
      releasedVsIsolatedUsd: Usd.nullable(),
      releasedVsIsolatedPct: z.number().nullable(),
    }),
  ),
  errors: z.array(z.object({ model: z.string(), code: z.string(), message: z.string() })),
  liquidation: LiquidationReportSchema.nullable(),
  greeks: GreeksSchema,
  curves: z.array(PnlCurveSchema),
});

export type LiquidationReportBody = z.output<typeof LiquidationReportSchema>;
export type GreeksBody = z.output<typeof GreeksSchema>;
export type PnlCurveBody = z.output<typeof PnlCurveSchema>;
export type RiskResponseBody = z.output<typeof RiskResponse>;
export type VerdictRequestBody = z.input<typeof VerdictRequest>;
export type VerdictResponseBody = z.output<typeof VerdictResponse>;
export type BuilderRequestBody = z.input<typeof BuilderRequest>;
export type BuilderResponseBody = z.output<typeof BuilderResponse>;
