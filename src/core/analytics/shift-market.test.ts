/**
 * Re-marked markets: a zero move is the market itself, linear marks scale with the index,
 * options move by their Black-76 price change (written out here), the vol rule is applied, and
 * bad moves are refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { smallMarket } from '../../../test/support/margin-fixtures.js';
import { priceBlack76 } from '../pricing/black76.js';
import { shiftMarket } from './shift-market.js';

const market = smallMarket();

describe('shiftMarket', () => {
  it('a zero move keeps every mark and the snapshot id', () => {
    const m = shiftMarket(market, { logMoves: new Map([['BTC', 0]]) });
    expect(m.snapshotId).toBe(market.snapshotId);
    for (const [id, x] of market.instruments) expect(m.instruments.get(id)!.markPrice).toBe(x.markPrice);
  });

  it('moves the index, linear marks and forwards by e^x; other underlyings are held', () => {
    const x = Math.log(0.8);
    const m = shiftMarket(market, { logMoves: new Map([['BTC', x]]) });
    expect(m.prices.get('BTC')).toBeCloseTo(48_000, 9);
    expect(m.instruments.get('BTC-PERP')!.markPrice).toBeCloseTo(48_000, 9);
    expect(m.instruments.get('BTC-F30')!.markPrice).toBeCloseTo(60_300 * 0.8, 9);
    expect(m.instruments.get('ETH-PERP')).toBe(market.instruments.get('ETH-PERP'));
    expect(m.prices.get('ETH')).toBe(2_000);
    expect(m.snapshotId).toBe('fixture|BTC-20.0000%');
  });

  it('re-marks an option by its Black-76 change at the moved forward, vol held or moved by the rule', () => {
    const c = market.instruments.get('BTC-C66')!;
    const x = Math.log(1.1);
    const held = shiftMarket(market, { logMoves: new Map([['BTC', x]]) }).instruments.get('BTC-C66')!;
    const b = (forward: number, vol: number) =>
      priceBlack76({ type: 'call', forward, strike: 66_000, tYears: c.tYears!, vol });
    expect(held.forward).toBeCloseTo(c.forward! * 1.1, 9);
    expect(held.vol).toBe(0.6);
    expect(held.markPrice).toBeCloseTo(c.markPrice + b(c.forward! * 1.1, 0.6) - b(c.forward!, 0.6), 9);
    // Δln σ = −1.2·x (vol falls as spot rises)
    const ruled = shiftMarket(market, {
      logMoves: new Map([['BTC', x]]),
      volRule: (v, dx) => v * Math.exp(-1.2 * dx),
    }).instruments.get('BTC-C66')!;
    expect(ruled.vol).toBeCloseTo(0.6 * Math.exp(-1.2 * x), 12);
    expect(ruled.markPrice).toBeCloseTo(
      c.markPrice + b(c.forward! * 1.1, ruled.vol!) - b(c.forward!, 0.6),
      9,
    );
  });

  it('keeps only the instruments asked for', () => {
    const m = shiftMarket(market, { logMoves: new Map([['BTC', 0.1]]), instruments: new Set(['BTC-PERP']) });
    expect([...m.instruments.keys()]).toEqual(['BTC-PERP']);
  });

  it('refuses a non-finite move, an unpriced asset and a vol rule going negative', () => {
    expect(() => shiftMarket(market, { logMoves: new Map([['BTC', NaN]]) })).toThrow(
      /logMoves\.BTC must be finite/,
    );
    expect(() => shiftMarket(market, { logMoves: new Map([['XYZ', 0.1]]) })).toThrow(
      /logMoves\.XYZ must name an asset/,
    );
    expect(() => shiftMarket(market, { logMoves: new Map([['BTC', 0.1]]), volRule: () => -0.1 })).toThrow(
      /instruments\[BTC-C66\]\.vol must stay >= 0/,
    );
  });
});
