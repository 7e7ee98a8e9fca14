/**
 * Pure lookups on a `MarketSnapshot`. Each either returns the datum or throws
 * ERR_MISSING_MARKET_DATA naming what is missing: margin fails closed, it never guesses.
 */
import { RiskError, ensureFinite, requireInput } from '../errors.js';
import { yearFraction } from '../numeric/year-fraction.js';
import type { DepthCurve } from './depth-curve.js';
import type { MarketSnapshot } from './snapshot.js';
import { toIsoTime } from './to-iso-time.js';
import { volFor } from './vol-surface.js';

/** Where to read an option's vol: the forward and valuation time come from the snapshot. */
export interface SnapshotVolQuery {
  readonly underlying: string;
  /** strike K, quote ccy per unit (> 0) */
  readonly strike: number;
  /** option expiry, ms since epoch UTC */
  readonly expiryMs: number;
}

/**
 * Index (spot) price of an asset.
 * @param snapshot  the snapshot
 * @param asset     asset id, e.g. "BTC"
 * @returns         quote ccy per unit, > 0
 * @throws RiskError ERR_MISSING_MARKET_DATA when the asset has no index price (details: asset, snapshotId)
 * @example getIndexPrice(snap, 'BTC') // 95_000
 */
export function getIndexPrice(snapshot: MarketSnapshot, asset: string): number {
  const p = snapshot.indexPrices.get(asset);
  if (p === undefined) throw missing(snapshot, `no index price for ${asset}`, { asset });
  return p;
}

/**
 * Continuously compounded rate of a currency.
 * @param snapshot  the snapshot
 * @param currency  currency id; default the snapshot's quote currency
 * @returns         annualised rate as a fraction (0.05 = 5%), continuously compounded
 * @throws RiskError ERR_MISSING_MARKET_DATA when per-currency rates omit the currency
 */
export function getRate(snapshot: MarketSnapshot, currency: string = snapshot.quoteCurrency): number {
  const rates = snapshot.rates;
  if (rates.kind === 'flat') return rates.rate;
  const r = rates.rates.get(currency);
  if (r === undefined) throw missing(snapshot, `no rate for currency ${currency}`, { currency });
  return r;
}

/**
 * Discount factor from valuation to a payment time.
 *
 *   DF = exp(−r·t),  t = max(0, yearFraction(valuationMs, paymentMs))   (ACT/365)
 *
 * A payment at or before valuation is not discounted (DF = 1).
 *
 * @param snapshot   the snapshot
 * @param paymentMs  payment time (e.g. an option expiry), integer ms since epoch UTC
 * @param currency   currency of the payment; default the quote currency
 * @returns          discount factor, > 0 (≤ 1 for non-negative rates)
 * @throws InvalidInputError ERR_INVALID_INPUT when paymentMs is not an integer
 * @throws RiskError ERR_MISSING_MARKET_DATA when the currency has no rate
 * @example getDiscountFactor(snap, Date.UTC(2026, 0, 1)) // e^{−0.05·1} with a flat 5% rate and a one-year horizon
 */
export function getDiscountFactor(snapshot: MarketSnapshot, paymentMs: number, currency?: string): number {
  requireInput(Number.isSafeInteger(paymentMs), 'paymentMs', paymentMs, 'must be an integer ms since epoch');
  const r = getRate(snapshot, currency);
  const tYears = Math.max(0, yearFraction(snapshot.valuationMs, paymentMs));
  return ensureFinite(Math.exp(-r * tYears), 'discount factor', {
    r,
    tYears,
    snapshotId: snapshot.snapshotId,
  });
}

/**
 * Forward price of an underlying to an expiry.
 *
 *   listed:            the listed forward
 *   forwardRule carry: F = S·exp(r·t), S = index price, r = quote ccy rate, t = yearFraction(valuation, expiry)
 *   otherwise:         ERR_MISSING_MARKET_DATA
 *
 * @param snapshot    the snapshot
 * @param underlying  underlying asset id
 * @param expiryMs    integer ms since epoch UTC
 * @returns           quote ccy per unit, > 0
 * @throws InvalidInputError ERR_INVALID_INPUT when expiryMs is not an integer
 * @throws RiskError ERR_INSTRUMENT_EXPIRED when an unlisted expiry is before valuation
 * @throws RiskError ERR_MISSING_MARKET_DATA when no forward is listed and the rule is 'explicit'
 *         (or, under 'carry', the index price or rate is missing)
 * @see docs/methodology/market-data.md#forwards-and-discounting
 * @example getForward(snap, 'BTC', Date.UTC(2025, 2, 28, 8))
 */
export function getForward(snapshot: MarketSnapshot, underlying: string, expiryMs: number): number {
  requireInput(Number.isSafeInteger(expiryMs), 'expiryMs', expiryMs, 'must be an integer ms since epoch');
  const listed = snapshot.forwards.get(underlying)?.get(expiryMs);
  if (listed !== undefined) return listed;
  const tYears = yearFraction(snapshot.valuationMs, expiryMs);
  if (tYears < 0) {
    throw new RiskError(
      'ERR_INSTRUMENT_EXPIRED',
      `forward requested for ${underlying} expiry ${toIsoTime(expiryMs)} before valuation ${toIsoTime(snapshot.valuationMs)}`,
      { underlying, expiryMs, valuationMs: snapshot.valuationMs, snapshotId: snapshot.snapshotId },
    );
  }
  if (snapshot.forwardRule === 'explicit') {
    throw missing(
      snapshot,
      `no forward for ${underlying} expiry ${toIsoTime(expiryMs)} (${expiryMs}) and forwardRule is 'explicit'`,
      {
        underlying,
        expiryMs,
        listedExpiries: [...(snapshot.forwards.get(underlying)?.keys() ?? [])].sort((a, b) => a - b),
      },
    );
  }
  const spot = getIndexPrice(snapshot, underlying);
  const r = getRate(snapshot);
  return ensureFinite(spot * Math.exp(r * tYears), 'carry forward', {
    underlying,
    expiryMs,
    spot,
    r,
    tYears,
  });
}

/**
 * Implied vol of an option from the snapshot: the underlying's surface read at the strike and
 * at the forward to the expiry (`getForward`), at the snapshot's valuation time (`volFor`).
 * @param snapshot  the snapshot
 * @param query     underlying, strike (quote ccy per unit), expiryMs (ms UTC)
 * @returns         annualised vol as a fraction (0.8 = 80%)
 * @throws RiskError ERR_MISSING_MARKET_DATA when the underlying has no surface, or the expiry no
 *         slice or forward; ERR_INSTRUMENT_EXPIRED at or after expiry
 * @throws InvalidInputError ERR_INVALID_INPUT for a bad strike or expiry
 * @example getVol(snap, { underlying: 'BTC', strike: 100_000, expiryMs: Date.UTC(2025, 2, 28, 8) }) // 0.6
 */
export function getVol(snapshot: MarketSnapshot, query: SnapshotVolQuery): number {
  const surface = snapshot.volSurfaces.get(query.underlying);
  if (surface === undefined) {
    throw missing(snapshot, `no vol surface for ${query.underlying}`, { underlying: query.underlying });
  }
  const forward = getForward(snapshot, query.underlying, query.expiryMs);
  return volFor(surface, {
    strike: query.strike,
    forward,
    expiryMs: query.expiryMs,
    valuationMs: snapshot.valuationMs,
  });
}

/**
 * Depth curve of an asset (evaluate it with `computeExecutionCost`).
 * @param snapshot  the snapshot
 * @param asset     asset id
 * @returns         the asset's depth curve
 * @throws RiskError ERR_MISSING_MARKET_DATA when the asset has no depth curve
 */
export function getDepth(snapshot: MarketSnapshot, asset: string): DepthCurve {
  const c = snapshot.depthCurves.get(asset);
  if (c === undefined) throw missing(snapshot, `no depth curve for ${asset}`, { asset });
  return c;
}

/**
 * Oracle confidence of an asset's index price, when the feed reports one.
 * @param snapshot  the snapshot
 * @param asset     asset id
 * @returns         confidence in [0, 1] (1 = full confidence), or `undefined` when the feed gives
 *                  none; the caller decides how to treat an absent confidence
 */
export function getOracleConfidence(snapshot: MarketSnapshot, asset: string): number | undefined {
  return snapshot.oracleConfidence.get(asset);
}

function missing(snapshot: MarketSnapshot, what: string, details: Record<string, unknown>): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', `${what} in market snapshot ${snapshot.snapshotId}`, {
    ...details,
    snapshotId: snapshot.snapshotId,
  });
}
