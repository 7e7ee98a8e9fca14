/**
 * @module errors
 *
 * The error catalogue of xmargin. Every failure that leaves the library carries a stable
 * `code` (greppable, documented in docs/errors.md, kept in sync by test/errors-catalogue.test.ts),
 * a message that names the field, the rule and the offending value, and a `details` object
 * holding those values for programs.
 *
 * Three kinds of failure (STYLE §3.6):
 * - bad input from outside: `ValidationError` (many issues, from zod at the edge) or
 *   `InvalidInputError` (one field);
 * - domain refusals decided by the core: `RiskError` with a specific code;
 * - bugs and broken invariants: `InvariantError` (`ERR_INVARIANT`), never a 4xx.
 */

/** Every code xmargin may raise, with what it means and how to fix it. */
export const ERROR_CATALOGUE = {
  ERR_INVALID_INPUT: {
    meaning: 'A value crossing a boundary breaks a rule (NaN, out of range, wrong sign, wrong shape).',
    remedy: 'Fix the named field so that it satisfies the stated rule.',
  },
  ERR_VALIDATION: {
    meaning:
      'A document (CLI file, HTTP body, params file) failed schema validation; `issues` lists each field.',
    remedy: 'Correct every listed path; unknown fields are errors, not ignored.',
  },
  ERR_INVALID_PARAMS: {
    meaning: 'A parameter set breaks a cross-field rule (e.g. a maintenance rate above the initial rate).',
    remedy: 'Change the named parameter so that the rule holds.',
  },
  ERR_UNKNOWN_UNDERLYING: {
    meaning: 'An instrument names an underlying asset that is not defined.',
    remedy: 'Define the asset (with its decimals) before instruments that reference it.',
  },
  ERR_UNKNOWN_INSTRUMENT: {
    meaning: 'A position or quote names an instrument id that is not defined.',
    remedy: 'Define the instrument, or correct the id.',
  },
  ERR_UNKNOWN_ASSET: {
    meaning: 'An amount or balance names an asset that is not defined.',
    remedy: 'Define the asset with its decimals, or correct the symbol.',
  },
  ERR_UNSUPPORTED_INSTRUMENT: {
    meaning:
      'A model cannot margin this kind of instrument (e.g. options under a perpetuals-only venue preset).',
    remedy: 'Use a model that supports the instrument, or remove the position from this comparison.',
  },
  ERR_INSTRUMENT_EXPIRED: {
    meaning: 'A dated instrument is used at or after its expiry where a live instrument is required.',
    remedy: 'Settle the expired instrument, or value it at a time before its expiry.',
  },
  ERR_MISSING_MARKET_DATA: {
    meaning: 'The market snapshot lacks a price, forward or volatility needed to value a position.',
    remedy: 'Supply the named market datum; margin fails closed rather than guessing.',
  },
  ERR_PRICE_OUT_OF_BOUNDS: {
    meaning:
      "A price lies outside its allowed range: an option price outside its no-arbitrage bounds (no implied volatility exists), or a fill price outside the venue's band around the mark.",
    remedy:
      'Check the price against the mark (the band is in `details.lo`/`details.hi`), or the forward, strike and discount factor; intrinsic ≤ price ≤ bound.',
  },

  ERR_NO_CONVERGENCE: {
    meaning: 'A root finder did not reach its tolerance within its iteration budget.',
    remedy: 'Report it with the inputs in `details`; it indicates a numerical edge case.',
  },
  ERR_ORACLE_INSUFFICIENT_SOURCES: {
    meaning: 'Too few oracle sources remain after rejecting stale, invalid and outlying quotes.',
    remedy: 'Restore fresh sources, or lower `minSources` if the venue accepts that risk.',
  },
  ERR_ORACLE_STALE: {
    meaning:
      'The oracle price of an asset is older than the action allows (stricter for liquidation); risk-increasing actions are blocked.',
    remedy: 'Wait for a fresh aggregate of the named asset; risk-reducing actions stay allowed meanwhile.',
  },
  ERR_ASSET_MISMATCH: {
    meaning: 'An operation combines exact amounts of two different assets.',
    remedy: 'Convert explicitly (through a price) before combining amounts of different assets.',
  },
  ERR_INEXACT: {
    meaning:
      'A decimal amount has more fractional digits than the asset holds, and exact parsing was requested.',
    remedy: 'Round the amount to the asset decimals, or parse with an explicit rounding mode.',
  },
  ERR_INSUFFICIENT_MARGIN: {
    meaning:
      'An operation would leave a sub-account with equity below its initial requirement; `details` has the requirement and the shortfall.',
    remedy: 'Deposit collateral, reduce risk, or withdraw less (at most the shortfall less).',
  },
  ERR_IDEMPOTENCY_CONFLICT: {
    meaning: 'An idempotency key was reused for an operation with different content.',
    remedy: 'Use a new key for a new operation; replay only the exact same operation with its key.',
  },
  ERR_UNAUTHENTICATED: {
    meaning: 'A service request carried no API key, or a key the service does not know.',
    remedy:
      'Send `Authorization: Bearer <api key>` (or `?key=` on the WebSocket) with a key issued by an admin.',
  },
  ERR_FORBIDDEN: {
    meaning:
      "The API key is valid but its scopes do not allow this action (another account's data, trading with a read key, an admin action).",
    remedy:
      'Use a key with the scope named in `details.required` (`admin`, `read:<account>` or `trade:<account>`).',
  },
  ERR_NOT_FOUND: {
    meaning: 'The requested resource (sub-account, route) does not exist.',
    remedy: 'Check the id in the path; list what exists with the collection endpoint.',
  },
  ERR_PAYLOAD_TOO_LARGE: {
    meaning: 'A request body is larger than the service accepts (1 MiB).',
    remedy: 'Send a smaller body: split a large batch into several requests.',
  },
  ERR_RATE_LIMITED: {
    meaning:
      'The API key sent more requests than its rate limit allows, or heavy requests costing more than its work-unit budget (token buckets).',
    remedy: 'Wait the number of seconds in the `retry-after` header, then retry; spread requests out.',
  },
  ERR_UNAVAILABLE: {
    meaning:
      'The service cannot take the request now (starting, shutting down, stopped after a storage failure; the heavy-request queue is full or its worker thread stopped).',
    remedy: 'Retry later; operations that were not acknowledged were not applied.',
  },
  ERR_DATA_INTEGRITY: {
    meaning:
      'A shipped data file does not match the checksum recorded in its manifest (modified or corrupt).',
    remedy: 'Restore the file from the repository, or regenerate the data with its import script.',
  },
  ERR_SOLVENCY_RANGE: {
    meaning:
      'A value of a solvency epoch does not fit the proof range: a negative or oversized equity, requirement, quantity, risk-array value or tree sum (an overflow of the field is refused, never wrapped).',
    remedy:
      'Check the named account or row; the limits are in docs/methodology/solvency-proofs.md#fixed-point.',
  },
  ERR_SOLVENCY_SHAPE: {
    meaning:
      'A solvency epoch does not fit the circuit: more risk-array rows, scenarios, accounts or classes than the shipped circuit holds.',
    remedy: 'Use a larger circuit size (a new setup), or publish fewer rows or scenarios per epoch.',
  },
  ERR_NOT_COMPLIANT: {
    meaning:
      'An account cannot be proven: its equity is below its maintenance requirement or below its class share of a published scenario loss.',
    remedy: 'The account is under-margined at the epoch; it is reported as such and has no compliance proof.',
  },
  ERR_PROOF_INVALID: {
    meaning:
      'An inclusion or compliance proof does not verify against the published epoch (tampered root, leaf or risk arrays, or a proof of another epoch).',
    remedy:
      'Fetch the proof and the epoch again from the venue; a proof that still fails is evidence against the venue.',
  },
  ERR_OPTIMISATION_INFEASIBLE: {
    meaning:
      'No trade or transfer satisfies every constraint of the optimisation (a target IM out of reach, bands or a budget too tight).',
    remedy:
      'Relax the named constraint (a higher target, a larger budget or band, more candidates) and solve again.',
  },
  ERR_SOLVER: {
    meaning:
      'The LP/MILP solver failed or stopped at its time limit; no result is reported from a partial solve.',
    remedy:
      'Retry with fewer candidates or scenarios, or a longer time limit; `details` has the solver status.',
  },
  ERR_OPTIMISATION_UNVERIFIED: {
    meaning:
      "The optimised book's requirement recomputed by the margin model disagrees with the solver's beyond the model's tolerance; the answer is refused.",
    remedy:
      'Report it with `details` (both figures); try a model whose LP form is exact, or fewer candidates.',
  },
  ERR_NUMERIC: {
    meaning: 'A computation produced a non-finite number from finite inputs.',
    remedy: 'Report it with the inputs in `details`.',
  },
  ERR_INVARIANT: {
    meaning: 'An internal invariant was broken (a bug): shapes, ordering or conservation.',
    remedy: 'Report it; the operation was refused and nothing was changed.',
  },
} as const satisfies Record<string, { meaning: string; remedy: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** All codes, in catalogue order. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** Base class of every xmargin error: a stable code, a message, the values in `details`. */
export class XmarginError extends Error {
  override name = 'XmarginError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** A JSON-safe view (bigint values become decimal strings). */
  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: jsonSafe(this.details) };
  }
}

/** A domain refusal decided by the core (missing market data, expired instrument, ...). */
export class RiskError extends XmarginError {
  override name = 'RiskError';
}

/** One field of input broke one rule. The message reads `<field> <rule>; got <value>`. */
export class InvalidInputError extends XmarginError {
  override name = 'InvalidInputError';
  constructor(field: string, value: unknown, rule: string) {
    super('ERR_INVALID_INPUT', `${field} ${rule}; got ${formatValue(value)}`, { field, value, rule });
  }
}

/** One issue found by schema validation (zod-shaped: path, code, message). */
export interface ValidationIssue {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
}

/** A document failed validation; every failing field is listed in `issues`. */
export class ValidationError extends XmarginError {
  override name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(what: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    super('ERR_VALIDATION', `${what} is invalid: ${lines.join('; ')}`, { what, issues });
    this.issues = issues;
  }
}

/** An internal invariant broke: a bug, never the caller's fault. */
export class InvariantError extends XmarginError {
  override name = 'InvariantError';
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('ERR_INVARIANT', message, details);
  }
}

/**
 * Throws `InvalidInputError` unless `ok`.
 * Phrase `ok` so that NaN fails it: `x > 0`, never `!(x <= 0)`.
 * @example requireInput(strike > 0, 'strike', strike, 'must be > 0');
 */
export function requireInput(ok: boolean, field: string, value: unknown, rule: string): asserts ok {
  if (!ok) throw new InvalidInputError(field, value, rule);
}

/** Throws `ERR_NUMERIC` unless `x` is finite: the postcondition of every public numeric function. */
export function ensureFinite(
  x: number,
  what: string,
  details: Readonly<Record<string, unknown>> = {},
): number {
  if (!Number.isFinite(x)) {
    throw new XmarginError('ERR_NUMERIC', `${what} is not finite; got ${String(x)}`, {
      ...details,
      value: x,
    });
  }
  return x;
}

/** `a.b[2].c` style path for messages. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    // a key that is not a plain name (empty, spaces, dots, control characters) is quoted
    else if (!/^[A-Za-z_$][\w$-]*$/.test(p)) out += `[${JSON.stringify(p)}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  try {
    const s = JSON.stringify(jsonSafe(value));
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function jsonSafe<T>(value: T): T {
  try {
    return JSON.parse(
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null',
    ) as T;
  } catch {
    // a value too deep or cyclic to serialise is described, never allowed to throw from an error
    return { unserialisable: true } as T;
  }
}
