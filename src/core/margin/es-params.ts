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

export interface EsModelParams extends HaircutParams {
  /** confidence level of ES/VaR, e.g. 0.99 */
  readonly alpha: number;
  readonly scenarios: HistoricalScenarioParams;
  /** replace the current (FHS) set by seeded Student-t copula scenarios calibrated on it; null = off */
  readonly monteCarlo: MonteCarloScenarioParams | null;
  /** anti-procyclicality: IM_market = max(ES, (1 − w)·ES + w·ES_stressed), EMIR APC option (b) */
  readonly stressWeight: number;
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

const d = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day);

/** Defaults and their reasons: docs/methodology/var-es.md#model. */
export const DEFAULT_ES_PARAMS: EsModelParams = {
  alpha: 0.99,
  scenarios: {
    mporHours: 24,
    strideHours: 4,
    lookbackFromMs: d(2020, 1, 1),
    proxy: 'BTC',
    fhs: { enabled: true, lambda: 0.99, warmup: 250 },
    stressPeriods: [
      { id: 'covid-2020-03', fromMs: d(2020, 3, 8), toMs: d(2020, 3, 20) },
      { id: 'deleveraging-2021-05', fromMs: d(2021, 5, 12), toMs: d(2021, 5, 25) },
      { id: 'luna-2022-05', fromMs: d(2022, 5, 5), toMs: d(2022, 5, 20) },
      { id: 'celsius-3ac-2022-06', fromMs: d(2022, 6, 10), toMs: d(2022, 6, 20) },
      { id: 'ftx-2022-11', fromMs: d(2022, 11, 6), toMs: d(2022, 11, 15) },
      { id: 'usdc-2023-03', fromMs: d(2023, 3, 9), toMs: d(2023, 3, 14) },
      { id: 'yen-carry-2024-08', fromMs: d(2024, 8, 2), toMs: d(2024, 8, 8) },
      { id: 'cascade-2025-10', fromMs: d(2025, 10, 9), toMs: d(2025, 10, 13) },
    ],
  },
  monteCarlo: null,
  stressWeight: 0.25,
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
      lookbackFromMs: z.int(),
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
  ]);
}
