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
 *   maxLoss = min over P ∈ {0} ∪ strikes of min(Σ payoff(P), 0)
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
  // Max loss: Derive evaluates the payoff at 0 and at every strike (the kinks of the payoff).
  let settlePrice = 0;
  let maxLoss = 0;
  for (const price of [0, ...options.map((o) => o.strike)]) {
    const payoff = Math.min(
      options.reduce((a, o) => a + settlementValue(o, price), 0),
      0,
    );
    if (payoff < maxLoss) [maxLoss, settlePrice] = [payoff, price];
  }
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
