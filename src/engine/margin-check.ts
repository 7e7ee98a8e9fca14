/**
 * @module engine/margin-check
 *
 * The check a withdrawal or a transfer out must pass: after the operation, the sub-account's
 * equity (as its mode's model values it) must cover its requirement,
 *
 *   requiredUsd = max(IM, MM × (1 + bufferFraction))
 *
 * where IM and MM come from the registry model named by the sub-account's margin mode, computed
 * on the sub-account's Portfolio after the operation with the caller's MarginContext (and the
 * venue's effective params for that mode, else the model's defaults), times the account's fall-limit
 * factor when the venue holds one (core/margin/fall-limit.ts). A risk-increasing trade
 * must also keep the sub-account's leverage within its limit:
 *
 *   leverage = Σ |size × contractSize| × index price / equity ≤ limits.maxLeverage
 *
 * (gross notional over equity; an account with positions and equity ≤ 0 fails it). Units: USD
 * (quote ccy, float64). Fails closed: a position the model cannot value refuses the operation.
 */
import { RiskError } from '../core/errors.js';
import type { MarginContext } from '../core/margin/margin-model.js';
import { withFallFactor } from '../core/margin/fall-limit.js';
import { getMarginModel } from '../core/margin/registry.js';
import type { Portfolio } from '../core/portfolio/portfolio.js';
import { valuePortfolio } from '../core/portfolio/valuation.js';
import type { SubAccount } from './accounts.js';

/** Options of {@link checkInitialMargin}. */
export interface MarginCheckOptions {
  /** the model's parsed params (the venue's effective version); default the model's defaults */
  readonly params?: unknown;
  /** also enforce `limits.maxLeverage` (risk-increasing trades) */
  readonly leverage?: boolean;
  /** the fall limit's factor g ≥ 1 on the model's IM and MM (core/margin/fall-limit.ts; default 1) */
  readonly fallFactor?: number;
}

/** The outcome of a passing check, for diagnostics. */
export interface MarginCheckResult {
  readonly requiredUsd: number;
  readonly equityAfterUsd: number;
  /** gross notional / equity after, when the leverage was checked */
  readonly leverage?: number;
}

/**
 * Refuses unless `portfolio` (the sub-account after the operation) covers its requirement.
 *
 * @param sub        the sub-account (mode and limits)
 * @param portfolio  its portfolio after the operation
 * @param ctx        market context for the model
 * @param field      the operation field the refusal names (e.g. `units`)
 * @returns          requirement and equity after, USD
 * @throws RiskError ERR_INSUFFICIENT_MARGIN with details { requiredUsd, equityAfterUsd, shortfallUsd, ... }
 *         when equity after < requirement; model errors (e.g. ERR_MISSING_MARKET_DATA) pass through
 */
export function checkInitialMargin(
  sub: SubAccount,
  portfolio: Portfolio,
  ctx: MarginContext,
  field: string,
  options: MarginCheckOptions = {},
): MarginCheckResult {
  const model = withFallFactor(getMarginModel(sub.mode), options.fallFactor ?? 1);
  const result = model.compute(portfolio, ctx, options.params ?? model.defaultParams);
  // The personal buffer is on top of maintenance; IM already stands above MM, so take the larger.
  const requiredUsd = Math.max(result.initialUsd, result.maintenanceUsd * (1 + sub.limits.bufferFraction));
  const equityAfterUsd = result.equityUsd;
  // Written so that NaN refuses: only a finite equity at or above the requirement passes.
  if (!(Number.isFinite(requiredUsd) && Number.isFinite(equityAfterUsd) && equityAfterUsd >= requiredUsd)) {
    const shortfallUsd = requiredUsd - equityAfterUsd;
    throw new RiskError(
      'ERR_INSUFFICIENT_MARGIN',
      `${field} must leave ${sub.key} with equity >= its ${sub.mode} requirement ` +
        `max(IM, MM × (1 + buffer)) = ${requiredUsd.toFixed(2)} USD; got equity after ` +
        `${equityAfterUsd.toFixed(2)} USD (shortfall ${shortfallUsd.toFixed(2)} USD)`,
      {
        field,
        rule: 'equity after >= max(IM, MM × (1 + bufferFraction))',
        subAccount: sub.key,
        mode: sub.mode,
        requiredUsd,
        equityAfterUsd,
        shortfallUsd,
        initialUsd: result.initialUsd,
        maintenanceUsd: result.maintenanceUsd,
      },
    );
  }
  if (!options.leverage) return { requiredUsd, equityAfterUsd };
  const notionalUsd = valuePortfolio(portfolio, ctx.market).positions.reduce((a, p) => a + p.notionalUsd, 0);
  const leverage = notionalUsd === 0 ? 0 : equityAfterUsd > 0 ? notionalUsd / equityAfterUsd : Infinity;
  if (!(leverage <= sub.limits.maxLeverage)) {
    throw new RiskError(
      'ERR_INSUFFICIENT_MARGIN',
      `${field} must leave ${sub.key} with leverage (gross notional / equity) <= its limit ` +
        `${sub.limits.maxLeverage}; got ${leverage.toFixed(2)} (notional ${notionalUsd.toFixed(2)} USD, ` +
        `equity ${equityAfterUsd.toFixed(2)} USD)`,
      {
        field,
        rule: 'gross notional / equity <= limits.maxLeverage',
        subAccount: sub.key,
        leverage,
        maxLeverage: sub.limits.maxLeverage,
        notionalUsd,
        equityAfterUsd,
      },
    );
  }
  return { requiredUsd, equityAfterUsd, leverage };
}
