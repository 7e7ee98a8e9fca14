/**
 * @module pricing/black76-batch
 *
 * Batched Black-76 kernels over columnar typed arrays: one option per index, no allocation
 * per option, same formulas and edge cases as the scalar API (black76.ts, implied-vol.ts),
 * checked equal to it on random inputs (black76-batch.test.ts).
 *
 * Shapes are asserted once at entry; after that, indexed reads use `!`. Inputs are validated
 * row by row inside the loop (cheap comparisons) and the first bad row throws with its index,
 * before anything is written for later rows: the outputs of a failed call are unspecified.
 */
import { InvariantError, InvalidInputError, RiskError, XmarginError } from '../errors.js';
import { normCdf, normPdf } from '../numeric/normal.js';
import { S_POINT_MASS, undiscountedPrice } from './black76.js';
import { impliedTotalStdDev } from './implied-vol.js';

/** Columnar inputs: row i is one option. */
export interface Black76BatchInput {
  /** 1 = call, 0 = put */
  readonly isCall: Uint8Array;
  /** forwards F (> 0) */
  readonly forward: Float64Array;
  /** strikes K (> 0) */
  readonly strike: Float64Array;
  /** years to expiry (≤ 0: expired, intrinsic) */
  readonly tYears: Float64Array;
  /** vols σ (≥ 0), annualised fractions */
  readonly vol: Float64Array;
  /** continuously compounded rates */
  readonly rate: Float64Array;
}

/** Output columns of `computeBlack76GreeksBatch`, each of the batch's length. */
export interface Black76GreeksBatchOutput {
  readonly price: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly theta: Float64Array;
  readonly rho: Float64Array;
}

/** Columnar inputs of the batched implied-vol solve. */
export interface ImpliedVolBatchInput {
  readonly isCall: Uint8Array;
  /** discounted option prices */
  readonly price: Float64Array;
  readonly forward: Float64Array;
  readonly strike: Float64Array;
  /** years to expiry (> 0) */
  readonly tYears: Float64Array;
  readonly rate: Float64Array;
}

function assertLength(n: number, columns: Record<string, ArrayLike<number>>): void {
  for (const [name, col] of Object.entries(columns)) {
    if (col.length !== n)
      throw new InvariantError('batch column length mismatch', {
        column: name,
        length: col.length,
        expected: n,
      });
  }
}

function checkRow(
  i: number,
  isCall: number,
  f: number,
  k: number,
  t: number,
  vol: number,
  rate: number,
): void {
  if (!(isCall === 0 || isCall === 1))
    throw new InvalidInputError(`isCall[${i}]`, isCall, 'must be 0 (put) or 1 (call)');
  if (!(f > 0 && f < Infinity)) throw new InvalidInputError(`forward[${i}]`, f, 'must be finite and > 0');
  if (!(k > 0 && k < Infinity)) throw new InvalidInputError(`strike[${i}]`, k, 'must be finite and > 0');
  if (!(t > -Infinity && t < Infinity)) throw new InvalidInputError(`tYears[${i}]`, t, 'must be finite');
  if (!(vol >= 0 && vol < Infinity)) throw new InvalidInputError(`vol[${i}]`, vol, 'must be finite and >= 0');
  if (!(rate > -Infinity && rate < Infinity))
    throw new InvalidInputError(`rate[${i}]`, rate, 'must be finite');
}

/**
 * Black-76 prices of a batch, written to `out` (same length). Equals `priceBlack76` row by row.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the first bad row, e.g. `strike[17]`
 * @throws InvariantError ERR_INVARIANT when column lengths differ
 * @example priceBlack76Batch(input, new Float64Array(input.forward.length))
 */
export function priceBlack76Batch(input: Black76BatchInput, out: Float64Array): void {
  const { isCall, forward, strike, tYears, vol, rate } = input;
  const n = forward.length;
  assertLength(n, { isCall, strike, tYears, vol, rate, out });
  for (let i = 0; i < n; i++) {
    const c = isCall[i]!;
    const f = forward[i]!;
    const k = strike[i]!;
    const t = tYears[i]!;
    const sigma = vol[i]!;
    const r = rate[i]!;
    checkRow(i, c, f, k, t, sigma, r);
    if (t <= 0) {
      out[i] = c === 1 ? Math.max(f - k, 0) : Math.max(k - f, 0);
      continue;
    }
    const s = sigma * Math.sqrt(t);
    const df = Math.exp(-r * t);
    if (s < S_POINT_MASS) {
      out[i] = df * (c === 1 ? Math.max(f - k, 0) : Math.max(k - f, 0));
      continue;
    }
    out[i] = df * undiscountedPrice(c === 1, f, k, s);
  }
}

/**
 * Black-76 prices and greeks of a batch (units as in black76.ts), written to `out`.
 * Equals `computeBlack76Greeks` row by row.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the first bad row
 * @throws InvariantError ERR_INVARIANT when column lengths differ
 */
export function computeBlack76GreeksBatch(input: Black76BatchInput, out: Black76GreeksBatchOutput): void {
  const { isCall, forward, strike, tYears, vol, rate } = input;
  const n = forward.length;
  assertLength(n, { isCall, strike, tYears, vol, rate, ...out });
  const { price, delta, gamma, vega, theta, rho } = out;
  for (let i = 0; i < n; i++) {
    const c = isCall[i]!;
    const f = forward[i]!;
    const k = strike[i]!;
    const t = tYears[i]!;
    const sigma = vol[i]!;
    const r = rate[i]!;
    checkRow(i, c, f, k, t, sigma, r);
    const slope = f > k ? 1 : f < k ? 0 : 0.5;
    if (t <= 0) {
      price[i] = c === 1 ? Math.max(f - k, 0) : Math.max(k - f, 0);
      delta[i] = c === 1 ? slope : slope - 1;
      gamma[i] = 0;
      vega[i] = 0;
      theta[i] = 0;
      rho[i] = 0;
      continue;
    }
    const sqrtT = Math.sqrt(t);
    const s = sigma * sqrtT;
    const df = Math.exp(-r * t);
    if (s < S_POINT_MASS) {
      const p = df * (c === 1 ? Math.max(f - k, 0) : Math.max(k - f, 0));
      price[i] = p;
      delta[i] = df * (c === 1 ? slope : slope - 1);
      gamma[i] = f === k ? Infinity : 0;
      vega[i] = f === k ? df * f * sqrtT * normPdf(0) : 0;
      theta[i] = r * p;
      rho[i] = -t * p;
      continue;
    }
    const d1 = Math.log(f / k) / s + 0.5 * s;
    const pdf = normPdf(d1);
    const p = df * undiscountedPrice(c === 1, f, k, s);
    delta[i] = c === 1 ? df * normCdf(d1) : -df * normCdf(-d1);
    price[i] = p;
    gamma[i] = (df * pdf) / (f * s);
    vega[i] = df * f * pdf * sqrtT;
    theta[i] = r * p - (df * f * pdf * sigma) / (2 * sqrtT);
    rho[i] = -t * p;
  }
}

/**
 * Implied vols of a batch, written to `out`. Equals `impliedVolBlack76` row by row.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the first bad row
 * @throws RiskError ERR_PRICE_OUT_OF_BOUNDS naming the row (`details.row`)
 */
export function impliedVolBlack76Batch(input: ImpliedVolBatchInput, out: Float64Array): void {
  const { isCall, price, forward, strike, tYears, rate } = input;
  const n = forward.length;
  assertLength(n, { isCall, price, strike, tYears, rate, out });
  for (let i = 0; i < n; i++) {
    const c = isCall[i]!;
    const t = tYears[i]!;
    const p = price[i]!;
    checkRow(i, c, forward[i]!, strike[i]!, t, 0, rate[i]!);
    if (!(t > 0 && t < Infinity)) throw new InvalidInputError(`tYears[${i}]`, t, 'must be finite and > 0');
    if (!Number.isFinite(p)) throw new InvalidInputError(`price[${i}]`, p, 'must be finite');
    const df = Math.exp(-rate[i]! * t);
    try {
      out[i] = impliedTotalStdDev(c === 1, p, forward[i]!, strike[i]!, df) / Math.sqrt(t);
    } catch (e) {
      // Name the row, keep the code and the values.
      if (e instanceof XmarginError)
        throw new RiskError(e.code, `row ${i}: ${e.message}`, { ...e.details, row: i }, { cause: e });
      throw e;
    }
  }
}
