/**
 * @module portfolio/plausibility
 *
 * Plausibility bounds on what crosses an edge (a file, a command-line flag, an HTTP body): values
 * that are well-formed but cannot be meant, refused with the field, the rule and the value
 * instead of being margined into nonsense (an IM of 10^16 USD, a vol of 5,000%):
 *
 * - notional: |size × contractSize × index| of a position or trade, and |qty × price| of a
 *   collateral balance, at most `maxNotionalUsd` (default 10^10 USD: beyond any single account);
 * - volatility: an option's vol (given, from a surface, or implied from its mark) at most `maxVol`
 *   (default 5 = 500%; a vol is a fraction, so `50` was almost certainly meant as 50%);
 * - times: years to expiry ≥ 0 (checked by the file schemas).
 *
 * The bounds are opt-in: edges pass {@link DEFAULT_PLAUSIBILITY} (or the user's), internal
 * builders (simulation, backtests) that mark real crashes do not.
 */
import { InvalidInputError } from '../errors.js';

/** The bounds (module header). */
export interface PlausibilityBounds {
  /** largest notional of one position, trade or collateral balance, USD (> 0; Infinity: none) */
  readonly maxNotionalUsd: number;
  /** largest option vol, annualised fraction (> 0; Infinity: none) */
  readonly maxVol: number;
}

/** 10^10 USD per position or balance; vol 5 (500%). */
export const DEFAULT_PLAUSIBILITY: PlausibilityBounds = Object.freeze({ maxNotionalUsd: 1e10, maxVol: 5 });

/** No bounds (internal callers). */
export const NO_PLAUSIBILITY_BOUNDS: PlausibilityBounds = Object.freeze({
  maxNotionalUsd: Infinity,
  maxVol: Infinity,
});

const usd = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

/**
 * Refuses a notional above the bound.
 * @param field     the field the value came from, e.g. `positions[0].size`
 * @param value     the value as given (size or amount)
 * @param notional  its notional in USD
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field, the bound and the value
 */
export function checkNotional(field: string, value: unknown, notional: number, b: PlausibilityBounds): void {
  if (Math.abs(notional) <= b.maxNotionalUsd) return;
  throw new InvalidInputError(
    field,
    value,
    `must keep the notional within the plausibility bound ${usd(b.maxNotionalUsd)} USD ` +
      `(notional ${Math.abs(notional).toExponential(3)} USD; raise the bound explicitly if it is meant)`,
  );
}

/**
 * Refuses a vol above the bound.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field, the bound and the value
 */
export function checkVol(field: string, vol: number, b: PlausibilityBounds): void {
  if (vol <= b.maxVol) return;
  throw new InvalidInputError(
    field,
    vol,
    `must be <= ${b.maxVol} (${100 * b.maxVol}%) unless high vols are allowed explicitly; ` +
      `a vol is a fraction (0.5 = 50%)${vol >= 1 && vol <= 1000 ? `: did you mean ${vol / 100}?` : ''}`,
  );
}
