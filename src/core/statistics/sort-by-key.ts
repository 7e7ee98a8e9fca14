/**
 * @module statistics/sort-by-key
 *
 * In-place sorts of an index array by (key, index) ascending: `key[idx[lo]] ≤ … ≤ key[idx[hi − 1]]`,
 * ties in key ordered by the index itself. The order is total, so the result is canonical: it does
 * not depend on the initial permutation. Used by the VaR/ES kernel on small ranges (insertion
 * sort) and as its worst-case fallback, tie-breaking and tail ordering (heapsort: O(m log m), no
 * recursion, no allocation).
 */

/** (key[a], a) < (key[b], b) lexicographically. */
function before(key: Float64Array, a: number, b: number): boolean {
  const ka = key[a]!;
  const kb = key[b]!;
  return ka < kb || (ka === kb && a < b);
}

/**
 * Insertion sort of idx[lo, hi) by (key[idx[·]], idx[·]) ascending; O(m²), for m ≲ 16.
 * @param idx  indices into `key`, permuted in place
 * @param key  sort keys (read only)
 * @param lo   first position (inclusive)
 * @param hi   end position (exclusive)
 */
export function insertionSortByKey(idx: Int32Array, key: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const e = idx[i]!;
    let j = i - 1;
    while (j >= lo && before(key, e, idx[j]!)) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = e;
  }
}

/** Restores the max-heap property below `root` in the heap idx[lo, lo + size). */
function siftDown(idx: Int32Array, key: Float64Array, lo: number, root: number, size: number): void {
  let r = root;
  const e = idx[lo + r]!;
  for (;;) {
    let child = 2 * r + 1;
    if (child >= size) break;
    if (child + 1 < size && before(key, idx[lo + child]!, idx[lo + child + 1]!)) child++;
    if (!before(key, e, idx[lo + child]!)) break;
    idx[lo + r] = idx[lo + child]!;
    r = child;
  }
  idx[lo + r] = e;
}

/**
 * Heapsort of idx[lo, hi) by (key[idx[·]], idx[·]) ascending: O(m log m) worst case, O(1) extra space.
 * @param idx  indices into `key`, permuted in place
 * @param key  sort keys (read only; NaN must have been excluded by the caller)
 * @param lo   first position (inclusive)
 * @param hi   end position (exclusive)
 */
export function heapSortByKey(idx: Int32Array, key: Float64Array, lo: number, hi: number): void {
  const size = hi - lo;
  for (let r = (size >> 1) - 1; r >= 0; r--) siftDown(idx, key, lo, r, size);
  for (let end = size - 1; end > 0; end--) {
    // Move the current maximum to the end of the unsorted part.
    const top = idx[lo]!;
    idx[lo] = idx[lo + end]!;
    idx[lo + end] = top;
    siftDown(idx, key, lo, 0, end);
  }
}
