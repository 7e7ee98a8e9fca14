/**
 * How a replayed venue is funded (docs/methodology/simulation.md#funding): each account's
 * collateral as a multiple of its own model's IM (`--funding LO:HI`), and one insurance fund for
 * every model (`--insurance-usd N`), by default a share of the book's open interest, which the
 * model does not change (positions are drawn before any model sizes the collateral).
 *
 * Units: USD; open interest is Σ |units| × underlying price over every position (options counted
 * by their underlying notional).
 */
import { InvalidInputError } from '../../core/errors.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';

/** Default insurance fund, fraction of the book's open interest at the start. */
export const DEFAULT_INSURANCE_OF_OPEN_INTEREST = 0.01;

/** The funding range the bar is measured at (DESIGN "Model quality"). */
export const THIN_FUNDING: readonly [number, number] = [1, 1.3];

/**
 * Open interest of the book at `market`, USD: Σ |size × contractSize| × price of the underlying.
 * @example openInterestUsd([pf], market) // 2 BTC perps at 60,000 → 120,000
 */
export function openInterestUsd(book: readonly Portfolio[], market: MarginMarket): number {
  let total = 0;
  for (const pf of book)
    for (const p of pf.positions) {
      const m = market.instruments.get(p.instrument);
      if (m === undefined) continue;
      const price = market.prices.get(m.instrument.underlying) ?? 0;
      total += Math.abs(p.size * m.instrument.contractSize) * price;
    }
  return total;
}

/** The default insurance fund: 1% of the book's open interest at the start, USD. */
export function defaultInsuranceUsd(book: readonly Portfolio[], market: MarginMarket): number {
  return DEFAULT_INSURANCE_OF_OPEN_INTEREST * openInterestUsd(book, market);
}

/**
 * Parses a funding range `LO:HI` (multiples of IM, 1 ≤ LO ≤ HI ≤ 100).
 * @param flag  the flag's name, for the error
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag, the rule and the value
 * @example parseFundingRange('1.0:1.3') // [1, 1.3]
 */
export function parseFundingRange(text: string, flag = '--funding'): [number, number] {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*:\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!(lo >= 1 && hi >= lo && hi <= 100))
    throw new InvalidInputError(
      flag,
      text,
      'must be LO:HI, multiples of IM with 1 ≤ LO ≤ HI ≤ 100 (e.g. 1.0:1.3)',
    );
  return [lo, hi];
}

/**
 * Parses an insurance fund amount, USD in [0, 1e12].
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag, the rule and the value
 * @example parseInsuranceUsd('250000') // 250000
 */
export function parseInsuranceUsd(text: string, flag = '--insurance-usd'): number {
  const x = Number(text);
  if (!(text.trim() !== '' && x >= 0 && x <= 1e12))
    throw new InvalidInputError(flag, text, 'must be a USD amount from 0 to 1e12');
  return x;
}
