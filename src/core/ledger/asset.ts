/**
 * @module ledger/asset
 *
 * An asset of the ledger: a symbol and the number of decimals of its base unit. One whole
 * unit of an asset is 10^decimals base units (1 USDC = 10^6 units, 1 ETH = 10^18 wei).
 * Decimals are fixed per asset for the life of the ledger; amounts of the same symbol with
 * different decimals are different assets and are never combined.
 */
import { InvalidInputError, RiskError } from '../errors.js';

/** Largest number of decimals an asset may have (covers 18-decimal tokens with room to spare). */
export const MAX_DECIMALS = 36;

/**
 * Symbol grammar: 1 to 32 characters, starting with a letter or digit, then letters, digits,
 * `.`, `_` or `-`. Case-sensitive (`stETH`, `USDC.e`, `1INCH`, `BTC-PERP`). No spaces.
 */
export const ASSET_SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** An asset: its symbol and the decimals of its base unit (1 whole = 10^decimals units). */
export interface Asset {
  /** ticker, matching {@link ASSET_SYMBOL_PATTERN}, e.g. `USDC` */
  readonly symbol: string;
  /** decimals of the base unit, an integer in [0, {@link MAX_DECIMALS}], e.g. 6 for USDC */
  readonly decimals: number;
}

/**
 * Throws unless `decimals` is an integer in [0, MAX_DECIMALS]. Shared by the ledger modules.
 * @param decimals  the value to check
 * @param field     the name used in the message
 * @throws InvalidInputError ERR_INVALID_INPUT when out of range, fractional or not a number
 */
export function requireDecimals(decimals: number, field = 'decimals'): void {
  // Written so that NaN and non-numbers fail: Number.isInteger(NaN) is false.
  if (!(Number.isInteger(decimals) && decimals >= 0 && decimals <= MAX_DECIMALS)) {
    throw new InvalidInputError(field, decimals, `must be an integer in [0, ${MAX_DECIMALS}]`);
  }
}

/**
 * Defines an asset after validating it; the result is frozen.
 *
 * Rule: `symbol` matches {@link ASSET_SYMBOL_PATTERN}; `decimals` is an integer in
 * [0, {@link MAX_DECIMALS}].
 *
 * @param symbol    ticker, case-sensitive (callers normalise case at the edge if they want to)
 * @param decimals  decimals of the base unit (USDC 6, BTC 8, ETH 18)
 * @returns         a frozen {@link Asset}
 * @throws InvalidInputError ERR_INVALID_INPUT naming `symbol` or `decimals`
 * @see docs/methodology/ledger.md#base-units-and-decimals
 * @example
 *   const usdc = defineAsset('USDC', 6);  // 1 USDC = 1_000_000n units
 */
export function defineAsset(symbol: string, decimals: number): Asset {
  if (!(typeof symbol === 'string' && ASSET_SYMBOL_PATTERN.test(symbol))) {
    throw new InvalidInputError(
      'symbol',
      symbol,
      'must be 1-32 characters of A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit',
    );
  }
  requireDecimals(decimals);
  return Object.freeze({ symbol, decimals });
}

/**
 * Whether two assets are the same: same symbol and same decimals (identity is the fast path).
 * @param a  an asset
 * @param b  another asset
 * @returns  true when amounts of `a` and `b` may be combined
 */
export function isSameAsset(a: Asset, b: Asset): boolean {
  return a === b || (a.symbol === b.symbol && a.decimals === b.decimals);
}

/**
 * Throws unless `a` and `b` are the same asset. Used by every binary operation on amounts.
 * @param a          the left asset
 * @param b          the right asset
 * @param operation  what was attempted, for the message (e.g. `add`)
 * @throws RiskError ERR_ASSET_MISMATCH with both symbols and decimals in `details`
 */
export function requireSameAsset(a: Asset, b: Asset, operation: string): void {
  if (isSameAsset(a, b)) return;
  throw new RiskError(
    'ERR_ASSET_MISMATCH',
    `cannot ${operation} amounts of ${a.symbol} (${a.decimals} decimals) and ${b.symbol} (${b.decimals} decimals)`,
    {
      operation,
      leftSymbol: a.symbol,
      leftDecimals: a.decimals,
      rightSymbol: b.symbol,
      rightDecimals: b.decimals,
    },
  );
}
