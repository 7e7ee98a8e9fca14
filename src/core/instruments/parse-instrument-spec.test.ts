import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { InstrumentSpec } from './instrument-spec.js';
import { MAX_EPOCH_MS } from './instrument-spec.js';
import type { InstrumentSpecSchema } from './instrument-spec-schema.js';
import { parseInstrumentSpec, parseInstrumentSpecs } from './parse-instrument-spec.js';

const EXPIRY_MS = Date.UTC(2025, 5, 27, 8);

// Type-level: every spec a caller can build in code is an input the schema accepts (tsc checks
// this file), and `parseInstrumentSpec` returning `InstrumentSpec` checks the other direction.
const typedInSpec: z.input<typeof InstrumentSpecSchema> = {
  kind: 'perpetual',
  id: 'BTC-PERP',
  underlying: 'BTC',
} satisfies InstrumentSpec;

function catchValidation(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, none was thrown');
}

describe('parseInstrumentSpec: valid specs, defaults written out', () => {
  const cases: { name: string; input: unknown; expected: InstrumentSpec }[] = [
    {
      name: 'spot',
      input: { kind: 'spot', id: 'USDC', asset: 'USDC' },
      expected: { kind: 'spot', id: 'USDC', asset: 'USDC' },
    },
    {
      name: 'perpetual with defaults',
      input: typedInSpec,
      expected: {
        kind: 'perpetual',
        id: 'BTC-PERP',
        underlying: 'BTC',
        quote: 'USD',
        margin: 'linear',
        contractSize: 1,
      },
    },
    {
      name: 'perpetual with funding interval',
      input: {
        kind: 'perpetual',
        id: 'ETH-PERP',
        underlying: 'ETH',
        contractSize: 0.1,
        fundingIntervalMs: 3_600_000,
      },
      expected: {
        kind: 'perpetual',
        id: 'ETH-PERP',
        underlying: 'ETH',
        quote: 'USD',
        margin: 'linear',
        contractSize: 0.1,
        fundingIntervalMs: 3_600_000,
      },
    },
    {
      name: 'future',
      input: { kind: 'future', id: 'BTC-27JUN25', underlying: 'BTC', expiryMs: EXPIRY_MS },
      expected: {
        kind: 'future',
        id: 'BTC-27JUN25',
        underlying: 'BTC',
        quote: 'USD',
        margin: 'linear',
        contractSize: 1,
        expiryMs: EXPIRY_MS,
      },
    },
    {
      name: 'option',
      input: {
        kind: 'option',
        id: 'deribit:BTC-27JUN25-100000-C',
        underlying: 'BTC',
        optionType: 'call',
        strike: 100_000,
        expiryMs: EXPIRY_MS,
        settlement: 'cash',
      },
      expected: {
        kind: 'option',
        id: 'deribit:BTC-27JUN25-100000-C',
        underlying: 'BTC',
        quote: 'USD',
        margin: 'linear',
        contractSize: 1,
        optionType: 'call',
        strike: 100_000,
        expiryMs: EXPIRY_MS,
        settlement: 'cash',
      },
    },
  ];
  it.each(cases)('$name', ({ input, expected }) => {
    const parsed = parseInstrumentSpec(input);
    expect(parsed).toEqual(expected);
    // absent optional stays absent, not `undefined` (exactOptionalPropertyTypes)
    if (!('fundingIntervalMs' in expected)) expect('fundingIntervalMs' in parsed).toBe(false);
  });
});

describe('parseInstrumentSpec: invalid input → ERR_VALIDATION with the path', () => {
  const base = {
    kind: 'option',
    id: 'C1',
    underlying: 'BTC',
    optionType: 'call',
    strike: 1,
    expiryMs: EXPIRY_MS,
  };
  const cases: {
    name: string;
    input: unknown;
    path: (string | number)[];
    code: string;
    message: string[];
  }[] = [
    {
      name: 'unknown key (a misspelt field is not ignored)',
      input: { ...base, contractsize: 10 },
      path: ['contractsize'],
      code: 'unrecognized_keys',
      message: ['contractsize'],
    },
    {
      name: 'unknown key on spot',
      input: { kind: 'spot', id: 'BTC', asset: 'BTC', decimals: 8 },
      path: ['decimals'],
      code: 'unrecognized_keys',
      message: ['decimals'],
    },
    {
      name: 'unknown kind',
      input: { ...base, kind: 'swap' },
      path: ['kind'],
      code: 'invalid_union',
      message: ['kind'],
    },
    { name: 'missing kind', input: { id: 'X' }, path: ['kind'], code: 'invalid_union', message: ['kind'] },
    {
      name: 'negative strike',
      input: { ...base, strike: -5 },
      path: ['strike'],
      code: 'too_small',
      message: ['strike'],
    },
    {
      name: 'zero contract size',
      input: { ...base, contractSize: 0 },
      path: ['contractSize'],
      code: 'too_small',
      message: [],
    },
    {
      name: 'strike as string',
      input: { ...base, strike: '1' },
      path: ['strike'],
      code: 'invalid_type',
      message: [],
    },
    {
      name: 'fractional expiry',
      input: { ...base, expiryMs: 1.5 },
      path: ['expiryMs'],
      code: 'invalid_type',
      message: [],
    },
    {
      name: 'expiry past 9999',
      input: { ...base, expiryMs: MAX_EPOCH_MS + 1 },
      path: ['expiryMs'],
      code: 'too_big',
      message: [],
    },
    {
      name: 'bad option type',
      input: { ...base, optionType: 'C' },
      path: ['optionType'],
      code: 'invalid_value',
      message: [],
    },
    {
      name: 'inverse margin',
      input: { ...base, margin: 'inverse' },
      path: ['margin'],
      code: 'invalid_value',
      message: [],
    },
    {
      name: 'id with a space',
      input: { ...base, id: 'BTC PERP' },
      path: ['id'],
      code: 'invalid_format',
      message: ['id'],
    },
    {
      name: 'empty underlying',
      input: { ...base, underlying: '' },
      path: ['underlying'],
      code: 'too_small',
      message: [],
    },
    {
      name: 'zero funding interval',
      input: { kind: 'perpetual', id: 'P', underlying: 'BTC', fundingIntervalMs: 0 },
      path: ['fundingIntervalMs'],
      code: 'too_small',
      message: [],
    },
    { name: 'not an object', input: 42, path: [], code: 'invalid_type', message: [] },
  ];
  it.each(cases)('$name', ({ input, path, code, message }) => {
    const err = catchValidation(() => parseInstrumentSpec(input));
    expect(err.code).toBe('ERR_VALIDATION');
    expect(err.issues.map((i) => ({ path: i.path, code: i.code }))).toContainEqual({ path, code });
    expect(err.message).toContain('instrument spec is invalid');
    for (const part of message) expect(err.message).toContain(part);
  });

  it('every failing field is listed, not only the first', () => {
    const err = catchValidation(() =>
      parseInstrumentSpec({ ...base, strike: -1, contractSize: -1, optionType: 'x' }),
    );
    expect(err.issues.map((i) => i.path[0]).sort()).toEqual(['contractSize', 'optionType', 'strike']);
  });
});

describe('parseInstrumentSpecs', () => {
  it('parses a list, defaults written out', () => {
    const specs = parseInstrumentSpecs([
      { kind: 'spot', id: 'BTC', asset: 'BTC' },
      { kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC' },
    ]);
    expect(specs).toHaveLength(2);
    expect(specs[1]).toMatchObject({ contractSize: 1, quote: 'USD', margin: 'linear' });
  });

  it('issue paths start with the element index; an unknown key names its element', () => {
    const err = catchValidation(() =>
      parseInstrumentSpecs([
        { kind: 'spot', id: 'BTC', asset: 'BTC' },
        { kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC', contractSize: -1 },
        { kind: 'spot', id: 'ETH', asset: 'ETH', extra: true },
      ]),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      [1, 'contractSize'],
      [2, 'extra'],
    ]);
    expect(err.message).toContain('instrument list is invalid');
    expect(err.message).toContain('[1].contractSize');
    expect(err.message).toContain('[2].extra: unknown field "extra"');
  });

  it('a non-array → ERR_VALIDATION at the root', () => {
    const err = catchValidation(() => parseInstrumentSpecs({ kind: 'spot' }));
    expect(err.issues[0]?.path).toEqual([]);
  });
});
