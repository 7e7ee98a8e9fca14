/**
 * @module risk/aggregate
 *
 * A portfolio's scenario P&L is the quantity-weighted sum of its rows of the risk arrays:
 *
 *   pnl[s] = Σ_i qty[i] · unitPnl[rows[i] · S + s]
 *
 * The kernel runs along contiguous memory, allocates nothing and takes its output buffer;
 * `aggregateScenarioPnlReference` is the plain scalar definition it is tested against.
 */
import { InvariantError } from '../errors.js';

/**
 * Sparse quantity-weighted sum of risk-array rows into `out` (length S).
 * @param unitPnl  rows × S risk array
 * @param nScenarios  S
 * @param rows  row index of each held position
 * @param qty   quantity of each held position (same length as rows)
 * @param out   output, length S (overwritten)
 * @throws InvariantError on a shape mismatch or a row out of range
 */
export function aggregateScenarioPnl(
  unitPnl: Float64Array,
  nScenarios: number,
  rows: Int32Array,
  qty: Float64Array,
  out: Float64Array,
): void {
  const n = rows.length;
  const nRows = unitPnl.length / nScenarios;
  if (qty.length !== n || out.length !== nScenarios || !Number.isInteger(nRows)) {
    throw new InvariantError('risk array shape mismatch', {
      unitPnl: unitPnl.length,
      nScenarios,
      rows: n,
      qty: qty.length,
      out: out.length,
    });
  }
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < nRows)) throw new InvariantError('risk array row out of range', { row: r, nRows });
    const q = qty[i]!;
    const base = r * nScenarios;
    for (let s = 0; s < nScenarios; s++) out[s] = out[s]! + q * unitPnl[base + s]!;
  }
}

/** The definition, scalar and unoptimised: for differential tests only. */
export function aggregateScenarioPnlReference(
  unitPnl: ArrayLike<number>,
  nScenarios: number,
  rows: readonly number[],
  qty: readonly number[],
): number[] {
  const out: number[] = [];
  for (let s = 0; s < nScenarios; s++) {
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += qty[i]! * unitPnl[rows[i]! * nScenarios + s]!;
    out.push(sum);
  }
  return out;
}

/** Index and value of the minimum of `pnl` (the worst scenario); ties to the lowest index. */
export function findWorstScenario(pnl: Float64Array): { index: number; pnl: number } {
  let index = 0;
  let worst = Infinity;
  for (let s = 0; s < pnl.length; s++) {
    if (pnl[s]! < worst) {
      worst = pnl[s]!;
      index = s;
    }
  }
  return { index, pnl: worst };
}
