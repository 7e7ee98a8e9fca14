/**
 * The `deribit-sm` preset: Deribit cross standard margin (X:SM, ANCHORS §2.1). Every position is
 * margined on its own (standard-rules.ts) and the requirements are summed against one pool of
 * cross collateral valued at index less haircuts (collateral.ts):
 *
 *   IM = Σ_positions IM_i,   MM = Σ_positions MM_i,   equity = haircut collateral + Σ position values
 *
 * Positions in the same instrument net first (one position per instrument, as on the venue).
 * Spot-instrument positions are holdings: they join the collateral (haircut), with no requirement.
 * Not reproduced: order margin, segregated mode (S:SM), Deribit's per-instrument rates for
 * underlyings other than BTC, ETH and SOL (defaultLinear), "offset currencies".
 */
import { ensureFinite } from '../../../errors.js';
import type { Contribution, MarginComponent, MarginContext, MarginResult } from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PositionValue } from '../../../portfolio/valuation.js';
import { deribitEquityUsd } from './collateral.js';
import type { DeribitSmParams } from './deribit-sm-params.js';
import { linearRequirement, optionRequirement, type Requirement } from './standard-rules.js';

/** Model name. */
export const DERIBIT_SM_MODEL_NAME = 'deribit-sm';

/** Derivative positions netted by instrument: first valuation and summed units. */
function netDerivatives(positions: readonly PositionValue[]): { pv: PositionValue; units: number }[] {
  const byId = new Map<string, { pv: PositionValue; units: number }>();
  for (const pv of positions) {
    if (pv.marked.instrument.kind === 'spot') continue;
    const prev = byId.get(pv.position.instrument);
    byId.set(pv.position.instrument, { pv: prev?.pv ?? pv, units: (prev?.units ?? 0) + pv.units });
  }
  return [...byId.values()];
}

/** Requirement of one netted derivative position, with diagnostics. */
function positionRequirement(
  pv: PositionValue,
  units: number,
  ctx: MarginContext,
  p: DeribitSmParams,
): Requirement & { detail: Record<string, unknown> } {
  const inst = pv.marked.instrument;
  const mark = pv.marked.markPrice;
  if (inst.kind === 'option') {
    const underlyingUsd = ctx.market.prices.get(inst.underlying)!; // resolved: underlying is priced
    const r = optionRequirement(
      { optionType: inst.optionType, strike: inst.strike, markUsd: mark, underlyingUsd, units },
      p.options,
      p.shortOptionPremium,
    );
    return {
      ...r,
      detail: {
        rule: units >= 0 ? 'long option: premium' : `short ${inst.optionType}`,
        units,
        markUsd: mark,
        underlyingUsd,
      },
    };
  }
  const rate = p.linear[inst.underlying] ?? p.defaultLinear;
  const r = linearRequirement(units, mark, rate);
  const q = Math.abs(units);
  return {
    ...r,
    detail: {
      rule: 'linear',
      units,
      markUsd: mark,
      imRate: rate.imBase + q * rate.imPerUnit,
      mmRate: rate.mmBase + q * rate.mmPerUnit,
    },
  };
}

/**
 * Computes the Deribit cross standard-margin requirement (module header).
 * @param portfolio  positions and collateral
 * @param ctx        the market (marks, index prices)
 * @param p          parsed params (parseDeribitSmParams)
 * @returns          MarginResult: one component and contribution per netted derivative position,
 *                   IM ≥ MM ≥ 0, equity = haircut collateral + position values
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeDeribitSmMargin(
  portfolio: Portfolio,
  ctx: MarginContext,
  p: DeribitSmParams,
): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const components: MarginComponent[] = [];
  const contributions: Contribution[] = [];
  let im = 0;
  let mm = 0;
  for (const { pv, units } of netDerivatives(v.positions)) {
    const r = positionRequirement(pv, units, ctx, p);
    im += r.imUsd;
    mm += r.mmUsd;
    components.push({
      name: `position:${pv.position.instrument}`,
      initialUsd: r.imUsd,
      maintenanceUsd: r.mmUsd,
      detail: r.detail,
    });
    contributions.push({ key: pv.position.instrument, initialUsd: r.imUsd });
  }
  const details = { snapshotId: market.snapshotId };
  return {
    model: DERIBIT_SM_MODEL_NAME,
    initialUsd: ensureFinite(im, 'deribit-sm initial margin', details),
    maintenanceUsd: ensureFinite(mm, 'deribit-sm maintenance margin', details),
    equityUsd: ensureFinite(deribitEquityUsd(v, market, p), 'deribit-sm equity', details),
    components,
    contributions,
    paramsVersion: paramsVersion(DERIBIT_SM_MODEL_NAME, p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}
