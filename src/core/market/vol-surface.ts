/**
 * The implied volatility surface of one underlying: a map expiryMs → slice (flat, smile or SVI),
 * and the lookup `volFor`.
 *
 * Across expiries the default is NO interpolation: an expiry without a slice is missing market
 * data and fails closed. A surface may opt in to `expiryInterpolation: 'totalVariance'`, which
 * interpolates total variance linearly in time between the two listed expiries that bracket
 * the requested one (never extrapolates before the first or after the last live expiry).
 */
import { RiskError, ensureFinite, requireInput } from '../errors.js';
import { yearFraction } from '../numeric/year-fraction.js';
import { FrozenMap } from './frozen-map.js';
import { toIsoTime } from './to-iso-time.js';
import { sliceTotalVariance, sliceVol, validateVolSlice, type VolSlice } from './vol-slice.js';

/** How a surface answers for an expiry it does not list. */
export type ExpiryInterpolation = 'none' | 'totalVariance';

/** A slice as given on input: the slice plus its expiry (ms since epoch UTC). */
export type VolSliceInput = VolSlice & { readonly expiryMs: number };

/** Input of `createVolSurface`. */
export interface VolSurfaceInput {
  /** underlying asset id, e.g. "BTC" (non-empty) */
  readonly underlying: string;
  /** at least one slice; expiries distinct */
  readonly slices: readonly VolSliceInput[];
  /** default 'none' (missing expiry = missing data) */
  readonly expiryInterpolation?: ExpiryInterpolation;
}

/** A validated, immutable vol surface. */
export interface VolSurface {
  readonly underlying: string;
  /** expiryMs → validated slice */
  readonly slices: ReadonlyMap<number, VolSlice>;
  /** listed expiries, ascending, ms since epoch UTC */
  readonly expiries: readonly number[];
  readonly expiryInterpolation: ExpiryInterpolation;
}

/** Where the surface is read. */
export interface VolQuery {
  /** strike K, quote ccy per unit (> 0) */
  readonly strike: number;
  /** forward F to `expiryMs`, quote ccy per unit (> 0); SVI reads k = ln(K/F) */
  readonly forward: number;
  /** option expiry, ms since epoch UTC (> valuationMs) */
  readonly expiryMs: number;
  /** valuation time, ms since epoch UTC */
  readonly valuationMs: number;
}

/**
 * Validates and freezes a vol surface.
 * @param input  underlying, slices (each with `expiryMs`), optional expiry interpolation
 * @param field  path of the surface in the caller's input, for messages (default "volSurface")
 * @returns      an immutable `VolSurface`
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field and rule (empty underlying, no
 *         slices, non-integer or repeated expiry, invalid slice parameters)
 * @example
 * const s = createVolSurface({ underlying: 'BTC', slices: [{ expiryMs: 1_767_225_600_000, kind: 'flat', vol: 0.6 }] });
 */
export function createVolSurface(input: VolSurfaceInput, field = 'volSurface'): VolSurface {
  requireInput(
    typeof input.underlying === 'string' && input.underlying.length > 0,
    `${field}.underlying`,
    input.underlying,
    'must be a non-empty string',
  );
  const interp = input.expiryInterpolation ?? 'none';
  requireInput(
    interp === 'none' || interp === 'totalVariance',
    `${field}.expiryInterpolation`,
    interp,
    "must be 'none' or 'totalVariance'",
  );
  requireInput(
    Array.isArray(input.slices) && input.slices.length > 0,
    `${field}.slices`,
    input.slices,
    'must be a non-empty array',
  );
  const entries: [number, VolSlice][] = [];
  const seen = new Set<number>();
  input.slices.forEach((s, i) => {
    const f = `${field}.slices[${i}]`;
    requireInput(
      Number.isSafeInteger(s.expiryMs),
      `${f}.expiryMs`,
      s.expiryMs,
      'must be an integer ms since epoch',
    );
    requireInput(
      !seen.has(s.expiryMs),
      `${f}.expiryMs`,
      s.expiryMs,
      `must not repeat an expiry of ${input.underlying}`,
    );
    seen.add(s.expiryMs);
    entries.push([s.expiryMs, validateVolSlice(s, f)]);
  });
  entries.sort((x, y) => x[0] - y[0]);
  return Object.freeze({
    underlying: input.underlying,
    slices: new FrozenMap(entries),
    expiries: Object.freeze(entries.map((e) => e[0])),
    expiryInterpolation: interp,
  });
}

/**
 * Implied volatility for one option from its underlying's surface.
 *
 *   t = yearFraction(valuationMs, expiryMs)            (ACT/365)
 *   listed expiry:   flat σ; smile σ(K); SVI σ = √(w(ln(K/F)) / t)
 *   'totalVariance': t1 < t < t2 the bracketing live expiries, w_i = slice_i total variance
 *                    at the same (K, F) and t_i,
 *                    w = w1 + (w2 − w1)·(t − t1)/(t2 − t1),  σ = √(w / t)
 *
 * Interpolation note: both bracketing slices are read at the query's strike and forward, so an
 * SVI slice is read at constant log-moneyness k = ln(K/F) and a smile at constant strike. With
 * w1, w2 ≥ 0 the interpolated w is ≥ 0; calendar arbitrage (w decreasing in t) is not repaired.
 *
 * @param surface  a surface from `createVolSurface`
 * @param query    strike and forward (quote ccy per unit), expiryMs and valuationMs (ms UTC)
 * @returns        annualised lognormal vol as a fraction (0.8 = 80%), ≥ 0
 * @throws InvalidInputError ERR_INVALID_INPUT for a non-positive/non-finite strike or forward,
 *         or non-integer times
 * @throws RiskError ERR_INSTRUMENT_EXPIRED when expiryMs ≤ valuationMs (no vol is defined at t ≤ 0;
 *         price expired options at intrinsic value)
 * @throws RiskError ERR_MISSING_MARKET_DATA when the expiry is not listed and cannot be
 *         interpolated (details: underlying, expiryMs, listed expiries, interpolation mode)
 * @see docs/methodology/market-data.md#vol-surfaces
 * @example volFor(s, { strike: 100_000, forward: 95_000, expiryMs: 1_767_225_600_000, valuationMs: 1_735_689_600_000 }) // 0.6
 */
export function volFor(surface: VolSurface, query: VolQuery): number {
  const { strike, forward, expiryMs, valuationMs } = query;
  requireInput(Number.isFinite(strike) && strike > 0, 'strike', strike, 'must be finite and > 0');
  requireInput(Number.isFinite(forward) && forward > 0, 'forward', forward, 'must be finite and > 0');
  requireInput(Number.isSafeInteger(expiryMs), 'expiryMs', expiryMs, 'must be an integer ms since epoch');
  requireInput(
    Number.isSafeInteger(valuationMs),
    'valuationMs',
    valuationMs,
    'must be an integer ms since epoch',
  );
  const tYears = yearFraction(valuationMs, expiryMs);
  if (!(tYears > 0)) {
    throw new RiskError(
      'ERR_INSTRUMENT_EXPIRED',
      `volatility requested for ${surface.underlying} expiry ${toIsoTime(expiryMs)} at or after it (valuation ${toIsoTime(valuationMs)})`,
      { underlying: surface.underlying, expiryMs, valuationMs },
    );
  }
  const ctx = { underlying: surface.underlying, strike, forward, expiryMs, valuationMs };

  const exact = surface.slices.get(expiryMs);
  if (exact !== undefined) {
    return sliceVol(exact, { strike, forward, tYears });
  }

  if (surface.expiryInterpolation === 'totalVariance') {
    const bracket = findBracket(surface.expiries, expiryMs, valuationMs);
    if (bracket !== undefined) {
      const [e1, e2] = bracket;
      const t1 = yearFraction(valuationMs, e1);
      const t2 = yearFraction(valuationMs, e2);
      const w1 = sliceTotalVariance(surface.slices.get(e1)!, { strike, forward, tYears: t1 });
      const w2 = sliceTotalVariance(surface.slices.get(e2)!, { strike, forward, tYears: t2 });
      // Linear in time of total variance: the natural interpolant of accumulated variance.
      const w = w1 + ((w2 - w1) * (tYears - t1)) / (t2 - t1);
      return ensureFinite(Math.sqrt(Math.max(0, w) / tYears), 'interpolated implied vol', { ...ctx, e1, e2 });
    }
  }

  throw new RiskError(
    'ERR_MISSING_MARKET_DATA',
    `no volatility for ${surface.underlying} expiry ${toIsoTime(expiryMs)} (${expiryMs}): ` +
      (surface.expiryInterpolation === 'none'
        ? 'expiry not listed and expiry interpolation is off'
        : 'expiry not listed and not between two listed live expiries'),
    {
      underlying: surface.underlying,
      expiryMs,
      valuationMs,
      listedExpiries: surface.expiries,
      expiryInterpolation: surface.expiryInterpolation,
    },
  );
}

/** The listed live expiries e1 < expiryMs < e2 closest on each side, with e1 > valuationMs. */
function findBracket(
  expiries: readonly number[],
  expiryMs: number,
  valuationMs: number,
): [number, number] | undefined {
  let lower: number | undefined;
  let upper: number | undefined;
  for (const e of expiries) {
    if (e < expiryMs) {
      if (e > valuationMs) lower = e; // ascending: the last one seen is the closest
    } else if (e > expiryMs) {
      upper = e;
      break;
    }
  }
  return lower !== undefined && upper !== undefined ? [lower, upper] : undefined;
}
