/**
 * @module ledger/allocate
 *
 * Exact split of an integer total by integer ratios, conserving the total: largest-remainder
 * (Hamilton) allocation. Used for fees, penalties and socialised losses, where Σ parts = total
 * is an invariant of the ledger (STYLE §3.7 "Exact allocation conserves the total").
 */
import { InvalidInputError, InvariantError } from '../errors.js';
import type { Amount } from './amount.js';

/**
 * Splits `total` base units in proportion to `ratios`, exactly, by largest remainder.
 *
 * Rule, for T = |total| and S = Σ ratios:
 *   1. base_i = ⌊T·r_i / S⌋ and rem_i = T·r_i mod S (so T·r_i / S = base_i + rem_i / S);
 *   2. leftover L = T − Σ base_i (0 ≤ L < number of positive ratios);
 *   3. the L largest remainders get one unit each; equal remainders go to the lower index.
 *   4. a negative total is split as |total| and every part negated:
 *      allocate(−T, r) = −allocate(T, r) (a loss is shared exactly like a gain).
 *
 * Guarantees: Σ parts = total; each part is ⌊share⌋ or ⌈share⌉ of its exact share
 * total·r_i/S (so within 1 unit); a zero ratio gets 0 (its remainder is 0, and L units always
 * go to positive remainders since Σ rem_i = L·S with every rem_i < S); when S divides
 * total·r_i for every i the split is exactly proportional; the result is deterministic.
 *
 * @param total   signed integer base units to split
 * @param ratios  non-negative integer weights, at least one positive (e.g. `[3n, 3n, 1n]`,
 *                or basis points; only their proportions matter)
 * @returns       one part per ratio, in base units, summing exactly to `total`
 * @throws InvalidInputError ERR_INVALID_INPUT when `ratios` is empty, all zero, or has a
 *   negative or non-bigint entry (field `ratios[i]`)
 * @throws InvariantError ERR_INVARIANT if the parts failed to sum to the total (a bug)
 * @see docs/methodology/ledger.md#largest-remainder-allocation
 * @example
 *   // 1000 units by 3:3:1 → exact shares 428.57…, 428.57…, 142.86…; bases 428, 428, 142 (998);
 *   // the 2 leftover units go to remainders 6/7 (index 2) then 4/7 (index 0, tie → lower index)
 *   allocate(1000n, [3n, 3n, 1n]);  // [429n, 428n, 143n]
 */
export function allocate(total: bigint, ratios: readonly bigint[]): bigint[] {
  if (typeof total !== 'bigint') throw new InvalidInputError('total', total, 'must be a bigint');
  const n = ratios.length;
  let sum = 0n;
  for (let i = 0; i < n; i++) {
    const r = ratios[i];
    if (!(typeof r === 'bigint' && r >= 0n)) {
      throw new InvalidInputError(`ratios[${i}]`, r, 'must be a non-negative bigint');
    }
    sum += r;
  }
  if (sum === 0n) throw new InvalidInputError('ratios', ratios, 'must contain at least one positive ratio');

  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const parts: bigint[] = new Array<bigint>(n);
  const remainders: bigint[] = new Array<bigint>(n);
  let allocated = 0n;
  for (let i = 0; i < n; i++) {
    const product = magnitude * ratios[i]!; // bounds: i < n = ratios.length
    const base = product / sum; // floor: product ≥ 0 and sum > 0
    parts[i] = base;
    remainders[i] = product - base * sum;
    allocated += base;
  }

  // L < n, as a number; L ≥ 0 because each base ≤ exact share.
  const leftover = Number(magnitude - allocated);
  if (leftover > 0) {
    // Order indices by remainder descending, ties by index ascending: deterministic.
    const order: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      return ra > rb ? -1 : ra < rb ? 1 : a - b;
    });
    for (let k = 0; k < leftover; k++) {
      const i = order[k]!;
      parts[i] = parts[i]! + 1n;
    }
  }

  let check = 0n;
  for (let i = 0; i < n; i++) {
    if (negative) parts[i] = -parts[i]!;
    check += parts[i]!;
  }
  // Conservation is the whole point: verify it rather than trust it.
  if (check !== total)
    throw new InvariantError('allocation does not conserve the total', { total, sum: check });
  return parts;
}

/**
 * Splits an amount by ratios with {@link allocate}; every part is in the same asset.
 * @param amount  the amount to split (any sign)
 * @param ratios  non-negative integer weights, at least one positive
 * @returns       one amount per ratio; their units sum exactly to `amount.units`
 * @throws InvalidInputError ERR_INVALID_INPUT on invalid ratios (see {@link allocate})
 * @example
 *   // A 1 USDC penalty split 70/30 between insurance fund and liquidator:
 *   allocateAmount(amountOf(usdc, 1_000_000n), [70n, 30n]);  // 700_000n and 300_000n units
 */
export function allocateAmount(amount: Amount, ratios: readonly bigint[]): Amount[] {
  const parts = allocate(amount.units, ratios);
  const out: Amount[] = new Array<Amount>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = { asset: amount.asset, units: parts[i]! };
  return out;
}
