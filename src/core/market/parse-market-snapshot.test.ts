import { describe, expect, it } from 'vitest';
import { ValidationError, XmarginError } from '../errors.js';
import { parseMarketSnapshot } from './parse-market-snapshot.js';
import { getForward, getVol } from './snapshot-lookups.js';

const DOC = {
  snapshotId: 'file-1',
  valuationMs: 1_735_689_600_000,
  indexPrices: { BTC: 95_000 },
  forwards: [{ underlying: 'BTC', expiryMs: 1_743_148_800_000, price: 96_500 }],
  rates: { USD: 0.045 },
  volSurfaces: [
    {
      underlying: 'BTC',
      expiryInterpolation: 'totalVariance',
      slices: [
        {
          expiryMs: 1_743_148_800_000,
          kind: 'smile',
          points: [
            { strike: 90_000, vol: 0.62 },
            { strike: 100_000, vol: 0.58 },
          ],
        },
      ],
    },
  ],
  depthCurves: [
    {
      kind: 'book',
      asset: 'BTC',
      bids: [{ price: 94_990, qty: 2 }],
      asks: [{ price: 95_010, qty: 2 }],
      beyondDepth: { kind: 'penalty', penalty: 0.05 },
    },
  ],
};

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

describe('parseMarketSnapshot', () => {
  it('parses a valid JSON document (round trip through JSON text)', () => {
    const s = parseMarketSnapshot(JSON.parse(JSON.stringify(DOC)));
    expect(s.snapshotId).toBe('file-1');
    expect(getForward(s, 'BTC', 1_743_148_800_000)).toBe(96_500);
    expect(getVol(s, { underlying: 'BTC', strike: 90_000, expiryMs: 1_743_148_800_000 })).toBe(0.62);
  });

  it('unknown keys and wrong types are ERR_VALIDATION with every path', () => {
    const e = caught(() => parseMarketSnapshot({ ...DOC, extra: 1, valuationMs: '2025-01-01' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.code).toBe('ERR_VALIDATION');
    const paths = (e as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('valuationMs');
    expect(paths.some((p) => p === '' || p.includes('extra'))).toBe(true);
  });

  it('an unknown slice kind is a validation issue at its path', () => {
    const bad = { ...DOC, volSurfaces: [{ underlying: 'BTC', slices: [{ expiryMs: 1, kind: 'sabr' }] }] };
    const e = caught(() => parseMarketSnapshot(bad)) as ValidationError;
    expect(e.issues[0]!.path.slice(0, 3)).toEqual(['volSurfaces', 0, 'slices']);
  });

  it('semantic rules still apply after the shape check (ERR_INVALID_INPUT)', () => {
    const e = caught(() => parseMarketSnapshot({ ...DOC, indexPrices: { BTC: -1 } }));
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.details['field']).toBe('indexPrices.BTC');
  });
});
