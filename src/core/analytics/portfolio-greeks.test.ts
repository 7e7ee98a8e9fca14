/**
 * Portfolio greeks against central finite differences of the book's value re-marked at other
 * spots (analytics/pnl-curve.ts horizonPnl), vols (the market file rebuilt with iv + 0.01) and
 * times (one day later), and against the contract-level closed forms of linear positions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book, smallMarket, smallMarketDoc } from '../../../test/support/margin-fixtures.js';
import { buildMarginMarket } from '../portfolio/market-file.js';
import { valuePortfolio } from '../portfolio/valuation.js';
import { parsePortfolio } from '../portfolio/portfolio-file.js';
import { computePortfolioGreeks } from './portfolio-greeks.js';
import { horizonPnl } from './pnl-curve.js';

const market = smallMarket();
const DAY = 86_400_000;

describe('portfolio greeks', () => {
  it('linear positions and collateral: delta = units (× mark/index), no gamma, vega or theta', () => {
    const pf = book(market, { BTC: '0.5', ETH: '-3', USDC: '1000' }, [
      { instrument: 'BTC-PERP', size: -2 },
      { instrument: 'BTC-F30', size: 1 },
    ]);
    const g = computePortfolioGreeks(pf, market);
    const btc = g.underlyings.find((u) => u.underlying === 'BTC')!;
    // 0.5 BTC held − 2 perps (mark = index) + 1 future (mark 60,300 on index 60,000)
    expect(btc.deltaCoin).toBeCloseTo(0.5 - 2 + 60_300 / 60_000, 12);
    expect(btc.deltaUsd).toBeCloseTo(btc.deltaCoin * 60_000, 6);
    expect([btc.gamma, btc.vegaUsd, btc.thetaUsd]).toEqual([0, 0, 0]);
    expect(g.underlyings.find((u) => u.underlying === 'ETH')!.deltaCoin).toBe(-3);
    expect(g.underlyings.map((u) => u.underlying)).toEqual(['BTC', 'ETH']); // no stablecoin greeks
  });

  it('options: delta, gamma, vega and theta match finite differences of the re-marked value', () => {
    const positions = [
      { instrument: 'BTC-C66', size: -3 },
      { instrument: 'BTC-P54', size: 2 },
      { instrument: 'BTC-C60', size: 1.5 },
      { instrument: 'BTC-PERP', size: 0.4 },
    ];
    const pf = book(market, { USDC: '50000' }, positions);
    const g = computePortfolioGreeks(pf, market).underlyings[0]!;
    const S = 60_000;
    const h = 1e-4; // log step
    const pnl = (x: number) => horizonPnl(pf, market, new Map([['BTC', x]]), market.valuationMs);
    const [up, mid, down] = [pnl(h), pnl(0), pnl(-h)];
    const [sUp, sDown] = [S * Math.exp(h), S * Math.exp(-h)];
    expect(mid).toBe(0);
    expect(g.deltaCoin).toBeCloseTo((up - down) / (sUp - sDown), 5);
    // second difference on the uneven price grid of a log step
    const gammaFd = (2 * ((up - mid) / (sUp - S) - (mid - down) / (S - sDown))) / (sUp - sDown);
    expect(Math.abs(g.gamma - gammaFd) / Math.abs(g.gamma)).toBeLessThan(1e-3);
    expect(g.gammaUsd).toBeCloseTo((g.gamma * S * S) / 100, 8);
    // vega: the market file rebuilt with every BTC iv + 0.01 (one vol point)
    const bumped = (dv: number) => {
      const doc = smallMarketDoc();
      const mk = buildMarginMarket({
        ...doc,
        instruments: doc.instruments.map((i) =>
          i.kind === 'option' ? { ...i, iv: (i as { iv: number }).iv + dv } : i,
        ),
      });
      return valuePortfolio(parsePortfolio({ collateral: { USDC: '50000' }, positions }, mk), mk).equityUsd;
    };
    expect(g.vegaUsd).toBeCloseTo((bumped(0.0001) - bumped(-0.0001)) / 0.02, 2);
    // theta: one day later at the same spot, against the first-order rate per day
    const oneDay = horizonPnl(pf, market, new Map(), market.valuationMs + DAY);
    expect(Math.abs(oneDay - g.thetaUsd) / Math.abs(g.thetaUsd)).toBeLessThan(0.02);
    expect(g.vegaCoin).toBeCloseTo(g.vegaUsd / S, 12);
    expect(g.thetaCoin).toBeCloseTo(g.thetaUsd / S, 12);
  });

  it('property: greeks are linear in position size (k × book → k × greeks)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (k, q) => {
          fc.pre(Math.abs(q) > 1e-3);
          const one = computePortfolioGreeks(book(market, {}, [{ instrument: 'BTC-C66', size: q }]), market)
            .underlyings[0]!;
          const many = computePortfolioGreeks(
            book(market, {}, [{ instrument: 'BTC-C66', size: k * q }]),
            market,
          ).underlyings[0]!;
          for (const key of ['deltaCoin', 'gamma', 'vegaUsd', 'thetaUsd'] as const)
            expect(many[key]).toBeCloseTo(k * one[key], 6);
        },
      ),
      { numRuns: 50 },
    );
  });
});
