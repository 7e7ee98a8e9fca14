/**
 * xmargin's rate-based models, `isolated` and `cross` (DESIGN "Margin models" 1 and 2).
 *
 * Per position (perpetual, future): tiered brackets on its notional |units|·index
 * (rate-schedule.ts); option: the standard option rule (standard-option-margin.ts); a spot
 * instrument held as a position: like collateral (haircut, or liability weight when short).
 * Collateral: haircut requirement (collateral-haircuts.ts). Equity: mark-to-market (valuation.ts).
 *
 *   isolated: every position on its own: no netting, and a position's unrealised profit cannot
 *             support anything else (it is added to the requirement: "locked");
 *   cross:    positions in the same instrument net first; P&L is shared across the account.
 *
 * MM uses the maintenance rates and haircuts of the same tables. Contributions: each position's
 * own requirement, each collateral asset's haircut; they sum to the total exactly.
 */
import { z } from 'zod';
import type { MarginComponent, MarginContext, MarginResult, Contribution } from './margin-model.js';
import { mergeParams } from './merge-params.js';
import { paramsVersion } from './params-version.js';
import { checkRateSchedule, RateTierSchema, tieredMargin, type RateTier } from './rate-schedule.js';
import {
  OptionMarginParamsSchema,
  standardOptionMargin,
  type OptionMarginParams,
} from './standard-option-margin.js';
import {
  checkHaircuts,
  haircutRequirement,
  HaircutSchema,
  LiabilityWeightSchema,
  type HaircutParams,
} from './collateral-haircuts.js';
import { valuePortfolio, type PositionValue } from '../portfolio/valuation.js';
import type { PreparableModel } from './kernel/prepared-margin.js';
import { prepareRateKernel } from './kernel/rate-kernel.js';
import type { Portfolio } from '../portfolio/portfolio.js';

/** Parameters of the rate-based models. */
export interface RateModelParams extends HaircutParams {
  /** brackets per underlying symbol */
  readonly rates: Readonly<Record<string, readonly RateTier[]>>;
  /** brackets of any other underlying */
  readonly defaultRates: readonly RateTier[];
  readonly options: OptionMarginParams;
}

const MAJOR_TIERS: RateTier[] = [
  { upToUsd: 1_000_000, imRate: 0.02, mmRate: 0.01 },
  { upToUsd: 5_000_000, imRate: 0.03, mmRate: 0.015 },
  { upToUsd: 20_000_000, imRate: 0.05, mmRate: 0.025 },
  { upToUsd: 100_000_000, imRate: 0.1, mmRate: 0.05 },
  { upToUsd: null, imRate: 0.25, mmRate: 0.125 },
];
const ALT_TIERS: RateTier[] = [
  { upToUsd: 250_000, imRate: 0.05, mmRate: 0.025 },
  { upToUsd: 1_000_000, imRate: 0.1, mmRate: 0.05 },
  { upToUsd: 5_000_000, imRate: 0.2, mmRate: 0.1 },
  { upToUsd: null, imRate: 0.5, mmRate: 0.25 },
];

/**
 * Defaults (docs/methodology/margin.md#rate-based-models). Brackets shaped like the large venues'
 * (Deribit BTC perps start at IM 2% / MM 1%, ANCHORS §2.1; dYdX large-cap IM 2%, §2.5), option
 * rule Deribit's (0.15 / 0.10 / 0.075), haircuts xmargin's conservative choices.
 */
export const DEFAULT_RATE_MODEL_PARAMS: RateModelParams = {
  rates: { BTC: MAJOR_TIERS, ETH: MAJOR_TIERS, SOL: ALT_TIERS },
  defaultRates: [
    { upToUsd: 100_000, imRate: 0.1, mmRate: 0.05 },
    { upToUsd: 1_000_000, imRate: 0.2, mmRate: 0.1 },
    { upToUsd: null, imRate: 0.5, mmRate: 0.25 },
  ],
  options: { shortBase: 0.15, shortFloor: 0.1, mmBase: 0.075 },
  haircuts: {
    USD: { im: 0, mm: 0 },
    // Stablecoins: small haircuts until calibrated from depeg history (USDC's worst daily close
    // in the 2023-03 depeg was −2.8%, Yahoo daily in the project's history).
    USDC: { im: 0.005, mm: 0.0025 },
    USDT: { im: 0.01, mm: 0.005 },
    DAI: { im: 0.05, mm: 0.025 },
    BTC: { im: 0.1, mm: 0.05 },
    ETH: { im: 0.12, mm: 0.06 },
    SOL: { im: 0.2, mm: 0.1 },
  },
  defaultHaircut: { im: 0.5, mm: 0.25 },
  liabilityWeight: { im: 1.1, mm: 1.05 },
};

const tiers = z.array(RateTierSchema).min(1);
const PartialSchema = z.strictObject({
  rates: z.record(z.string(), tiers).exactOptional(),
  defaultRates: tiers.exactOptional(),
  options: OptionMarginParamsSchema.exactOptional(),
  haircuts: z.record(z.string(), HaircutSchema).exactOptional(),
  defaultHaircut: HaircutSchema.exactOptional(),
  liabilityWeight: LiabilityWeightSchema.exactOptional(),
});

function parseRateParams(model: string, doc: unknown): RateModelParams {
  return mergeParams(model, DEFAULT_RATE_MODEL_PARAMS, PartialSchema, doc, [
    (p) => checkRateSchedule('defaultRates', p.defaultRates)[0],
    (p) => Object.entries(p.rates).flatMap(([u, t]) => checkRateSchedule(`rates.${u}`, t))[0],
    (p) => checkHaircuts(p)[0],
    (p) =>
      p.options.shortFloor > p.options.shortBase
        ? ['options.shortFloor', `must be <= shortBase; got ${p.options.shortFloor}`]
        : undefined,
    (p) =>
      p.options.mmBase > p.options.shortFloor
        ? ['options.mmBase', `must be <= shortFloor; got ${p.options.mmBase}`]
        : undefined,
  ]);
}

/** Requirement of one (possibly netted) position. */
function positionRequirement(
  pv: PositionValue,
  ctx: MarginContext,
  p: RateModelParams,
): { imUsd: number; mmUsd: number; detail: Record<string, unknown> } {
  const inst = pv.marked.instrument;
  const index = ctx.market.prices.get(inst.underlying)!;
  if (inst.kind === 'option') {
    const r = standardOptionMargin(
      {
        optionType: inst.optionType,
        strike: inst.strike,
        markPrice: pv.marked.markPrice,
        indexPrice: index,
        units: pv.units,
      },
      p.options,
    );
    return { ...r, detail: { rule: 'standard option', units: pv.units } };
  }
  if (inst.kind === 'spot') {
    const r = haircutRequirement(
      { asset: inst.underlying, qty: pv.units, priceUsd: index, valueUsd: pv.units * index },
      p,
    );
    return { ...r, detail: { rule: 'spot haircut', units: pv.units } };
  }
  const schedule = p.rates[inst.underlying] ?? p.defaultRates;
  const r = tieredMargin(pv.notionalUsd, schedule);
  return {
    imUsd: r.imUsd,
    mmUsd: r.mmUsd,
    detail: { rule: 'tiered rate', notionalUsd: pv.notionalUsd, tier: r.tier },
  };
}

/** Positions in the same instrument, netted (cross): sizes and values summed. */
function netByInstrument(positions: readonly PositionValue[]): PositionValue[] {
  const byId = new Map<string, PositionValue>();
  for (const pv of positions) {
    const prev = byId.get(pv.position.instrument);
    if (!prev) {
      byId.set(pv.position.instrument, pv);
      continue;
    }
    const units = prev.units + pv.units;
    const index = prev.notionalUsd / Math.abs(prev.units);
    byId.set(pv.position.instrument, {
      position: { instrument: pv.position.instrument, size: prev.position.size + pv.position.size },
      marked: pv.marked,
      units,
      notionalUsd: Math.abs(units) * index,
      valueUsd: prev.valueUsd + pv.valueUsd,
    });
  }
  return [...byId.values()].filter((pv) => pv.units !== 0);
}

function computeRateModel(
  model: 'isolated' | 'cross',
  portfolio: Portfolio,
  ctx: MarginContext,
  p: RateModelParams,
): MarginResult {
  const v = valuePortfolio(portfolio, ctx.market);
  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  const add = (key: string, im: number) => contributions.set(key, (contributions.get(key) ?? 0) + im);
  let im = 0;
  let mm = 0;
  const positions = model === 'cross' ? netByInstrument(v.positions) : v.positions;
  for (const pv of positions) {
    const r = positionRequirement(pv, ctx, p);
    // isolated: a position's unrealised profit stays with it and cannot support the account.
    const locked =
      model === 'isolated' && pv.marked.instrument.kind !== 'option' && pv.marked.instrument.kind !== 'spot'
        ? Math.max(pv.valueUsd, 0)
        : 0;
    components.push({
      name: `position:${pv.position.instrument}`,
      initialUsd: r.imUsd + locked,
      maintenanceUsd: r.mmUsd + locked,
      detail: { ...r.detail, lockedProfitUsd: locked },
    });
    add(pv.position.instrument, r.imUsd + locked);
    im += r.imUsd + locked;
    mm += r.mmUsd + locked;
  }
  for (const c of v.collateral) {
    const r = haircutRequirement(c, p);
    if (r.imUsd === 0 && r.mmUsd === 0) continue;
    components.push({
      name: `haircut:${c.asset}`,
      initialUsd: r.imUsd,
      maintenanceUsd: r.mmUsd,
      detail: { valueUsd: c.valueUsd },
    });
    add(`collateral:${c.asset}`, r.imUsd);
    im += r.imUsd;
    mm += r.mmUsd;
  }
  const list: Contribution[] = [...contributions].map(([key, initialUsd]) => ({ key, initialUsd }));
  return {
    model,
    initialUsd: im,
    maintenanceUsd: Math.min(mm, im),
    equityUsd: v.equityUsd,
    components,
    contributions: list,
    paramsVersion: paramsVersion(model, p),
    snapshotId: ctx.market.snapshotId,
    valuationMs: ctx.market.valuationMs,
  };
}

/** `isolated`: every position margined on its own (module header); kernel in kernel/rate-kernel.ts. */
export const isolatedModel: PreparableModel<RateModelParams> = {
  prepare: (ctx, params, rows) => prepareRateKernel(isolatedModel, ctx, params, rows),
  name: 'isolated',
  description: 'each position on its own: tiered rates, standard option margin, no netting, profits locked',
  source: 'docs/methodology/margin.md#rate-based-models',
  defaultParams: DEFAULT_RATE_MODEL_PARAMS,
  parseParams: (doc) => parseRateParams('isolated', doc),
  compute: (portfolio, ctx, params) => computeRateModel('isolated', portfolio, ctx, params),
};

/** `cross`: the same rates summed against one pool, P&L netted (module header); kernel in kernel/rate-kernel.ts. */
export const crossModel: PreparableModel<RateModelParams> = {
  prepare: (ctx, params, rows) => prepareRateKernel(crossModel, ctx, params, rows),
  name: 'cross',
  description:
    'standard cross margin: the same per-position rates summed against one haircut pool, P&L netted',
  source: 'docs/methodology/margin.md#rate-based-models',
  defaultParams: DEFAULT_RATE_MODEL_PARAMS,
  parseParams: (doc) => parseRateParams('cross', doc),
  compute: (portfolio, ctx, params) => computeRateModel('cross', portfolio, ctx, params),
};
