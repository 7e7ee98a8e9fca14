/**
 * Parameters of the `deribit-pm` preset (Deribit cross portfolio margin, ANCHORS §2.1, §2.16),
 * validated with a strict zod schema and merged over the defaults (merge-params.ts). Each
 * cross-field rule is its own ERR_INVALID_PARAMS naming the field.
 *
 * Sources of the defaults:
 * - ±16% in 9 buckets, extended moves −66…+500% vol-up only:
 *   https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin;
 * - vol shock (30/DTE)^0.30 × 38%: the legacy page https://www.deribit.com/pages/docs/portfoliomargin
 *   (the current value is not published); relative application: pm-scenarios.ts;
 * - extended weight 0.16/|move|: Paradex (ANCHORS §2.13), the documented rule on the same grid;
 * - maintenanceFraction 0.75: not published by Deribit; between Paradex's MM = 50% of IM and
 *   Derive's MM factor 0.8 (ANCHORS §2.16), an xmargin assumption;
 * - stable assets and collateral haircuts: xmargin assumptions (collateral.ts).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import {
  DEFAULT_DERIBIT_COLLATERAL,
  DeribitCollateralSchemaFields,
  type DeribitCollateralParams,
} from './collateral.js';
import type { ScenarioGridParams } from './pm-scenarios.js';
import type { DeribitPmContingency } from './pm-contingency.js';

/** Parameters of the `deribit-pm` model. */
export interface DeribitPmParams extends DeribitCollateralParams {
  /** the risk matrix (pm-scenarios.ts) */
  readonly grid: ScenarioGridParams;
  /** MM = maintenanceFraction × IM, fraction in [0, 1] (0.75) */
  readonly maintenanceFraction: number;
  /**
   * Assets valued at index less haircut and never shocked (stablecoins, the quote currency).
   * Every other collateral asset is shocked with its own underlying's scenarios.
   */
  readonly stableAssets: readonly string[];
  /**
   * Contingency add-ons (pm-contingency.ts): 0 by default, as Deribit's current model; the legacy
   * page's values are shortOptionPerStrike 0.01 and offsettingFutures 0.01.
   */
  readonly contingency: DeribitPmContingency;
}

/** Defaults (module header for sources). */
export const DEFAULT_DERIBIT_PM_PARAMS: DeribitPmParams = {
  grid: {
    maxMove: 0.16,
    buckets: 9,
    extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5],
    extendedWeightNumerator: 0.16,
    volShock: { size: 0.38, pivotDays: 30, power: 0.3, minDays: 1, mode: 'relative' },
  },
  maintenanceFraction: 0.75,
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI'],
  contingency: { shortOptionPerStrike: 0, offsettingFutures: 0, optionsNotional: 0 },
  ...DEFAULT_DERIBIT_COLLATERAL,
};

/** Strict schema of the grid. */
export const ScenarioGridSchema = z.strictObject({
  maxMove: z.number().gt(0).lt(1),
  buckets: z.int().min(3).max(101),
  extendedMoves: z
    .array(
      z
        .number()
        .gt(-1)
        .max(100)
        .refine((x) => x !== 0, 'must not be 0'),
    )
    .max(64),
  extendedWeightNumerator: z.number().gt(0).max(10),
  volShock: z.strictObject({
    size: z.number().min(0).max(10),
    pivotDays: z.number().gt(0).max(3650),
    power: z.number().min(0).max(5),
    minDays: z.number().gt(0).max(3650),
    mode: z.enum(['relative', 'absolute']),
  }),
});

const PartialSchema = z.strictObject({
  grid: ScenarioGridSchema.exactOptional(),
  maintenanceFraction: z.number().min(0).max(1).exactOptional(),
  stableAssets: z.array(z.string().min(1)).exactOptional(),
  contingency: z
    .strictObject({
      shortOptionPerStrike: z.number().min(0).max(1),
      offsettingFutures: z.number().min(0).max(1),
      optionsNotional: z.number().min(0).max(1),
    })
    .exactOptional(),
  ...DeribitCollateralSchemaFields,
});

const RULES: readonly ((p: DeribitPmParams) => readonly [string, string] | undefined)[] = [
  (p) =>
    p.grid.buckets % 2 === 1
      ? undefined
      : ['grid.buckets', `must be odd so that the grid includes 0; got ${p.grid.buckets}`],
];

/**
 * Validates a partial params document and merges it over `DEFAULT_DERIBIT_PM_PARAMS`.
 * @throws ValidationError ERR_VALIDATION for shape errors; XmarginError ERR_INVALID_PARAMS for a broken rule
 * @example parseDeribitPmParams({ maintenanceFraction: 0.5 })
 */
export function parseDeribitPmParams(doc: unknown): DeribitPmParams {
  return mergeParams('deribit-pm', DEFAULT_DERIBIT_PM_PARAMS, PartialSchema, doc, RULES);
}
