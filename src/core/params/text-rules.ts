/**
 * @module params/text-rules
 *
 * The one rule for every string that crosses a boundary (HTTP bodies, queries, path parameters,
 * WebSocket messages, CLI files, stored labels), checked once, before anything is applied:
 *
 * - no control characters (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F), no line or
 *   paragraph separators (U+2028, U+2029), no unpaired UTF-16 surrogates: PostgreSQL refuses
 *   U+0000 in `text` and `jsonb` and unpaired surrogates in `jsonb`, and the others have no place in
 *   an identifier or a label;
 * - normalised to Unicode NFC (so two spellings of one label are one value), then length-capped;
 * - identifiers additionally match their pattern (ASCII).
 *
 * {@link findUnstorable} walks any value (an operation about to be persisted) for what the store
 * would refuse, so that a request is refused with a 400 naming the field instead of failing a
 * database transaction.
 */
import { z } from 'zod';

/** Characters never accepted in a string at the boundary (module header). */
// eslint-disable-next-line no-control-regex -- the point is to match control characters
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An unpaired surrogate (a high not followed by a low, or a low not preceded by a high). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string breaks the rule, or undefined when it is fine. */
export function textProblem(s: string): string | undefined {
  if (FORBIDDEN.test(s)) {
    const c = FORBIDDEN.exec(s)![0].codePointAt(0)!;
    return `must not contain control characters; got U+${c.toString(16).toUpperCase().padStart(4, '0')} at index ${s.search(FORBIDDEN)}`;
  }
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (no unpaired surrogate)';
  return undefined;
}

/**
 * Free text (labels, sources): the module's rule, NFC-normalised, 1..max characters.
 * @param max  largest length after normalisation
 */
export function safeText(max: number) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const p = textProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    })
    .transform((s) => s.normalize('NFC'))
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
}

/**
 * An identifier: the module's rule, then `pattern` (ASCII only, so NFC changes nothing).
 * @param rule  the pattern in words, for the message
 */
export function identifier(pattern: RegExp, rule: string, max = 200) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const p = textProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    })
    .regex(pattern, rule);
}

/**
 * A name in a file (an instrument id, an asset symbol): non-empty, at most `max` characters, and
 * the module's rule (no control characters, valid Unicode).
 */
export function plainName(max = 200) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const p = textProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    });
}

/**
 * The first string in `value` (deep: objects, arrays) the store would refuse, with its path, or
 * undefined. Keys are checked too.
 */
export function findUnstorable(value: unknown, path = ''): { path: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const p = textProblem(value);
    return p ? { path: path || '(value)', problem: p } : undefined;
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    return { path: path || '(value)', problem: `must be a finite number; got ${value}` };
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = textProblem(k);
    if (p) return { path: path ? `${path}.${k}` : k, problem: `key ${p}` };
    const inner = findUnstorable(v, path ? `${path}.${k}` : k);
    if (inner) return inner;
  }
  return undefined;
}
