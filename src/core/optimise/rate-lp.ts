/**
 * Rate-based models as LPs (margin-lp.ts): `isolated`, `cross`, `dydx`. Per netted instrument
 * with n = q + x contracts, units = n·cs, notional N = |units|·index:
 *
 *   perpetual/future (isolated, cross):  m ≥ rate_k·N − deduction_k for every bracket k, m ≥ 0
 *                     (tiered margin is the maximum of these lines: continuous, convex)
 *   option:           m ≥ mark·units, m ≥ −shortRequirement·units   (long pays the premium;
 *                     the short requirement per unit is ≥ the premium, so this is the rule exactly)
 *   dydx:             m ≥ IMF·N (IMF from the tier and the open interest, constant in the book)
 *   collateral:       haircut·value or (liability weight − 1)·|value|; the settlement asset's
 *                     value moves with premiums paid and received
 *
 * cross and dydx are exact. isolated is an upper bound: a profit locked in a perpetual is still
 * counted when a trade closes that position completely (the model then releases it).
 */
import { haircutRequirement } from '../margin/collateral-haircuts.js';
import type { RateModelParams } from '../margin/rate-based-models.js';
import { standardOptionMargin } from '../margin/standard-option-margin.js';
import type { DydxParams } from '../margin/presets/dydx/dydx-params.js';
import { initialMarginFraction } from '../margin/presets/dydx/initial-margin-fraction.js';
import type { RateTier } from '../margin/rate-schedule.js';
import {
  addCashHaircut,
  addEpigraph,
  affine,
  evalAffine,
  holdingsOf,
  netQuantities,
  unsupportedCandidate,
  type Affine,
  type MarginLpForm,
  type MarginLpInput,
} from './margin-lp.js';

/** Lines of a tiered schedule: margin(N) = max_k (rate_k·N − deduction_k). */
function tierLines(tiers: readonly RateTier[]): { slope: number; intercept: number }[] {
  const out: { slope: number; intercept: number }[] = [];
  let ded = 0;
  tiers.forEach((t, k) => {
    if (k > 0) ded += tiers[k - 1]!.upToUsd! * (t.imRate - tiers[k - 1]!.imRate);
    out.push({ slope: t.imRate, intercept: -ded });
  });
  return out;
}

/** Lines of a function of units that is symmetric through |·| after scaling. */
function absLines(
  lines: readonly { slope: number; intercept: number }[],
): { slope: number; intercept: number }[] {
  return lines.flatMap((l) => [l, { slope: -l.slope, intercept: l.intercept }]);
}

function finish(im: Affine, exactness: MarginLpForm['exactness'], method: string): MarginLpForm {
  return { im, exactness, method, refine: () => 0, predict: (col) => evalAffine(im, col) };
}

/** `isolated` and `cross` (module header). */
export function rateModelLp(model: 'isolated' | 'cross', input: MarginLpInput): MarginLpForm {
  const p = input.params as RateModelParams;
  const { ctx, builder: b } = input;
  const market = ctx.market;
  const h = holdingsOf(input.portfolio, ctx);
  const im = affine();
  const add = (col: number) => {
    im.cols.push(col);
    im.coefs.push(1);
  };
  for (const [id, e] of netQuantities(h, input)) {
    const m = market.instruments.get(id)!;
    const inst = m.instrument;
    const index = market.prices.get(inst.underlying)!;
    const unitsPerContract = inst.contractSize;
    if (inst.kind === 'option') {
      const shortReq = standardOptionMargin(
        {
          optionType: inst.optionType,
          strike: inst.strike,
          markPrice: m.markPrice,
          indexPrice: index,
          units: -1,
        },
        p.options,
      ).imUsd;
      add(
        addEpigraph(b, `option:${id}`, e, [
          { slope: m.markPrice * unitsPerContract, intercept: 0 },
          { slope: -shortReq * unitsPerContract, intercept: 0 },
        ]),
      );
    } else if (inst.kind === 'spot') {
      const hc = p.haircuts[inst.underlying] ?? p.defaultHaircut;
      add(
        addEpigraph(b, `spot:${id}`, e, [
          { slope: hc.im * index, intercept: 0 },
          { slope: -(p.liabilityWeight.im - 1) * index, intercept: 0 },
        ]),
      );
    } else {
      const schedule = p.rates[inst.underlying] ?? p.defaultRates;
      const lines = absLines(
        tierLines(schedule).map((l) => ({
          slope: l.slope * index * unitsPerContract,
          intercept: l.intercept,
        })),
      );
      add(addEpigraph(b, `tiered:${id}`, e, lines, 0));
      if (model === 'isolated') im.constant += Math.max(0, h.positionValueUsd.get(id) ?? 0);
    }
  }
  for (const [asset, qty] of h.collateral) {
    if (asset === h.cashAsset) continue;
    const price = market.prices.get(asset)!;
    im.constant += haircutRequirement({ asset, qty, priceUsd: price, valueUsd: qty * price }, p).imUsd;
  }
  const hc = p.haircuts[h.cashAsset] ?? p.defaultHaircut;
  const cash = addCashHaircut(b, h, input, hc.im, p.liabilityWeight.im);
  add(cash.col);
  return {
    ...finish(
      im,
      model === 'cross' ? 'exact' : 'upper-bound',
      'per-instrument tiered rates and option rules as convex piecewise-linear rows (epigraphs)',
    ),
    predict: (col, trades) => evalAffine(im, col) + cash.correction(col, trades),
  };
}

/** `dydx` (module header): perpetuals (and futures margined as perpetuals) only. */
export function dydxLp(input: MarginLpInput): MarginLpForm {
  const p = input.params as DydxParams;
  const { ctx, builder: b } = input;
  const market = ctx.market;
  for (const c of input.candidates) {
    if (c.kind === 'option') throw unsupportedCandidate('dydx', c, 'dYdX v4 lists no options');
    if (c.kind === 'future' && p.datedFutures === 'reject')
      throw unsupportedCandidate('dydx', c, "params.datedFutures is 'reject'");
  }
  const h = holdingsOf(input.portfolio, ctx);
  const im = affine();
  for (const [id, e] of netQuantities(h, input)) {
    const inst = market.instruments.get(id)!.instrument;
    const tier = p.tiers[p.underlyingTiers[inst.underlying] ?? p.defaultTier]!;
    const imf = initialMarginFraction(tier, market.openInterestUsd.get(id) ?? 0);
    const k = imf * market.prices.get(inst.underlying)! * inst.contractSize;
    im.cols.push(
      addEpigraph(
        b,
        `imr:${id}`,
        e,
        [
          { slope: k, intercept: 0 },
          { slope: -k, intercept: 0 },
        ],
        0,
      ),
    );
    im.coefs.push(1);
  }
  return finish(im, 'exact', 'initial margin fraction × notional per perpetual as |·| rows');
}
