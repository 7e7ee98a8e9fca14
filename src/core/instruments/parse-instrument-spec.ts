/**
 * @module instruments/parse-instrument-spec
 *
 * Parsing of untrusted instrument definitions at the edge: zod shape checks, unknown keys
 * rejected, defaults filled in. The result still goes through `resolveInstrument`, which checks
 * what only the context can tell (known underlyings, expiry against valuation time).
 */
import { parseWithSchema } from '../params/parse.js';
import type { InstrumentSpec } from './instrument-spec.js';
import { InstrumentSpecListSchema, InstrumentSpecSchema } from './instrument-spec-schema.js';

/**
 * Parses one instrument definition from untrusted data (parsed JSON).
 *
 * Rules: `kind` is one of spot, perpetual, future, option; unknown keys are errors; numbers
 * are finite; `contractSize` and `strike` > 0; `expiryMs` and `fundingIntervalMs` are positive
 * integers, `expiryMs` ≤ `MAX_EPOCH_MS`; omitted `quote`, `margin`, `contractSize` and
 * `settlement` take `INSTRUMENT_DEFAULTS`.
 *
 * @param data  untrusted input, e.g. one element of a JSON instruments file
 * @param what  what the document is, for the error message; default `'instrument spec'`
 * @returns     the spec with every default written out
 * @throws ValidationError ERR_VALIDATION with one issue per failing field (path, zod code,
 *         message); an unknown key is an `unrecognized_keys` issue at the path of its object,
 *         whose message names the key
 * @example
 * parseInstrumentSpec({ kind: 'future', id: 'BTC-27JUN25', underlying: 'BTC', expiryMs: 1751011200000 });
 * // → { kind: 'future', id: 'BTC-27JUN25', underlying: 'BTC', quote: 'USD', margin: 'linear',
 * //     contractSize: 1, expiryMs: 1751011200000 }
 */
export function parseInstrumentSpec(data: unknown, what = 'instrument spec'): InstrumentSpec {
  return parseWithSchema(InstrumentSpecSchema, data, what);
}

/**
 * Parses a list of instrument definitions (an instruments file). Every failing field of every
 * element is reported at once; issue paths start with the element index (`[2].strike`).
 * Duplicate ids are not checked here but by `resolveInstruments`, which needs the whole list.
 *
 * @param data  untrusted input: an array of instrument definitions
 * @param what  what the document is, for the error message; default `'instrument list'`
 * @returns     the specs in input order, defaults written out
 * @throws ValidationError ERR_VALIDATION when `data` is not an array or any element is invalid
 * @example parseInstrumentSpecs(JSON.parse(fileText), 'instruments.json')
 */
export function parseInstrumentSpecs(data: unknown, what = 'instrument list'): InstrumentSpec[] {
  return parseWithSchema(InstrumentSpecListSchema, data, what);
}
