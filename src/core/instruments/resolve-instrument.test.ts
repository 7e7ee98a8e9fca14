import { describe, expect, it } from 'vitest';
import { XmarginError, type ErrorCode } from '../errors.js';
import { MS_PER_DAY, MS_PER_YEAR } from '../numeric/year-fraction.js';
import type { InstrumentSpec, OptionSpec } from './instrument-spec.js';
import { MAX_EPOCH_MS } from './instrument-spec.js';
import { resolveInstrument, type ResolveInstrumentContext } from './resolve-instrument.js';
import { isDatedInstrument } from './resolved-instrument.js';

const VALUATION_MS = Date.UTC(2025, 0, 1); // 2025-01-01T00:00:00Z
const EXPIRY_MS = Date.UTC(2025, 5, 27, 8); // 2025-06-27T08:00:00Z, a quarterly expiry
const ctx: ResolveInstrumentContext = {
  knownAssets: new Set(['BTC', 'ETH', 'USDC']),
  valuationMs: VALUATION_MS,
};

const btcCall: OptionSpec = {
  kind: 'option',
  id: 'BTC-27JUN25-100000-C',
  underlying: 'BTC',
  optionType: 'call',
  strike: 100_000,
  expiryMs: EXPIRY_MS,
};

/** Runs `fn`, expects an XmarginError, returns it. */
function catchError(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XmarginError);
    return e as XmarginError;
  }
  throw new Error('expected an error, none was thrown');
}

describe('resolveInstrument: valid specs of each kind', () => {
  it('spot: the asset is its own underlying, contractSize 1', () => {
    const r = resolveInstrument({ kind: 'spot', id: 'BTC', asset: 'BTC' }, ctx);
    expect(r).toEqual({ kind: 'spot', id: 'BTC', asset: 'BTC', underlying: 'BTC', contractSize: 1 });
  });

  it('perpetual: defaults quote USD, margin linear, contractSize 1; no funding interval key when omitted', () => {
    const r = resolveInstrument({ kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC' }, ctx);
    expect(r).toEqual({
      kind: 'perpetual',
      id: 'BTC-PERP',
      underlying: 'BTC',
      quote: 'USD',
      margin: 'linear',
      contractSize: 1,
    });
    expect('fundingIntervalMs' in r).toBe(false);
  });

  it('perpetual: explicit contract size and 8 h funding interval are kept', () => {
    const eightHoursMs = 8 * 60 * 60 * 1000;
    const r = resolveInstrument(
      {
        kind: 'perpetual',
        id: 'ETH-PERP',
        underlying: 'ETH',
        contractSize: 0.01,
        fundingIntervalMs: eightHoursMs,
      },
      ctx,
    );
    expect(r).toMatchObject({ contractSize: 0.01, fundingIntervalMs: 28_800_000 });
  });

  it('future: tYears = (expiryMs − valuationMs) / (365 days)', () => {
    const r = resolveInstrument(
      { kind: 'future', id: 'BTC-27JUN25', underlying: 'BTC', expiryMs: EXPIRY_MS },
      ctx,
    );
    expect(r.kind).toBe('future');
    if (r.kind !== 'future') return;
    // 2025-01-01 → 2025-06-27T08:00: 177 days + 8 hours.
    const expected = (177 * MS_PER_DAY + 8 * 3_600_000) / (365 * MS_PER_DAY);
    expect(r.tYears).toBe(expected);
    expect(r.tYears).toBe((EXPIRY_MS - VALUATION_MS) / MS_PER_YEAR);
    expect(r).toMatchObject({
      expiryMs: EXPIRY_MS,
      valuationMs: VALUATION_MS,
      quote: 'USD',
      margin: 'linear',
    });
  });

  it('option: keeps optionType and strike, settlement defaults to cash, tYears ACT/365', () => {
    const r = resolveInstrument(btcCall, ctx);
    expect(r).toEqual({
      kind: 'option',
      id: 'BTC-27JUN25-100000-C',
      underlying: 'BTC',
      quote: 'USD',
      margin: 'linear',
      contractSize: 1,
      optionType: 'call',
      strike: 100_000,
      settlement: 'cash',
      expiryMs: EXPIRY_MS,
      valuationMs: VALUATION_MS,
      tYears: (EXPIRY_MS - VALUATION_MS) / MS_PER_YEAR,
    });
    expect(isDatedInstrument(r)).toBe(true);
  });

  it('option one year out: tYears = 1 exactly (365 days, not a calendar year)', () => {
    const r = resolveInstrument(
      { ...btcCall, optionType: 'put', expiryMs: VALUATION_MS + 365 * MS_PER_DAY },
      ctx,
    );
    expect(r.kind === 'option' && r.tYears).toBe(1);
  });

  it('option expiring 1 ms after valuation resolves with tYears = 1 ms / year > 0', () => {
    const r = resolveInstrument({ ...btcCall, expiryMs: VALUATION_MS + 1 }, ctx);
    expect(r.kind === 'option' && r.tYears).toBe(1 / MS_PER_YEAR);
  });

  it('result is frozen and does not alias the spec', () => {
    const spec = { ...btcCall };
    const r = resolveInstrument(spec, ctx);
    expect(Object.isFrozen(r)).toBe(true);
    expect(r).not.toBe(spec);
    expect(() => {
      (r as { strike: number }).strike = 1;
    }).toThrow(TypeError);
  });

  it('knownAssets may be a predicate', () => {
    const r = resolveInstrument(btcCall, { knownAssets: (s) => s === 'BTC', valuationMs: VALUATION_MS });
    expect(r.underlying).toBe('BTC');
  });

  it('spot and perpetual do not depend on valuation time (no expiry check)', () => {
    const late = { ...ctx, valuationMs: MAX_EPOCH_MS };
    expect(resolveInstrument({ kind: 'spot', id: 'ETH', asset: 'ETH' }, late).kind).toBe('spot');
    expect(resolveInstrument({ kind: 'perpetual', id: 'ETH-PERP', underlying: 'ETH' }, late).kind).toBe(
      'perpetual',
    );
  });
});

describe('resolveInstrument: each broken rule gives its code, field and value', () => {
  // Specs deliberately break the type where a plain-JS caller could; cast through unknown.
  const asSpec = (x: unknown) => x as InstrumentSpec;
  const cases: {
    name: string;
    spec: InstrumentSpec;
    code: ErrorCode;
    /** substrings the message must contain: the field path and the offending value */
    message: string[];
    details?: Record<string, unknown>;
  }[] = [
    {
      name: 'non-positive strike',
      spec: { ...btcCall, strike: -5 },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[BTC-27JUN25-100000-C].strike', 'must be a finite number > 0', 'got -5'],
      details: { field: 'instruments[BTC-27JUN25-100000-C].strike', value: -5 },
    },
    {
      name: 'zero strike',
      spec: { ...btcCall, strike: 0 },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[BTC-27JUN25-100000-C].strike', 'got 0'],
    },
    {
      name: 'NaN strike',
      spec: { ...btcCall, strike: NaN },
      code: 'ERR_INVALID_INPUT',
      message: ['.strike', 'got NaN'],
    },
    {
      name: 'infinite strike',
      spec: { ...btcCall, strike: Infinity },
      code: 'ERR_INVALID_INPUT',
      message: ['.strike', 'got Infinity'],
    },
    {
      name: 'string strike from a plain-JS caller',
      spec: asSpec({ ...btcCall, strike: '100000' }),
      code: 'ERR_INVALID_INPUT',
      message: ['.strike', 'got "100000"'],
    },
    {
      name: 'zero contract size',
      spec: { kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC', contractSize: 0 },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[BTC-PERP].contractSize', 'got 0'],
    },
    {
      name: 'negative contract size on a future',
      spec: { kind: 'future', id: 'F', underlying: 'BTC', expiryMs: EXPIRY_MS, contractSize: -1 },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[F].contractSize', 'got -1'],
    },
    {
      name: 'fractional funding interval',
      spec: { kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC', fundingIntervalMs: 1.5 },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[BTC-PERP].fundingIntervalMs', 'got 1.5'],
    },
    {
      name: 'fractional expiryMs',
      spec: { ...btcCall, expiryMs: EXPIRY_MS + 0.5 },
      code: 'ERR_INVALID_INPUT',
      message: ['.expiryMs', `got ${EXPIRY_MS + 0.5}`],
    },
    {
      name: 'expiryMs beyond year 9999',
      spec: { ...btcCall, expiryMs: MAX_EPOCH_MS + 1 },
      code: 'ERR_INVALID_INPUT',
      message: ['.expiryMs', `got ${MAX_EPOCH_MS + 1}`],
    },
    {
      name: 'unknown option type',
      spec: asSpec({ ...btcCall, optionType: 'straddle' }),
      code: 'ERR_INVALID_INPUT',
      message: ['.optionType', "must be one of 'call', 'put'", 'got "straddle"'],
    },
    {
      name: 'inverse margining is not supported yet',
      spec: asSpec({ kind: 'perpetual', id: 'BTC-USD-INV', underlying: 'BTC', margin: 'inverse' }),
      code: 'ERR_INVALID_INPUT',
      message: [
        'instruments[BTC-USD-INV].margin',
        'inverse contracts are not supported yet',
        'got "inverse"',
      ],
    },
    {
      name: 'quote other than USD',
      spec: asSpec({ ...btcCall, quote: 'EUR' }),
      code: 'ERR_INVALID_INPUT',
      message: ['.quote', 'got "EUR"'],
    },
    {
      name: 'physical settlement',
      spec: asSpec({ ...btcCall, settlement: 'physical' }),
      code: 'ERR_INVALID_INPUT',
      message: ['.settlement', 'got "physical"'],
    },
    {
      name: 'malformed id',
      spec: { ...btcCall, id: 'BTC 27JUN25' },
      code: 'ERR_INVALID_INPUT',
      message: ['instrument.id', 'got "BTC 27JUN25"'],
    },
    {
      name: 'id longer than 64 characters',
      spec: { ...btcCall, id: 'X'.repeat(65) },
      code: 'ERR_INVALID_INPUT',
      message: ['instrument.id', 'X'.repeat(65)],
    },
    {
      name: 'unknown kind from a plain-JS caller',
      spec: asSpec({ kind: 'swaption', id: 'S1' }),
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[S1].kind', 'must be one of spot, perpetual, future, option', 'got "swaption"'],
    },
    {
      name: 'unknown underlying',
      spec: { ...btcCall, id: 'DOGE-C', underlying: 'DOGE' },
      code: 'ERR_UNKNOWN_UNDERLYING',
      message: ['instruments[DOGE-C].underlying', '"DOGE"', 'not a known asset'],
      details: { id: 'DOGE-C', underlying: 'DOGE', field: 'instruments[DOGE-C].underlying' },
    },
    {
      name: 'unknown spot asset',
      spec: { kind: 'spot', id: 'SOL', asset: 'SOL' },
      code: 'ERR_UNKNOWN_UNDERLYING',
      message: ['instruments[SOL].asset', '"SOL"'],
    },
    {
      name: 'underlying matched case-sensitively',
      spec: { kind: 'perpetual', id: 'btc-perp', underlying: 'btc' },
      code: 'ERR_UNKNOWN_UNDERLYING',
      message: ['instruments[btc-perp].underlying', '"btc"'],
    },
    {
      name: 'empty underlying',
      spec: { kind: 'perpetual', id: 'P', underlying: '' },
      code: 'ERR_INVALID_INPUT',
      message: ['instruments[P].underlying', 'must be a non-empty asset symbol', 'got ""'],
    },
    {
      name: 'option expired before valuation',
      spec: { ...btcCall, expiryMs: Date.UTC(2024, 11, 27, 8) },
      code: 'ERR_INSTRUMENT_EXPIRED',
      message: [
        'instruments[BTC-27JUN25-100000-C]',
        `expiryMs ${Date.UTC(2024, 11, 27, 8)}`,
        '2024-12-27T08:00:00.000Z',
        `valuationMs ${VALUATION_MS}`,
        '2025-01-01T00:00:00.000Z',
      ],
      details: { id: 'BTC-27JUN25-100000-C', expiryMs: Date.UTC(2024, 11, 27, 8), valuationMs: VALUATION_MS },
    },
    {
      name: 'future expiring exactly at valuation counts as expired',
      spec: { kind: 'future', id: 'BTC-01JAN25', underlying: 'BTC', expiryMs: VALUATION_MS },
      code: 'ERR_INSTRUMENT_EXPIRED',
      message: ['instruments[BTC-01JAN25]', `expiryMs ${VALUATION_MS}`],
    },
  ];

  it.each(cases)('$name → $code', ({ spec, code, message, details }) => {
    const err = catchError(() => resolveInstrument(spec, ctx));
    expect(err.code).toBe(code);
    for (const part of message) expect(err.message).toContain(part);
    if (details) expect(err.details).toMatchObject(details);
  });

  it('field checks come before the expiry check: a bad strike on an expired option is ERR_INVALID_INPUT', () => {
    const err = catchError(() =>
      resolveInstrument({ ...btcCall, strike: -1, expiryMs: VALUATION_MS - 1 }, ctx),
    );
    expect(err.code).toBe('ERR_INVALID_INPUT');
  });
});

describe('resolveInstrument: invalid context', () => {
  const contexts: { name: string; ctx: ResolveInstrumentContext; message: string }[] = [
    { name: 'NaN valuation time', ctx: { ...ctx, valuationMs: NaN }, message: 'valuationMs' },
    { name: 'fractional valuation time', ctx: { ...ctx, valuationMs: 1.5 }, message: 'got 1.5' },
    { name: 'negative valuation time', ctx: { ...ctx, valuationMs: -1 }, message: 'got -1' },
    {
      name: 'knownAssets neither set nor function',
      ctx: { ...ctx, knownAssets: ['BTC'] as unknown as ReadonlySet<string> },
      message: 'knownAssets',
    },
  ];
  it.each(contexts)('$name → ERR_INVALID_INPUT', ({ ctx: badCtx, message }) => {
    const err = catchError(() => resolveInstrument(btcCall, badCtx));
    expect(err.code).toBe('ERR_INVALID_INPUT');
    expect(err.message).toContain(message);
  });
});
