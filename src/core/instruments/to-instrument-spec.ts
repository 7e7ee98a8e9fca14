/**
 * @module instruments/to-instrument-spec
 *
 * Resolved instrument → its canonical spec: the contract terms with every default written out
 * and every valuation-dependent field (`valuationMs`, `tYears`) dropped. For storing or sending
 * a definition, and for the round-trip laws the tests check:
 * `resolveInstrument(toInstrumentSpec(r), ctx)` deep-equals `r` for the `ctx` that produced `r`,
 * and `parseInstrumentSpec(toInstrumentSpec(r))` deep-equals `toInstrumentSpec(r)`.
 */
import type { InstrumentSpec } from './instrument-spec.js';
import type { ResolvedInstrument } from './resolved-instrument.js';

/**
 * The canonical spec of a resolved instrument (a fresh plain object, JSON-safe).
 * @param instrument  a resolved instrument
 * @returns           its spec with `quote`, `margin`, `contractSize` and `settlement` explicit;
 *                    `fundingIntervalMs` present only if it was set
 * @example toInstrumentSpec(registry.getInstrument('BTC-PERP')) // { kind: 'perpetual', id: 'BTC-PERP', ... }
 */
export function toInstrumentSpec(instrument: ResolvedInstrument): InstrumentSpec {
  switch (instrument.kind) {
    case 'spot':
      return { kind: 'spot', id: instrument.id, asset: instrument.asset };
    case 'perpetual': {
      const { kind, id, underlying, quote, margin, contractSize, fundingIntervalMs } = instrument;
      return {
        kind,
        id,
        underlying,
        quote,
        margin,
        contractSize,
        ...(fundingIntervalMs === undefined ? {} : { fundingIntervalMs }),
      };
    }
    case 'future': {
      const { kind, id, underlying, quote, margin, contractSize, expiryMs } = instrument;
      return { kind, id, underlying, quote, margin, contractSize, expiryMs };
    }
    case 'option': {
      const { kind, id, underlying, quote, margin, contractSize, optionType, strike, expiryMs, settlement } =
        instrument;
      return { kind, id, underlying, quote, margin, contractSize, optionType, strike, expiryMs, settlement };
    }
  }
}
