/**
 * @module pricing
 *
 * Black-76 valuation of European options on a forward: price and greeks (scalar and batched
 * over typed arrays), and implied volatility. Conventions (units, signs, edge cases) are in
 * black76.ts and docs/methodology/pricing.md: prices in quote currency per unit of underlying,
 * delta = ∂V/∂F discounted, vega per 1.00 of vol, theta = −∂V/∂t per year, rho per 1.00 of rate.
 * Invariants tested: put-call parity, price bounds, monotonicity, greeks = finite differences,
 * implied-vol round trip, batch = scalar bit for bit.
 */
export {
  computeBlack76Greeks,
  priceBlack76,
  S_POINT_MASS,
  validateBlack76Input,
  type Black76Greeks,
  type Black76Input,
} from './black76.js';
export { impliedVolBlack76, type ImpliedVolInput } from './implied-vol.js';
export {
  computeBlack76GreeksBatch,
  impliedVolBlack76Batch,
  priceBlack76Batch,
  type Black76BatchInput,
  type Black76GreeksBatchOutput,
  type ImpliedVolBatchInput,
} from './black76-batch.js';
