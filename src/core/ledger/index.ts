/**
 * @module ledger
 *
 * Exact money. Risk math elsewhere in xmargin is float64; the ledger is bigint.
 *
 * What it models: assets with fixed decimals ({@link Asset}, {@link AssetRegistry}), exact
 * amounts of one asset ({@link Amount}), rounding modes for exact division, decimal strings
 * on the wire, conserving allocation, and the single float ↔ exact boundary (`convert.ts`).
 *
 * Units: an amount is an integer number of base units (`bigint`); one whole unit of an asset
 * is 10^decimals base units (1 USDC = 1_000_000n with 6 decimals). Names of bigint ledger
 * quantities end in `Units` (`balanceUnits`, `feeUnits`). On the wire amounts are decimal
 * strings of whole units (`"1.500000"`), never JSON numbers.
 *
 * Sign convention: positive = the holder owns it; negative = the holder owes it.
 *
 * Invariants:
 * - sums and differences are exact; amounts of different assets are never combined
 *   (`ERR_ASSET_MISMATCH`);
 * - `allocate` conserves the total: Σ parts = total, each part within 1 unit of its share;
 * - decimal string ↔ units round trips are lossless.
 *
 * Rounding policy: round against the account, in favour of solvency. Requirements and fees
 * round up (`requirementToUnits`, `'ceil'`); collateral credit rounds down (`creditToUnits`,
 * `'floor'`); liquidation sizes round so that post-trade health is never overstated
 * (`liquidationSizeToUnits`, `'up'`). Every other rounding names its mode at the call site.
 *
 * @see docs/methodology/ledger.md
 */
export { ASSET_SYMBOL_PATTERN, MAX_DECIMALS, defineAsset, isSameAsset } from './asset.js';
export type { Asset } from './asset.js';
export { AssetRegistry } from './asset-registry.js';
export {
  addAmounts,
  amountOf,
  compareAmounts,
  isZero,
  negateAmount,
  scaleAmount,
  subtractAmounts,
  sumAmounts,
} from './amount.js';
export type { Amount } from './amount.js';
export {
  ROUNDING_MODES,
  divideCeil,
  divideDown,
  divideFloor,
  divideHalfDown,
  divideHalfEven,
  divideHalfUp,
  divideRounded,
  divideUp,
  isRoundingMode,
} from './rounding.js';
export type { RoundingMode } from './rounding.js';
export { formatAmount, formatDecimal, parseAmount, parseDecimal } from './decimal.js';
export type { FormatDecimalOptions } from './decimal.js';
export { allocate, allocateAmount } from './allocate.js';
export { creditToUnits, fromUnits, liquidationSizeToUnits, requirementToUnits, toUnits } from './convert.js';
