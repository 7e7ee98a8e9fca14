/**
 * @module pricing/implied-vol
 *
 * Black-76 implied volatility, robust over the whole range: deep in and out of the money,
 * tiny time value, near the upper price bound.
 *
 * Method. Work with the normalised out-of-the-money price. With x = ln(F/K) and s = σ√t,
 *
 *   b(x, s) = e^{x/2}·N(x/s + s/2) − e^{−x/2}·N(x/s − s/2)  = call / (DF·√(FK)),
 *
 * an in-the-money option is first turned into its out-of-the-money twin by put-call parity
 * (C − P = DF·(F − K)) and b_put(x, s) = b_call(−x, s), so we always solve b(x, s) = β with
 * x ≤ 0 and 0 ≤ β < e^{x/2}. As a function of s, b rises from 0 to e^{x/2}, is convex below the
 * inflection point s_c = √(2|x|) and concave above it. We solve
 *   - below s_c: ln b(x, s) = ln β   (ln b ≈ −x²/(2s²): tiny prices stay well conditioned),
 *   - above s_c: ln(e^{x/2} − b) = ln(e^{x/2} − β)   (the gap decays like e^{−s²/8}),
 * with Halley steps (second derivatives in closed form) kept inside a bracket that shrinks at
 * every evaluation; a step that leaves the bracket is replaced by bisection. This cannot
 * diverge, and typically converges in 2–4 iterations to ~1e-15 relative in s.
 *
 * Derivatives used (v = ∂b/∂s is the normalised vega):
 *   v = e^{−x²/(2s²) − s²/8} / √(2π),   ∂v/∂s = v·(x²/s³ − s/4)
 *
 * References: P. Jäckel, "Let's be rational" (Wilmott, 2015) for the normalised price, its
 * inflection point and the choice of objective per region; the implementation here is ours.
 */
import { RiskError, requireInput } from '../errors.js';
import { erfcxTail, normCdf, TAIL_X, UNDERFLOW_X } from '../numeric/normal.js';
import { TOL } from '../numeric/tolerances.js';
import type { OptionType } from './black76.js';

/** Inputs of an implied-volatility solve. */
export interface ImpliedVolInput {
  readonly type: OptionType;
  /** option price, quote ccy per unit of underlying (discounted, as `priceBlack76` returns) */
  readonly price: number;
  /** forward F (> 0) */
  readonly forward: number;
  /** strike K (> 0) */
  readonly strike: number;
  /** time to expiry in years (> 0) */
  readonly tYears: number;
  /** continuously compounded rate (default 0) */
  readonly rate?: number;
}

/** 1/√(2π) */
const INV_SQRT_2PI = 0.3989422804014327;
/** ½√(2π) */
const HALF_SQRT_2PI = 1.2533141373155003;
/** ½ln(2π) */
const HALF_LN_2PI = 0.9189385332046728;
/** 1/√2 */
const INV_SQRT2 = 0.7071067811865476;
/** Relative Halley step below which the iterate after it is converged (cubic convergence). */
const HALLEY_DONE = 1e-7;
/** Iteration budget: Halley + bisection on a bracket of at most ~[1e-300, 80]; never reached in tests. */
const MAX_ITERATIONS = 100;

/**
 * Implied volatility σ such that priceBlack76(σ) = price.
 *
 * A price within rounding of intrinsic value (8 ulps of DF·max(F, K)) returns 0.
 *
 * @param o  type, price, forward, strike, tYears, rate
 * @returns  σ, annualised fraction (≥ 0)
 * @throws InvalidInputError ERR_INVALID_INPUT for NaN / out-of-range inputs (tYears must be > 0)
 * @throws RiskError ERR_PRICE_OUT_OF_BOUNDS when price < DF·intrinsic or price ≥ DF·F (call) /
 *         DF·K (put): no volatility reproduces such a price
 * @throws RiskError ERR_NO_CONVERGENCE if the budget runs out (not observed; reported with inputs)
 * @example impliedVolBlack76({ type: 'call', price: 2.1334, forward: 60.0 * Math.exp(0.08*0.25), strike: 65, tYears: 0.25, rate: 0.08 }) // ≈ 0.30
 */
export function impliedVolBlack76(o: ImpliedVolInput): number {
  requireInput(o.type === 'call' || o.type === 'put', 'type', o.type, "must be 'call' or 'put'");
  requireInput(o.forward > 0 && o.forward < Infinity, 'forward', o.forward, 'must be finite and > 0');
  requireInput(o.strike > 0 && o.strike < Infinity, 'strike', o.strike, 'must be finite and > 0');
  requireInput(o.tYears > 0 && o.tYears < Infinity, 'tYears', o.tYears, 'must be finite and > 0');
  requireInput(Number.isFinite(o.price), 'price', o.price, 'must be finite');
  const rate = o.rate ?? 0;
  requireInput(Number.isFinite(rate), 'rate', rate, 'must be finite');
  const s = impliedTotalStdDev(o.type === 'call', o.price, o.forward, o.strike, Math.exp(-rate * o.tYears));
  return s / Math.sqrt(o.tYears);
}

/**
 * Implied total standard deviation s = σ√t from a discounted price (no input validation:
 * callers validate; the batched kernel calls this directly).
 * @throws RiskError ERR_PRICE_OUT_OF_BOUNDS, ERR_NO_CONVERGENCE
 */
export function impliedTotalStdDev(isCall: boolean, price: number, f: number, k: number, df: number): number {
  const intrinsicValue = df * (isCall ? Math.max(f - k, 0) : Math.max(k - f, 0));
  const upper = df * (isCall ? f : k);
  // Out-of-the-money twin: subtract the intrinsic part (parity) when in the money.
  let otm = price - intrinsicValue;
  // A price within rounding of intrinsic (8 ulps of DF·max(F, K), the scale of the terms any
  // Black pricer subtracts) is intrinsic: its time value is not identifiable.
  const slack = 8 * TOL.EPS * df * Math.max(f, k);
  if (otm < 0 && otm >= -slack) otm = 0;
  if (!(otm >= 0) || !(price < upper)) {
    throw new RiskError(
      'ERR_PRICE_OUT_OF_BOUNDS',
      `price must satisfy DF·intrinsic <= price < ${isCall ? 'DF·F' : 'DF·K'}, i.e. ${intrinsicValue} <= price < ${upper}; got ${price}`,
      { field: 'price', price, lower: intrinsicValue, upper, forward: f, strike: k, df },
    );
  }
  if (otm === 0) return 0;
  const x = -Math.abs(Math.log(f / k));
  const beta = otm / (df * Math.sqrt(f * k));
  return solveNormalised(x, beta, { price, forward: f, strike: k, df });
}

/**
 * Solves b(x, s) = β for s, x ≤ 0, 0 < β < e^{x/2}. See the module header.
 */
function solveNormalised(x: number, beta: number, context: Record<string, unknown>): number {
  const bMax = Math.exp(0.5 * x);
  if (!(beta < bMax)) {
    throw new RiskError(
      'ERR_PRICE_OUT_OF_BOUNDS',
      `normalised price must be < e^{x/2} = ${bMax}; got ${beta}`,
      {
        field: 'price',
        ...context,
      },
    );
  }
  const sC = Math.sqrt(-2 * x);
  // At s_c, d1 = x/s_c + s_c/2 = 0 and d2 = −s_c: b_c = ½e^{x/2} − e^{−x/2}·N(−s_c).
  const bC = sC > 0 ? Math.max(0.5 * bMax - normCdf(-sC) / bMax, 0) : 0;
  const lower = beta < bC;
  // Bracket and a first guess from the leading asymptotics of each region.
  let lo: number;
  let hi: number;
  let s: number;
  const target = lower ? Math.log(beta) : Math.log(bMax - beta);
  let hiVerified = lower; // s_c bounds the lower region exactly; the upper cap is only a bound
  if (lower) {
    lo = 0;
    hi = sC;
    s = guessLower(x, target, sC, bC);
  } else {
    lo = sC;
    // b(80) = e^{x/2} in double precision: any representable β < e^{x/2} has its root below.
    hi = 80;
    s = guessUpper(x, target, sC, bMax - bC);
    if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
  }
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    const v = normalisedVega(x, s);
    const d1 = x / s + 0.5 * s;
    const d2 = d1 - s;
    // Objective g(s) (increasing in s in both regions) and its first two derivatives.
    let g: number;
    let g1: number;
    let g2: number;
    const curv = (x * x) / (s * s * s) - 0.25 * s; // v'/v
    if (lower) {
      // In the tails (d2 < d1 < −TAIL_X) the Gaussian factors of both terms equal √(2π)·v:
      // b = ½√(2π)·v·(R(−d1/√2) − R(−d2/√2)), one exp per iteration (v) instead of five.
      const b =
        d1 < -TAIL_X && d1 > -UNDERFLOW_X && v > 0
          ? HALF_SQRT_2PI * v * (erfcxTail(-d1 * INV_SQRT2) - erfcxTail(-d2 * INV_SQRT2))
          : normalisedPrice(x, s);
      g = Math.log(b) - target;
      g1 = v / b;
      g2 = g1 * curv - g1 * g1;
    } else {
      // gap = e^{x/2} − b computed from its own tails, never by subtraction; in the tails
      // (d1 > TAIL_X, d2 < −TAIL_X) it is ½√(2π)·v·(R(d1/√2) + R(−d2/√2)).
      const gap =
        d1 > TAIL_X && d2 < -TAIL_X && v > 0
          ? HALF_SQRT_2PI * v * (erfcxTail(d1 * INV_SQRT2) + erfcxTail(-d2 * INV_SQRT2))
          : normalisedGap(x, s);
      g = target - Math.log(gap);
      g1 = v / gap;
      g2 = g1 * curv + g1 * g1;
    }
    if (g === 0 || !Number.isFinite(g)) {
      if (g === 0) return s;
      // ln(0) = −∞ in the lower region: s is far too small; move up.
      lo = s;
      s = 0.5 * (lo + hi);
      continue;
    }
    if (g < 0) lo = s;
    else {
      hi = s;
      hiVerified = true;
    }
    // Halley: Δ = (−g/g1) / (1 − g·g2/(2·g1²)) = newton / (1 + newton·g2/(2·g1)).
    const newton = -g / g1;
    const denom = 1 + (0.5 * newton * g2) / g1;
    let next = s + (denom > 0.5 ? newton / denom : newton);
    const interpolated = next > lo && next < hi;
    // Outside the bracket: bisect, except while the upper end is still the unverified cap
    // (no evaluation above the root yet), where doubling is the safe, short step.
    if (!interpolated) next = hiVerified ? 0.5 * (lo + hi) : Math.min(2 * s, 0.5 * (lo + hi));
    // Halley converges cubically: once an accepted step is below 1e-7·s, the error after it is
    // of order (1e-7)³ relative, far below ε; no confirming iteration is needed.
    if ((interpolated && Math.abs(next - s) <= HALLEY_DONE * s) || hi - lo <= 2 * TOL.EPS * hi) return next;
    s = next;
  }
  throw new RiskError(
    'ERR_NO_CONVERGENCE',
    `implied volatility did not converge in ${MAX_ITERATIONS} iterations`,
    {
      ...context,
      x,
      beta,
      bracket: [lo, hi],
    },
  );
}

/**
 * Starting point below the inflection point.
 * - Near s_c (β ≥ b_c/50): one Newton step from s_c on ln b as a function of u = 1/s², which is
 *   nearly linear (ln b ≈ −x²u/2 + slowly varying terms); its slope at s_c is
 *   d ln b/du = −(v_c/b_c)·s_c³/2 with v_c = e^{x/2}·φ(0).
 * - Deeper: the tail asymptotics N(−z) ≈ φ(z)/z give b ≈ v·s/((x/s)² − s²/4) with
 *   ln v = −x²/(2s²) − s²/8 − ½ln(2π); two fixed-point steps on
 *   x²/(2s²) = −ln β − s²/8 − ½ln(2π) + ln(s/((x/s)² − s²/4)).
 * Kept inside (0, s_c).
 */
function guessLower(x: number, lnBeta: number, sC: number, bC: number): number {
  const lnBc = Math.log(bC);
  if (lnBeta - lnBc > -Math.log(50)) {
    const vC = Math.exp(0.5 * x) * INV_SQRT_2PI;
    const slope = -0.5 * (vC / bC) * sC * sC * sC; // d ln b / du at u_c = 1/s_c²
    const u = 1 / (sC * sC) + (lnBeta - lnBc) / slope;
    return Math.min(Math.max(1 / Math.sqrt(u), 0.02 * sC), 0.99 * sC);
  }
  let s = -x / Math.sqrt(-2 * lnBeta);
  for (let i = 0; i < 2; i++) {
    s = Math.min(Math.max(s, 0.02 * sC), 0.8 * sC);
    const q = (x * x) / (s * s) - 0.25 * s * s;
    const rhs = -lnBeta - 0.125 * s * s - HALF_LN_2PI + Math.log(s / q);
    if (!(rhs > 0)) break;
    s = -x / Math.sqrt(2 * rhs);
  }
  return Math.min(Math.max(s, 0.02 * sC), 0.95 * sC);
}

/**
 * Starting point above the inflection point, where the gap e^{x/2} − b decays like e^{−s²/8}.
 * - Near s_c (gap ≥ gap_c/50): one Newton step from s_c on ln(gap) as a function of w = s²,
 *   nearly linear; its slope at s_c is d ln(gap)/dw = −v_c/(2·s_c·gap_c), v_c = e^{x/2}·φ(0).
 * - Further: the tail asymptotics give gap ≈ v·(1/d1 + 1/|d2|); two fixed-point steps on
 *   s²/8 = −ln(gap) − x²/(2s²) − ½ln(2π) + ln(1/d1 + 1/|d2|).
 */
function guessUpper(x: number, lnGap: number, sC: number, gapC: number): number {
  const lnGapC = Math.log(gapC);
  const vC = Math.exp(0.5 * x) * INV_SQRT_2PI;
  if (lnGap - lnGapC > -Math.log(50) && sC > 0) {
    const slope = -vC / (2 * sC * gapC);
    return Math.sqrt(sC * sC + (lnGap - lnGapC) / slope);
  }
  let s = Math.max(Math.sqrt(Math.max(-8 * lnGap, 0)), 1.2 * sC, 1e-3);
  for (let i = 0; i < 3; i++) {
    const d1 = x / s + 0.5 * s;
    const d2 = d1 - s;
    const rhs = -lnGap - (0.5 * x * x) / (s * s) - HALF_LN_2PI + Math.log(1 / d1 + 1 / -d2);
    if (!(rhs > 0)) break;
    s = Math.max(Math.sqrt(8 * rhs), 1.2 * sC, 1e-3);
  }
  return s;
}

/** b(x, s) for s > 0 (module header). */
export function normalisedPrice(x: number, s: number): number {
  const d1 = x / s + 0.5 * s;
  const d2 = d1 - s;
  const e = Math.exp(0.5 * x);
  return Math.max(e * normCdf(d1) - normCdf(d2) / e, 0);
}

/** e^{x/2} − b(x, s) = e^{x/2}·N(−d1) + e^{−x/2}·N(d2): both terms positive, no cancellation. */
function normalisedGap(x: number, s: number): number {
  const d1 = x / s + 0.5 * s;
  const d2 = d1 - s;
  const e = Math.exp(0.5 * x);
  return e * normCdf(-d1) + normCdf(d2) / e;
}

/** ∂b/∂s = e^{x/2}·φ(d1) = exp(−x²/(2s²) − s²/8)/√(2π). */
function normalisedVega(x: number, s: number): number {
  return INV_SQRT_2PI * Math.exp((-0.5 * x * x) / (s * s) - 0.125 * s * s);
}
