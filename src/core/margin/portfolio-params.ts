/**
 * Parameters of xmargin's `portfolio` model (docs/methodology/margin.md#portfolio), validated
 * with a strict schema; each cross-field rule is its own ERR_INVALID_PARAMS naming the field.
 * Units: moves and rates are fractions; correlations in [−1, 1].
 */
import { z } from 'zod';
import { mergeParams } from './merge-params.js';
import {
  checkHaircuts,
  HaircutSchema,
  LiabilityWeightSchema,
  type HaircutParams,
} from './collateral-haircuts.js';
import { DEFAULT_RATE_MODEL_PARAMS } from './rate-based-models.js';
import type { SkewParams } from '../scenarios/grid.js';
import type { VolShockParams } from '../scenarios/vol-shock.js';

export interface PortfolioModelParams extends HaircutParams {
  readonly grid: {
    /** largest core spot move, fraction (0.15 = ±15%) */
    readonly maxMove: number;
    /** number of evenly spaced core moves from −maxMove to +maxMove (odd: includes 0) */
    readonly buckets: number;
    /** extended moves (vol up only), dampened by extendedWeight/|move| */
    readonly extendedMoves: readonly number[];
    readonly extendedWeight: number;
    /** skew rotations; null disables them */
    readonly skew: SkewParams | null;
  };
  /** per-underlying override of grid.maxMove (more volatile assets move more) */
  readonly maxMoveByUnderlying: Readonly<Record<string, number>>;
  readonly volShock: VolShockParams;
  /** assets valued by haircut only (no scenario grid): stablecoins and the quote currency */
  readonly stableAssets: readonly string[];
  readonly contingencies: {
    /** per short option contract, fraction of the index price */
    readonly shortOptionRate: number;
    /** per perpetual/future, fraction of its notional */
    readonly linearRate: number;
    /** oracle confidence below which the confidence add-on applies */
    readonly confidenceThreshold: number;
    /** add-on = (1 − confidence)·factor·gross notional of the underlying */
    readonly confidenceFactor: number;
  };
  /**
   * correlation of underlyings' returns: `pairs` keyed "A/B", `default` for unlisted pairs;
   * `source: 'history'` estimates the pairs from the joint history in the margin context (sample
   * correlation of 24h windows, risk/history-correlation.ts) and falls back to `pairs` without it
   */
  readonly correlations: {
    readonly default: number;
    readonly pairs: Readonly<Record<string, number>>;
    readonly source: 'params' | 'history';
  };
  /** the diversified scenario requirement is at least this fraction of the sum of worst losses */
  readonly minDiversifiedFraction: number;
  /** weight of the named joint stresses' loss (0 disables them) */
  readonly stressWeight: number;
  /** multiplier on the scenario part for IM */
  readonly imFactor: number;
  /** MM = mmFraction·IM */
  readonly mmFraction: number;
}

/** Defaults, with the reasons in docs/methodology/margin.md#portfolio. */
export const DEFAULT_PORTFOLIO_PARAMS: PortfolioModelParams = {
  grid: {
    maxMove: 0.15,
    buckets: 11,
    extendedMoves: [-0.5, -0.33, 0.5, 1, 2],
    extendedWeight: 0.1386,
    skew: { cap: 0.15, kScale: 2.4, kMin: 0.01 },
  },
  maxMoveByUnderlying: { SOL: 0.25 },
  volShock: {
    up: 0.5,
    down: 0.3,
    pivotDays: 30,
    shortPower: 0.3,
    longPower: 0.13,
    minDays: 1,
    minShockedVol: 0.4,
  },
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI'],
  contingencies: {
    shortOptionRate: 0.003,
    linearRate: 0.005,
    confidenceThreshold: 0.55,
    confidenceFactor: 1,
  },
  correlations: {
    default: 0.5,
    pairs: { 'BTC/ETH': 0.8, 'BTC/SOL': 0.7, 'ETH/SOL': 0.75 },
    source: 'params',
  },
  minDiversifiedFraction: 0.3,
  stressWeight: 0.3,
  imFactor: 1,
  mmFraction: 0.75,
  haircuts: DEFAULT_RATE_MODEL_PARAMS.haircuts,
  defaultHaircut: DEFAULT_RATE_MODEL_PARAMS.defaultHaircut,
  liabilityWeight: DEFAULT_RATE_MODEL_PARAMS.liabilityWeight,
};

const fraction = z.number().min(0).max(1);
const PartialSchema = z.strictObject({
  grid: z
    .strictObject({
      maxMove: z.number().positive().max(0.99),
      buckets: z.int().min(3).max(101),
      extendedMoves: z.array(z.number().gt(-1)),
      extendedWeight: z.number().positive(),
      skew: z
        .strictObject({ cap: fraction, kScale: z.number().positive(), kMin: z.number().positive() })
        .nullable(),
    })
    .exactOptional(),
  maxMoveByUnderlying: z.record(z.string(), z.number().positive().max(0.99)).exactOptional(),
  volShock: z
    .strictObject({
      up: z.number().min(0).max(10),
      down: fraction,
      pivotDays: z.number().positive(),
      shortPower: z.number().min(0),
      longPower: z.number().min(0),
      minDays: z.number().positive(),
      minShockedVol: z.number().min(0),
    })
    .exactOptional(),
  stableAssets: z.array(z.string()).exactOptional(),
  contingencies: z
    .strictObject({
      shortOptionRate: fraction,
      linearRate: fraction,
      confidenceThreshold: fraction,
      confidenceFactor: z.number().min(0).max(10),
    })
    .exactOptional(),
  correlations: z
    .strictObject({
      default: z.number().min(-1).max(1),
      pairs: z.record(z.string(), z.number().min(-1).max(1)),
      source: z.enum(['params', 'history']).default('params'),
    })
    .exactOptional(),
  minDiversifiedFraction: fraction.exactOptional(),
  stressWeight: fraction.exactOptional(),
  imFactor: z.number().min(0.5).max(10).exactOptional(),
  mmFraction: fraction.exactOptional(),
  haircuts: z.record(z.string(), HaircutSchema).exactOptional(),
  defaultHaircut: HaircutSchema.exactOptional(),
  liabilityWeight: LiabilityWeightSchema.exactOptional(),
});

/** Parses a partial params document over the defaults (rules in the module header). */
export function parsePortfolioParams(doc: unknown): PortfolioModelParams {
  return mergeParams('portfolio', DEFAULT_PORTFOLIO_PARAMS, PartialSchema, doc, [
    (p) => checkHaircuts(p)[0],
    (p) =>
      p.grid.buckets % 2 === 1
        ? undefined
        : ['grid.buckets', `must be odd so that the grid includes 0; got ${p.grid.buckets}`],
    (p) => {
      const bad = Object.keys(p.correlations.pairs).find((k) => !/^[^/]+\/[^/]+$/.test(k));
      return bad === undefined ? undefined : [`correlations.pairs.${bad}`, 'must be keyed "A/B"'];
    },
  ]);
}

/** Correlation of two underlyings' returns (1 on the diagonal), from `pairs` or the default. */
export function correlationOf(
  p: PortfolioModelParams,
  a: string,
  b: string,
  pairs: Readonly<Record<string, number>> = p.correlations.pairs,
): number {
  if (a === b) return 1;
  return pairs[`${a}/${b}`] ?? pairs[`${b}/${a}`] ?? p.correlations.default;
}
