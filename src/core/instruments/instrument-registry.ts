/**
 * @module instruments/instrument-registry
 *
 * A frozen lookup of resolved instruments by id, all resolved for one valuation time. Built by
 * `resolveInstruments`, which guarantees unique ids; positions and quotes refer to instruments
 * through it, and an id it does not hold is a domain refusal, never a silent skip.
 */
import { InvariantError, RiskError } from '../errors.js';
import type { ResolvedInstrument } from './resolved-instrument.js';

/** Resolved instruments by id, for one valuation time. Immutable. */
export interface InstrumentRegistry {
  /** the valuation time every dated instrument's `tYears` was computed for, ms since epoch UTC */
  readonly valuationMs: number;
  /** every instrument, in the order of the input list (frozen) */
  readonly instruments: readonly ResolvedInstrument[];
  /** number of instruments */
  readonly size: number;
  /**
   * Whether `id` is defined (exact, case-sensitive match).
   * @param id  instrument id
   */
  hasInstrument(id: string): boolean;
  /**
   * The instrument with this id (exact, case-sensitive match).
   * @param id  instrument id
   * @returns   the frozen resolved instrument
   * @throws RiskError ERR_UNKNOWN_INSTRUMENT when no instrument has this id; `details` = { id }
   * @example registry.getInstrument('BTC-PERP').contractSize
   */
  getInstrument(id: string): ResolvedInstrument;
}

/**
 * Builds the registry over instruments already resolved for `valuationMs`. Internal to the
 * instruments module: callers use `resolveInstruments`, which reports duplicate ids as input
 * errors before this runs.
 * @param instruments  resolved instruments with unique ids
 * @param valuationMs  their valuation time, ms since epoch UTC
 * @returns            a frozen registry; `instruments` keeps the input order
 * @throws InvariantError ERR_INVARIANT on a duplicate id (a bug in the caller)
 */
export function buildInstrumentRegistry(
  instruments: readonly ResolvedInstrument[],
  valuationMs: number,
): InstrumentRegistry {
  const byId = new Map<string, ResolvedInstrument>();
  for (const instrument of instruments) {
    if (byId.has(instrument.id)) {
      throw new InvariantError('duplicate instrument id reached the registry', { id: instrument.id });
    }
    byId.set(instrument.id, instrument);
  }
  const list = Object.freeze([...instruments]);
  const registry: InstrumentRegistry = {
    valuationMs,
    instruments: list,
    size: list.length,
    hasInstrument: (id) => byId.has(id),
    getInstrument: (id) => {
      const instrument = byId.get(id);
      if (instrument === undefined) {
        throw new RiskError(
          'ERR_UNKNOWN_INSTRUMENT',
          `unknown instrument ${JSON.stringify(id)}; ${list.length} instruments are defined`,
          { id },
        );
      }
      return instrument;
    },
  };
  return Object.freeze(registry);
}
