/**
 * @module analytics/whatif-verdict
 *
 * Will this trade go through? The verdict the venue runtime would give (engine/venue,
 * engine/margin-check.ts), decided on the account's own model, with the reason and the figures
 * after the trade:
 *
 * 1. risk class: the trades increase risk when any instrument's position grows in size or flips
 *    side (|after| > |before| or before·after < 0); otherwise they only reduce (or keep) risk and
 *    are accepted without a margin check, whatever the account's state (`risk-reducing`);
 * 2. `reduce-only`: a risk-increasing trade is refused while the account's status before the
 *    trade is reduce-only or worse (core/margin/account-risk.ts: equity < MM × reduceOnly);
 *    shortfall = reduceOnly·MM − equity (what a deposit must add to lift it out);
 * 3. `initial-margin`: after the trade, equity ≥ max(IM, MM·(1 + bufferFraction)); shortfall =
 *    that requirement − equity after;
 * 4. `leverage` (when a limit is given): gross notional / equity after ≤ maxLeverage; shortfall
 *    = notional/maxLeverage − equity after.
 *
 * Trades fill at their `price` (default the mark) and pay `feesUsd`, so a caller that knows the
 * venue's fill (spread) and fee gets the figures the venue will show after the fill.
 *
 * The first rule that fails refuses the trades. Figures before and after: equity, IM, MM, excess,
 * health and status (the core classifier with the venue's thresholds), and the liquidation prices
 * after (and before). Warnings
 * flag what the venue's rules let through: a trade that shrinks positions can still raise IM
 * (it removes a hedge), and an accepted trade can leave the account in a worse status.
 * Units: USD; health a ratio; leverage a ratio (10 = 10×).
 */
import { requireInput } from '../errors.js';
import { applyTrades, settlementAsset, type Trade } from '../margin/efficiency.js';
import { requirementToUnits } from '../ledger/convert.js';
import type { MarginContext, MarginModel, MarginResult } from '../margin/margin-model.js';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  HEALTH_STATUSES,
  isReduceOnlyStatus,
  toAccountRisk,
  type AccountRisk,
  type HealthThresholds,
} from '../margin/account-risk.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import type { PlausibilityBounds } from '../portfolio/plausibility.js';
import {
  liquidationReport,
  type LiquidationReport,
  type LiquidationSearchOptions,
} from './liquidation-prices.js';
import { createRemargin } from './remargin.js';

/** The rules a what-if is judged by. */
export interface VerdictRules {
  /** personal buffer over MM, a fraction ≥ 0 (default 0) */
  readonly bufferFraction?: number;
  /** gross leverage limit for risk-increasing trades, a ratio > 0 (default none) */
  readonly maxLeverage?: number;
  /** status thresholds (default the venue's, DEFAULT_HEALTH_THRESHOLDS) */
  readonly thresholds?: HealthThresholds;
  /** liquidation search options for the figures after */
  readonly search?: LiquidationSearchOptions;
  /** plausibility bounds on the trades' notionals (edges pass DEFAULT_PLAUSIBILITY; default none) */
  readonly bounds?: PlausibilityBounds;
  /** fees of the trades, USD ≥ 0, paid from the settlement asset after them (default 0) */
  readonly feesUsd?: number;
  /** the account's liquidation report before the trades, when the caller has it (not searched again) */
  readonly liquidationBefore?: LiquidationReport;
}

/** An account's margin state under its model (core/margin/account-risk.ts), with its liquidation prices. */
export interface AccountRiskView extends AccountRisk {
  /** equity − IM */
  readonly excessUsd: number;
  readonly liquidation: LiquidationReport;
}

/** The rule that decided. */
export type VerdictRule = 'risk-reducing' | 'initial-margin' | 'reduce-only' | 'leverage';

/** A what-if with its verdict. */
export interface WhatIfVerdict {
  readonly model: string;
  readonly trades: readonly Trade[];
  readonly verdict: 'accepted' | 'refused';
  readonly riskIncreasing: boolean;
  /** what filling the trades costs against the mark: Σ|size·contractSize·(price − mark)| + fees, USD */
  readonly tradingCostUsd: number;
  /** the rule that refused; when accepted, `risk-reducing` or `initial-margin` (the binding check) */
  readonly rule: VerdictRule;
  /** the rule, written out with its figures */
  readonly reason: string;
  /** USD missing for the rule (refused), null when accepted */
  readonly shortfallUsd: number | null;
  /** USD the rule requires (initial-margin, reduce-only, leverage), null for risk-reducing */
  readonly requiredUsd: number | null;
  readonly before: AccountRiskView;
  readonly after: AccountRiskView;
  /** after − before, USD */
  readonly delta: {
    readonly initialUsd: number;
    readonly maintenanceUsd: number;
    readonly equityUsd: number;
    readonly excessUsd: number;
  };
  /** what the verdict does not say by itself: IM rising on trades that reduce positions, a worse status */
  readonly warnings: readonly string[];
}

const usd = (x: number) => x.toFixed(2);

/** The portfolio after paying `costUsd` in the settlement asset (rounded up against the account). */
function payCost(portfolio: Portfolio, costUsd: number, ctx: MarginContext): Portfolio {
  if (costUsd === 0) return portfolio;
  const symbol = settlementAsset(portfolio, ctx);
  const asset = ctx.market.assets.getAsset(symbol);
  const units = requirementToUnits(costUsd / ctx.market.prices.get(symbol)!, asset.decimals);
  const collateral = new Map(portfolio.collateral);
  collateral.set(symbol, { asset, units: (collateral.get(symbol)?.units ?? 0n) - units });
  return { ...portfolio, collateral };
}

/** Whether the trades grow or flip any instrument's position (rule 1). */
export function increasesRisk(portfolio: Portfolio, trades: readonly Trade[]): boolean {
  const size = new Map<string, number>();
  for (const p of portfolio.positions) size.set(p.instrument, (size.get(p.instrument) ?? 0) + p.size);
  const after = new Map(size);
  for (const t of trades) after.set(t.instrument, (after.get(t.instrument) ?? 0) + t.size);
  for (const [id, a] of after) {
    const b = size.get(id) ?? 0;
    if (b * a < 0 || Math.abs(a) > Math.abs(b)) return true;
  }
  return false;
}

function view(r: MarginResult, liquidation: LiquidationReport, t: HealthThresholds): AccountRiskView {
  return {
    ...toAccountRisk(r.equityUsd, r.initialUsd, r.maintenanceUsd, t),
    excessUsd: r.equityUsd - r.initialUsd,
    liquidation,
  };
}

/**
 * The verdict on `trades` for `portfolio` under its model (module header).
 *
 * @param portfolio  the account before the trades
 * @param trades     signed contracts per instrument, priced at the mark (margin/efficiency.ts)
 * @param ctx        the market (and history for statistical models)
 * @param model      the account's own model, with `params`
 * @param rules      buffer, leverage limit, thresholds, liquidation search
 * @returns          accepted or refused, the rule, the shortfall, and the account before and after
 * @throws InvalidInputError ERR_INVALID_INPUT for a bad rule value or trade; ERR_UNKNOWN_INSTRUMENT;
 *         whatever the model throws
 * @example judgeWhatIf(pf, [{ instrument: 'BTC-PERP', size: 1 }], ctx, model, params).verdict // 'accepted'
 */
export function judgeWhatIf(
  portfolio: Portfolio,
  trades: readonly Trade[],
  ctx: MarginContext,
  model: MarginModel<unknown>,
  params: unknown,
  rules: VerdictRules = {},
): WhatIfVerdict {
  const buffer = rules.bufferFraction ?? 0;
  const t = rules.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  requireInput(buffer >= 0 && buffer < Infinity, 'bufferFraction', buffer, 'must be finite and >= 0');
  if (rules.maxLeverage !== undefined)
    requireInput(rules.maxLeverage > 0, 'maxLeverage', rules.maxLeverage, 'must be > 0');
  const fees = rules.feesUsd ?? 0;
  requireInput(fees >= 0 && fees < Infinity, 'feesUsd', fees, 'must be finite and >= 0');
  const afterPf = payCost(applyTrades(portfolio, trades, ctx, rules.bounds), fees, ctx);
  const cost =
    fees +
    trades.reduce((acc, t) => {
      const m = ctx.market.instruments.get(t.instrument)!;
      return acc + Math.abs(t.size * m.instrument.contractSize * ((t.price ?? m.markPrice) - m.markPrice));
    }, 0);
  const rmBefore = createRemargin(portfolio, ctx, model, params);
  const rmAfter = createRemargin(afterPf, ctx, model, params);
  const before = view(rmBefore.base, rules.liquidationBefore ?? liquidationReport(rmBefore, rules.search), t);
  const after = view(rmAfter.base, liquidationReport(rmAfter, rules.search), t);
  const riskIncreasing = increasesRisk(portfolio, trades);
  const warnings: string[] = [];
  if (!riskIncreasing && after.initialUsd > before.initialUsd)
    warnings.push(
      `initial margin rises by ${usd(after.initialUsd - before.initialUsd)} USD although no position grows (a hedge is removed)`,
    );
  if (HEALTH_STATUSES.indexOf(after.status) > HEALTH_STATUSES.indexOf(before.status))
    warnings.push(`status after: ${after.status} (before: ${before.status})`);
  const delta = {
    initialUsd: after.initialUsd - before.initialUsd,
    maintenanceUsd: after.maintenanceUsd - before.maintenanceUsd,
    equityUsd: after.equityUsd - before.equityUsd,
    excessUsd: after.excessUsd - before.excessUsd,
  };
  const common = {
    model: model.name,
    trades,
    riskIncreasing,
    tradingCostUsd: cost,
    before,
    after,
    delta,
    warnings,
  };
  const refuse = (
    rule: VerdictRule,
    requiredUsd: number,
    shortfallUsd: number,
    reason: string,
  ): WhatIfVerdict => ({
    ...common,
    verdict: 'refused',
    rule,
    reason,
    requiredUsd,
    shortfallUsd,
  });
  if (!riskIncreasing)
    return {
      ...common,
      verdict: 'accepted',
      rule: 'risk-reducing',
      reason: 'no position grows or changes side: risk-reducing trades need no margin check',
      requiredUsd: null,
      shortfallUsd: null,
    };
  if (isReduceOnlyStatus(before.status)) {
    const required = Math.max(0, t.reduceOnly * before.maintenanceUsd);
    return refuse(
      'reduce-only',
      required,
      required - before.equityUsd,
      `the account is ${before.status} (equity ${usd(before.equityUsd)} USD < MM × ${t.reduceOnly} = ` +
        `${usd(required)} USD): only trades that reduce risk are accepted until equity reaches it`,
    );
  }
  const required = Math.max(after.initialUsd, after.maintenanceUsd * (1 + buffer));
  if (!(after.equityUsd >= required)) {
    return refuse(
      'initial-margin',
      required,
      required - after.equityUsd,
      `equity after ${usd(after.equityUsd)} USD < requirement max(IM, MM × (1 + ${buffer})) = ${usd(required)} USD`,
    );
  }
  let leverageText = '';
  if (rules.maxLeverage !== undefined) {
    const notional = valuePortfolio(afterPf, ctx.market).positions.reduce((a, p) => a + p.notionalUsd, 0);
    const lev = notional === 0 ? 0 : after.equityUsd > 0 ? notional / after.equityUsd : Infinity;
    if (!(lev <= rules.maxLeverage)) {
      const needed = notional / rules.maxLeverage;
      return refuse(
        'leverage',
        needed,
        needed - after.equityUsd,
        `leverage after (gross notional / equity) ${lev.toFixed(2)} > limit ${rules.maxLeverage}`,
      );
    }
    leverageText = `; leverage ${lev.toFixed(2)} <= ${rules.maxLeverage}`;
  }
  return {
    ...common,
    verdict: 'accepted',
    rule: 'initial-margin',
    reason:
      `equity after ${usd(after.equityUsd)} USD >= requirement max(IM, MM × (1 + ${buffer})) = ${usd(required)} USD ` +
      `(headroom ${usd(after.equityUsd - required)} USD)${leverageText}`,
    requiredUsd: required,
    shortfallUsd: null,
  };
}
