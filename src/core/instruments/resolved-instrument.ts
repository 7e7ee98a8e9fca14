/**
 * @module instruments/resolved-instrument
 *
 * The pricing-ready form of an instrument (Strata's `Resolved…`): every default applied, every
 * field checked, time to expiry computed once for the valuation time, the object frozen.
 * Pricers, risk arrays and margin models take these, never specs.
 *
 * Uniform fields, so risk code needs no switch to group or scale positions:
 * - `underlying`: the asset whose price moves the instrument (for spot, the asset itself);
 * - `contractSize`: units of the underlying per unit of position quantity (1 for spot), so
 *   `quantity × contractSize` is the exposure in underlying units, signed, long > 0.
 */
import type {
  InstrumentKind,
  MarginStyle,
  OptionSettlement,
  OptionType,
  QuoteCurrency,
} from './instrument-spec.js';

/** A resolved spot asset. Quantity is in units of `asset`. */
export interface ResolvedSpot {
  readonly kind: 'spot';
  readonly id: string;
  /** asset symbol, known */
  readonly asset: string;
  /** same as `asset`: a spot asset is its own underlying */
  readonly underlying: string;
  /** always 1: one unit of quantity is one unit of the asset */
  readonly contractSize: 1;
}

/** Fields every resolved derivative shares. */
interface ResolvedDerivativeFields {
  readonly id: string;
  /** asset symbol of the underlying index, known */
  readonly underlying: string;
  /** quote currency of prices and PnL */
  readonly quote: QuoteCurrency;
  /** margining style (only `'linear'` today) */
  readonly margin: MarginStyle;
  /** units of the underlying per contract, finite, > 0 */
  readonly contractSize: number;
}

/** A resolved linear perpetual. */
export interface ResolvedPerpetual extends ResolvedDerivativeFields {
  readonly kind: 'perpetual';
  /** time between funding payments, ms, integer > 0; absent when not configured */
  readonly fundingIntervalMs?: number;
}

/** Fields of a resolved dated instrument, valid for one valuation time. */
interface ResolvedDatedFields {
  /** expiry, ms since epoch UTC, integer, > valuationMs */
  readonly expiryMs: number;
  /** the valuation time `tYears` was computed for, ms since epoch UTC */
  readonly valuationMs: number;
  /**
   * time to expiry, years, ACT/365: (expiryMs − valuationMs) / (365 × 86,400,000); always > 0
   * (an instrument at or after expiry does not resolve)
   */
  readonly tYears: number;
}

/** A resolved dated linear future. */
export interface ResolvedFuture extends ResolvedDerivativeFields, ResolvedDatedFields {
  readonly kind: 'future';
}

/** A resolved European option, ready for Black-76 on the forward to `expiryMs`. */
export interface ResolvedOption extends ResolvedDerivativeFields, ResolvedDatedFields {
  readonly kind: 'option';
  /** `'call'` or `'put'` (a string union, not an `isCall` boolean: STYLE §3.3) */
  readonly optionType: OptionType;
  /** strike K, quote currency per unit of underlying, finite, > 0 */
  readonly strike: number;
  /** settlement style (only `'cash'` today) */
  readonly settlement: OptionSettlement;
}

/** Any resolved instrument, discriminated on `kind`; deeply frozen. */
export type ResolvedInstrument = ResolvedSpot | ResolvedPerpetual | ResolvedFuture | ResolvedOption;

/** The resolved instruments that expire: futures and options. */
export type ResolvedDatedInstrument = ResolvedFuture | ResolvedOption;

/** The resolved form of each kind, for code generic over `kind`. */
export interface ResolvedInstrumentByKind {
  readonly spot: ResolvedSpot;
  readonly perpetual: ResolvedPerpetual;
  readonly future: ResolvedFuture;
  readonly option: ResolvedOption;
}

/**
 * The resolved form of kind `K`. Indexing by `InstrumentKind` makes a kind added to
 * `INSTRUMENT_KINDS` without a resolved form a compile error here.
 */
export type ResolvedOfKind<K extends InstrumentKind> = ResolvedInstrumentByKind[K];

/**
 * Whether a resolved instrument has an expiry (a future or an option).
 * @param instrument  a resolved instrument
 * @returns           true for futures and options; then `expiryMs` and `tYears` are present
 * @example if (isDatedInstrument(r)) discount(r.tYears)
 */
export function isDatedInstrument(instrument: ResolvedInstrument): instrument is ResolvedDatedInstrument {
  return instrument.kind === 'future' || instrument.kind === 'option';
}
