/**
 * Derive StandardManager option margin, per position and per expiry
 * (`StandardManager._getIsolatedMarginForCall/Put`, `_calcNetBasicMarginSingleExpiry`,
 * `_calcMaxLoss`). Sign convention is Derive's: a margin is ≤ 0 for a short (the cash it needs,
 * including the option's negative mark), 0 for a long; units are quote currency.
 */
import type { SrmOptionParams } from './srm-params.js';

/** One option holding of an expiry. */
export interface SrmOption {
  readonly key: string;
  readonly isCall: boolean;
  readonly strike: number;
  /** signed units, long > 0 */
  readonly units: number;
  /** mark per unit: Black-76 at the forward with DF = 1 (Derive's SRM mark) */
  readonly price: number;
}

/** Which kind of requirement. */
export type SrmKind = 'initial' | 'maintenance';

/**
 * IM fraction of spot for a short: maxSpotReq − otmRatio, floored at minSpotReq, where
 * otmRatio = max(0, (K − S)/S) for calls and max(0, (S − K)/S) for puts.
 */
export function imSpotFraction(isCall: boolean, strike: number, spot: number, p: SrmOptionParams): number {
  const otm = Math.max(0, (isCall ? strike - spot : spot - strike) / spot);
  return p.maxSpotReq - otm > p.minSpotReq ? p.maxSpotReq - otm : p.minSpotReq;
}

/**
 * Isolated margin of one position (≤ 0 for shorts, 0 for longs: a long is never collateral).
 *
 *   call MM = MtM + mmCallSpotReq·S·u                     (u < 0 units, MtM = u·price)
 *   call IM = MtM + f·S·u,  f = imSpotFraction
 *   put  MM = MtM + min(mmPutSpotReq·S·u, mmPutMtmReq·MtM)
 *   put  IM = min(MtM + f·S·u, MM·mmOffsetScale)
 *
 * @param spot  index price S (> 0)
 */
export function isolatedOptionMargin(o: SrmOption, spot: number, kind: SrmKind, p: SrmOptionParams): number {
  if (o.units >= 0) return 0;
  const mtm = o.units * o.price;
  if (o.isCall) {
    const f = kind === 'initial' ? imSpotFraction(true, o.strike, spot, p) : p.mmCallSpotReq;
    return mtm + f * spot * o.units;
  }
  const mm = mtm + Math.min(p.mmPutSpotReq * spot * o.units, p.mmPutMtmReq * mtm);
  if (kind === 'maintenance') return mm;
  return Math.min(mtm + imSpotFraction(false, o.strike, spot, p) * spot * o.units, mm * p.mmOffsetScale);
}

/** Payoff of a position at settlement price P: units·max(±(P − K), 0). */
export function settlementValue(o: SrmOption, settlePrice: number): number {
  const diff = settlePrice - o.strike;
  if (o.isCall) return diff > 0 ? diff * o.units : 0;
  return diff < 0 ? -diff * o.units : 0;
}

/**
 * The worst settlement price of an expiry's options and the payoff there, min(Σ payoff(P), 0)
 * over P ∈ {0} ∪ strikes (Derive's `_calcMaxLoss` evaluates the payoff at 0 and at every
 * strike, the kinks of the piecewise-linear payoff). O(n log n), not O(n²): strikes are sorted
 * once and the payoff at each is read from prefix sums,
 *
 *   Σ payoff(P) = P·Σ_{calls, K < P} u − Σ_{calls, K < P} u·K + Σ_{puts, K > P} u·K − P·Σ_{puts, K > P} u.
 *
 * The price is the first of {0, strikes in the options' order} whose payoff is the minimum
 * (ties within 1e-12 of the book's notional count as equal, so prefix-sum rounding cannot move
 * it), and the payoff returned is summed position by position at that price, as Derive does.
 * `settlePrice` is 0 and `payoff` 0 when no settlement price loses money.
 */
export function worstSettlement(options: readonly SrmOption[]): { settlePrice: number; payoff: number } {
  const n = options.length;
  if (n === 0) return { settlePrice: 0, payoff: 0 };
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => options[a]!.strike - options[b]!.strike || a - b,
  );
  // Totals of the puts (all have K > 0 = the first candidate) and the book's notional scale.
  let putU = 0;
  let putUK = 0;
  let notional = 0;
  for (const o of options) {
    if (!o.isCall) {
      putU += o.units;
      putUK += o.units * o.strike;
    }
    notional += Math.abs(o.units) * o.strike;
  }
  const tol = 1e-12 * notional;
  // Candidates: price 0 (rank 0), then each distinct strike, ranked by its first option index + 1.
  let bestValue = putUK; // Σ payoff(0): only puts pay at 0
  let bestRank = 0;
  let bestPrice = 0;
  let callU = 0; // calls with K < P
  let callUK = 0;
  let i = 0;
  while (i < n) {
    const price = options[order[i]!]!.strike;
    let j = i;
    let rank = Infinity;
    let putUAt = 0;
    let putUKAt = 0;
    let callUAt = 0;
    let callUKAt = 0;
    for (; j < n && options[order[j]!]!.strike === price; j++) {
      const o = options[order[j]!]!;
      rank = Math.min(rank, order[j]! + 1);
      if (o.isCall) {
        callUAt += o.units;
        callUKAt += o.units * o.strike;
      } else {
        putUAt += o.units;
        putUKAt += o.units * o.strike;
      }
    }
    // Puts with K > P: remove those at this strike (their payoff at P = K is 0).
    putU -= putUAt;
    putUK -= putUKAt;
    const value = price * callU - callUK + putUK - price * putU;
    if (value < bestValue - tol || (value <= bestValue + tol && rank < bestRank)) {
      bestValue = value;
      bestRank = rank;
      bestPrice = price;
    }
    callU += callUAt;
    callUK += callUKAt;
    i = j;
  }
  let payoff = 0;
  for (const o of options) payoff += settlementValue(o, bestPrice);
  return payoff < 0 ? { settlePrice: bestPrice, payoff } : { settlePrice: 0, payoff: 0 };
}

/** An expiry's margin with each position's share (the shares add up to `margin`). */
export interface SrmExpiryMargin {
  /** Derive's expiry margin, ≤ 0: max(Σ isolated, max loss) */
  readonly margin: number;
  readonly rule: 'isolated' | 'max-loss';
  /** the settlement price of the max loss (when rule = 'max-loss') */
  readonly settlePrice?: number;
  /** each position's share of `margin`, by key */
  readonly shares: ReadonlyMap<string, number>;
}

/**
 * Margin of one expiry: the better (larger) of the summed isolated margins and the max loss.
 *
 *   maxLoss = min over P ∈ {0} ∪ strikes of min(Σ payoff(P), 0)   (`worstSettlement`)
 *             + (netCalls < 0 ? unpairedScale·F·netCalls : 0)      (unbounded upside)
 *
 * Shares: isolated → each position's own isolated margin; max loss → each position's payoff at
 * the worst settlement price, plus the unpaired charge unpairedScale·F·netCalls spread over the
 * short calls by size (so the shares still add up to the margin).
 * @param forward  forward F of the expiry (> 0)
 */
export function expiryOptionMargin(
  options: readonly SrmOption[],
  spot: number,
  forward: number,
  kind: SrmKind,
  p: SrmOptionParams,
): SrmExpiryMargin {
  const isolated = new Map<string, number>();
  let totalIsolated = 0;
  for (const o of options) {
    const m = isolatedOptionMargin(o, spot, kind, p);
    isolated.set(o.key, (isolated.get(o.key) ?? 0) + m);
    totalIsolated += m;
  }
  const { settlePrice, payoff } = worstSettlement(options);
  let maxLoss = payoff;
  const netCalls = options.reduce((a, o) => a + (o.isCall ? o.units : 0), 0);
  const unpairedScale = kind === 'initial' ? p.unpairedImScale : p.unpairedMmScale;
  const unpaired = netCalls < 0 ? unpairedScale * forward * netCalls : 0;
  maxLoss += unpaired;
  if (totalIsolated >= maxLoss) return { margin: totalIsolated, rule: 'isolated', shares: isolated };
  const shares = new Map<string, number>();
  const add = (k: string, x: number) => shares.set(k, (shares.get(k) ?? 0) + x);
  const payoffAtWorst = options.reduce((a, o) => a + settlementValue(o, settlePrice), 0);
  for (const o of options) add(o.key, payoffAtWorst < 0 ? settlementValue(o, settlePrice) : 0);
  if (unpaired < 0) {
    const shortCalls = options.filter((o) => o.isCall && o.units < 0);
    const shortTotal = shortCalls.reduce((a, o) => a + o.units, 0);
    // The unpaired charge is scale·F·netCalls; spread it over the short calls by size.
    for (const o of shortCalls) add(o.key, (unpaired * o.units) / shortTotal);
  }
  for (const o of options) if (!shares.has(o.key)) shares.set(o.key, 0);
  return { margin: maxLoss, rule: 'max-loss', settlePrice, shares };
}
