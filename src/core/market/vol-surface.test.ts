import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { MS_PER_DAY, yearFraction } from '../numeric/year-fraction.js';
import { sviMinTotalVariance, sviTotalVariance, type SviParams } from './svi.js';
import { createVolSurface, volFor, type VolSliceInput } from './vol-surface.js';

const T0 = Date.UTC(2025, 0, 1);
const E30 = T0 + 30 * MS_PER_DAY;
const E90 = T0 + 90 * MS_PER_DAY;
const E60 = T0 + 60 * MS_PER_DAY;
const GATHERAL_LIKE: SviParams = { a: 0.04, b: 0.4, rho: -0.4, m: 0, sigma: 0.1 };

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

describe('sviTotalVariance', () => {
  const cases: Record<string, SviParams> = {
    'skewed, centred': GATHERAL_LIKE,
    'shifted m': { a: 0.01, b: 0.2, rho: 0.3, m: 0.15, sigma: 0.25 },
    'negative a, still w >= 0': { a: -0.01, b: 0.5, rho: 0, m: -0.1, sigma: 0.05 },
  };
  for (const [name, p] of Object.entries(cases)) {
    it(`at k = m equals a + b·sigma (${name})`, () => {
      // w(m) = a + b·(ρ·0 + √(0 + σ²)) = a + bσ
      expect(sviTotalVariance(p, p.m)).toBeCloseTo(p.a + p.b * p.sigma, 15);
    });
    it(`minimum a + b·sigma·sqrt(1 − rho²) at k* = m − rho·sigma/sqrt(1 − rho²) (${name})`, () => {
      const kStar = p.m - (p.rho * p.sigma) / Math.sqrt(1 - p.rho * p.rho);
      expect(sviTotalVariance(p, kStar)).toBeCloseTo(sviMinTotalVariance(p), 14);
      expect(sviTotalVariance(p, kStar + 0.01)).toBeGreaterThan(sviMinTotalVariance(p));
      expect(sviTotalVariance(p, kStar - 0.01)).toBeGreaterThan(sviMinTotalVariance(p));
    });
  }

  it('matches the formula written out at k = 0.1', () => {
    // 0.04 + 0.4·(−0.4·0.1 + √(0.1² + 0.1²))
    const expected = 0.04 + 0.4 * (-0.04 + Math.sqrt(0.02));
    expect(sviTotalVariance(GATHERAL_LIKE, 0.1)).toBeCloseTo(expected, 15);
  });

  it('is symmetric around m when rho = 0', () => {
    const p: SviParams = { a: 0.02, b: 0.3, rho: 0, m: 0, sigma: 0.2 };
    for (const x of [0.01, 0.1, 0.5, 2]) expect(sviTotalVariance(p, x)).toBe(sviTotalVariance(p, -x));
  });

  it('has linear wings with slopes b(rho ± 1)', () => {
    const p = GATHERAL_LIKE;
    const right = sviTotalVariance(p, 51) - sviTotalVariance(p, 50);
    const left = sviTotalVariance(p, -51) - sviTotalVariance(p, -50);
    expect(right).toBeCloseTo(p.b * (p.rho + 1), 5);
    expect(left).toBeCloseTo(p.b * (1 - p.rho), 5);
  });
});

describe('createVolSurface validation', () => {
  const svi = (over: Partial<SviParams>): VolSliceInput => ({
    expiryMs: E30,
    kind: 'svi',
    ...GATHERAL_LIKE,
    ...over,
  });
  const rules: Record<string, [VolSliceInput, string]> = {
    'b < 0': [svi({ b: -0.1 }), 'volSurface.slices[0].b'],
    'rho = 1': [svi({ rho: 1 }), 'volSurface.slices[0].rho'],
    'rho < -1': [svi({ rho: -1.5 }), 'volSurface.slices[0].rho'],
    'sigma = 0': [svi({ sigma: 0 }), 'volSurface.slices[0].sigma'],
    'a + b·sigma·sqrt(1 − rho²) < 0': [svi({ a: -0.1 }), 'volSurface.slices[0].a'],
    'a NaN': [svi({ a: Number.NaN }), 'volSurface.slices[0].a'],
    'flat vol negative': [{ expiryMs: E30, kind: 'flat', vol: -0.1 }, 'volSurface.slices[0].vol'],
    'flat vol in percent': [{ expiryMs: E30, kind: 'flat', vol: 80 }, 'volSurface.slices[0].vol'],
    'smile with no points': [{ expiryMs: E30, kind: 'smile', points: [] }, 'volSurface.slices[0].points'],
    'smile strike 0': [
      { expiryMs: E30, kind: 'smile', points: [{ strike: 0, vol: 0.5 }] },
      'volSurface.slices[0].points[0].strike',
    ],
    'smile repeated strike': [
      {
        expiryMs: E30,
        kind: 'smile',
        points: [
          { strike: 100, vol: 0.5 },
          { strike: 100, vol: 0.6 },
        ],
      },
      'volSurface.slices[0].points',
    ],
    'non-integer expiry': [{ expiryMs: E30 + 0.5, kind: 'flat', vol: 0.5 }, 'volSurface.slices[0].expiryMs'],
  };
  for (const [name, [slice, field]] of Object.entries(rules)) {
    it(`rejects ${name}, naming ${field}`, () => {
      const e = caught(() => createVolSurface({ underlying: 'BTC', slices: [slice] }));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe(field);
    });
  }

  it('rejects a repeated expiry and an empty underlying', () => {
    const flat: VolSliceInput = { expiryMs: E30, kind: 'flat', vol: 0.5 };
    expect(caught(() => createVolSurface({ underlying: 'BTC', slices: [flat, flat] })).details['field']).toBe(
      'volSurface.slices[1].expiryMs',
    );
    expect(caught(() => createVolSurface({ underlying: '', slices: [flat] })).details['field']).toBe(
      'volSurface.underlying',
    );
  });

  it('is immutable', () => {
    const s = createVolSurface({ underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.5 }] });
    expect(Object.isFrozen(s)).toBe(true);
    expect('set' in s.slices).toBe(false);
  });
});

describe('volFor', () => {
  const q = { forward: 100, valuationMs: T0 };

  it('flat: the same vol for every strike', () => {
    const s = createVolSurface({ underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.65 }] });
    for (const strike of [1, 50, 100, 1e6])
      expect(volFor(s, { ...q, strike, expiryMs: E30 })).toBeCloseTo(0.65, 15);
  });

  it('svi: vol = sqrt(w(ln(K/F)) / t)', () => {
    const s = createVolSurface({
      underlying: 'BTC',
      slices: [{ expiryMs: E90, kind: 'svi', ...GATHERAL_LIKE }],
    });
    const t = 90 / 365;
    const k = Math.log(120 / 100);
    expect(volFor(s, { ...q, strike: 120, expiryMs: E90 })).toBeCloseTo(
      Math.sqrt(sviTotalVariance(GATHERAL_LIKE, k) / t),
      14,
    );
  });

  describe('smile', () => {
    const points = [
      { strike: 120, vol: 0.7 },
      { strike: 80, vol: 0.9 },
      { strike: 100, vol: 0.6 },
    ];
    const s = createVolSurface({ underlying: 'ETH', slices: [{ expiryMs: E30, kind: 'smile', points }] });

    it('reproduces every node exactly (input order does not matter)', () => {
      for (const p of points) expect(volFor(s, { ...q, strike: p.strike, expiryMs: E30 })).toBe(p.vol);
    });
    it('is linear in ln K: at the geometric mean of two nodes it is their average', () => {
      // ln √(80·100) is halfway between ln 80 and ln 100 → (0.9 + 0.6)/2
      expect(volFor(s, { ...q, strike: Math.sqrt(80 * 100), expiryMs: E30 })).toBeCloseTo(0.75, 14);
      // one quarter of the way from ln 100 to ln 120 → 0.6 + 0.25·(0.7 − 0.6)
      const k = Math.exp(Math.log(100) + 0.25 * (Math.log(120) - Math.log(100)));
      expect(volFor(s, { ...q, strike: k, expiryMs: E30 })).toBeCloseTo(0.625, 14);
    });
    it('extrapolates flat beyond the wings', () => {
      expect(volFor(s, { ...q, strike: 10, expiryMs: E30 })).toBe(0.9);
      expect(volFor(s, { ...q, strike: 1e5, expiryMs: E30 })).toBe(0.7);
    });
  });

  it('missing expiry fails closed, naming underlying and expiry', () => {
    const s = createVolSurface({
      underlying: 'BTC',
      slices: [
        { expiryMs: E30, kind: 'flat', vol: 0.5 },
        { expiryMs: E90, kind: 'flat', vol: 0.5 },
      ],
    });
    const e = caught(() => volFor(s, { ...q, strike: 100, expiryMs: E60 }));
    expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    expect(e.message).toContain('BTC');
    expect(e.message).toContain(new Date(E60).toISOString());
    expect(e.details).toMatchObject({ underlying: 'BTC', expiryMs: E60, listedExpiries: [E30, E90] });
  });

  it('expired option: ERR_INSTRUMENT_EXPIRED', () => {
    const s = createVolSurface({ underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.5 }] });
    expect(caught(() => volFor(s, { forward: 100, strike: 100, expiryMs: E30, valuationMs: E30 })).code).toBe(
      'ERR_INSTRUMENT_EXPIRED',
    );
  });

  it('rejects a non-positive strike or forward', () => {
    const s = createVolSurface({ underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.5 }] });
    expect(caught(() => volFor(s, { ...q, strike: 0, expiryMs: E30 })).details['field']).toBe('strike');
    expect(
      caught(() => volFor(s, { ...q, forward: Number.NaN, strike: 1, expiryMs: E30 })).details['field'],
    ).toBe('forward');
  });

  describe("expiryInterpolation: 'totalVariance'", () => {
    const s = createVolSurface({
      underlying: 'BTC',
      expiryInterpolation: 'totalVariance',
      slices: [
        { expiryMs: E30, kind: 'flat', vol: 0.5 },
        { expiryMs: E90, kind: 'flat', vol: 0.7 },
      ],
    });
    it('is linear in total variance between the bracketing expiries', () => {
      const t1 = yearFraction(T0, E30);
      const t2 = yearFraction(T0, E90);
      const t = yearFraction(T0, E60);
      // w1 = 0.5²·t1, w2 = 0.7²·t2, w = w1 + (w2 − w1)·(t − t1)/(t2 − t1), σ = √(w/t)
      const w = 0.25 * t1 + (0.49 * t2 - 0.25 * t1) * ((t - t1) / (t2 - t1));
      expect(volFor(s, { ...q, strike: 100, expiryMs: E60 })).toBeCloseTo(Math.sqrt(w / t), 14);
    });
    it('returns listed slices unchanged', () => {
      expect(volFor(s, { ...q, strike: 100, expiryMs: E30 })).toBeCloseTo(0.5, 15);
      expect(volFor(s, { ...q, strike: 100, expiryMs: E90 })).toBeCloseTo(0.7, 15);
    });
    it('never extrapolates beyond the listed expiries', () => {
      for (const expiryMs of [T0 + 10 * MS_PER_DAY, T0 + 200 * MS_PER_DAY]) {
        expect(caught(() => volFor(s, { ...q, strike: 100, expiryMs })).code).toBe('ERR_MISSING_MARKET_DATA');
      }
    });
    it('does not use an expired slice as the lower bracket', () => {
      // valuation after E30: the 30-day slice is expired, so E60 has no live lower bracket
      const e = caught(() => volFor(s, { forward: 100, strike: 100, expiryMs: E60, valuationMs: E30 + 1 }));
      expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    });
  });
});
