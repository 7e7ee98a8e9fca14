/**
 * @module engine/margin-check
 *
 * The check a withdrawal or a transfer out must pass: after the operation, the sub-account's
 * equity (as its mode's model values it) must cover its requirement,
 *
 *   requiredUsd = max(IM, MM × (1 + bufferFraction))
 *
 * where IM and MM come from the registry model named by the sub-account's margin mode, computed
 * on the sub-account's Portfolio after the operation with the caller's MarginContext. Units: USD
 * (quote ccy, float64). Fails closed: a position the model cannot value refuses the operation.
 */
import { RiskError } from '../core/errors.js';
import type { MarginContext } from '../core/margin/margin-model.js';
import { getMarginModel } from '../core/margin/registry.js';
import type { Portfolio } from '../core/portfolio/portfolio.js';
import type { SubAccount } from './accounts.js';

/** The outcome of a passing check, for diagnostics. */
export interface MarginCheckResult {
  readonly requiredUsd: number;
  readonly equityAfterUsd: number;
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
): MarginCheckResult {
  const model = getMarginModel(sub.mode);
  const result = model.compute(portfolio, ctx, model.defaultParams);
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
  return { requiredUsd, equityAfterUsd };
}
