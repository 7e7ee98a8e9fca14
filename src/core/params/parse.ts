/**
 * @module params/parse
 *
 * The one place where zod output becomes an xmargin error: `parseWithSchema` validates a
 * document at the edge and throws `ValidationError` listing every failing field
 * (path, zod issue code, message). Unparsed data never reaches the rest of the core.
 */
import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors.js';

/**
 * Validates `data` against `schema`; returns the parsed value or throws.
 * @param schema  a zod schema (strict objects: unknown keys are errors)
 * @param data    untrusted input (parsed JSON)
 * @param what    what the document is, for the message (e.g. "market file")
 * @throws ValidationError ERR_VALIDATION with one issue per failing field
 * @example parseWithSchema(OptionSpecSchema, json, 'option spec')
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = [];
  for (const i of result.error.issues) {
    const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (i.code === 'unrecognized_keys') {
      // zod reports unknown keys at the holding object; name each key in its own path.
      for (const key of i.keys)
        issues.push({ path: [...path, key], code: i.code, message: `unknown field "${key}"` });
    } else {
      issues.push({ path, code: i.code, message: i.message });
    }
  }
  throw new ValidationError(what, issues);
}
