/**
 * @module instruments/instrument-spec
 *
 * The user-facing definition of an instrument (the "what", Strata's `Product`): contract terms
 * only, with no market data and no pricing method. `resolveInstrument` turns a spec into its
 * pricing-ready `Resolved…` form. The zod schemas that parse specs at the edge are in
 * `instrument-spec-schema.ts`; the methodology is in docs/methodology/instruments.md.
 */

/** Every instrument kind, in documentation order. */
export const INSTRUMENT_KINDS = ['spot', 'perpetual', 'future', 'option'] as const;

/** The discriminant of `InstrumentSpec` and `ResolvedInstrument`. */
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

/**
 * The instrument id charset: 1 to 64 characters, ASCII letters, digits and `. _ : -`, starting
 * with a letter or digit (e.g. `BTC-PERP`, `BTC-27JUN25-100000-C`, `deribit:ETH-PERPETUAL`).
 * Ids are case-sensitive and compared exactly. The charset has no brackets, quotes or spaces,
 * so an id can be written into a field path (`instruments[BTC-PERP].strike`) without escaping.
 */
export const INSTRUMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * The largest epoch time accepted anywhere in instruments: 9999-12-31T23:59:59.999Z, in ms.
 * It is the last instant ISO 8601 writes with a four-digit year, so every accepted time can be
 * printed in an error message; anything later is an absurd expiry, not a contract.
 */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/**
 * The currency derivative prices and payoffs are quoted in. Only `'USD'` today: the engine
 * values everything in one quote currency (DESIGN "Numbers and units"). A second quote
 * currency needs FX conversion and is a later step; the field exists so that adding one is a
 * widening of this union, not a schema change.
 */
export type QuoteCurrency = 'USD';

/**
 * How a derivative is margined and settled:
 * - `'linear'`: the contract is margined and settled in the quote currency; PnL per contract
 *   is `contractSize × ΔF` in quote currency (USD).
 *
 * Inverse (coin-margined) contracts, whose PnL is `contractSize × (1/F₀ − 1/F₁)` in the
 * underlying coin, are a later step: they will be added as `'inverse'` to this union, and every
 * `switch` over it will then fail to compile until it handles them. Resolution rejects any
 * other value today.
 */
export type MarginStyle = 'linear';

/** A European option's right: a call pays max(F − K, 0), a put max(K − F, 0), per unit. */
export type OptionType = 'call' | 'put';

/** How an option settles at expiry. Only `'cash'` (against the underlying index) today. */
export type OptionSettlement = 'cash';

/** Values an omitted optional field takes. */
export const INSTRUMENT_DEFAULTS = {
  /** units of the underlying per contract */
  contractSize: 1,
  quote: 'USD',
  margin: 'linear',
  settlement: 'cash',
} as const satisfies {
  contractSize: number;
  quote: QuoteCurrency;
  margin: MarginStyle;
  settlement: OptionSettlement;
};

/**
 * A spot asset held outright: what collateral is. A position's quantity is in units of the
 * asset (e.g. BTC), signed, long > 0 (a negative balance is a liability).
 */
export interface SpotSpec {
  readonly kind: 'spot';
  /** instrument id; see `INSTRUMENT_ID_PATTERN` */
  readonly id: string;
  /** asset symbol (e.g. `'BTC'`); must be a known asset */
  readonly asset: string;
}

/** Fields every derivative spec shares. */
interface DerivativeSpecFields {
  /** instrument id; see `INSTRUMENT_ID_PATTERN` */
  readonly id: string;
  /** asset symbol of the underlying index (e.g. `'BTC'`); must be a known asset */
  readonly underlying: string;
  /** quote currency of prices and PnL; default `'USD'` */
  readonly quote?: QuoteCurrency;
  /** margining style; default `'linear'` (see `MarginStyle`) */
  readonly margin?: MarginStyle;
  /** units of the underlying per contract, finite and > 0; default 1 */
  readonly contractSize?: number;
}

/**
 * A linear perpetual future (swap): no expiry, tracks the underlying index through funding.
 * PnL per contract = contractSize × (F₁ − F₀) in quote currency.
 */
export interface PerpetualSpec extends DerivativeSpecFields {
  readonly kind: 'perpetual';
  /**
   * time between funding payments, ms, integer > 0 (e.g. 28,800,000 = 8 h). Optional: funding
   * is modelled later, and an absent interval means "not yet configured", never "no funding".
   */
  readonly fundingIntervalMs?: number;
}

/**
 * A dated linear future, cash-settled at expiry against the underlying index.
 * PnL per contract = contractSize × (F₁ − F₀) in quote currency.
 */
export interface FutureSpec extends DerivativeSpecFields {
  readonly kind: 'future';
  /** expiry and final settlement time, ms since epoch UTC, integer in (0, MAX_EPOCH_MS] */
  readonly expiryMs: number;
}

/**
 * A European option on the underlying index, priced with Black-76 on the forward to expiry.
 * Payoff at expiry per contract = contractSize × max(F − K, 0) for a call, max(K − F, 0) for a
 * put, in quote currency, where F is the settlement index price and K the strike.
 */
export interface OptionSpec extends DerivativeSpecFields {
  readonly kind: 'option';
  /** `'call'` or `'put'` */
  readonly optionType: OptionType;
  /** strike K, quote currency per unit of underlying, finite and > 0 */
  readonly strike: number;
  /** expiry time, ms since epoch UTC, integer in (0, MAX_EPOCH_MS] */
  readonly expiryMs: number;
  /** settlement style; default `'cash'` */
  readonly settlement?: OptionSettlement;
}

/**
 * Any instrument definition, discriminated on `kind`. Build it in code, or parse untrusted
 * data with `parseInstrumentSpec`; either way `resolveInstrument` checks it again.
 */
export type InstrumentSpec = SpotSpec | PerpetualSpec | FutureSpec | OptionSpec;
