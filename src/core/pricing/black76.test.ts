import { describe, expect, it } from 'vitest';
import { computeBlack76Greeks, priceBlack76 } from './black76.js';
import { normCdf, normPdf } from '../numeric/normal.js';

describe('priceBlack76: edge cases', () => {
  const base = { forward: 100, strike: 90, vol: 0.5, rate: 0.05 } as const;

  it.each([
    ['expired call in the money: intrinsic F − K', 'call', 0, 10],
    ['expired put out of the money: 0', 'put', 0, 0],
    ['negative time (past expiry) is intrinsic too', 'call', -0.1, 10],
  ] as const)('%s', (_name, type, tYears, expected) => {
    expect(priceBlack76({ ...base, type, tYears })).toBe(expected);
  });

  it('vol 0 with t > 0 is the discounted intrinsic of the forward: e^{−rt}·(F − K)', () => {
    expect(priceBlack76({ ...base, type: 'call', tYears: 2, vol: 0 })).toBeCloseTo(Math.exp(-0.1) * 10, 14);
    expect(priceBlack76({ ...base, type: 'put', tYears: 2, vol: 0 })).toBe(0);
  });

  it('at the money, undiscounted call = F·(2N(σ√t/2) − 1)', () => {
    const s = 0.8 * Math.sqrt(0.25);
    const expected = 100 * (2 * normCdf(s / 2) - 1);
    expect(priceBlack76({ type: 'call', forward: 100, strike: 100, tYears: 0.25, vol: 0.8 })).toBeCloseTo(
      expected,
      12,
    );
  });

  it.each([
    ['forward', { forward: -1 }, 'forward must be finite and > 0; got -1'],
    ['strike', { strike: 0 }, 'strike must be finite and > 0; got 0'],
    ['vol', { vol: Number.NaN }, 'vol must be finite and >= 0; got NaN'],
    ['tYears', { tYears: Infinity }, 'tYears must be finite; got Infinity'],
    ['rate', { rate: Number.NaN }, 'rate must be finite; got NaN'],
  ] as const)('bad %s is ERR_INVALID_INPUT naming field, rule and value', (_f, patch, message) => {
    const run = () =>
      priceBlack76({ type: 'call', forward: 100, strike: 100, tYears: 1, vol: 0.5, ...patch });
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as { code: string }).code).toBe('ERR_INVALID_INPUT');
    }
  });
});

describe('computeBlack76Greeks: closed forms', () => {
  it('put and call share gamma and vega; delta_call − delta_put = DF', () => {
    const o = { forward: 100, strike: 110, tYears: 0.4, vol: 0.6, rate: 0.03 };
    const c = computeBlack76Greeks({ ...o, type: 'call' });
    const p = computeBlack76Greeks({ ...o, type: 'put' });
    expect(c.gamma).toBeCloseTo(p.gamma, 15);
    expect(c.vega).toBeCloseTo(p.vega, 13);
    expect(c.delta - p.delta).toBeCloseTo(Math.exp(-0.03 * 0.4), 15);
  });

  it('vega = DF·F·φ(d1)·√t, rho = −t·V', () => {
    const o = { type: 'call', forward: 100, strike: 95, tYears: 0.5, vol: 0.4, rate: 0.02 } as const;
    const s = 0.4 * Math.sqrt(0.5);
    const d1 = Math.log(100 / 95) / s + s / 2;
    const g = computeBlack76Greeks(o);
    expect(g.vega).toBeCloseTo(Math.exp(-0.01) * 100 * normPdf(d1) * Math.sqrt(0.5), 12);
    expect(g.rho).toBeCloseTo(-0.5 * g.price, 14);
  });

  it('expired: delta is the payoff slope, other greeks 0', () => {
    const g = computeBlack76Greeks({ type: 'put', forward: 90, strike: 100, tYears: 0, vol: 0.5 });
    expect(g).toEqual({ price: 10, delta: -1, gamma: 0, vega: 0, theta: 0, rho: 0 });
  });

  it('σ = 0 at the money: gamma is a point mass (+Infinity), vega its limit DF·F·√t·φ(0)', () => {
    const g = computeBlack76Greeks({ type: 'call', forward: 100, strike: 100, tYears: 1, vol: 0 });
    expect(g.gamma).toBe(Infinity);
    expect(g.vega).toBeCloseTo(100 * normPdf(0), 12);
    expect(g.delta).toBe(0.5);
  });
});
