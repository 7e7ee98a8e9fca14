/**
 * @module instruments/resolve-instrument
 *
 * Spec → resolved instrument (Strata's `resolve()`): apply defaults, check every field again
 * (specs built in code never went through zod), check the underlying against the known assets
 * and the expiry against the valuation time, compute the time to expiry once, freeze.
 */
import { InvalidInputError, RiskError, ensureFinite, requireInput } from '../errors.js';
import { yearFraction } from '../numeric/year-fraction.js';
import {
  INSTRUMENT_DEFAULTS,
  INSTRUMENT_ID_PATTERN,
  INSTRUMENT_KINDS,
  MAX_EPOCH_MS,
  type InstrumentSpec,
  type OptionSpec,
  type FutureSpec,
  type PerpetualSpec,
} from './instrument-spec.js';
import type {
  ResolvedFuture,
  ResolvedInstrument,
  ResolvedOption,
  ResolvedPerpetual,
  ResolvedSpot,
} from './resolved-instrument.js';

/** The assets defined: a set of symbols, or a predicate over a symbol. */
export type KnownAssets = ReadonlySet<string> | ((symbol: string) => boolean);

/** What resolution needs besides the spec. */
export interface ResolveInstrumentContext {
  /** the assets defined; an instrument's underlying (a spot's asset) must be one of them */
  readonly knownAssets: KnownAssets;
  /** valuation time, ms since epoch UTC, integer in [0, MAX_EPOCH_MS] */
  readonly valuationMs: number;
}

/** Rule text shared by the id checks (here and in `resolveInstruments`). */
export const INSTRUMENT_ID_RULE =
  'must be 1 to 64 characters of letters, digits and . _ : -, starting with a letter or digit';

const EPOCH_RULE = `must be an integer epoch time in ms in (0, ${MAX_EPOCH_MS}]`;

/**
 * Resolves one instrument definition for a valuation time.
 *
 * Checks, in order (the first failure throws):
 * 1. the context: `valuationMs` an integer in [0, MAX_EPOCH_MS], `knownAssets` a set or predicate;
 * 2. `id` matches `INSTRUMENT_ID_PATTERN`; `kind` is one of `INSTRUMENT_KINDS`;
 * 3. derivatives: `quote` is 'USD', `margin` is 'linear', `contractSize` finite and > 0
 *    (omitted fields take `INSTRUMENT_DEFAULTS`);
 * 4. kind fields: `fundingIntervalMs` an integer > 0 when present; `optionType` call or put,
 *    `strike` finite and > 0, `settlement` 'cash'; `expiryMs` an integer in (0, MAX_EPOCH_MS];
 * 5. the underlying (a spot's `asset`) is a non-empty, known asset symbol;
 * 6. futures and options: `expiryMs > valuationMs`; then
 *    tYears = yearFraction(valuationMs, expiryMs) = (expiryMs − valuationMs) / (365 × 86,400,000) > 0.
 *
 * Field paths in errors read `instruments[<id>].<field>`. Deterministic: the same spec and
 * context give a deeply equal result; the result is frozen and never aliases the spec.
 *
 * @param spec  an instrument definition (from code, or from `parseInstrumentSpec`)
 * @param ctx   known assets and valuation time (ms since epoch UTC)
 * @returns     the frozen resolved instrument; `tYears` in years (ACT/365) for futures and options
 * @throws InvalidInputError ERR_INVALID_INPUT when a field breaks its rule (message
 *         `instruments[<id>].<field> <rule>; got <value>`), or the context is invalid
 * @throws RiskError ERR_UNKNOWN_UNDERLYING when the underlying (spot: asset) is not a known asset;
 *         `details` = { id, field, underlying }
 * @throws RiskError ERR_INSTRUMENT_EXPIRED when `expiryMs ≤ valuationMs` (expiry at the valuation
 *         instant counts as expired); `details` = { id, field, expiryMs, valuationMs }
 * @see docs/methodology/instruments.md#resolution
 * @example
 * const call = resolveInstrument(
 *   { kind: 'option', id: 'BTC-27JUN25-100000-C', underlying: 'BTC', optionType: 'call',
 *     strike: 100_000, expiryMs: Date.UTC(2025, 5, 27, 8) },
 *   { knownAssets: new Set(['BTC', 'USDC']), valuationMs: Date.UTC(2025, 0, 1) },
 * );
 * call.tYears; // (expiryMs − valuationMs) / 31,536,000,000 ≈ 0.4846
 */
export function resolveInstrument(spec: InstrumentSpec, ctx: ResolveInstrumentContext): ResolvedInstrument {
  const isKnownAsset = requireResolveContext(ctx);
  requireInput(typeof spec === 'object' && spec !== null, 'instrument', spec, 'must be an object');
  const id: unknown = spec.id;
  requireInput(
    typeof id === 'string' && INSTRUMENT_ID_PATTERN.test(id),
    'instrument.id',
    id,
    INSTRUMENT_ID_RULE,
  );
  const at = `instruments[${id}]`;

  switch (spec.kind) {
    case 'spot': {
      const asset = requireKnownAsset(spec.asset, `${at}.asset`, id, isKnownAsset);
      const resolved: ResolvedSpot = { kind: 'spot', id, asset, underlying: asset, contractSize: 1 };
      return Object.freeze(resolved);
    }
    case 'perpetual':
      return resolvePerpetual(spec, id, at, isKnownAsset);
    case 'future':
      return resolveFuture(spec, id, at, ctx.valuationMs, isKnownAsset);
    case 'option':
      return resolveOption(spec, id, at, ctx.valuationMs, isKnownAsset);
    default: {
      // Unreachable for typed callers; reached by plain-JS callers and future kinds.
      const unknownKind: unknown = (spec as { kind?: unknown }).kind;
      throw new InvalidInputError(`${at}.kind`, unknownKind, `must be one of ${INSTRUMENT_KINDS.join(', ')}`);
    }
  }
}

function resolvePerpetual(
  spec: PerpetualSpec,
  id: string,
  at: string,
  isKnownAsset: (symbol: string) => boolean,
): ResolvedPerpetual {
  const shared = resolveDerivativeFields(spec, at);
  const fundingIntervalMs = spec.fundingIntervalMs;
  if (fundingIntervalMs !== undefined) {
    requireInput(
      Number.isSafeInteger(fundingIntervalMs) && fundingIntervalMs > 0,
      `${at}.fundingIntervalMs`,
      fundingIntervalMs,
      'must be an integer number of ms > 0',
    );
  }
  const underlying = requireKnownAsset(spec.underlying, `${at}.underlying`, id, isKnownAsset);
  const resolved: ResolvedPerpetual = {
    kind: 'perpetual',
    id,
    underlying,
    ...shared,
    // Absent stays absent (exactOptionalPropertyTypes): no `fundingIntervalMs: undefined` key.
    ...(fundingIntervalMs === undefined ? {} : { fundingIntervalMs }),
  };
  return Object.freeze(resolved);
}

function resolveFuture(
  spec: FutureSpec,
  id: string,
  at: string,
  valuationMs: number,
  isKnownAsset: (symbol: string) => boolean,
): ResolvedFuture {
  const shared = resolveDerivativeFields(spec, at);
  requireEpochMs(spec.expiryMs, `${at}.expiryMs`);
  const underlying = requireKnownAsset(spec.underlying, `${at}.underlying`, id, isKnownAsset);
  const dated = resolveDatedFields(spec.expiryMs, valuationMs, id, at);
  const resolved: ResolvedFuture = { kind: 'future', id, underlying, ...shared, ...dated };
  return Object.freeze(resolved);
}

function resolveOption(
  spec: OptionSpec,
  id: string,
  at: string,
  valuationMs: number,
  isKnownAsset: (symbol: string) => boolean,
): ResolvedOption {
  const shared = resolveDerivativeFields(spec, at);
  const optionType = requireOneOf(spec.optionType, ['call', 'put'] as const, `${at}.optionType`);
  const strike: unknown = spec.strike;
  requireInput(
    typeof strike === 'number' && Number.isFinite(strike) && strike > 0,
    `${at}.strike`,
    strike,
    'must be a finite number > 0',
  );
  const settlement = requireOneOf(
    spec.settlement ?? INSTRUMENT_DEFAULTS.settlement,
    ['cash'] as const,
    `${at}.settlement`,
  );
  requireEpochMs(spec.expiryMs, `${at}.expiryMs`);
  const underlying = requireKnownAsset(spec.underlying, `${at}.underlying`, id, isKnownAsset);
  const dated = resolveDatedFields(spec.expiryMs, valuationMs, id, at);
  const resolved: ResolvedOption = {
    kind: 'option',
    id,
    underlying,
    ...shared,
    optionType,
    strike,
    settlement,
    ...dated,
  };
  return Object.freeze(resolved);
}

/** quote, margin and contractSize of a derivative, defaults applied and checked. */
function resolveDerivativeFields(
  spec: PerpetualSpec | FutureSpec | OptionSpec,
  at: string,
): Pick<ResolvedOption, 'quote' | 'margin' | 'contractSize'> {
  const quote = requireOneOf(spec.quote ?? INSTRUMENT_DEFAULTS.quote, ['USD'] as const, `${at}.quote`);
  const margin = requireOneOf(
    spec.margin ?? INSTRUMENT_DEFAULTS.margin,
    ['linear'] as const,
    `${at}.margin`,
    ' (inverse contracts are not supported yet)',
  );
  const contractSize: unknown = spec.contractSize ?? INSTRUMENT_DEFAULTS.contractSize;
  requireInput(
    typeof contractSize === 'number' && Number.isFinite(contractSize) && contractSize > 0,
    `${at}.contractSize`,
    contractSize,
    'must be a finite number > 0 (units of underlying per contract)',
  );
  return { quote, margin, contractSize };
}

/** expiryMs (already checked as an epoch time) against valuationMs, and the year fraction. */
function resolveDatedFields(
  expiryMs: number,
  valuationMs: number,
  id: string,
  at: string,
): Pick<ResolvedOption, 'expiryMs' | 'valuationMs' | 'tYears'> {
  // Both are integers in range here, so the comparison is exact and NaN cannot reach it.
  // Expiry AT the valuation instant is expired: the contract has settled, it has no time value.
  if (expiryMs <= valuationMs) {
    throw new RiskError(
      'ERR_INSTRUMENT_EXPIRED',
      `${at} has expired: expiryMs ${expiryMs} (${toIso(expiryMs)}) is at or before ` +
        `valuationMs ${valuationMs} (${toIso(valuationMs)})`,
      { id, field: `${at}.expiryMs`, expiryMs, valuationMs },
    );
  }
  const tYears = ensureFinite(yearFraction(valuationMs, expiryMs), `${at}.tYears`, { expiryMs, valuationMs });
  return { expiryMs, valuationMs, tYears };
}

/**
 * Checks a resolution context and returns its known-asset predicate.
 * @param ctx  the context to check
 * @returns    `knownAssets` as a predicate over asset symbols
 * @throws InvalidInputError ERR_INVALID_INPUT when `valuationMs` is not an integer in
 *         [0, MAX_EPOCH_MS] or `knownAssets` is neither a set nor a function
 */
export function requireResolveContext(ctx: ResolveInstrumentContext): (symbol: string) => boolean {
  requireInput(typeof ctx === 'object' && ctx !== null, 'context', ctx, 'must be an object');
  const valuationMs: unknown = ctx.valuationMs;
  requireInput(
    Number.isSafeInteger(valuationMs) &&
      (valuationMs as number) >= 0 &&
      (valuationMs as number) <= MAX_EPOCH_MS,
    'valuationMs',
    valuationMs,
    `must be an integer epoch time in ms in [0, ${MAX_EPOCH_MS}]`,
  );
  const known: unknown = ctx.knownAssets;
  if (typeof known === 'function') return known as (symbol: string) => boolean;
  requireInput(
    typeof known === 'object' && known !== null && typeof (known as { has?: unknown }).has === 'function',
    'knownAssets',
    known,
    'must be a set of asset symbols or a predicate',
  );
  const set = known as ReadonlySet<string>;
  return (symbol) => set.has(symbol);
}

/** A non-empty symbol that the context knows; ERR_UNKNOWN_UNDERLYING otherwise. */
function requireKnownAsset(
  symbol: unknown,
  field: string,
  id: string,
  isKnownAsset: (symbol: string) => boolean,
): string {
  requireInput(
    typeof symbol === 'string' && symbol.length > 0,
    field,
    symbol,
    'must be a non-empty asset symbol',
  );
  if (isKnownAsset(symbol) !== true) {
    throw new RiskError('ERR_UNKNOWN_UNDERLYING', `${field} ${JSON.stringify(symbol)} is not a known asset`, {
      id,
      field,
      underlying: symbol,
    });
  }
  return symbol;
}

/** An integer epoch time in (0, MAX_EPOCH_MS]: printable as ISO 8601, exact in float64. */
function requireEpochMs(value: unknown, field: string): asserts value is number {
  requireInput(
    Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_EPOCH_MS,
    field,
    value,
    EPOCH_RULE,
  );
}

/** `value` if it is one of `allowed`; ERR_INVALID_INPUT naming the allowed values otherwise. */
function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, note = ''): T {
  requireInput(
    (allowed as readonly unknown[]).includes(value),
    field,
    value,
    `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}${note}`,
  );
  return value as T;
}

/** ISO 8601 of an epoch time already checked to lie in [0, MAX_EPOCH_MS]. */
function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
