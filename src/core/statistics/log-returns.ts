/**
 * @module statistics/log-returns
 *
 * One-period log returns of a joint price history, and the conversion from log to simple
 * (relative) returns that scenarios apply to prices (`spotMove` in the risk arrays).
 *
 *   r[t·A + a] = ln(close[(t + 1)·A + a] / close[t·A + a]),   t = 0 … T − 2
 *
 * Row t of the returns is the move over bar t → bar t + 1; it is dated by `timesMs[t + 1]`.
 * A NaN close on either side gives a NaN return (missing, never zero).
 */
import { InvalidInputError, InvariantError } from '../errors.js';
import type { PriceHistory } from '../history/price-history.js';

/**
 * One-period log returns of every asset of a price history.
 *
 * @param history  aligned joint closes, T × A, NaN = no data
 * @param out      optional (T − 1) × A output
 * @returns        `out`: (T − 1) × A log returns per bar (0.01 ≈ +1%); NaN where a close is missing
 * @throws InvalidInputError ERR_INVALID_INPUT when a close is ≤ 0 or ±∞ (a price must be positive)
 * @throws InvariantError ERR_INVARIANT when the history's shape is inconsistent or `out` has the wrong length
 * @see docs/methodology/var-es.md#returns
 */
export function computeLogReturns(history: PriceHistory, out?: Float64Array): Float64Array {
  const A = history.assets.length;
  const T = history.timesMs.length;
  if (A === 0 || history.close.length !== T * A) {
    throw new InvariantError('price history shape mismatch', {
      assets: A,
      times: T,
      close: history.close.length,
    });
  }
  const rows = Math.max(T - 1, 0);
  const res = out ?? new Float64Array(rows * A);
  if (res.length !== rows * A) {
    throw new InvariantError('log returns output has the wrong length', {
      out: res.length,
      expected: rows * A,
    });
  }
  const close = history.close;
  for (let i = 0; i < close.length; i++) {
    const p = close[i]!;
    if (!Number.isNaN(p) && !(p > 0 && p < Infinity)) {
      const a = i % A;
      throw new InvalidInputError(
        `close[${(i - a) / A}][${history.assets[a]}]`,
        p,
        'must be a finite price > 0, or NaN for no data',
      );
    }
  }
  for (let t = 0; t < rows; t++) {
    for (let a = 0; a < A; a++) res[t * A + a] = Math.log(close[(t + 1) * A + a]! / close[t * A + a]!);
  }
  return res;
}

/**
 * Simple (relative) returns from log returns: m = e^r − 1, computed as `Math.expm1(r)` so small
 * moves keep full precision. NaN stays NaN.
 *
 * @param logReturns  log returns (any layout)
 * @param out         optional output of the same length (may be `logReturns` itself)
 * @returns           `out`: relative moves, > −1 (−0.05 = −5%)
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length
 * @example toSimpleReturns(Float64Array.of(Math.log(1.1))) // [0.1 (to rounding)]
 */
export function toSimpleReturns(logReturns: Float64Array, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(logReturns.length);
  if (res.length !== logReturns.length) {
    throw new InvariantError('simple returns output has the wrong length', {
      out: res.length,
      expected: logReturns.length,
    });
  }
  for (let i = 0; i < logReturns.length; i++) res[i] = Math.expm1(logReturns[i]!);
  return res;
}
