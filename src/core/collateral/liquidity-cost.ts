/**
 * Liquidation cost of a collateral holding as a fraction of its value: the liquidity part of the
 * dynamic haircut (docs/methodology/collateral.md#liquidity-part).
 */
import { requireInput } from '../errors.js';
import type { DepthCurve } from '../market/depth-curve.js';
import { computeExecutionCost } from '../market/execution-cost.js';

/** Square-root impact assumption used when no depth curve is given. */
export interface SqrtImpactAssumption {
  /** half the relative bid-ask spread, fraction in [0, 1) */
  readonly halfSpread: number;
  /** impact coefficient k, dimensionless, ≥ 0 */
  readonly impactCoefficient: number;
  /** average daily traded volume of the asset, USD (> 0) */
  readonly advUsd: number;
}

/** Result of {@link computeLiquidityCostFraction}. */
export interface LiquidityCostResult {
  /** cost of selling the holding at once / its value, fraction in [0, 1] */
  readonly costFraction: number;
  /** where the cost came from */
  readonly source: 'depth-curve' | 'sqrt-impact';
}

/**
 * Cost of selling a holding of value V at once, as a fraction of V.
 *
 *   depth curve given: q = V / P_ref, fraction = executionCost(curve, −q).costUsd / V
 *                      (the market module's walk of the bids, or its sqrt curve)
 *   otherwise:         fraction = min(1, halfSpread + k·√(V / ADV))
 *
 * Non-decreasing in V for both (a book's cost is convex with cost(0) = 0, so its average cost
 * per unit never falls; the sqrt term grows with V). V = 0 costs nothing.
 *
 * @param valueUsd    held value V, USD (finite, ≥ 0)
 * @param assumption  sqrt-impact parameters, used when `curve` is absent
 * @param curve       the asset's depth curve (quote USD), preferred when given
 * @returns           cost fraction in [0, 1] and its source
 * @throws InvalidInputError ERR_INVALID_INPUT when V is negative or not finite, or ADV ≤ 0
 * @throws RiskError ERR_MISSING_MARKET_DATA when V exceeds a book's bid depth under its 'throw'
 *         rule (fail closed: a holding the book cannot absorb has no liquidity estimate)
 * @see docs/methodology/collateral.md#liquidity-part; Almgren et al. (2005), Risk 18(7)
 * @example computeLiquidityCostFraction(1e6, { halfSpread: 0.0002, impactCoefficient: 0.1, advUsd: 1e8 })
 *          // { costFraction: 0.0102, source: 'sqrt-impact' }
 */
export function computeLiquidityCostFraction(
  valueUsd: number,
  assumption: SqrtImpactAssumption,
  curve?: DepthCurve,
): LiquidityCostResult {
  requireInput(Number.isFinite(valueUsd) && valueUsd >= 0, 'valueUsd', valueUsd, 'must be finite and >= 0');
  if (curve !== undefined) {
    const qty = valueUsd / curve.referencePrice;
    // A value so small that its quantity underflows to 0 sells for nothing and costs nothing.
    if (qty === 0) return { costFraction: 0, source: 'depth-curve' };
    const r = computeExecutionCost(curve, -qty);
    // Measured against the curve's own reference value so that the fraction is a pure slippage.
    return { costFraction: Math.min(1, r.costUsd / (qty * curve.referencePrice)), source: 'depth-curve' };
  }
  requireInput(
    Number.isFinite(assumption.advUsd) && assumption.advUsd > 0,
    'advUsd',
    assumption.advUsd,
    'must be finite and > 0',
  );
  if (valueUsd === 0) return { costFraction: 0, source: 'sqrt-impact' };
  const f = assumption.halfSpread + assumption.impactCoefficient * Math.sqrt(valueUsd / assumption.advUsd);
  // A sale cannot cost more than the holding is worth.
  return { costFraction: Math.min(1, f), source: 'sqrt-impact' };
}
