/**
 * @module instruments
 *
 * What is traded, separate from market data ("with what") and pricing ("how"), Strata style:
 * an `InstrumentSpec` is the user-facing contract definition; `resolveInstrument` checks it
 * against the known assets and a valuation time and returns its frozen, pricing-ready
 * `ResolvedInstrument`. Pricers take `(resolvedInstrument, marketView, params)`.
 *
 * Kinds (discriminant `kind`):
 * - `spot`: an asset held outright; also what collateral is;
 * - `perpetual`: linear perpetual future (funding is modelled elsewhere, later);
 * - `future`: dated linear future, cash-settled against the underlying index at `expiryMs`;
 * - `option`: European call or put on the underlying index, cash-settled, priced with Black-76
 *   on the forward to expiry; payoff per contract = contractSize × max(F − K, 0) (call) or
 *   contractSize × max(K − F, 0) (put).
 * Every derivative carries `margin: 'linear'`; inverse (coin-margined) contracts will widen
 * `MarginStyle`, not change the shape.
 *
 * Units:
 * - times are integer ms since the Unix epoch, UTC (`expiryMs`, `valuationMs`), in
 *   (0, MAX_EPOCH_MS]; time to expiry `tYears` is ACT/365 (`yearFraction`);
 * - prices and strikes are in the quote currency (`'USD'`) per unit of underlying;
 * - `contractSize` is units of the underlying per contract (1 for spot).
 *
 * Sign conventions: instruments carry no quantity. Positions that reference them hold a
 * signed quantity, long > 0; exposure in underlying units = quantity × contractSize.
 *
 * Invariants of every `ResolvedInstrument`:
 * - frozen; `id` matches `INSTRUMENT_ID_PATTERN`; `underlying` is a known asset;
 * - `contractSize` finite and > 0; an option's `strike` finite and > 0;
 * - dated instruments: `expiryMs > valuationMs` and
 *   `tYears = (expiryMs − valuationMs) / 31,536,000,000 > 0`;
 * - in an `InstrumentRegistry`, ids are unique and every dated instrument shares the
 *   registry's `valuationMs`.
 *
 * Conservative choices: an instrument expiring exactly at the valuation time is expired (it has
 * no time value left to price); unknown keys at the edge are errors, not ignored; an unknown
 * underlying or instrument id is a refusal, never a silently dropped position.
 *
 * @see docs/methodology/instruments.md
 */
export {
  INSTRUMENT_DEFAULTS,
  INSTRUMENT_ID_PATTERN,
  INSTRUMENT_KINDS,
  MAX_EPOCH_MS,
  type FutureSpec,
  type InstrumentKind,
  type InstrumentSpec,
  type MarginStyle,
  type OptionSettlement,
  type OptionSpec,
  type OptionType,
  type PerpetualSpec,
  type QuoteCurrency,
  type SpotSpec,
} from './instrument-spec.js';
export {
  FutureSpecSchema,
  InstrumentSpecListSchema,
  InstrumentSpecSchema,
  OptionSpecSchema,
  PerpetualSpecSchema,
  SpotSpecSchema,
} from './instrument-spec-schema.js';
export { parseInstrumentSpec, parseInstrumentSpecs } from './parse-instrument-spec.js';
export {
  isDatedInstrument,
  type ResolvedDatedInstrument,
  type ResolvedFuture,
  type ResolvedInstrument,
  type ResolvedInstrumentByKind,
  type ResolvedOfKind,
  type ResolvedOption,
  type ResolvedPerpetual,
  type ResolvedSpot,
} from './resolved-instrument.js';
export { resolveInstrument, type KnownAssets, type ResolveInstrumentContext } from './resolve-instrument.js';
export { resolveInstruments } from './resolve-instruments.js';
export type { InstrumentRegistry } from './instrument-registry.js';
export { toInstrumentSpec } from './to-instrument-spec.js';
