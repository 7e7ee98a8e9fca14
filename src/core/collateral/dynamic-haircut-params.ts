/**
 * Parameters of the dynamic collateral haircut (dynamic-haircut.ts), as a strict zod schema with
 * its defaults. Units: confidences are probabilities; hours; fractions of the held value
 * (0.05 = 5%); USD amounts. Reasons for every default: docs/methodology/collateral.md#defaults.
 */
import { z } from 'zod';
import { parseWithSchema } from '../params/parse.js';

/** An IM/MM pair of fractions in [0, 1], IM ≥ MM (a haircut or a haircut floor). */
export const HaircutPairSchema = z
  .strictObject({
    /** initial-margin fraction of the held value removed, in [0, 1] */
    im: z.number().min(0).max(1),
    /** maintenance fraction, in [0, 1], ≤ im */
    mm: z.number().min(0).max(1),
  })
  .refine((p) => p.mm <= p.im, { path: ['mm'], message: 'mm must be <= im' });

/** How the speed limit treats a rise of the haircut (a fall is always limited). */
export type HaircutRiseMode = 'phased' | 'immediate';

/** Strict schema of {@link DynamicHaircutParams}; unknown keys are errors. */
export const DynamicHaircutParamsSchema = z
  .strictObject({
    /** margin period of risk, hours (integer in [1, 720]); σ_MPOR = √mporHours · σ_hourly */
    mporHours: z.int().min(1).max(720),
    /** confidence α of the IM volatility part, probability in [0.5, 0.9999], e.g. 0.99 */
    imConfidence: z.number().min(0.5).max(0.9999),
    /** confidence α of the MM volatility part, in [0.5, 0.9999], ≤ imConfidence, e.g. 0.975 */
    mmConfidence: z.number().min(0.5).max(0.9999),
    /** square-root impact model used when no depth curve is given */
    liquidity: z.strictObject({
      /** half the relative bid-ask spread paid on the sale, fraction in [0, 1), e.g. 0.0002 */
      halfSpread: z.number().min(0).lt(1),
      /** impact coefficient k (dimensionless, [0, 10]): cost = halfSpread + k·√(value/ADV) */
      impactCoefficient: z.number().min(0).max(10),
      /** average daily volume of an asset without its own ADV, USD (> 0) */
      defaultAdvUsd: z.number().positive(),
    }),
    /** haircut floors per asset symbol (IM ≥ MM, fractions in [0, 1]) */
    floors: z.record(z.string().min(1), HaircutPairSchema),
    /** floor of an asset not listed in `floors` */
    defaultFloor: HaircutPairSchema,
    /** largest move of a published haircut per update, fraction in (0, 1], e.g. 0.02 */
    maxStep: z.number().gt(0).max(1),
    /** 'phased': a rise is limited by maxStep too; 'immediate': a rise applies at once */
    rise: z.enum(['phased', 'immediate']),
  })
  .refine((p) => p.mmConfidence <= p.imConfidence, {
    path: ['mmConfidence'],
    message: 'mmConfidence must be <= imConfidence',
  });

/** Dynamic haircut parameters (validated; field docs on {@link DynamicHaircutParamsSchema}). */
export type DynamicHaircutParams = z.output<typeof DynamicHaircutParamsSchema>;

/**
 * Defaults (docs/methodology/collateral.md#defaults):
 * - 24 h MPOR, the ES model's (es-params.ts `mporHours`), so that haircuts and the ES market
 *   part measure the same unwinding period;
 * - IM at 99% (the ES model's α), MM at 97.5% (the Basel FRTB ES level): z = 2.326 and 1.960;
 * - sqrt impact: 2 bp half spread, k = 0.1, $100M default ADV (the ES model's liquidity add-on);
 * - floors: majors keep a minimum in calm markets (anti-procyclicality); others 10%/6%;
 * - speed limit 0.02 per update, rises phased in (ANCHORS §4.7: phase in risk-increasing changes).
 */
export const DEFAULT_DYNAMIC_HAIRCUT_PARAMS: DynamicHaircutParams = {
  mporHours: 24, // hours
  imConfidence: 0.99,
  mmConfidence: 0.975,
  liquidity: {
    halfSpread: 0.0002, // 2 bp
    impactCoefficient: 0.1,
    defaultAdvUsd: 1e8, // USD per day
  },
  floors: {
    USD: { im: 0, mm: 0 },
    BTC: { im: 0.05, mm: 0.03 },
    ETH: { im: 0.06, mm: 0.04 },
  },
  defaultFloor: { im: 0.1, mm: 0.06 },
  maxStep: 0.02, // fraction per update
  rise: 'phased',
};

/**
 * Validates a full dynamic-haircut params document (no merge over defaults: every field given).
 * @param doc  untrusted parsed JSON
 * @returns    the validated params
 * @throws ValidationError ERR_VALIDATION listing every failing field (path, rule)
 */
export function parseDynamicHaircutParams(doc: unknown): DynamicHaircutParams {
  return parseWithSchema(DynamicHaircutParamsSchema, doc, 'dynamic haircut params');
}
