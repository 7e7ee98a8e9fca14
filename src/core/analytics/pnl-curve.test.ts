/**
 * P&L curves: the horizon valuation agrees with the market re-marked and valued by the
 * portfolio valuation (two implementations), pays intrinsic value at expiry, and crosses the
 * maintenance line exactly at the liquidation prices.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book, ctxOf, EXPIRY_30D, smallMarket } from '../../../test/support/margin-fixtures.js';
import { getMarginModel } from '../margin/registry.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import { findLiquidationPrices } from './liquidation-prices.js';
import { horizonPnl, nearestExpiry, pnlCurve } from './pnl-curve.js';
import { anchorLinearPositions, createRemargin } from './remargin.js';
import { shiftMarket } from './shift-market.js';

const market = smallMarket();
const positions = [
  { instrument: 'BTC-C66', size: -2 },
  { instrument: 'BTC-P54', size: -2 },
  { instrument: 'BTC-F30', size: 0.5, entryPrice: 60_000 },
  { instrument: 'ETH-PERP', size: 3 },
];
const pf = book(market, { USDC: '40000', BTC: '0.1' }, positions);

describe('P&L across spot', () => {
  it('property: pnl now = value of the re-marked market − value now, for any BTC and ETH move', () => {
    // the ETH perpetual has no entry price: anchored at its mark so that its P&L counts when re-marked
    const anchored = anchorLinearPositions(pf, market);
    expect(anchored.positions.find((p) => p.instrument === 'ETH-PERP')!.entryPrice).toBe(2_000);
    const v0 = valuePortfolio(anchored, market).equityUsd;
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 1.5, noNaN: true }),
        fc.double({ min: -2, max: 1.5, noNaN: true }),
        (xb, xe) => {
          const moves = new Map([
            ['BTC', xb],
            ['ETH', xe],
          ]);
          const v1 = valuePortfolio(anchored, shiftMarket(market, { logMoves: moves })).equityUsd;
          const got = horizonPnl(pf, market, moves, market.valuationMs);
          expect(Math.abs(got - (v1 - v0))).toBeLessThan(1e-7 * Math.max(1, Math.abs(v1)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('at the nearest expiry, options pay intrinsic on the index and the future settles on it', () => {
    expect(nearestExpiry(pf, market)).toBe(EXPIRY_30D);
    const f = 1.2;
    const S = 60_000 * f;
    const got = horizonPnl(pf, market, new Map([['BTC', Math.log(f)]]), EXPIRY_30D);
    const m = (id: string) => market.instruments.get(id)!.markPrice;
    const expected =
      -2 * (Math.max(S - 66_000, 0) - m('BTC-C66')) +
      -2 * (Math.max(54_000 - S, 0) - m('BTC-P54')) +
      0.5 * (S - 60_300) + // the future's P&L from its mark now to settlement
      0.1 * 60_000 * (f - 1); // BTC collateral
    expect(got).toBeCloseTo(expected, 6);
  });

  it('the curve crosses its maintenance line at the liquidation prices', () => {
    const model = getMarginModel('portfolio');
    const rm = createRemargin(pf, ctxOf(market), model, model.defaultParams);
    const liq = findLiquidationPrices(pf, ctxOf(market), model, model.defaultParams).underlyings.find(
      (u) => u.underlying === 'BTC',
    )!;
    expect(liq.down).not.toBeNull();
    expect(liq.up).not.toBeNull();
    const curve = pnlCurve(rm, 'BTC', { liquidation: liq, points: 41, marginPoints: 42 });
    expect(curve.liquidationPricesUsd).toEqual([liq.down!.priceUsd, liq.up!.priceUsd]);
    expect(curve.points[0]!.priceUsd).toBeLessThan(liq.down!.priceUsd);
    expect(curve.points.at(-1)!.priceUsd).toBeGreaterThan(liq.up!.priceUsd);
    const spot = curve.points.find((p) => p.priceUsd === 60_000)!;
    expect(spot.pnlNowUsd).toBe(0);
    for (const p of curve.points) {
      const inside = p.priceUsd > liq.down!.priceUsd && p.priceUsd < liq.up!.priceUsd;
      // above the line (equity > MM) strictly inside the liquidation prices, below outside them
      expect(p.pnlNowUsd > p.maintenanceLineUsd!).toBe(inside);
      expect(p.initialLineUsd!).toBeGreaterThanOrEqual(p.maintenanceLineUsd!);
    }
  });

  it('re-margins at most marginPoints prices (spot and the ends always); the P&L at all of them', () => {
    const model = getMarginModel('cross');
    const rm = createRemargin(pf, ctxOf(market), model, model.defaultParams);
    const curve = pnlCurve(rm, 'BTC', { points: 61, marginPoints: 11 });
    const margined = curve.points.filter((p) => p.maintenanceUsd !== null);
    expect(margined.length).toBeLessThanOrEqual(12 + 1); // every 6th of 62, the last, and spot
    expect(curve.points.find((p) => p.priceUsd === 60_000)!.maintenanceUsd).not.toBeNull();
    expect(curve.points.at(-1)!.maintenanceUsd).not.toBeNull();
    expect(curve.points.every((p) => Number.isFinite(p.pnlNowUsd))).toBe(true);
  });

  it('refuses a grid out of range naming the option', () => {
    const model = getMarginModel('cross');
    const rm = createRemargin(pf, ctxOf(market), model, model.defaultParams);
    expect(() => pnlCurve(rm, 'BTC', { points: 2 })).toThrow(/points must be an integer in \[3, 401\]/);
    expect(() => pnlCurve(rm, 'BTC', { fromFactor: 0 })).toThrow(/fromFactor/);
    expect(() => pnlCurve(rm, 'XYZ')).toThrow(/underlying must have a price/);
  });
});
