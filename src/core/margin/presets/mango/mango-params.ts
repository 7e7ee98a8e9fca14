/**
 * Parameters of the `mango-v4` preset, validated with a strict zod schema and merged over the
 * defaults (merge-params.ts). Weights are fractions (asset weights ≤ 1 ≤ liability weights).
 *
 * Sources of the defaults: Mango v4's test banks (`mock_bank_and_oracle(.., 0.2, 0.1)`: init
 * asset/liability weights 0.8/1.2, maint 0.9/1.1) for the quote token, and the listing tiers of the
 * Mango docs for majors (init 0.8/1.2, maint 0.9/1.1 for SOL, BTC, ETH: an assumption standing for
 * each bank's own values); perp markets with base weights 0.8/1.2 init, 0.9/1.1 maint and overall
 * positive-P&L weights 0.95 init, 0.98 maint (`mock_perp_market(.., (0.2, 0.1), (0.05, 0.02))`).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** Weights of one token bank. */
export interface MangoTokenWeights {
  readonly initAssetWeight: number;
  readonly maintAssetWeight: number;
  readonly initLiabWeight: number;
  readonly maintLiabWeight: number;
}

/** Weights of one perp market. */
export interface MangoPerpWeights {
  readonly initBaseAssetWeight: number;
  readonly maintBaseAssetWeight: number;
  readonly initBaseLiabWeight: number;
  readonly maintBaseLiabWeight: number;
  /** weight of a positive perp P&L for init health (Mango's init_overall_asset_weight) */
  readonly initOverallAssetWeight: number;
  readonly maintOverallAssetWeight: number;
}

/** Parameters of the `mango-v4` model. */
export interface MangoParams {
  readonly tokens: Readonly<Record<string, MangoTokenWeights>>;
  readonly defaultToken: MangoTokenWeights;
  /** perp weights by underlying */
  readonly perps: Readonly<Record<string, MangoPerpWeights>>;
  readonly defaultPerp: MangoPerpWeights;
  /** the token perps settle in (its weights apply to the perps' settled value) */
  readonly settleToken: string;
}

const token = (d: number, m: number): MangoTokenWeights => ({
  initAssetWeight: 1 - d,
  maintAssetWeight: 1 - m,
  initLiabWeight: 1 + d,
  maintLiabWeight: 1 + m,
});
const perp: MangoPerpWeights = {
  initBaseAssetWeight: 0.8,
  maintBaseAssetWeight: 0.9,
  initBaseLiabWeight: 1.2,
  maintBaseLiabWeight: 1.1,
  initOverallAssetWeight: 0.95,
  maintOverallAssetWeight: 0.98,
};

/** Defaults (module header for sources). */
export const DEFAULT_MANGO_PARAMS: MangoParams = {
  tokens: { USDC: token(0, 0), SOL: token(0.2, 0.1), BTC: token(0.2, 0.1), ETH: token(0.2, 0.1) },
  defaultToken: token(0.5, 0.3),
  perps: { SOL: perp, BTC: perp, ETH: perp },
  defaultPerp: perp,
  settleToken: 'USDC',
};

const w = z.number().min(0).max(10);
const TokenSchema = z
  .strictObject({ initAssetWeight: w, maintAssetWeight: w, initLiabWeight: w, maintLiabWeight: w })
  .refine((t) => t.initAssetWeight <= t.maintAssetWeight && t.maintAssetWeight <= 1, {
    path: ['initAssetWeight'],
    message: 'must satisfy initAssetWeight <= maintAssetWeight <= 1',
  })
  .refine((t) => t.initLiabWeight >= t.maintLiabWeight && t.maintLiabWeight >= 1, {
    path: ['initLiabWeight'],
    message: 'must satisfy initLiabWeight >= maintLiabWeight >= 1',
  });
const PerpSchema = z.strictObject({
  initBaseAssetWeight: w,
  maintBaseAssetWeight: w,
  initBaseLiabWeight: w,
  maintBaseLiabWeight: w,
  initOverallAssetWeight: w,
  maintOverallAssetWeight: w,
});

const PartialSchema = z.strictObject({
  tokens: z.record(z.string().min(1), TokenSchema).exactOptional(),
  defaultToken: TokenSchema.exactOptional(),
  perps: z.record(z.string().min(1), PerpSchema).exactOptional(),
  defaultPerp: PerpSchema.exactOptional(),
  settleToken: z.string().min(1).exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field
 */
export function parseMangoParams(doc: unknown): MangoParams {
  return mergeParams('mango-v4', DEFAULT_MANGO_PARAMS, PartialSchema, doc);
}
