/**
 * @module instruments/resolve-instruments
 *
 * A whole instrument list → one `InstrumentRegistry`: every spec resolved for the same
 * valuation time, ids unique. All or nothing: the first invalid spec throws and no registry
 * is returned.
 */
import { requireInput } from '../errors.js';
import { INSTRUMENT_ID_PATTERN, type InstrumentSpec } from './instrument-spec.js';
import { buildInstrumentRegistry, type InstrumentRegistry } from './instrument-registry.js';
import {
  INSTRUMENT_ID_RULE,
  requireResolveContext,
  resolveInstrument,
  type ResolveInstrumentContext,
} from './resolve-instrument.js';
import type { ResolvedInstrument } from './resolved-instrument.js';

/**
 * Resolves a list of instrument definitions into a registry.
 *
 * Rules: `specs` is an array (it may be empty); each id matches `INSTRUMENT_ID_PATTERN` and
 * appears once (exact, case-sensitive comparison); each spec passes `resolveInstrument` for
 * `ctx`. Elements are checked in order and the first failure throws.
 *
 * @param specs  instrument definitions (from code, or from `parseInstrumentSpecs`)
 * @param ctx    known assets and valuation time (ms since epoch UTC)
 * @returns      a frozen registry keeping the input order
 * @throws InvalidInputError ERR_INVALID_INPUT when an id is malformed (field `instruments[<i>].id`)
 *         or repeated (field `instruments[<i>].id`, message naming the id and its first index;
 *         `details.value` = the id), or a field breaks its rule
 * @throws RiskError ERR_UNKNOWN_UNDERLYING, ERR_INSTRUMENT_EXPIRED as `resolveInstrument`
 * @see docs/methodology/instruments.md#resolution
 * @example
 * const registry = resolveInstruments(parseInstrumentSpecs(json), {
 *   knownAssets: new Set(['BTC', 'ETH', 'USDC']),
 *   valuationMs: Date.UTC(2025, 0, 1),
 * });
 * registry.getInstrument('BTC-PERP'); // ResolvedPerpetual
 */
export function resolveInstruments(
  specs: readonly InstrumentSpec[],
  ctx: ResolveInstrumentContext,
): InstrumentRegistry {
  // The context is checked even for an empty list: the registry records its valuation time.
  requireResolveContext(ctx);
  requireInput(Array.isArray(specs), 'instruments', specs, 'must be an array of instrument specs');
  const firstIndexById = new Map<string, number>();
  const resolved: ResolvedInstrument[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    requireInput(typeof spec === 'object' && spec !== null, `instruments[${i}]`, spec, 'must be an object');
    // Ids are checked here, where the list index is known, so the field path can point at the
    // element even when its id is unusable as a path segment.
    const id: unknown = spec.id;
    requireInput(
      typeof id === 'string' && INSTRUMENT_ID_PATTERN.test(id),
      `instruments[${i}].id`,
      id,
      INSTRUMENT_ID_RULE,
    );
    const first = firstIndexById.get(id);
    requireInput(
      first === undefined,
      `instruments[${i}].id`,
      id,
      `must be unique; instrument ${JSON.stringify(id)} is already defined at instruments[${first}]`,
    );
    firstIndexById.set(id, i);
    resolved.push(resolveInstrument(spec, ctx));
  }
  return buildInstrumentRegistry(resolved, ctx.valuationMs);
}
