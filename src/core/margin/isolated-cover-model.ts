/**
 * `isolated-cover`: isolated margin whose rates cover what they claim, a one-day move at 99%
 * (docs/methodology/margin.md#isolated-cover), the baseline the hedged books' capital is
 * compared with. The default `isolated` and `cross` tiers are leverage caps (2% on BTC, 50×),
 * not a one-day cover; this model recalibrates them point in time at every valuation:
 *
 *   move_u      = 99% (IM) / 97.5% (MM) quantile of |24 h move| of u over every day of its
 *                 history before valuation (scenarios/empirical-move.ts; daily closes back to 2014)
 *   imRate_k    = move_u,99 + halfSpread + impact·√(N_k / ADV_u)      (rising with size)
 *   mmRate_k    = move_u,97.5 + halfSpread + impact·√(N_k / ADV_u)
 *   haircut_a   = { im: move_a,99, mm: move_a,97.5 } for a volatile collateral asset
 *
 * with the brackets N_k of `proposeRateTiers` (1M, 5M, 20M, 100M USD, then max(2 × 100M, ADV)).
 * An asset with under a year of history takes BTC's moves scaled by its window-vol ratio (at
 * least BTC's). Options keep the standard option rule; stablecoin haircuts stay as `isolated`'s.
 * Everything else is `isolated` (no netting, profits locked).
 */
import { RiskError, XmarginError } from '../errors.js';
import type { MarginContext, MarginModel } from './margin-model.js';
import { isolatedModel, DEFAULT_RATE_MODEL_PARAMS, type RateModelParams } from './rate-based-models.js';
import type { RateTier } from './rate-schedule.js';
import { roundRateUp } from '../collateral/propose-rate-tiers.js';
import { empiricalMove } from '../scenarios/empirical-move.js';
import { paramsVersion } from './params-version.js';

/** Parameters of `isolated-cover`. */
export interface IsolatedCoverParams {
  readonly imConfidence: number;
  readonly mmConfidence: number;
  readonly horizonHours: number;
  /** windows an asset needs before its own history is used (else BTC's, vol-scaled) */
  readonly minWindows: number;
  readonly halfSpread: number;
  readonly impact: number;
  readonly advUsd: Readonly<Record<string, number>>;
  readonly defaultAdvUsd: number;
  readonly bracketsUsd: readonly number[];
  /** assets not calibrated (haircuts as `isolated`) */
  readonly stableAssets: readonly string[];
}

/** Defaults: a one-day 99% cover; liquidity as the `es` model's add-on. */
export const DEFAULT_ISOLATED_COVER_PARAMS: IsolatedCoverParams = {
  imConfidence: 0.99,
  mmConfidence: 0.975,
  horizonHours: 24,
  minWindows: 365,
  halfSpread: 0.0002,
  impact: 0.1,
  advUsd: { BTC: 1.5e10, ETH: 8e9, SOL: 2e9 },
  defaultAdvUsd: 1e8,
  bracketsUsd: [1e6, 5e6, 2e7, 1e8],
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI'],
};

/**
 * The calibrated `isolated` params at this context's market (module header), cached per context.
 * @throws RiskError ERR_MISSING_MARKET_DATA without history in the context, or with no history
 *         for an asset nor for BTC
 */
export function isolatedCoverParams(ctx: MarginContext, p: IsolatedCoverParams): RateModelParams {
  const key = `isolated-cover:${paramsVersion('isolated-cover', p)}`;
  const hit = ctx.cache.get(key) as RateModelParams | undefined;
  if (hit) return hit;
  const h = ctx.history?.hourly;
  if (!h)
    throw new RiskError(
      'ERR_MISSING_MARKET_DATA',
      'the isolated-cover model needs price history in the margin context',
      {
        field: 'history',
      },
    );
  const stable = new Set([...p.stableAssets, ctx.market.quoteCurrency]);
  const assets = [...ctx.market.prices.keys()].filter((a) => !stable.has(a));
  const moveOf = (asset: string, confidence: number) =>
    empiricalMove(h, asset, ctx.market.valuationMs, {
      horizonHours: p.horizonHours,
      confidence,
      minWindows: p.minWindows,
    });
  const btc = { im: moveOf('BTC', p.imConfidence), mm: moveOf('BTC', p.mmConfidence) };
  const rates: Record<string, RateTier[]> = {};
  const haircuts: Record<string, { im: number; mm: number }> = { ...DEFAULT_RATE_MODEL_PARAMS.haircuts };
  for (const a of assets) {
    let im = moveOf(a, p.imConfidence).move;
    let mm = moveOf(a, p.mmConfidence).move;
    if (!(im > 0)) {
      // Too little history: BTC's move scaled by the ratio of 99% moves over the common days.
      const mine = empiricalMove(h, a, ctx.market.valuationMs, {
        horizonHours: p.horizonHours,
        confidence: p.imConfidence,
      });
      const ratio = mine.windows >= 30 && btc.im.move > 0 ? Math.max(1, mine.move / btc.im.move) : 2;
      im = btc.im.move * ratio;
      mm = btc.mm.move * ratio;
    }
    if (!(im > 0 && mm > 0))
      throw new RiskError('ERR_MISSING_MARKET_DATA', `no history to calibrate ${a} (nor BTC)`, {
        field: 'history',
        asset: a,
      });
    const adv = p.advUsd[a] ?? p.defaultAdvUsd;
    const cost = (n: number) => p.halfSpread + p.impact * Math.sqrt(n / adv);
    const last = p.bracketsUsd[p.bracketsUsd.length - 1]!;
    rates[a] = [...p.bracketsUsd, Math.max(2 * last, adv)].map((n, k) => {
      const imRate = roundRateUp(Math.min(1, im + cost(n)));
      return {
        upToUsd: k < p.bracketsUsd.length ? n : null,
        imRate,
        mmRate: Math.min(imRate, roundRateUp(Math.min(1, mm + cost(n)))),
      };
    });
    haircuts[a] = { im: roundRateUp(Math.min(1, im)), mm: roundRateUp(Math.min(1, mm)) };
  }
  const params: RateModelParams = { ...DEFAULT_RATE_MODEL_PARAMS, rates, haircuts };
  ctx.cache.set(key, params);
  return params;
}

/** `isolated-cover` (module header). */
export const isolatedCoverModel: MarginModel<IsolatedCoverParams> = {
  name: 'isolated-cover',
  description:
    'isolated margin with tiers and haircuts recalibrated point in time to cover a one-day move at 99% (the capital baseline for hedged books)',
  source: 'docs/methodology/margin.md#isolated-cover',
  defaultParams: DEFAULT_ISOLATED_COVER_PARAMS,
  parseParams: (doc) => {
    if (doc !== undefined && !(typeof doc === 'object' && doc !== null && Object.keys(doc).length === 0))
      throw new XmarginError(
        'ERR_INVALID_PARAMS',
        'isolated-cover params: no field may be set (it is calibrated from history)',
        {
          model: 'isolated-cover',
          field: '(root)',
        },
      );
    return DEFAULT_ISOLATED_COVER_PARAMS;
  },
  compute: (portfolio, ctx, params) => {
    const r = isolatedModel.compute(portfolio, ctx, isolatedCoverParams(ctx, params));
    return { ...r, model: 'isolated-cover', paramsVersion: paramsVersion('isolated-cover', params) };
  },
};
