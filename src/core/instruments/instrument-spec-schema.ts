/**
 * @module instruments/instrument-spec-schema
 *
 * Zod schemas for `InstrumentSpec` at the edge (CLI files, HTTP bodies, venue imports). Objects
 * are strict: an unknown key is an error, never ignored (a misspelt `contractsize` must not
 * silently become the default 1). Numbers must be finite (zod 4 rejects NaN and ±Infinity).
 * Omitted optional fields take `INSTRUMENT_DEFAULTS`, so a parsed spec is explicit.
 *
 * The same rules are checked again by `resolveInstrument`, for specs built in code; the schema
 * only adds the shape checks (types, unknown keys) that TypeScript gives callers in code.
 */
import { z } from 'zod';
import { INSTRUMENT_DEFAULTS, INSTRUMENT_ID_PATTERN, MAX_EPOCH_MS } from './instrument-spec.js';

/** Instrument id: `INSTRUMENT_ID_PATTERN`. */
const IdSchema = z.string().regex(INSTRUMENT_ID_PATTERN, {
  error: 'must be 1 to 64 characters of letters, digits and . _ : -, starting with a letter or digit',
});

/** Asset symbol: any non-empty string here; whether it is a known asset is decided at resolution. */
const AssetSchema = z.string().min(1, { error: 'must be a non-empty asset symbol' });

/** Epoch time in ms: a safe integer in (0, MAX_EPOCH_MS]. */
const EpochMsSchema = z
  .int()
  .positive()
  .max(MAX_EPOCH_MS, { error: `must be ≤ ${MAX_EPOCH_MS} (9999-12-31T23:59:59.999Z)` });

/** Fields every derivative shares, with their defaults. */
const derivativeFields = {
  id: IdSchema,
  underlying: AssetSchema,
  quote: z.literal('USD').default(INSTRUMENT_DEFAULTS.quote),
  margin: z.literal('linear').default(INSTRUMENT_DEFAULTS.margin),
  contractSize: z.number().positive().default(INSTRUMENT_DEFAULTS.contractSize),
};

/** `SpotSpec`. */
export const SpotSpecSchema = z.strictObject({
  kind: z.literal('spot'),
  id: IdSchema,
  asset: AssetSchema,
});

/** `PerpetualSpec`; `fundingIntervalMs` stays absent when omitted. */
export const PerpetualSpecSchema = z.strictObject({
  kind: z.literal('perpetual'),
  ...derivativeFields,
  fundingIntervalMs: z.int().positive().exactOptional(),
});

/** `FutureSpec`. */
export const FutureSpecSchema = z.strictObject({
  kind: z.literal('future'),
  ...derivativeFields,
  expiryMs: EpochMsSchema,
});

/** `OptionSpec` (European). */
export const OptionSpecSchema = z.strictObject({
  kind: z.literal('option'),
  ...derivativeFields,
  optionType: z.enum(['call', 'put']),
  strike: z.number().positive(),
  expiryMs: EpochMsSchema,
  settlement: z.literal('cash').default(INSTRUMENT_DEFAULTS.settlement),
});

/**
 * `InstrumentSpec`: a union discriminated on `kind`. An unknown or missing `kind` is one issue
 * at path `kind` listing the accepted kinds.
 */
export const InstrumentSpecSchema = z.discriminatedUnion('kind', [
  SpotSpecSchema,
  PerpetualSpecSchema,
  FutureSpecSchema,
  OptionSpecSchema,
]);

/** A list of `InstrumentSpec` (an instruments file); issue paths start with the list index. */
export const InstrumentSpecListSchema = z.array(InstrumentSpecSchema);
