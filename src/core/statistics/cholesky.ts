/**
 * @module statistics/cholesky
 *
 * Cholesky factor of a symmetric positive-definite matrix, Σ = L·Lᵀ with L lower triangular:
 * the map from independent shocks to correlated ones in Monte Carlo (x = L·z).
 *
 * Cholesky–Banachiewicz, row by row:
 *
 *   L_jj = √(Σ_jj − Σ_{k<j} L_jk²),   L_ij = (Σ_ij − Σ_{k<j} L_ik·L_jk) / L_jj   (i > j)
 *
 * A pivot d_j = Σ_jj − Σ_k L_jk² at or below n·ε·Σ_jj (ε = 2^-52) means the matrix is not
 * positive definite to working precision: singular (perfectly correlated or constant series)
 * or indefinite (an inconsistent correlation matrix). That is an error unless the caller asks
 * for diagonal jitter: Σ + δ·I with δ = initial·mean(diag Σ), multiplied by 10 until the
 * factorisation succeeds or δ exceeds max·mean(diag Σ). The δ used is returned, so a result can
 * record that its covariance was regularised (it adds δ to every variance, a conservative change).
 *
 * Cost n³/6 multiply-adds; no allocation. Reference: G. H. Golub, C. F. Van Loan, Matrix
 * Computations, 4th ed. (2013), §4.2; N. J. Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed. (2002), ch. 10 (rounding level of the pivots).
 */
import { InvalidInputError, InvariantError, requireInput } from '../errors.js';

/** Diagonal regularisation when the matrix is not positive definite. */
export interface CholeskyJitter {
  /** first δ as a fraction of the mean diagonal, e.g. 1e-10 (> 0) */
  readonly initial: number;
  /** largest δ tried, as a fraction of the mean diagonal, e.g. 1e-4 (≥ initial) */
  readonly max: number;
}

/** Options of `choleskyDecompose`. */
export interface CholeskyOptions {
  /** retry with diagonal jitter instead of throwing; absent = throw on the first failure */
  readonly jitter?: CholeskyJitter;
}

/** Tries the factorisation of Σ + δ·I; returns −1 on success or the failing row. */
function tryFactor(m: Float64Array, n: number, delta: number, out: Float64Array): number {
  const tiny = n * 2 ** -52;
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = m[rowI + j]!;
      if (i === j) sum += delta;
      for (let k = 0; k < j; k++) sum -= out[rowI + k]! * out[rowJ + k]!;
      if (i === j) {
        // NaN fails this test too: `sum > ...` is false.
        if (!(sum > tiny * (m[rowI + i]! + delta))) return i;
        out[rowI + i] = Math.sqrt(sum);
      } else {
        out[rowI + j] = sum / out[rowJ + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) out[rowI + j] = 0;
  }
  return -1;
}

/**
 * Lower-triangular Cholesky factor L of a symmetric matrix, Σ + δ·I = L·Lᵀ, into `out`.
 *
 * @param matrix   n × n symmetric matrix, row-major (only the lower triangle is read; the
 *                 upper one is checked to be its transpose), e.g. a covariance per period
 * @param n        order n ≥ 1
 * @param out      n × n output, row-major, distinct from `matrix`; zero above the diagonal
 * @param options  optional jitter policy
 * @returns        δ, the diagonal jitter actually added (0 when Σ itself factorises)
 * @throws InvalidInputError ERR_INVALID_INPUT when the matrix is not symmetric or has a
 *         non-finite entry, or (details: row, pivot, jitter) is not positive definite even
 *         with the largest jitter allowed
 * @throws InvariantError ERR_INVARIANT on a shape mismatch or aliasing
 * @see Golub & Van Loan (2013) §4.2; docs/methodology/var-es.md#monte-carlo
 * @example
 *   const L = new Float64Array(4);
 *   choleskyDecompose(Float64Array.of(4, 2, 2, 5), 2, L); // L = [2, 0, 1, 2]
 */
export function choleskyDecompose(
  matrix: Float64Array,
  n: number,
  out: Float64Array,
  options: CholeskyOptions = {},
): number {
  requireInput(Number.isInteger(n) && n >= 1, 'n', n, 'must be an integer >= 1');
  if (matrix.length !== n * n || out.length !== n * n || out === matrix) {
    throw new InvariantError('Cholesky shape mismatch', { matrix: matrix.length, n, out: out.length });
  }
  let meanDiag = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = matrix[i * n + j]!;
      requireInput(Number.isFinite(x), `matrix[${i}][${j}]`, x, 'must be finite');
      // Exact symmetry: the input is expected to be built symmetric (as the EWMA estimators do).
      requireInput(x === matrix[j * n + i]!, `matrix[${i}][${j}]`, x, `must equal matrix[${j}][${i}]`);
    }
    meanDiag += matrix[i * n + i]! / n;
  }
  const jitter = options.jitter;
  if (jitter !== undefined) {
    requireInput(jitter.initial > 0, 'jitter.initial', jitter.initial, 'must be > 0');
    requireInput(
      jitter.max >= jitter.initial && jitter.max < Infinity,
      'jitter.max',
      jitter.max,
      'must be finite and >= jitter.initial',
    );
  }
  let row = tryFactor(matrix, n, 0, out);
  if (row < 0) return 0;
  if (jitter !== undefined && meanDiag > 0) {
    for (let f = jitter.initial; f <= jitter.max; f *= 10) {
      const delta = f * meanDiag;
      row = tryFactor(matrix, n, delta, out);
      if (row < 0) return delta;
    }
  }
  throw new InvalidInputError(
    'matrix',
    { row, diagonal: matrix[row * n + row], jitterMax: jitter?.max ?? 0 },
    'must be positive definite (a Cholesky pivot is at or below rounding level; singular or indefinite)',
  );
}
