/**
 * Parameters of the statistical models `es` and `var` (docs/methodology/var-es.md#model).
 * Units: α a probability; hours; λ per strided window; rates fractions; USD amounts.
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
import type { HistoricalScenarioParams } from '../scenarios/historical-scenarios.js';
import type { MonteCarloScenarioParams } from '../scenarios/monte-carlo-scenarios.js';
import type { MoveGridParams } from '../scenarios/move-grid.js';
import { STRESS_LIBRARY } from '../scenarios/stress-library.js';

export interface EsModelParams extends HaircutParams {
  /** confidence level of ES/VaR, e.g. 0.99 */
  readonly alpha: number;
  readonly scenarios: HistoricalScenarioParams;
  /** replace the current (FHS) set by seeded Student-t copula scenarios calibrated on it; null = off */
  readonly monteCarlo: MonteCarloScenarioParams | null;
  /**
   * stressed floor: IM_market = max(ES, (1 − w)·ES + w·ES_stressed); w = 1 is the floor
   * max(ES, ES_stressed) (Eurex Prisma's stressed-period floor), w = 0.25 EMIR APC option (b)
   */
  readonly stressWeight: number;
  /**
   * the move between two margin checks: MM must cover the worst loss on the joint move grid,
   * so IM_market ≥ gridLoss / mmFraction; null = off
   */
  readonly moveFloor: MoveGridParams | null;
  /**
   * anti-procyclicality for stateful callers (backtest, replays, a venue): IM may fall by at
   * most this fraction per day, IM' = max(IM, (1 − f)^(Δt/1 day)·IM_prev); null = no limit
   */
  readonly maxFallPerDay: number | null;
  readonly liquidity: {
    /** half bid-ask spread paid on unwinding, fraction of notional */
    readonly halfSpread: number;
    /** square-root impact: cost fraction = impact·√(notional/ADV) */
    readonly impact: number;
    /** average daily volume per asset, USD (assumptions until calibrated from history) */
    readonly advUsd: Readonly<Record<string, number>>;
    readonly defaultAdvUsd: number;
    /** fixed cost per transaction to unwind (gas, fees), USD */
    readonly gasUsdPerTransaction: number;
  };
  readonly concentration: {
    /** net exposure above this fraction of ADV is concentrated */
    readonly thresholdOfAdv: number;
    /** add-on per USD of exposure above the threshold */
    readonly rate: number;
  };
  /** assets valued by haircut only (not in scenarios) */
  readonly stableAssets: readonly string[];
  readonly mmFraction: number;
}

/** Defaults and their reasons: docs/methodology/var-es.md#model. */
export const DEFAULT_ES_PARAMS: EsModelParams = {
  alpha: 0.99,
  scenarios: {
    mporHours: 24,
    strideHours: 4,
    lookbackDays: 730,
    proxy: 'BTC',
    fhs: { enabled: true, lambda: 0.99, warmup: 250 },
    stressPeriods: STRESS_LIBRARY.map(({ id, fromMs, toMs }) => ({ id, fromMs, toMs })),
  },
  monteCarlo: null,
  stressWeight: 1,
  moveFloor: {
    moves: { BTC: 0.2, ETH: 0.25 },
    reference: 'BTC',
    minMove: 0.25,
    maxMove: 0.75,
    points: 9,
    volUp: 0.5,
    volDown: 0.3,
  },
  maxFallPerDay: 0.1,
  liquidity: {
    halfSpread: 0.0002,
    impact: 0.1,
    advUsd: { BTC: 1.5e10, ETH: 8e9, SOL: 2e9 },
    defaultAdvUsd: 1e8,
    gasUsdPerTransaction: 1,
  },
  concentration: { thresholdOfAdv: 0.01, rate: 0.1 },
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI'],
  mmFraction: 0.8,
  haircuts: DEFAULT_RATE_MODEL_PARAMS.haircuts,
  defaultHaircut: DEFAULT_RATE_MODEL_PARAMS.defaultHaircut,
  liabilityWeight: DEFAULT_RATE_MODEL_PARAMS.liabilityWeight,
};

const fraction = z.number().min(0).max(1);
const PartialSchema = z.strictObject({
  alpha: z.number().min(0.5).max(0.9999).exactOptional(),
  scenarios: z
    .strictObject({
      mporHours: z
        .int()
        .min(1)
        .max(24 * 30),
      strideHours: z
        .int()
        .min(1)
        .max(24 * 7),
      lookbackDays: z.int().min(30).max(36_500),
      proxy: z.string().min(1),
      fhs: z.strictObject({ enabled: z.boolean(), lambda: z.number().gt(0).lt(1), warmup: z.int().min(1) }),
      stressPeriods: z.array(z.strictObject({ id: z.string().min(1), fromMs: z.int(), toMs: z.int() })),
    })
    .exactOptional(),
  monteCarlo: z
    .strictObject({
      nScenarios: z.int().min(100).max(1_000_000),
      dof: z.number().gt(2),
      seed: z.int().min(0),
    })
    .nullable()
    .exactOptional(),
  stressWeight: fraction.exactOptional(),
  moveFloor: z
    .strictObject({
      moves: z.record(z.string(), z.number().gt(0).lt(1)),
      reference: z.string().min(1),
      minMove: z.number().gt(0).lt(1),
      maxMove: z.number().gt(0).lt(1),
      points: z.int().min(3).max(101),
      volUp: z.number().min(0).max(10),
      volDown: z.number().min(0).lt(1),
    })
    .nullable()
    .exactOptional(),
  maxFallPerDay: fraction.nullable().exactOptional(),
  liquidity: z
    .strictObject({
      halfSpread: fraction,
      impact: z.number().min(0).max(10),
      advUsd: z.record(z.string(), z.number().positive()),
      defaultAdvUsd: z.number().positive(),
      gasUsdPerTransaction: z.number().min(0),
    })
    .exactOptional(),
  concentration: z.strictObject({ thresholdOfAdv: fraction, rate: fraction }).exactOptional(),
  stableAssets: z.array(z.string()).exactOptional(),
  mmFraction: fraction.exactOptional(),
  haircuts: z.record(z.string(), HaircutSchema).exactOptional(),
  defaultHaircut: HaircutSchema.exactOptional(),
  liabilityWeight: LiabilityWeightSchema.exactOptional(),
});

/** Parses a partial params document over the defaults. */
export function parseEsParams(model: string, doc: unknown): EsModelParams {
  return mergeParams(model, DEFAULT_ES_PARAMS, PartialSchema, doc, [
    (p) => checkHaircuts(p)[0],
    (p) => {
      const bad = p.scenarios.stressPeriods.findIndex((s) => !(s.toMs > s.fromMs));
      return bad < 0 ? undefined : [`scenarios.stressPeriods[${bad}].toMs`, 'must be after fromMs'];
    },
    (p) => {
      const g = p.moveFloor;
      if (g === null) return undefined;
      if (g.points % 2 !== 1)
        return ['moveFloor.points', `must be odd (the grid includes 0); got ${g.points}`];
      if (g.minMove > g.maxMove)
        return ['moveFloor.minMove', `must be <= maxMove (${g.maxMove}); got ${g.minMove}`];
      return g.moves[g.reference] === undefined
        ? [
            'moveFloor.reference',
            `must be one of moveFloor.moves (${Object.keys(g.moves).join(', ')}); got ${g.reference}`,
          ]
        : undefined;
    },
  ]);
}
