/**
 * Parameters of the `deribit-sm` preset (Deribit cross standard margin, ANCHORS §2.1), validated
 * with a strict zod schema and merged over the defaults (merge-params.ts). Each cross-field rule
 * is its own ERR_INVALID_PARAMS naming the field.
 *
 * Sources of the defaults:
 * - BTC and SOL linear rates: https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual
 *   (BTC_USDC: IM 2% + size(BTC)·0.005%, MM 1% + size·0.005%; SOL_USDC: IM 4% + size(SOL)·0.0005%,
 *   MM 2% + size·0.0005%), as cited in ANCHORS §2.1;
 * - ETH: https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022 (IM 2% +
 *   size(ETH)·0.0004%, MM 1% + size·0.0004%);
 * - other underlyings: IM 10% / MM 5%, no size term: an xmargin assumption (Deribit sets
 *   per-instrument values not in the cited copies);
 * - option rule 0.15 / 0.10 / 0.075: the Deribit rule as copied by TSLab and Aevo (ANCHORS §2.1);
 * - collateral haircuts: collateral.ts (assumptions).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import {
  DEFAULT_DERIBIT_COLLATERAL,
  DeribitCollateralSchemaFields,
  type DeribitCollateralParams,
} from './collateral.js';
import type { DeribitLinearRate, DeribitOptionRule } from './standard-rules.js';

/** Parameters of the `deribit-sm` model. */
export interface DeribitSmParams extends DeribitCollateralParams {
  /** linear (perpetual and future) rates per underlying symbol */
  readonly linear: Readonly<Record<string, DeribitLinearRate>>;
  /** rates of any other underlying */
  readonly defaultLinear: DeribitLinearRate;
  /** option rule constants, fractions of the underlying */
  readonly options: DeribitOptionRule;
  /**
   * The `+ mark` term of short options: 'charged' as published (default), or 'netted' because
   * xmargin's equity already carries the short option at −mark (standard-rules.ts).
   */
  readonly shortOptionPremium: 'charged' | 'netted';
}

/** Defaults (module header for sources). */
export const DEFAULT_DERIBIT_SM_PARAMS: DeribitSmParams = {
  linear: {
    BTC: { imBase: 0.02, mmBase: 0.01, imPerUnit: 0.00005, mmPerUnit: 0.00005 }, // 0.005% per BTC
    ETH: { imBase: 0.02, mmBase: 0.01, imPerUnit: 0.000004, mmPerUnit: 0.000004 }, // 0.0004% per ETH
    SOL: { imBase: 0.04, mmBase: 0.02, imPerUnit: 0.000005, mmPerUnit: 0.000005 }, // 0.0005% per SOL
  },
  defaultLinear: { imBase: 0.1, mmBase: 0.05, imPerUnit: 0, mmPerUnit: 0 },
  options: { imBase: 0.15, imFloor: 0.1, mmBase: 0.075 },
  shortOptionPremium: 'charged',
  ...DEFAULT_DERIBIT_COLLATERAL,
};

const fraction = z.number().min(0).max(1);

/** Strict schema of a linear rate. */
export const DeribitLinearRateSchema = z.strictObject({
  imBase: fraction,
  mmBase: fraction,
  imPerUnit: fraction,
  mmPerUnit: fraction,
});

/** Strict schema of the option rule. */
export const DeribitOptionRuleSchema = z.strictObject({
  imBase: fraction,
  imFloor: fraction,
  mmBase: fraction,
});

const PartialSchema = z.strictObject({
  linear: z.record(z.string().min(1), DeribitLinearRateSchema).exactOptional(),
  defaultLinear: DeribitLinearRateSchema.exactOptional(),
  options: DeribitOptionRuleSchema.exactOptional(),
  shortOptionPremium: z.enum(['charged', 'netted']).exactOptional(),
  ...DeribitCollateralSchemaFields,
});

type Broken = readonly [string, string] | undefined;

/** IM ≥ MM for one linear rate (base and per-unit terms separately). */
function checkLinear(path: string, r: DeribitLinearRate): Broken {
  if (r.mmBase > r.imBase) return [`${path}.mmBase`, `must be <= imBase (${r.imBase}); got ${r.mmBase}`];
  if (r.mmPerUnit > r.imPerUnit)
    return [`${path}.mmPerUnit`, `must be <= imPerUnit (${r.imPerUnit}); got ${r.mmPerUnit}`];
  return undefined;
}

const RULES: readonly ((p: DeribitSmParams) => Broken)[] = [
  (p) =>
    Object.entries(p.linear)
      .map(([u, r]) => checkLinear(`linear.${u}`, r))
      .find((x) => x !== undefined),
  (p) => checkLinear('defaultLinear', p.defaultLinear),
  (p) =>
    p.options.imFloor > p.options.imBase
      ? ['options.imFloor', `must be <= options.imBase (${p.options.imBase}); got ${p.options.imFloor}`]
      : undefined,
  (p) =>
    p.options.mmBase > p.options.imFloor
      ? ['options.mmBase', `must be <= options.imFloor (${p.options.imFloor}); got ${p.options.mmBase}`]
      : undefined,
];

/**
 * Validates a partial params document and merges it over `DEFAULT_DERIBIT_SM_PARAMS`.
 * @throws ValidationError ERR_VALIDATION for shape errors; XmarginError ERR_INVALID_PARAMS for a broken rule
 * @example parseDeribitSmParams({ shortOptionPremium: 'netted' })
 */
export function parseDeribitSmParams(doc: unknown): DeribitSmParams {
  return mergeParams('deribit-sm', DEFAULT_DERIBIT_SM_PARAMS, PartialSchema, doc, RULES);
}
