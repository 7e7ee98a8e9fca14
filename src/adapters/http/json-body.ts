/**
 * @module adapters/http/json-body
 *
 * JSON request bodies, parsed after a bounded depth check: a body nested deeper than
 * {@link MAX_JSON_DEPTH} levels is refused with 400 naming the rule before it reaches `JSON.parse`
 * or a schema (deep nesting exhausts the stack of recursive validators: a remote way to crash a
 * request, or to leak "Maximum call stack size exceeded"). An empty body is refused too.
 */
import { ValidationError } from '../../core/errors.js';

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a JSON text (brackets outside strings), stopping past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Parses a request body.
 * @throws ValidationError ERR_VALIDATION (400) naming `body` when empty, too deep or not JSON
 */
export function parseJsonBody(text: string): unknown {
  const issue = (message: string) =>
    new ValidationError('request body', [{ path: ['body'], code: 'invalid_format', message }]);
  if (text.trim() === '') throw issue('must be a JSON document; got an empty body');
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw issue(`must nest at most ${MAX_JSON_DEPTH} levels of arrays and objects`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw issue(`must be valid JSON (${(e as Error).message})`);
  }
}
