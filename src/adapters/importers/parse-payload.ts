/**
 * Validation of a venue's payload at the edge: a zod schema per payload kind, and errors that
 * name the venue, the payload, the field and the value received
 * (`okx positions is invalid: data[0].pos: must be a decimal string; got "abc"`).
 *
 * Number helpers accept what venues send: JSON numbers, or decimal strings (OKX, Bybit, Binance,
 * Hyperliquid, dYdX send strings; OKX sends "" for an absent value).
 */
import { z } from 'zod';
import { ValidationError, formatPath, type ValidationIssue } from '../../core/errors.js';

const DECIMAL = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

const toNumber = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v.trim()) ? Number(v) : NaN;

/** A finite number sent as a JSON number or a decimal string. */
export const num = z.unknown().transform((v, ctx) => {
  const n = toNumber(v);
  if (Number.isFinite(n)) return n;
  ctx.addIssue({ code: 'custom', message: 'must be a finite number or decimal string' });
  return z.NEVER;
});

/** The same, keeping the decimal text (exact balances). */
export const decimalText = z.unknown().transform((v, ctx) => {
  if (Number.isFinite(toNumber(v))) return typeof v === 'string' ? v.trim() : (v as number);
  ctx.addIssue({ code: 'custom', message: 'must be a finite number or decimal string' });
  return z.NEVER;
});

/** A number, or absent / "" (OKX's empty fields). */
export const optNum = z
  .unknown()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    const n = toNumber(v);
    if (Number.isFinite(n)) return n;
    ctx.addIssue({ code: 'custom', message: 'must be a finite number, a decimal string or ""' });
    return z.NEVER;
  })
  .optional();

/** A millisecond timestamp sent as a number or a string. */
export const epochMs = num.refine((n) => Number.isSafeInteger(n) && n > 0, 'must be a positive integer (ms)');

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses one payload; on failure, a ValidationError whose every issue names the field and the
 * value received.
 * @param venue  the importer (e.g. `okx`), first word of the message
 * @param kind   the payload kind (e.g. `positions`)
 * @throws ValidationError ERR_VALIDATION
 */
export function parsePayload<S extends z.ZodType>(
  venue: string,
  kind: string,
  schema: S,
  data: unknown,
  unwrapKeys: readonly string[] = [],
): z.output<S> {
  const { inner, prefix } = unwrap(data, unwrapKeys);
  const r = schema.safeParse(inner);
  if (r.success) return r.data;
  const issues: ValidationIssue[] = r.error.issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return {
      path,
      code: i.code,
      message: `${i.message}; got ${show(valueAt(inner, i.path))}`,
    };
  });
  throw new ValidationError(`${venue} ${kind}`, issues);
}

/**
 * Strips a venue's envelope (`{"result": …}`, `{"data": …}`, `{"result": {"list": …}}`): each key
 * in turn, when present; a payload already unwrapped passes as it is.
 */
export function unwrap(data: unknown, keys: readonly string[]): { inner: unknown; prefix: string[] } {
  let inner = data;
  const prefix: string[] = [];
  for (const k of keys) {
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && k in inner) {
      inner = (inner as Record<string, unknown>)[k];
      prefix.push(k);
    }
  }
  return { inner, prefix };
}

/** `field` of a payload, for messages. */
export function fieldOf(kind: string, path: readonly (string | number)[]): string {
  return `${kind} ${formatPath(path)}`;
}
