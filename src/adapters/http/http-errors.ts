/**
 * @module adapters/http/http-errors
 *
 * The one place where error codes become HTTP statuses, and the error body of the API:
 *
 *   { "error": { "code", "message", "field"?, "rule"?, "value"?, ...numbers of details, "details" } }
 *
 * `field`, `rule` and `value` are lifted from the error's details (for a schema failure, from its
 * first issue; all issues stay in `details.issues`); USD figures of a margin refusal
 * (`requiredUsd`, `shortfallUsd`, ...) are lifted too. Anything that is not an XmarginError is a
 * bug: 500 ERR_INVARIANT, without internals in the body.
 */
import { XmarginError, formatPath, type ErrorCode, type ValidationIssue } from '../../core/errors.js';

/** HTTP status of every code. A new code in the catalogue fails to compile until it is mapped here. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  ERR_INVALID_INPUT: 400,
  ERR_VALIDATION: 400,
  ERR_INVALID_PARAMS: 400,
  ERR_UNKNOWN_UNDERLYING: 400,
  ERR_UNKNOWN_INSTRUMENT: 400,
  ERR_UNKNOWN_ASSET: 400,
  ERR_UNSUPPORTED_INSTRUMENT: 400,
  ERR_INSTRUMENT_EXPIRED: 400,
  ERR_INEXACT: 400,
  ERR_ASSET_MISMATCH: 400,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_IDEMPOTENCY_CONFLICT: 409,
  ERR_INSUFFICIENT_MARGIN: 422,
  ERR_MISSING_MARKET_DATA: 422,
  ERR_PRICE_OUT_OF_BOUNDS: 422,
  ERR_ORACLE_INSUFFICIENT_SOURCES: 422,
  ERR_ORACLE_STALE: 422,
  ERR_OPTIMISATION_INFEASIBLE: 422,
  ERR_OPTIMISATION_UNVERIFIED: 422,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_RATE_LIMITED: 429,
  ERR_NO_CONVERGENCE: 500,
  ERR_DATA_INTEGRITY: 500,
  ERR_NUMERIC: 500,
  ERR_SOLVER: 503,
  ERR_INVARIANT: 500,
  ERR_UNAVAILABLE: 503,
};

/** The `error` object of an error response. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly rule?: string;
  readonly value?: unknown;
  readonly details: Record<string, unknown>;
  readonly [extra: string]: unknown;
}

/** Details lifted to the top of the error object when they are numbers (USD figures). */
const LIFTED_NUMBERS = ['requiredUsd', 'shortfallUsd', 'equityAfterUsd', 'initialUsd', 'maintenanceUsd'];

/** Status and body of any thrown value. */
export function toErrorResponse(e: unknown): { status: number; body: { error: ErrorBody } } {
  if (!(e instanceof XmarginError)) {
    return {
      status: 500,
      body: {
        error: { code: 'ERR_INVARIANT', message: 'internal error (reported in the server log)', details: {} },
      },
    };
  }
  const json = e.toJSON();
  const d = json.details;
  const error: Record<string, unknown> = { code: e.code, message: e.message };
  const issues = d.issues as readonly ValidationIssue[] | undefined;
  if (e.code === 'ERR_VALIDATION' && Array.isArray(issues) && issues.length > 0) {
    const first = issues[0]!;
    error.field = formatPath(first.path);
    error.rule = first.message;
    if ('value' in first) error.value = (first as { value?: unknown }).value;
  } else {
    if (typeof d.field === 'string') error.field = d.field;
    if (typeof d.rule === 'string') error.rule = d.rule;
    if ('value' in d) error.value = d.value;
  }
  for (const k of LIFTED_NUMBERS) if (typeof d[k] === 'number') error[k] = d[k];
  error.details = d;
  return { status: HTTP_STATUS[e.code], body: { error: error as unknown as ErrorBody } };
}

/** 401: no key, or an unknown key. */
export function unauthenticated(message: string): XmarginError {
  return new XmarginError('ERR_UNAUTHENTICATED', message, {
    field: 'authorization',
    rule: 'must carry a known API key',
  });
}

/** 403: the key's scopes do not cover the action; `required` names the scope that would. */
export function forbidden(required: string, what: string): XmarginError {
  return new XmarginError('ERR_FORBIDDEN', `${what} needs scope ${required}`, {
    rule: `needs scope ${required}`,
    required,
  });
}

/** 404 naming the missing resource. */
export function notFound(field: string, value: unknown, what: string): XmarginError {
  return new XmarginError(
    'ERR_NOT_FOUND',
    `${field} must name an existing ${what}; got ${JSON.stringify(value)}`,
    {
      field,
      value,
      rule: `must name an existing ${what}`,
    },
  );
}

/** 503 while the service cannot serve (starting, stopping, stopped after a storage failure). */
export function unavailable(reason: string): XmarginError {
  return new XmarginError('ERR_UNAVAILABLE', `service unavailable: ${reason}`, { rule: reason });
}
