import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { MS_PER_DAY, MS_PER_YEAR } from '../numeric/year-fraction.js';
import {
  getDepth,
  getDiscountFactor,
  getForward,
  getIndexPrice,
  getOracleConfidence,
  getRate,
  getVol,
} from './snapshot-lookups.js';
import { createMarketSnapshot, type MarketSnapshotInput } from './snapshot.js';
import { sviTotalVariance } from './svi.js';
import { volFor } from './vol-surface.js';

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

const T0 = Date.UTC(2025, 0, 1);
const E30 = T0 + 30 * MS_PER_DAY;
const E1Y = T0 + MS_PER_YEAR;
const SVI = { a: 0.04, b: 0.4, rho: -0.4, m: 0, sigma: 0.1 };

const INPUT: MarketSnapshotInput = {
  snapshotId: 'snap-1',
  valuationMs: T0,
  indexPrices: { BTC: 95_000, ETH: 3_300 },
  forwards: [{ underlying: 'BTC', expiryMs: E30, price: 96_000 }],
  rates: 0.05,
  volSurfaces: [
    { underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'svi', ...SVI }] },
    { underlying: 'ETH', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.7 }] },
  ],
  depthCurves: [
    {
      kind: 'sqrt',
      asset: 'ETH',
      referencePrice: 3_300,
      halfSpread: 0.0005,
      impactCoefficient: 0.3,
      dailyVolume: 1e6,
    },
  ],
  oracleConfidence: { BTC: 0.9 },
};

describe('createMarketSnapshot', () => {
  it('defaults: quote currency USD, forwardRule explicit', () => {
    const s = createMarketSnapshot(INPUT);
    expect(s.quoteCurrency).toBe('USD');
    expect(s.forwardRule).toBe('explicit');
    expect(s.rates).toEqual({ kind: 'flat', rate: 0.05 });
  });

  it('is immutable: frozen object, maps without set/delete', () => {
    const s = createMarketSnapshot(INPUT);
    expect(Object.isFrozen(s)).toBe(true);
    expect('set' in s.indexPrices).toBe(false);
    expect('delete' in s.forwards).toBe(false);
    expect(() => {
      (s as { snapshotId: string }).snapshotId = 'x';
    }).toThrow(TypeError);
  });

  it('accepts maps as well as plain objects', () => {
    const s = createMarketSnapshot({
      ...INPUT,
      indexPrices: new Map([['BTC', 1]]),
      oracleConfidence: new Map(),
      rates: new Map([['USD', 0]]),
    });
    expect(getIndexPrice(s, 'BTC')).toBe(1);
  });

  const rules: Record<string, [Partial<MarketSnapshotInput>, string]> = {
    'empty snapshotId': [{ snapshotId: '' }, 'snapshotId'],
    'non-integer valuationMs': [{ valuationMs: T0 + 0.5 }, 'valuationMs'],
    'zero index price': [{ indexPrices: { BTC: 0 } }, 'indexPrices.BTC'],
    'NaN index price': [{ indexPrices: { ETH: Number.NaN } }, 'indexPrices.ETH'],
    'infinite forward': [
      { forwards: [{ underlying: 'BTC', expiryMs: E30, price: Infinity }] },
      'forwards[0].price',
    ],
    'repeated forward': [
      {
        forwards: [
          { underlying: 'BTC', expiryMs: E30, price: 1 },
          { underlying: 'BTC', expiryMs: E30, price: 2 },
        ],
      },
      'forwards[1].expiryMs',
    ],
    'forward before valuation': [
      { forwards: [{ underlying: 'BTC', expiryMs: T0 - 1, price: 1 }] },
      'forwards[0].expiryMs',
    ],
    'NaN flat rate': [{ rates: Number.NaN }, 'rates'],
    'rate table without the quote currency': [{ rates: { BTC: 0.01 } }, 'rates.USD'],
    'confidence above 1': [{ oracleConfidence: { BTC: 1.5 } }, 'oracleConfidence.BTC'],
    'confidence for an unpriced asset': [{ oracleConfidence: { SOL: 0.5 } }, 'oracleConfidence.SOL'],
    'repeated vol surface': [
      {
        volSurfaces: [
          { underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.5 }] },
          { underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'flat', vol: 0.5 }] },
        ],
      },
      'volSurfaces[1].underlying',
    ],
    'bad SVI slice': [
      { volSurfaces: [{ underlying: 'BTC', slices: [{ expiryMs: E30, kind: 'svi', ...SVI, rho: 2 }] }] },
      'volSurfaces[0].slices[0].rho',
    ],
    'bad depth curve': [
      {
        depthCurves: [
          { kind: 'book', asset: 'BTC', bids: [{ price: 1, qty: 1 }], asks: [{ price: 1, qty: 1 }] },
        ],
      },
      'depthCurves[0].bids[0].price',
    ],
  };
  for (const [name, [patch, field]] of Object.entries(rules)) {
    it(`rejects ${name}, naming ${field}`, () => {
      const e = caught(() => createMarketSnapshot({ ...INPUT, ...patch }));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe(field);
    });
  }
});

describe('snapshot lookups', () => {
  const s = createMarketSnapshot(INPUT);

  it('getIndexPrice: present, and missing fails closed naming asset and snapshot', () => {
    expect(getIndexPrice(s, 'BTC')).toBe(95_000);
    const e = caught(() => getIndexPrice(s, 'SOL'));
    expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    expect(e.details).toMatchObject({ asset: 'SOL', snapshotId: 'snap-1' });
  });

  it('getForward: listed forward; unlisted with the explicit rule fails closed', () => {
    expect(getForward(s, 'BTC', E30)).toBe(96_000);
    const e = caught(() => getForward(s, 'BTC', E1Y));
    expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    expect(e.details).toMatchObject({ underlying: 'BTC', expiryMs: E1Y, listedExpiries: [E30] });
  });

  it("getForward with forwardRule 'carry': F = S·e^{r·t}", () => {
    const c = createMarketSnapshot({ ...INPUT, forwardRule: 'carry' });
    // one ACT/365 year at 5%: 95,000·e^{0.05}
    expect(getForward(c, 'BTC', E1Y)).toBeCloseTo(95_000 * Math.exp(0.05), 8);
    expect(getForward(c, 'BTC', E30)).toBe(96_000); // a listed forward always wins
    expect(getForward(c, 'ETH', T0)).toBe(3_300); // t = 0: the index
    expect(caught(() => getForward(c, 'BTC', T0 - 1)).code).toBe('ERR_INSTRUMENT_EXPIRED');
    expect(caught(() => getForward(c, 'SOL', E1Y)).code).toBe('ERR_MISSING_MARKET_DATA');
  });

  it('getDiscountFactor: e^{−r·t}, 1 for past payments', () => {
    expect(getDiscountFactor(s, E1Y)).toBeCloseTo(Math.exp(-0.05), 15);
    expect(getDiscountFactor(s, T0 - MS_PER_DAY)).toBe(1);
    const byCcy = createMarketSnapshot({ ...INPUT, rates: { USD: 0.04, BTC: 0.01 } });
    expect(getDiscountFactor(byCcy, E1Y)).toBeCloseTo(Math.exp(-0.04), 15);
    expect(getDiscountFactor(byCcy, E1Y, 'BTC')).toBeCloseTo(Math.exp(-0.01), 15);
    expect(getRate(byCcy, 'BTC')).toBe(0.01);
    expect(caught(() => getDiscountFactor(byCcy, E1Y, 'EUR')).code).toBe('ERR_MISSING_MARKET_DATA');
  });

  it('getVol reads the surface at the snapshot forward and valuation time', () => {
    const strike = 100_000;
    // SVI reads k = ln(K/F) with the listed forward 96,000; t = 30/365
    const expected = Math.sqrt(sviTotalVariance(SVI, Math.log(strike / 96_000)) / (30 / 365));
    expect(getVol(s, { underlying: 'BTC', strike, expiryMs: E30 })).toBeCloseTo(expected, 14);
    expect(getVol(s, { underlying: 'BTC', strike, expiryMs: E30 })).toBe(
      volFor(s.volSurfaces.get('BTC')!, { strike, forward: 96_000, expiryMs: E30, valuationMs: T0 }),
    );
    expect(caught(() => getVol(s, { underlying: 'SOL', strike, expiryMs: E30 })).details).toMatchObject({
      underlying: 'SOL',
    });
  });

  it('getDepth and getOracleConfidence', () => {
    expect(getDepth(s, 'ETH').kind).toBe('sqrt');
    expect(caught(() => getDepth(s, 'BTC')).code).toBe('ERR_MISSING_MARKET_DATA');
    expect(getOracleConfidence(s, 'BTC')).toBe(0.9);
    expect(getOracleConfidence(s, 'ETH')).toBeUndefined();
  });
});
