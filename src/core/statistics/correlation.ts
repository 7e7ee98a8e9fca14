/**
 * @module statistics/correlation
 *
 * Correlation matrices: the plain (Pearson) sample correlation of joint return rows, and the
 * correlation implied by a covariance matrix (e.g. the EWMA one).
 *
 * Conventions: matrices are A × A, row-major, exactly symmetric, unit diagonal. A series with
 * zero variance (a constant series, detected exactly; a zero variance on the diagonal of a
 * covariance) has no defined correlation; it is reported as uncorrelated with every other series
 * (off-diagonal 0), which keeps the matrix positive semi-definite.
 * Rounding can push |ρ| a few ulps above 1; entries are clamped to [−1, 1].
 */
import { InvalidInputError, InvariantError } from '../errors.js';
import { countRows, isCompleteRow } from './return-rows.js';

/**
 * Correlation implied by a covariance: ρ_ij = c_ij/√(c_ii·c_jj), ρ_ii = 1.
 *
 * @param covariance  A × A symmetric covariance (any units), row-major
 * @param nAssets     A ≥ 1
 * @param out         optional A × A output, distinct from `covariance`
 * @returns           `out`: the A × A correlation; 0 off the diagonal for a zero-variance asset
 * @throws InvalidInputError ERR_INVALID_INPUT when a diagonal entry is negative or not finite
 * @throws InvariantError ERR_INVARIANT on a shape mismatch or when `out` aliases the input
 */
export function covarianceToCorrelation(
  covariance: Float64Array,
  nAssets: number,
  out?: Float64Array,
): Float64Array {
  const A = nAssets;
  const res = out ?? new Float64Array(A * A);
  if (covariance.length !== A * A || res.length !== A * A || res === covariance) {
    throw new InvariantError('correlation shape mismatch', {
      covariance: covariance.length,
      nAssets,
      out: res.length,
    });
  }
  for (let i = 0; i < A; i++) {
    const v = covariance[i * A + i]!;
    if (!(v >= 0 && v < Infinity)) {
      throw new InvalidInputError(`covariance[${i}][${i}]`, v, 'must be a finite variance >= 0');
    }
  }
  for (let i = 0; i < A; i++) {
    const vi = covariance[i * A + i]!;
    for (let j = 0; j < A; j++) {
      if (i === j) {
        res[i * A + j] = 1;
        continue;
      }
      const vj = covariance[j * A + j]!;
      const rho = vi > 0 && vj > 0 ? covariance[i * A + j]! / Math.sqrt(vi * vj) : 0;
      res[i * A + j] = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    }
  }
  return res;
}

/**
 * Plain sample (Pearson) correlation of joint returns over complete rows (two-pass: means,
 * then centred cross-products, which avoids the cancellation of the one-pass formula):
 *
 *   ρ_ij = Σ_t (r_ti − r̄_i)(r_tj − r̄_j) / √(Σ_t (r_ti − r̄_i)² · Σ_t (r_tj − r̄_j)²)
 *
 * Missing data: a row with any non-finite entry is skipped entirely (complete rows only), so the
 * matrix is positive semi-definite.
 *
 * @param returns  T × A returns, `returns[t·A + a]`; NaN/±∞ = missing
 * @param nAssets  A ≥ 1
 * @param out      optional A × A output
 * @returns        `out`: the A × A correlation (unitless)
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad shape or fewer than 2 complete rows
 * @throws InvariantError ERR_INVARIANT when `out` has the wrong length
 * @see Pearson (1896); docs/methodology/var-es.md#correlation
 */
export function computeSampleCorrelation(
  returns: Float64Array,
  nAssets: number,
  out?: Float64Array,
): Float64Array {
  const T = countRows(returns, nAssets);
  const A = nAssets;
  const res = out ?? new Float64Array(A * A);
  if (res.length !== A * A) {
    throw new InvariantError('correlation output has the wrong length', { out: res.length, expected: A * A });
  }
  const mean = new Float64Array(A);
  // Range of each column: a constant column is detected exactly (its centred values are
  // rounding noise of the mean, not variance).
  const min = new Float64Array(A).fill(Infinity);
  const max = new Float64Array(A).fill(-Infinity);
  let n = 0;
  for (let t = 0; t < T; t++) {
    if (!isCompleteRow(returns, t, A)) continue;
    for (let a = 0; a < A; a++) {
      const x = returns[t * A + a]!;
      mean[a] = mean[a]! + x;
      if (x < min[a]!) min[a] = x;
      if (x > max[a]!) max[a] = x;
    }
    n++;
  }
  if (n < 2)
    throw new InvalidInputError('returns', { completeRows: n }, 'must have at least 2 complete rows');
  for (let a = 0; a < A; a++) mean[a] = mean[a]! / n;
  // Centred cross-products into the lower triangle of `res`, then normalise.
  res.fill(0);
  for (let t = 0; t < T; t++) {
    if (!isCompleteRow(returns, t, A)) continue;
    const base = t * A;
    for (let i = 0; i < A; i++) {
      const di = returns[base + i]! - mean[i]!;
      for (let j = 0; j <= i; j++) res[i * A + j] = res[i * A + j]! + di * (returns[base + j]! - mean[j]!);
    }
  }
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < i; j++) {
      const vi = res[i * A + i]!;
      const vj = res[j * A + j]!;
      const constant = min[i] === max[i] || min[j] === max[j];
      const rho = !constant && vi > 0 && vj > 0 ? res[i * A + j]! / Math.sqrt(vi * vj) : 0;
      const c = rho > 1 ? 1 : rho < -1 ? -1 : rho;
      res[i * A + j] = c;
      res[j * A + i] = c;
    }
  }
  for (let i = 0; i < A; i++) res[i * A + i] = 1;
  return res;
}
