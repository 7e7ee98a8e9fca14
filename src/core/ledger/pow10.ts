/**
 * @module ledger/pow10
 *
 * Powers of ten as bigint, cached: 10^k is needed on every parse, conversion and rescale, and
 * `10n ** BigInt(k)` allocates each time. Internal to the ledger (not re-exported).
 */

/** Cached powers cover 0..CACHED (decimals ≤ 36, plus room for parsed fraction excess). */
const CACHED = 80;

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [1n];
  for (let k = 1; k <= CACHED; k++) table.push(table[k - 1]! * 10n);
  return table;
})();

/**
 * 10^k as a bigint, exact.
 * @param k  exponent, a non-negative integer (unchecked: callers validate decimals first)
 * @returns  10^k
 */
export function pow10(k: number): bigint {
  return k <= CACHED ? TABLE[k]! : 10n ** BigInt(k);
}
