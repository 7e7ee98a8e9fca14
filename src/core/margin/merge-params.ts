/**
 * Parameter documents are partial: any subset of a model's top-level fields, validated with the
 * model's strict schema, replaces those fields of the defaults. Cross-field rules are then
 * checked on the merged whole (each rule its own ERR_INVALID_PARAMS naming the field).
 */
import type { z } from 'zod';
import { parseWithSchema } from '../params/parse.js';
import { XmarginError } from '../errors.js';

/**
 * Validates `doc` with `partialSchema` (a strict object whose fields are all optional), merges it
 * over `defaults` top-level key by key, and runs `rules` on the result.
 * @param rules  each returns undefined when satisfied, or [field, message] when broken
 * @throws ValidationError ERR_VALIDATION; XmarginError ERR_INVALID_PARAMS for the first broken rule
 */
export function mergeParams<P extends object>(
  model: string,
  defaults: P,
  partialSchema: z.ZodType,
  doc: unknown,
  rules: readonly ((p: P) => readonly [string, string] | undefined)[] = [],
): P {
  const partial =
    doc === undefined ? {} : (parseWithSchema(partialSchema, doc, `${model} params`) as Partial<P>);
  const merged = { ...defaults, ...partial } as P;
  for (const rule of rules) {
    const broken = rule(merged);
    if (broken) {
      const [field, message] = broken;
      throw new XmarginError('ERR_INVALID_PARAMS', `${model} params: ${field} ${message}`, { model, field });
    }
  }
  return merged;
}
