/**
 * @module pricing/black76
 *
 * Black (1976) prices and sensitivities of European options on a forward F, discounted at a
 * continuously compounded rate r to the option's expiry.
 *
 *   d1 = (ln(F/K) + σ²t/2) / (σ√t),   d2 = d1 − σ√t,   DF = e^{−rt}
 *   call = DF·(F·N(d1) − K·N(d2)),    put = DF·(K·N(−d2) − F·N(−d1))
 *
 * Units and signs (docs/numerics.md):
 * - F, K in quote currency per unit of underlying; prices in quote currency per unit;
 * - t in years (ACT/365); σ an annualised fraction (0.8 = 80%), NOT σ√t; r a fraction per year;
 * - delta = ∂V/∂F (discounted: a call's delta is DF·N(d1)), gamma = ∂²V/∂F²,
 *   vega = ∂V/∂σ per 1.00 of vol (divide by 100 for "per vol point"),
 *   theta = −∂V/∂t per year of time to expiry (F and r held; negative for a long option that
 *   decays; divide by 365 for per day), rho = ∂V/∂r per 1.00 of rate (F held: −t·V).
 *
 * Edge cases: t ≤ 0 → the option has expired: undiscounted intrinsic max(±(F − K), 0), all
 * greeks 0 except delta (1, ½ at F = K, 0; negative for puts). σ = 0 with t > 0 → discounted
 * intrinsic of the deterministic forward, delta DF·1{F > K} (½ at the money); the same holds for
 * 0 < σ√t < 1e-150 (`S_POINT_MASS`); gamma is 0 off the
 * money and +Infinity at F = K (a point mass: documented, not a sentinel).
 *
 * @see docs/methodology/pricing.md; F. Black, "The pricing of commodity contracts",
 *      J. Financial Economics 3 (1976) 167–179; E. G. Haug, The Complete Guide to Option Pricing
 *      Formulas, 2nd ed. (2007), §1.1.3 and ch. 2 (greeks of options on futures).
 */
import { ensureFinite, requireInput } from '../errors.js';
import type { OptionType } from '../instruments/instrument-spec.js';
import { erfcxTail, gaussianFactor, normCdf, normPdf, TAIL_X, UNDERFLOW_X } from '../numeric/normal.js';

/**
 * Below this total standard deviation σ√t the distribution of F is a point mass to double
 * precision (its width is < 1e-150·F): the price is the discounted intrinsic value exactly, and
 * gamma, 1/(F·σ√t), would overflow. Used by the scalar and batched paths alike.
 */
export const S_POINT_MASS = 1e-150;

/** Call or put: the instruments module's type, shared so there is one definition. */
export type { OptionType };

/** Inputs of a Black-76 valuation. */
export interface Black76Input {
  readonly type: OptionType;
  /** forward F, quote ccy per unit of underlying (> 0) */
  readonly forward: number;
  /** strike K, quote ccy per unit (> 0) */
  readonly strike: number;
  /** time to expiry in years, ACT/365 (≤ 0: expired, priced at intrinsic) */
  readonly tYears: number;
  /** annualised lognormal volatility σ as a fraction (≥ 0) */
  readonly vol: number;
  /** continuously compounded rate r per year (default 0): DF = e^{−rt} */
  readonly rate?: number;
}

/** A price and its first- and second-order sensitivities (units in the module header). */
export interface Black76Greeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly rho: number;
}

/** Validates the inputs shared by every Black-76 entry point. */
export function validateBlack76Input(o: Black76Input): void {
  requireInput(o.type === 'call' || o.type === 'put', 'type', o.type, "must be 'call' or 'put'");
  requireInput(o.forward > 0 && o.forward < Infinity, 'forward', o.forward, 'must be finite and > 0');
  requireInput(o.strike > 0 && o.strike < Infinity, 'strike', o.strike, 'must be finite and > 0');
  requireInput(Number.isFinite(o.tYears), 'tYears', o.tYears, 'must be finite');
  requireInput(o.vol >= 0 && o.vol < Infinity, 'vol', o.vol, 'must be finite and >= 0');
  const rate = o.rate ?? 0;
  requireInput(Number.isFinite(rate), 'rate', rate, 'must be finite');
}

/**
 * Black-76 price of a European option on a forward, discounted.
 *
 * @param o  option type, forward, strike, tYears, vol, rate (units in `Black76Input`)
 * @returns  price in quote ccy per unit of underlying, in [DF·intrinsic, DF·F] (call) or
 *           [DF·intrinsic, DF·K] (put)
 * @throws InvalidInputError ERR_INVALID_INPUT when an input is NaN or out of range
 * @see module header for formulas and edge cases
 * @example priceBlack76({ type: 'put', forward: 19, strike: 19, tYears: 0.75, vol: 0.28, rate: 0.1 }) // 1.7011 (Haug p. 3)
 */
export function priceBlack76(o: Black76Input): number {
  validateBlack76Input(o);
  const isCall = o.type === 'call';
  const rate = o.rate ?? 0;
  if (o.tYears <= 0) return intrinsic(isCall, o.forward, o.strike);
  const df = Math.exp(-rate * o.tYears);
  const price = df * undiscountedPrice(isCall, o.forward, o.strike, o.vol * Math.sqrt(o.tYears));
  return ensureFinite(price, 'Black-76 price', { ...o });
}

/**
 * Black-76 price with delta, gamma, vega, theta and rho (units in the module header).
 *
 *   delta_call = DF·N(d1), delta_put = −DF·N(−d1);  gamma = DF·φ(d1)/(F·σ√t)
 *   vega = DF·F·φ(d1)·√t;  theta = r·V − DF·F·φ(d1)·σ/(2√t);  rho = −t·V
 *
 * @param o  option type, forward, strike, tYears, vol, rate
 * @returns  price and greeks; finite except gamma = +Infinity at F = K with σ√t = 0
 * @throws InvalidInputError ERR_INVALID_INPUT when an input is NaN or out of range
 * @example computeBlack76Greeks({ type: 'call', forward: 105, strike: 100, tYears: 0.5, vol: 0.36, rate: 0.1 }).delta // 0.5946 (Haug p. 11)
 */
export function computeBlack76Greeks(o: Black76Input): Black76Greeks {
  validateBlack76Input(o);
  const isCall = o.type === 'call';
  const { forward: f, strike: k, tYears: t, vol } = o;
  const rate = o.rate ?? 0;
  if (t <= 0) {
    // Expired: intrinsic value; delta is the payoff's slope (½ at the kink by convention).
    const slope = f > k ? 1 : f < k ? 0 : 0.5;
    return {
      price: intrinsic(isCall, f, k),
      delta: isCall ? slope : slope - 1,
      gamma: 0,
      vega: 0,
      theta: 0,
      rho: 0,
    };
  }
  const df = Math.exp(-rate * t);
  const sqrtT = Math.sqrt(t);
  const s = vol * sqrtT;
  const price = df * undiscountedPrice(isCall, f, k, s);
  if (s < S_POINT_MASS) {
    // Deterministic forward: price is discounted intrinsic; gamma is a point mass at F = K.
    const slope = f > k ? 1 : f < k ? 0 : 0.5;
    const vega = f === k ? df * f * sqrtT * normPdf(0) : 0;
    return {
      price,
      delta: df * (isCall ? slope : slope - 1),
      gamma: f === k ? Infinity : 0,
      vega,
      theta: rate * price,
      rho: -t * price,
    };
  }
  const d1 = Math.log(f / k) / s + 0.5 * s;
  const pdf = normPdf(d1);
  const delta = isCall ? df * normCdf(d1) : -df * normCdf(-d1);
  const gamma = (df * pdf) / (f * s);
  const vega = df * f * pdf * sqrtT;
  // V = DF(t)·B(t): −∂V/∂t = r·V − DF·∂B/∂t, with ∂B/∂t = F·φ(d1)·σ/(2√t) for calls and puts.
  const theta = rate * price - (df * f * pdf * vol) / (2 * sqrtT);
  const rho = -t * price;
  const details = { ...o };
  return {
    price: ensureFinite(price, 'price', details),
    delta: ensureFinite(delta, 'delta', details),
    gamma: ensureFinite(gamma, 'gamma', details),
    vega: ensureFinite(vega, 'vega', details),
    theta: ensureFinite(theta, 'theta', details),
    rho: ensureFinite(rho, 'rho', details),
  };
}

/** max(F − K, 0) for a call, max(K − F, 0) for a put. */
function intrinsic(isCall: boolean, f: number, k: number): number {
  return isCall ? Math.max(f - k, 0) : Math.max(k - f, 0);
}

/**
 * Undiscounted Black price for total standard deviation s = σ√t ≥ 0.
 *
 * The out-of-the-money side is computed directly, each term with its own tail (N(−d) rather
 * than 1 − N(d)), so deep out-of-the-money prices keep full relative precision. An
 * in-the-money option is its out-of-the-money twin plus intrinsic value (put-call parity):
 * the time value then keeps its relative precision instead of being the rounding residue of
 * F·N(d1) − K·N(d2) (terms of size F), and the result can never round below intrinsic.
 */
export function undiscountedPrice(isCall: boolean, f: number, k: number, s: number): number {
  if (s < S_POINT_MASS) return intrinsic(isCall, f, k);
  const d1 = Math.log(f / k) / s + 0.5 * s;
  const d2 = d1 - s;
  let otm: number;
  if (f <= k) {
    // Out-of-the-money call F·N(d1) − K·N(d2). When d2 < d1 < −TAIL_X both are lower tails,
    // N(d) = ½·e^{−d²/2}·R(|d|/√2), and K·e^{−d2²/2} = F·e^{−d1²/2} exactly, so one Gaussian
    // factor serves both: F·N(d1) − K·N(d2) = ½·F·e^{−d1²/2}·(R(−d1/√2) − R(−d2/√2)).
    otm =
      d1 < -TAIL_X
        ? d1 <= -UNDERFLOW_X
          ? 0 // both tails underflow, as normCdf(d1) = normCdf(d2) = 0
          : 0.5 * f * gaussianFactor(d1) * (erfcxTail(-d1 * INV_SQRT2) - erfcxTail(-d2 * INV_SQRT2))
        : f * normCdf(d1) - k * normCdf(d2);
  } else {
    // Out-of-the-money put K·N(−d2) − F·N(−d1); both tails when d1 > d2 > TAIL_X. Same identity,
    // written with the less extreme factor e^{−d2²/2} (|d2| < |d1| here) so it underflows last.
    otm =
      d2 > TAIL_X
        ? d2 >= UNDERFLOW_X
          ? 0
          : 0.5 * k * gaussianFactor(d2) * (erfcxTail(d2 * INV_SQRT2) - erfcxTail(d1 * INV_SQRT2))
        : k * normCdf(-d2) - f * normCdf(-d1);
  }
  // max(…, 0): rounding can make the difference a few ulps negative when both terms are tiny.
  otm = Math.max(otm, 0);
  if (f <= k) return isCall ? otm : otm + (k - f);
  return isCall ? otm + (f - k) : otm;
}

const INV_SQRT2 = 0.7071067811865476;
