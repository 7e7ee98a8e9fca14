/**
 * The one place where the conservative choice between the oracle and the stable price is made.
 */
import { requireInput } from '../errors.js';

/** What a price values: something the account owns, or something it owes. */
export type PriceRole = 'asset' | 'liability';

/**
 * Conservative price for initial margin: assets at the lower, liabilities at the higher of the
 * oracle and the stable price.
 *
 *   asset:     min(oracle, stable)
 *   liability: max(oracle, stable)
 *
 * So a sudden oracle rise does not yet raise collateral value, and a sudden fall does not yet
 * shrink a debt (Mango v4 `Prices::asset/liab`; Drift's strict oracle price for IM).
 * Maintenance margin and liquidation use the fresh oracle alone, not this.
 *
 * @param role    'asset' or 'liability'
 * @param oracle  fresh oracle price, quote ccy per unit (> 0)
 * @param stable  stable price (`updateStablePrice`), quote ccy per unit (> 0)
 * @returns       quote ccy per unit
 * @throws InvalidInputError ERR_INVALID_INPUT for a non-positive or non-finite price or an unknown role
 * @see docs/methodology/oracle.md#stable-price
 * @example conservativePrice('asset', 105, 100) // 100
 */
export function conservativePrice(role: PriceRole, oracle: number, stable: number): number {
  requireInput(Number.isFinite(oracle) && oracle > 0, 'oracle', oracle, 'must be finite and > 0');
  requireInput(Number.isFinite(stable) && stable > 0, 'stable', stable, 'must be finite and > 0');
  requireInput(role === 'asset' || role === 'liability', 'role', role, "must be 'asset' or 'liability'");
  // Value what the account owns low and what it owes high: never overstate health.
  return role === 'asset' ? Math.min(oracle, stable) : Math.max(oracle, stable);
}
