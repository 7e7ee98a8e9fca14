/**
 * The `okx-pm` preset: OKX portfolio margin mode (OKX help "Portfolio margin mode: cross-margin
 * trading (Risk Unit Merge)", "Multi-currency margin mode vs. Portfolio margin mode").
 *
 * Per risk unit u (stress-grid.ts: the perpetuals, futures, options and spot of one underlying,
 * plus the spot in use), with the unit's parameters (okx-pm-params.ts):
 *
 *   MR1 spot shock    = worst loss over moves ±m (m in priceMoves) × vol up / down
 *   MR2 theta decay   = max(0, −Σ_options units·(Black76(t − thetaDays/365) − Black76(t)))
 *   MR6 extreme move  = extremeWeight × worst loss over moves ±extremeMove × vol up / down
 *   MR4 basis risk    = basisAnnualMove × hedged × max(tenor spread, basisMinDays/365)
 *                       over the linear legs (qty·index at each leg's expiry; hedgedSpread)
 *   MR7 minimum charge = multiplier(raw) applied by slice, raw = Σ_linear |N|·linearRate
 *                       + Σ_options |units|·index·optionRate
 *   MMR_u = max(max(MR1, MR2, MR6) + MR4 + MR3 + MR5 + MR9, MR7)       (MR3, MR5, MR9 = 0 here)
 *   IMR_u = imrFactor·MMR_u                                            (1.3, as published)
 *   MMR = Σ_u MMR_u,  IMR = Σ_u IMR_u,  adjusted equity as okx-unified
 *
 * Vol shock: σ ± points(T), points interpolated linearly in days to expiry, σ' ≥ 0.
 * Contributions: the binding stress term's Euler shares (its worst scenario, or each option's
 * theta for MR2) and `basis:<u>` for MR4, scaled by imrFactor; `minimum-charge:<u>` when MR7
 * binds. Not reproduced: MR3 (vega term structure), MR5 (interest rate), MR8 (borrowing), MR9
 * (stablecoin depeg), open orders, and the venue's exact vol-shock table, MR6 weight and raw
 * minimum charge (assumptions in okx-pm-params.ts). Units: USD.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { paramsVersion } from '../../params-version.js';
import { shockedVol } from '../deribit/pm-scenarios.js';
import {
  gridLoss,
  hedgedSpread,
  moveGrid,
  riskUnitResult,
  riskUnitsOf,
  type GridLoss,
  type RiskUnit,
  type UnitRequirement,
  type VolShockRule,
} from '../stress-grid.js';
import { okxAdjustedEquity } from './okx-model.js';
import type { OkxPmMultiplierTier, OkxPmParams, OkxPmVolShockPoint } from './okx-pm-params.js';

/** Model name. */
export const OKX_PM_MODEL_NAME = 'okx-pm';

/**
 * The MR1 vol shock in points at `days` to expiry (linear between points, flat outside).
 * @example okxPmVolShockPoints([{ days: 0, points: 0.3 }, { days: 30, points: 0.15 }], 15) // 0.225
 */
export function okxPmVolShockPoints(table: readonly OkxPmVolShockPoint[], days: number): number {
  if (days <= table[0]!.days) return table[0]!.points;
  for (let i = 1; i < table.length; i++) {
    const a = table[i - 1]!;
    const b = table[i]!;
    if (days <= b.days) return a.points + ((b.points - a.points) * (days - a.days)) / (b.days - a.days);
  }
  return table[table.length - 1]!.points;
}

/**
 * The MR7 minimum charge: the raw charge multiplied slice by slice (module header).
 * @example okxPmAdjustedMinimum(DEFAULT_OKX_PM_PARAMS.minChargeMultipliers, 300_000) // 250000·1 + 50000·2 = 350000
 */
export function okxPmAdjustedMinimum(tiers: readonly OkxPmMultiplierTier[], rawUsd: number): number {
  let out = 0;
  for (let i = 0; i < tiers.length; i++) {
    const lo = tiers[i]!.floorUsd;
    const hi = tiers[i + 1]?.floorUsd ?? Infinity;
    out += tiers[i]!.multiplier * Math.max(0, Math.min(rawUsd, hi) - lo);
  }
  return out;
}

/** MR2: the loss of the unit's options over `thetaDays`, with each option's share. */
function thetaDecay(unit: RiskUnit, days: number): { lossUsd: number; shares: Map<string, number> } {
  const shares = new Map<string, number>();
  let pnl = 0;
  for (const it of unit.items) {
    const m = it.marked;
    if (m === undefined || m.instrument.kind !== 'option') continue;
    const inst = m.instrument;
    const base = {
      type: inst.optionType,
      strike: inst.strike,
      forward: m.forward!,
      vol: m.vol!,
      rate: m.rate ?? 0,
    };
    const d =
      priceBlack76({ ...base, tYears: m.tYears! - days / 365 }) -
      priceBlack76({ ...base, tYears: m.tYears! });
    pnl += it.qty * d;
    shares.set(it.key, (shares.get(it.key) ?? 0) - it.qty * d);
  }
  const lossUsd = Math.max(0, -pnl);
  if (lossUsd === 0) for (const k of shares.keys()) shares.set(k, 0);
  return { lossUsd, shares };
}

/** One risk unit's requirement (module header). */
function unitRequirement(
  ctx: MarginContext,
  unit: RiskUnit,
  p: OkxPmParams,
  stamp: string,
  shock: VolShockRule,
): UnitRequirement {
  const u = p.units[unit.underlying] ?? p.defaultUnit;
  const mr1 = gridLoss(
    ctx,
    OKX_PM_MODEL_NAME,
    `${stamp}|MR1`,
    unit,
    moveGrid('MR1', u.priceMoves, ['up', 'down'], 1),
    shock,
  );
  const mr6 = gridLoss(
    ctx,
    OKX_PM_MODEL_NAME,
    `${stamp}|MR6`,
    unit,
    moveGrid('MR6', [u.extremeMove], ['up', 'down'], p.extremeWeight),
    shock,
  );
  const mr2 = thetaDecay(unit, p.thetaDays);
  const legs: { amount: number; tYears: number }[] = [];
  let raw = 0;
  for (const it of unit.items) {
    const kind = it.marked?.instrument.kind;
    if (kind === 'option') raw += Math.abs(it.qty) * unit.indexUsd * p.minChargeOptionRate;
    else {
      legs.push({ amount: it.qty * unit.indexUsd, tYears: it.tYears });
      if (kind === 'perpetual' || kind === 'future')
        raw += Math.abs(it.qty) * it.marked!.markPrice * p.minChargeLinearRate;
    }
  }
  const { hedged, spreadYears } = hedgedSpread(legs);
  const mr4 = hedged > 0 ? u.basisAnnualMove * hedged * Math.max(spreadYears, p.basisMinDays / 365) : 0;
  const mr7 = okxPmAdjustedMinimum(p.minChargeMultipliers, raw);
  // The binding stress term: MR1 unless MR2 or MR6 is strictly larger.
  const stress: {
    name: 'MR1' | 'MR2' | 'MR6';
    loss: number;
    grid?: GridLoss;
    shares: ReadonlyMap<string, number>;
  } =
    mr6.lossUsd > mr1.lossUsd && mr6.lossUsd >= mr2.lossUsd
      ? { name: 'MR6', loss: mr6.lossUsd, grid: mr6, shares: mr6.shares }
      : mr2.lossUsd > mr1.lossUsd
        ? { name: 'MR2', loss: mr2.lossUsd, shares: mr2.shares }
        : { name: 'MR1', loss: mr1.lossUsd, grid: mr1, shares: mr1.shares };
  const riskSum = stress.loss + mr4;
  const mmUsd = Math.max(riskSum, mr7);
  const imUsd = p.imrFactor * mmUsd;
  const contributions = new Map<string, number>();
  if (riskSum >= mr7) {
    for (const [k, x] of stress.shares) contributions.set(k, p.imrFactor * x);
    if (mr4 > 0) contributions.set(`basis:${unit.underlying}`, p.imrFactor * mr4);
  } else contributions.set(`minimum-charge:${unit.underlying}`, imUsd);
  return {
    underlying: unit.underlying,
    imUsd,
    mmUsd,
    contributions,
    detail: {
      MR1: mr1.lossUsd,
      MR2: mr2.lossUsd,
      MR4: mr4,
      MR6: mr6.lossUsd,
      MR7: mr7,
      rawMinimumChargeUsd: raw,
      binding: riskSum >= mr7 ? stress.name : 'MR7',
      ...(stress.grid ? { scenario: stress.grid.scenario.id } : {}),
      deltaUnits: unit.deltaUnits,
      spotInUse: unit.spotInUse,
    },
    ...(stress.grid && stress.loss > 0
      ? { worst: { scenario: stress.grid.scenario, pnlUsd: stress.grid.pnlUsd } }
      : {}),
  };
}

/**
 * Computes the OKX portfolio-margin requirement (module header).
 * @throws RiskError ERR_MISSING_MARKET_DATA if an option lacks forward, vol or time to expiry
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeOkxPmMargin(portfolio: Portfolio, ctx: MarginContext, p: OkxPmParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const stamp = paramsVersion(OKX_PM_MODEL_NAME, p);
  const shock: VolShockRule = (vol, state, tYears) =>
    shockedVol(vol, state, okxPmVolShockPoints(p.volShock, tYears * 365), 'absolute');
  const units = riskUnitsOf(v, market.prices, stable, p.spotHedging, OKX_PM_MODEL_NAME).map((u) =>
    unitRequirement(ctx, u, p, stamp, shock),
  );
  return riskUnitResult(OKX_PM_MODEL_NAME, p, market, units, okxAdjustedEquity(v, p));
}
