/**
 * @module adapters/http/zod-schemas
 *
 * Request validation with zod for fastify: each route declares zod schemas; they are turned into
 * JSON Schema (OpenAPI 3.0 dialect) for the documentation at /docs, and the route's validator
 * runs the zod schema itself, so a bad request is refused with ERR_VALIDATION naming the field,
 * the rule and the value (the error body of http-errors.ts).
 */
import { z } from 'zod';
import { ValidationError, XmarginError, type ValidationIssue } from '../../core/errors.js';
import { parseWithSchema } from '../../core/params/parse.js';

const ZOD_OF = new WeakMap<object, { schema: z.ZodType; what: string }>();

/**
 * The JSON Schema of `schema` for fastify's route `schema` (documentation); the validator
 * compiler finds the zod schema again through it.
 * @param what  what is validated, for messages (e.g. "request body")
 */
export function zodJson(schema: z.ZodType, what: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  delete json.$schema;
  ZOD_OF.set(json, { schema, what });
  return json;
}

/** The JSON Schema of a response (output side of the schema), for the documentation only. */
export function zodResponseJson(schema: z.ZodType, what: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io: 'output',
  }) as Record<string, unknown>;
  delete json.$schema;
  if (json.description === undefined) json.description = what;
  return json;
}

/**
 * The offending value at `path`, as an error may echo it: primitives as they are (strings cut at
 * 200 characters), arrays and objects only described (a hostile value may be huge or deep).
 */
function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (Array.isArray(v)) return `[array of ${v.length}]`;
  if (v !== null && typeof v === 'object') return `{object with ${Object.keys(v).length} keys}`;
  return v;
}

/** Validates with zod; a failure is ERR_VALIDATION whose issues carry the offending value. */
export function parseRequest<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  try {
    return parseWithSchema(schema, data, what);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const issues = e.issues.map((i) => ({ ...i, value: valueAt(data, i.path) }) as ValidationIssue);
    throw new ValidationError(what, issues);
  }
}

/** fastify validator compiler: runs the zod schema registered by {@link zodJson}. */
export function zodValidatorCompiler({ schema }: { schema: unknown }) {
  const entry = ZOD_OF.get(schema as object);
  return (data: unknown): { value: unknown } | { error: Error } => {
    if (!entry) return { value: data };
    try {
      return { value: parseRequest(entry.schema, data, entry.what) };
    } catch (e) {
      return { error: e instanceof XmarginError ? e : new Error(String(e)) };
    }
  };
}
