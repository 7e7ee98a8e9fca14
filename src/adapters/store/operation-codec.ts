/**
 * @module adapters/store/operation-codec
 *
 * Operations to and from JSON: bigint fields (base units) become decimal strings and come back
 * as bigint; every other field keeps its JSON type. Which fields are bigint follows the naming
 * rule of engine/operations.ts: `units` and every `<something>Units` field are base units, so
 * new operation kinds need no change here. A decoded operation has exactly the types the journal
 * expects (and the same fingerprint).
 */
import { InvariantError } from '../../core/errors.js';
import type { Operation } from '../../engine/operations.js';

/** Names of the bigint (base units) fields of an operation. */
export const UNITS_FIELD_PATTERN = /^(units|[a-z][A-Za-z]*Units)$/;

/** The operation as a JSON-safe object: bigint → decimal string. */
export function encodeOperation(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) out[k] = typeof v === 'bigint' ? v.toString() : v;
  return out;
}

/**
 * The operation from its stored JSON.
 * @throws InvariantError ERR_INVARIANT when the body is not an encoded operation (a corrupt row)
 */
export function decodeOperation(body: unknown): Operation {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvariantError('a stored operation must be a JSON object', { body });
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (!UNITS_FIELD_PATTERN.test(k)) {
      o[k] = v;
      continue;
    }
    if (typeof v !== 'string' || !/^-?\d+$/.test(v))
      throw new InvariantError(`stored operation field ${k} must be a decimal string of base units`, {
        field: k,
        value: v,
      });
    o[k] = BigInt(v);
  }
  if (typeof o.kind !== 'string' || typeof o.key !== 'string')
    throw new InvariantError('a stored operation must have a kind and a key', { body });
  return o as unknown as Operation;
}
