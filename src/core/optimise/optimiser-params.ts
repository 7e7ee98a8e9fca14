/**
 * Parameters of the optimiser (docs/methodology/optimiser.md#parameters): execution-cost
 * defaults for candidates the market gives no depth for, fees, lot sizes, liquidity limits,
 * solver limits and the verification tolerance. Units: fractions plain (0.0005 = 5 bps), USD
 * amounts in quote currency, sizes in contracts.
 */
import { z } from 'zod';
import { mergeParams } from '../margin/merge-params.js';

export interface OptimiserParams {
  readonly linear: {
    /** half bid-ask spread of perpetuals and futures without a depth curve, fraction of the index */
    readonly halfSpread: number;
    /** square-root impact coefficient k (cost fraction k·√(q/V)) */
    readonly impact: number;
    /** taker fee, fraction of notional (Deribit taker 0.05%) */
    readonly feeRate: number;
  };
  readonly options: {
    /** half spread as a fraction of the premium */
    readonly halfSpreadOfPremium: number;
    /** floor of the half spread as a fraction of the index (a tick) */
    readonly minHalfSpreadOfIndex: number;
    /** square-root impact coefficient on the premium */
    readonly impact: number;
    /** fee per unit of underlying: min(feeOfIndex·index, feeCapOfPremium·premium) (Deribit's option fee rule) */
    readonly feeOfIndex: number;
    readonly feeCapOfPremium: number;
  };
  /** daily traded notional per underlying, USD: perpetuals and futures / options */
  readonly advUsd: Readonly<Record<string, number>>;
  readonly optionAdvUsd: Readonly<Record<string, number>>;
  readonly defaultAdvUsd: number;
  readonly defaultOptionAdvUsd: number;
  /** largest trade per candidate, fraction of its daily volume (the liquidity limit) */
  readonly maxParticipation: number;
  /** lot sizes in contracts by kind (0 = continuous sizes, an LP) */
  readonly lots: { readonly option: number; readonly perpetual: number; readonly future: number };
  /** fixed cost per trade, USD (gas on an on-chain venue; 0 on a central limit order book) */
  readonly gasUsdPerTrade: number;
  /** number of linear pieces approximating a square-root impact curve from above */
  readonly costPieces: number;
  /** solve-verify rounds: scenario rows generated as needed, cuts of a linearised part */
  readonly maxIterations: number;
  /** verified IM must equal the solver's to max(abs, rel·IM), USD */
  readonly tolerance: { readonly abs: number; readonly rel: number };
  /** solver limits */
  readonly timeLimitSeconds: number;
  readonly mipRelGap: number;
}

/** Defaults; the reasons are in docs/methodology/optimiser.md#parameters. */
export const DEFAULT_OPTIMISER_PARAMS: OptimiserParams = {
  linear: { halfSpread: 0.0002, impact: 0.1, feeRate: 0.0005 },
  options: {
    halfSpreadOfPremium: 0.02,
    minHalfSpreadOfIndex: 0.0001,
    impact: 0.5,
    feeOfIndex: 0.0003,
    feeCapOfPremium: 0.125,
  },
  advUsd: { BTC: 1.5e10, ETH: 8e9, SOL: 2e9 },
  optionAdvUsd: { BTC: 1e9, ETH: 3e8 },
  defaultAdvUsd: 1e8,
  defaultOptionAdvUsd: 2e7,
  maxParticipation: 0.01,
  lots: { option: 0, perpetual: 0, future: 0 },
  gasUsdPerTrade: 0,
  costPieces: 6,
  maxIterations: 30,
  tolerance: { abs: 0.01, rel: 1e-6 },
  timeLimitSeconds: 10,
  mipRelGap: 1e-4,
};

const fraction = z.number().min(0).max(1);
const usdTable = z.record(z.string(), z.number().positive());
const PartialSchema = z.strictObject({
  linear: z
    .strictObject({ halfSpread: fraction, impact: z.number().min(0).max(10), feeRate: fraction })
    .exactOptional(),
  options: z
    .strictObject({
      halfSpreadOfPremium: z.number().min(0).lt(1),
      minHalfSpreadOfIndex: fraction,
      impact: z.number().min(0).max(10),
      feeOfIndex: fraction,
      feeCapOfPremium: fraction,
    })
    .exactOptional(),
  advUsd: usdTable.exactOptional(),
  optionAdvUsd: usdTable.exactOptional(),
  defaultAdvUsd: z.number().positive().exactOptional(),
  defaultOptionAdvUsd: z.number().positive().exactOptional(),
  maxParticipation: z.number().gt(0).max(1).exactOptional(),
  lots: z
    .strictObject({ option: z.number().min(0), perpetual: z.number().min(0), future: z.number().min(0) })
    .exactOptional(),
  gasUsdPerTrade: z.number().min(0).exactOptional(),
  costPieces: z.int().min(1).max(50).exactOptional(),
  maxIterations: z.int().min(1).max(50).exactOptional(),
  tolerance: z.strictObject({ abs: z.number().positive(), rel: z.number().min(0).max(0.1) }).exactOptional(),
  timeLimitSeconds: z.number().positive().max(3600).exactOptional(),
  mipRelGap: z.number().min(0).max(0.5).exactOptional(),
});

/**
 * Parses a partial optimiser params document over the defaults.
 * @throws ValidationError ERR_VALIDATION naming each bad field
 */
export function parseOptimiserParams(doc: unknown): OptimiserParams {
  return mergeParams('optimiser', DEFAULT_OPTIMISER_PARAMS, PartialSchema, doc);
}
