/**
 * dYdX v4 open-interest-scaled initial margin fraction ("OIMF"), as
 * `LiquidityTier.GetInitialMarginQuoteQuantums` in
 * `dydxprotocol/v4-chain: protocol/x/perpetuals/types/liquidity_tier.go` computes it, in float64
 * (dYdX works in integer quote quantums and rounds the requirement up; here the fraction is exact
 * to double precision and nothing is rounded).
 */
import { requireInput } from '../../../errors.js';
import type { DydxLiquidityTier } from './dydx-params.js';

/**
 * Effective initial margin fraction of a tier at a market open interest.
 *
 *   OI ≥ upper (upper ≠ 0)          → 1
 *   upper = 0  or  OI ≤ lower       → base
 *   otherwise                       → min(base + (OI − lower)/(upper − lower)·(1 − base), 1)
 *
 * The branch order is dYdX's: the "≥ upper" test comes first, so with lower = upper ≠ 0 an open
 * interest equal to the cap gives 1.
 *
 * @param tier             the liquidity tier (fractions in [0, 1], caps in USD)
 * @param openInterestUsd  the market's open interest, USD notional (≥ 0)
 * @returns                the fraction, in [base, 1]
 * @throws InvalidInputError ERR_INVALID_INPUT when openInterestUsd is negative or NaN
 * @see docs/methodology/presets-deribit-dydx-drift.md#dydx
 * @example initialMarginFraction({ initialMarginFraction: 0.2, maintenanceFraction: 0.5,
 *   openInterestLowerCapUsd: 1e6, openInterestUpperCapUsd: 2e6 }, 1.5e6) // 0.6
 */
export function initialMarginFraction(tier: DydxLiquidityTier, openInterestUsd: number): number {
  requireInput(
    openInterestUsd >= 0 && openInterestUsd < Infinity,
    'openInterestUsd',
    openInterestUsd,
    'must be finite and >= 0',
  );
  const base = tier.initialMarginFraction;
  const lower = tier.openInterestLowerCapUsd;
  const upper = tier.openInterestUpperCapUsd;
  if (upper !== 0 && openInterestUsd >= upper) return 1;
  if (upper === 0 || openInterestUsd <= lower) return base;
  // lower < OI < upper here, so upper − lower > 0.
  const scaling = (openInterestUsd - lower) / (upper - lower);
  return Math.min(base + scaling * (1 - base), 1);
}

/**
 * Maintenance margin fraction of a tier: base IMF × maintenance fraction. dYdX computes the MMR
 * from the *base* IMR (open interest 0), so OI scaling never raises it.
 * @returns fraction in [0, base]
 * @example maintenanceMarginFraction({ initialMarginFraction: 0.02, maintenanceFraction: 0.6, ... }) // 0.012
 */
export function maintenanceMarginFraction(tier: DydxLiquidityTier): number {
  return tier.initialMarginFraction * tier.maintenanceFraction;
}
