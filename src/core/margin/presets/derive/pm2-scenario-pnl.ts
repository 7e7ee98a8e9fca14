/**
 * Scenario P&L of one PMRM_2 book (`PMRMLib_2.getScenarioPnL`) and its basis contingency
 * (`_addBasisContingency`), with the part of each holding, for Euler contributions.
 *
 * Sign: P&L > 0 is a gain to the account. Per scenario (S, vol move, dampening d):
 *   perp/future:         units·(S − 1)·price·d
 *   options, per expiry: V' = Σ units·Black76(F_var·S + F_fixed, σ', K, τ, DF)
 *                        pnl = (V'·(V' ≥ 0 ? pos : neg) − V₀)·d         (static discounts)
 *                        skew scenarios: pnl = −|pnl|   (worst-case skew rotation per expiry)
 *   risk-cancelling collateral: value·(S − 1)·d
 * A holding's part is its own term; in an expiry the discount is chosen by the expiry's sign, so
 * the parts add up to the expiry's P&L exactly (and all flip together in a skew scenario).
 */
import { priceBlack76Kernel } from '../../../pricing/black76-scenarios.js';
import type { DerivePm2Params, Pm2Scenario } from './pm2-params.js';
import type { Pm2Book, Pm2Expiry, Pm2Option } from './pm2-book.js';
import {
  basisFactor,
  shockedForward,
  skewMultiplier,
  skewShape,
  staticDiscounts,
  volShockMultipliers,
} from './pm2-formulas.js';

/** Per-expiry values computed once per book. */
export interface Pm2ExpiryState {
  readonly expiry: Pm2Expiry;
  /** price per unit of each option today (Black-76 at F, σ, DF): Derive's MtM */
  readonly price0: Float64Array;
  /** V₀ = Σ units·price0 */
  readonly mtm: number;
  readonly volUp: number;
  readonly volDown: number;
  readonly discPos: number;
  readonly discNeg: number;
}

/** Black-76 by the scenario kernel's scalar form (one exponential; pricing/black76-scenarios.ts). */
function black76(o: Pm2Option, e: Pm2Expiry, forward: number, vol: number): number {
  return priceBlack76Kernel(
    { isCall: o.isCall, forward, strike: o.strike, tYears: e.tYears, rate: e.rate },
    vol,
  );
}

/** Precomputes MtM, vol multipliers and static discounts of every expiry of a book. */
export function prepareExpiries(book: Pm2Book, p: DerivePm2Params): Pm2ExpiryState[] {
  return book.expiries.map((expiry) => {
    const price0 = Float64Array.from(expiry.options, (o) =>
      black76(o, expiry, shockedForward(o.forward, expiry.secToExpiry, p.settlementWindowSeconds, 1), o.vol),
    );
    let mtm = 0;
    expiry.options.forEach((o, i) => (mtm += o.units * price0[i]!));
    const shocks = volShockMultipliers(expiry.secToExpiry, p.volShock);
    const disc = staticDiscounts(expiry.tYears, expiry.rate, p.margin);
    return {
      expiry,
      price0,
      mtm,
      volUp: shocks.up,
      volDown: shocks.down,
      discPos: disc.pos,
      discNeg: disc.neg,
    };
  });
}

/** Shocked price per unit of each option of an expiry under a scenario (before discounting). */
function shockedPrices(st: Pm2ExpiryState, s: Pm2Scenario, p: DerivePm2Params): Float64Array {
  const e = st.expiry;
  const out = new Float64Array(e.options.length);
  const skew =
    s.volShock === 'linear' || s.volShock === 'abs'
      ? skewShape(e.tYears, s.volShock, p.skewShock)
      : undefined;
  e.options.forEach((o, i) => {
    const forward = shockedForward(
      o.forward,
      e.secToExpiry,
      p.settlementWindowSeconds,
      skew ? 1 : s.spotShock,
    );
    let vol = o.vol;
    if (skew)
      vol = o.vol * Math.max(0, skewMultiplier(o.strike, forward, s.volShock as 'linear' | 'abs', skew));
    else if (s.volShock === 'up') vol = Math.max(p.volShock.minVolUpShock, o.vol * st.volUp);
    else if (s.volShock === 'down') vol = o.vol * st.volDown;
    out[i] = black76(o, e, forward, vol);
  });
  return out;
}

/**
 * P&L of a book in one scenario; when `parts` is given, adds each holding's share to it
 * (keyed by instrument id or collateral key).
 * @returns P&L in cash units (negative = loss), after dampening and static discounting
 */
export function bookScenarioPnl(
  book: Pm2Book,
  states: readonly Pm2ExpiryState[],
  s: Pm2Scenario,
  p: DerivePm2Params,
  parts?: Map<string, number>,
): number {
  const add = (key: string, x: number) => parts?.set(key, (parts.get(key) ?? 0) + x);
  const d = s.dampening;
  let pnl = 0;
  for (const l of book.linears) {
    const x = l.units * (s.spotShock - 1) * l.price * d;
    pnl += x;
    add(l.key, x);
  }
  const isSkew = s.volShock === 'linear' || s.volShock === 'abs';
  for (const st of states) {
    const shocked = shockedPrices(st, s, p);
    let value = 0;
    st.expiry.options.forEach((o, i) => (value += o.units * shocked[i]!));
    const disc = value >= 0 ? st.discPos : st.discNeg;
    const expiryPnl = (value * disc - st.mtm) * d;
    // Skew scenarios: a gain in one expiry is counted as a loss of the same size (Derive's
    // approximation of rotating the skew the other way for that expiry).
    const sign = isSkew && expiryPnl > 0 ? -1 : 1;
    pnl += sign * expiryPnl;
    if (parts)
      st.expiry.options.forEach((o, i) =>
        add(o.key, sign * o.units * (shocked[i]! * disc - st.price0[i]!) * d),
      );
  }
  for (const c of book.collaterals) {
    if (!c.params.riskCancelling) continue;
    const x = c.valueUsd * (s.spotShock - 1) * d;
    pnl += x;
    add(c.key, x);
  }
  return pnl;
}

/**
 * Basis contingency of a book (≤ 0): Σ_expiry min(V(S_up) − V₀, V(S_down) − V₀, 0)·(add + mult·τ),
 * vols unshocked, no static discount; with each option's part added to `parts` when given.
 */
export function bookBasisContingency(
  states: readonly Pm2ExpiryState[],
  p: DerivePm2Params,
  parts?: Map<string, number>,
): number {
  const b = p.basisContingency;
  let total = 0;
  for (const st of states) {
    const legs = [b.scenarioSpotUp, b.scenarioSpotDown].map((spotShock) => {
      const prices = shockedPrices(st, { spotShock, volShock: 'none', dampening: 1 }, p);
      let value = 0;
      st.expiry.options.forEach((o, i) => (value += o.units * prices[i]!));
      return { prices, diff: value - st.mtm };
    });
    const [up, down] = legs as [(typeof legs)[0], (typeof legs)[0]];
    const worst = up.diff <= down.diff ? up : down;
    if (!(worst.diff < 0)) continue;
    const factor = basisFactor(st.expiry.tYears, b);
    total += worst.diff * factor;
    if (parts) {
      st.expiry.options.forEach((o, i) =>
        parts.set(o.key, (parts.get(o.key) ?? 0) + o.units * (worst.prices[i]! - st.price0[i]!) * factor),
      );
    }
  }
  return total;
}
