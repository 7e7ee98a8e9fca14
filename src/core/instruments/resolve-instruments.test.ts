import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import type { InstrumentSpec } from './instrument-spec.js';
import { resolveInstruments } from './resolve-instruments.js';
import { resolveInstrument, type ResolveInstrumentContext } from './resolve-instrument.js';

const VALUATION_MS = Date.UTC(2025, 0, 1);
const EXPIRY_MS = Date.UTC(2025, 5, 27, 8);
const ctx: ResolveInstrumentContext = {
  knownAssets: new Set(['BTC', 'ETH', 'USDC']),
  valuationMs: VALUATION_MS,
};

const book: InstrumentSpec[] = [
  { kind: 'spot', id: 'USDC', asset: 'USDC' },
  { kind: 'perpetual', id: 'BTC-PERP', underlying: 'BTC', fundingIntervalMs: 28_800_000 },
  { kind: 'future', id: 'BTC-27JUN25', underlying: 'BTC', expiryMs: EXPIRY_MS },
  {
    kind: 'option',
    id: 'ETH-27JUN25-4000-P',
    underlying: 'ETH',
    optionType: 'put',
    strike: 4000,
    expiryMs: EXPIRY_MS,
  },
];

function catchError(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XmarginError);
    return e as XmarginError;
  }
  throw new Error('expected an error, none was thrown');
}

describe('resolveInstruments', () => {
  it('resolves every spec, keeps input order, and each entry equals resolveInstrument of its spec', () => {
    const registry = resolveInstruments(book, ctx);
    expect(registry.size).toBe(4);
    expect(registry.valuationMs).toBe(VALUATION_MS);
    expect(registry.instruments.map((i) => i.id)).toEqual(book.map((s) => s.id));
    for (const spec of book) {
      expect(registry.hasInstrument(spec.id)).toBe(true);
      expect(registry.getInstrument(spec.id)).toEqual(resolveInstrument(spec, ctx));
    }
  });

  it('the registry and its list are frozen', () => {
    const registry = resolveInstruments(book, ctx);
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.instruments)).toBe(true);
    for (const i of registry.instruments) expect(Object.isFrozen(i)).toBe(true);
  });

  it('an empty list gives an empty registry', () => {
    const registry = resolveInstruments([], ctx);
    expect(registry.size).toBe(0);
    expect(registry.instruments).toEqual([]);
  });

  it('an empty list still checks the context', () => {
    const err = catchError(() => resolveInstruments([], { ...ctx, valuationMs: NaN }));
    expect(err.code).toBe('ERR_INVALID_INPUT');
    expect(err.message).toContain('valuationMs');
  });

  it('getInstrument of an unknown id → ERR_UNKNOWN_INSTRUMENT naming the id', () => {
    const registry = resolveInstruments(book, ctx);
    const err = catchError(() => registry.getInstrument('BTC-PERPETUAL'));
    expect(err.code).toBe('ERR_UNKNOWN_INSTRUMENT');
    expect(err.message).toContain('"BTC-PERPETUAL"');
    expect(err.details).toEqual({ id: 'BTC-PERPETUAL' });
    expect(registry.hasInstrument('BTC-PERPETUAL')).toBe(false);
  });

  it('ids are case-sensitive: btc-perp is not BTC-PERP', () => {
    const registry = resolveInstruments(book, ctx);
    expect(registry.hasInstrument('btc-perp')).toBe(false);
    expect(catchError(() => registry.getInstrument('btc-perp')).code).toBe('ERR_UNKNOWN_INSTRUMENT');
  });

  it('a duplicate id → ERR_INVALID_INPUT naming the id and both indices', () => {
    const specs: InstrumentSpec[] = [...book, { kind: 'perpetual', id: 'BTC-PERP', underlying: 'ETH' }];
    const err = catchError(() => resolveInstruments(specs, ctx));
    expect(err.code).toBe('ERR_INVALID_INPUT');
    expect(err.message).toContain('instruments[4].id'); // the second occurrence
    expect(err.message).toContain('instruments[1]'); // the first occurrence
    expect(err.message).toContain('"BTC-PERP"');
    expect(err.details).toMatchObject({ field: 'instruments[4].id', value: 'BTC-PERP' });
  });

  it('a malformed id is reported by list index', () => {
    const specs = [...book, { kind: 'spot', id: '', asset: 'BTC' } as InstrumentSpec];
    const err = catchError(() => resolveInstruments(specs, ctx));
    expect(err.code).toBe('ERR_INVALID_INPUT');
    expect(err.message).toContain('instruments[4].id');
  });

  it('a non-array → ERR_INVALID_INPUT', () => {
    const err = catchError(() => resolveInstruments({} as unknown as InstrumentSpec[], ctx));
    expect(err.code).toBe('ERR_INVALID_INPUT');
    expect(err.message).toContain('instruments must be an array');
  });

  it('one invalid element fails the whole list (all or nothing) with that element’s error', () => {
    const specs: InstrumentSpec[] = [
      ...book,
      { kind: 'future', id: 'OLD', underlying: 'BTC', expiryMs: VALUATION_MS - 1 },
    ];
    const err = catchError(() => resolveInstruments(specs, ctx));
    expect(err.code).toBe('ERR_INSTRUMENT_EXPIRED');
    expect(err.details).toMatchObject({ id: 'OLD' });
  });
});
