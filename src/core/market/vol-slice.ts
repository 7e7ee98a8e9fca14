/**
 * One expiry's implied volatility, as a discriminated union, and its total variance.
 *
 * - `flat`:  one vol for every strike.
 * - `smile`: vols at listed strikes; linear interpolation of vol in log-strike ln K between
 *            nodes, flat extrapolation beyond the first and last node (sticky strike).
 * - `svi`:   raw SVI total variance in log-moneyness k = ln(K/F) (sticky moneyness).
 *
 * Vols are annualised lognormal fractions (0.8 = 80%). Total variance w = σ²·t is dimensionless.
 */
import { ensureFinite, InvalidInputError, requireInput } from '../errors.js';
import { sviTotalVariance, validateSviParams, type SviParams } from './svi.js';

/**
 * Largest vol accepted on input for `flat` and `smile` slices: 10 = 1,000% a year. Real crypto
 * vols stay far below; the bound catches percent-for-fraction mistakes (80 instead of 0.8).
 */
export const MAX_INPUT_VOL = 10;

/** The same vol for every strike of the expiry. */
export interface FlatVolSlice {
  readonly kind: 'flat';
  /** annualised lognormal vol as a fraction (0.8 = 80%), in [0, MAX_INPUT_VOL] */
  readonly vol: number;
}

/** One node of a smile. */
export interface SmilePoint {
  /** strike K, quote ccy per unit of underlying (> 0) */
  readonly strike: number;
  /** annualised lognormal vol as a fraction, in [0, MAX_INPUT_VOL] */
  readonly vol: number;
}

/** Vols at listed strikes; see the module doc for interpolation. */
export interface SmileVolSlice {
  readonly kind: 'smile';
  /** at least one node; strikes distinct (stored sorted ascending after validation) */
  readonly points: readonly SmilePoint[];
}

/** Raw SVI total variance w(k) for this expiry (Gatheral 2004). */
export interface SviVolSlice extends SviParams {
  readonly kind: 'svi';
}

/** The implied volatility of one expiry. */
export type VolSlice = FlatVolSlice | SmileVolSlice | SviVolSlice;

/** Where a slice is evaluated. */
export interface SlicePoint {
  /** strike K, quote ccy per unit (> 0) */
  readonly strike: number;
  /** forward F to the slice's expiry, quote ccy per unit (> 0); used by SVI only */
  readonly forward: number;
  /** time from valuation to the slice's expiry in years, ACT/365 (> 0); scales flat/smile vols */
  readonly tYears: number;
}

/**
 * Validates one slice and returns a frozen, normalised copy (smile nodes sorted by strike).
 * @param slice  the slice, possibly from untrusted (already shape-parsed) input
 * @param field  its path in the caller's input, for messages
 * @returns      a frozen copy
 * @throws InvalidInputError ERR_INVALID_INPUT naming `<field>.<member>` and the rule
 */
export function validateVolSlice(slice: VolSlice, field: string): VolSlice {
  switch (slice.kind) {
    case 'flat':
      requireVol(slice.vol, `${field}.vol`);
      return Object.freeze({ kind: 'flat', vol: slice.vol });
    case 'smile': {
      const pts = slice.points as readonly SmilePoint[] | undefined;
      requireInput(Array.isArray(pts) && pts.length > 0, `${field}.points`, pts, 'must be a non-empty array');
      pts.forEach((p, i) => {
        requireInput(
          Number.isFinite(p.strike) && p.strike > 0,
          `${field}.points[${i}].strike`,
          p.strike,
          'must be finite and > 0',
        );
        requireVol(p.vol, `${field}.points[${i}].vol`);
      });
      const sorted = [...pts]
        .sort((x, y) => x.strike - y.strike)
        .map((p) => Object.freeze({ strike: p.strike, vol: p.vol }));
      for (let i = 1; i < sorted.length; i++) {
        // Two vols at one strike make the smile ambiguous: refuse rather than pick one.
        requireInput(
          sorted[i]!.strike > sorted[i - 1]!.strike,
          `${field}.points`,
          sorted[i]!.strike,
          'must not repeat a strike',
        );
      }
      return Object.freeze({ kind: 'smile', points: Object.freeze(sorted) });
    }
    case 'svi': {
      validateSviParams(slice, field);
      const { a, b, rho, m, sigma } = slice;
      return Object.freeze({ kind: 'svi', a, b, rho, m, sigma });
    }
    default:
      throw new InvalidInputError(
        `${field}.kind`,
        (slice as { kind?: unknown }).kind,
        "must be 'flat', 'smile' or 'svi'",
      );
  }
}

/**
 * Total implied variance of a validated slice at one strike.
 *
 *   flat:  w = σ²·t
 *   smile: w = σ(K)²·t, σ(K) linear in ln K between nodes, flat beyond the wings
 *   svi:   w = a + b·(ρ·(k − m) + √((k − m)² + σ²)), k = ln(K/F)   (t is not used)
 *
 * @param slice  a slice returned by `validateVolSlice`
 * @param at     strike, forward (quote ccy per unit) and time to the slice's expiry (years, > 0)
 * @returns      total variance, dimensionless, ≥ 0
 * @throws XmarginError ERR_NUMERIC if the result is not finite
 * @see docs/methodology/market-data.md#vol-surfaces
 */
export function sliceTotalVariance(slice: VolSlice, at: SlicePoint): number {
  switch (slice.kind) {
    case 'flat':
      return ensureFinite(slice.vol * slice.vol * at.tYears, 'flat total variance', { ...at });
    case 'smile': {
      const v = smileVol(slice.points, at.strike);
      return ensureFinite(v * v * at.tYears, 'smile total variance', { ...at });
    }
    case 'svi':
      return sviTotalVariance(slice, Math.log(at.strike / at.forward));
  }
}

/**
 * Implied vol of a validated slice at one strike, at the slice's own expiry.
 *
 *   flat: σ;  smile: σ(K) (see `smileVol`);  svi: √(w(ln(K/F)) / t)
 *
 * Flat and smile vols are returned as given (no round trip through σ²·t, so nodes are exact).
 *
 * @param slice  a slice returned by `validateVolSlice`
 * @param at     strike, forward (quote ccy per unit) and time to the slice's expiry (years, > 0)
 * @returns      annualised vol as a fraction, ≥ 0
 * @throws XmarginError ERR_NUMERIC if the result is not finite
 */
export function sliceVol(slice: VolSlice, at: SlicePoint): number {
  switch (slice.kind) {
    case 'flat':
      return slice.vol;
    case 'smile':
      return smileVol(slice.points, at.strike);
    case 'svi':
      return ensureFinite(
        Math.sqrt(sviTotalVariance(slice, Math.log(at.strike / at.forward)) / at.tYears),
        'SVI implied vol',
        { ...at },
      );
  }
}

/**
 * Smile vol at a strike: linear in ln K between the two bracketing nodes, flat outside.
 *
 *   σ(K) = σ_i + (σ_{i+1} − σ_i)·(ln K − ln K_i)/(ln K_{i+1} − ln K_i)
 *
 * Interpolating in ln K (not K) makes the rule the same at every price level; at a fixed
 * forward it is linear in log-moneyness. Flat extrapolation never invents a steeper wing than
 * the data show. At a node it returns the node's vol exactly.
 *
 * @param points  validated nodes, sorted by strike ascending, non-empty
 * @param strike  K > 0, quote ccy per unit
 * @returns       vol fraction
 */
export function smileVol(points: readonly SmilePoint[], strike: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (strike <= first.strike) return first.vol;
  if (strike >= last.strike) return last.vol;
  // Binary search for the last node with node.strike <= strike (smiles can be long).
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.strike <= strike) lo = mid;
    else hi = mid;
  }
  const p0 = points[lo]!;
  const p1 = points[hi]!;
  if (strike === p0.strike) return p0.vol;
  const x = (Math.log(strike) - Math.log(p0.strike)) / (Math.log(p1.strike) - Math.log(p0.strike));
  return p0.vol + (p1.vol - p0.vol) * x;
}

function requireVol(vol: number, field: string): void {
  requireInput(
    Number.isFinite(vol) && vol >= 0 && vol <= MAX_INPUT_VOL,
    field,
    vol,
    `must be a fraction in [0, ${MAX_INPUT_VOL}] (0.8 = 80%)`,
  );
}
