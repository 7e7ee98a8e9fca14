/**
 * Liquidation prices against closed forms (a single perpetual, a covered call) written out here,
 * and by re-margining at the returned price on a market rebuilt independently from the market
 * file (prices, marks and forwards scaled by hand).
 */
import { describe, expect, it } from 'vitest';
import {
  book,
  ctxOf,
  ctxWithHistory,
  EXPIRY_30D,
  smallMarket,
  smallMarketDoc,
  T0,
} from '../../../test/support/margin-fixtures.js';
import { estimateVolSpotSlope } from '../scenarios/historical-scenarios.js';
import { buildMarginMarket } from '../portfolio/market-file.js';
import { parsePortfolio } from '../portfolio/portfolio-file.js';
import { createMarginContext } from '../margin/margin-model.js';
import { getMarginModel } from '../margin/registry.js';
import { priceBlack76 } from '../pricing/black76.js';
import { findLiquidationPrices, type LiquidationReport } from './liquidation-prices.js';

const MM_RATE = 0.01; // first bracket of the default BTC schedule (rate-based-models.ts)

function liq(model: string, collateral: Record<string, string>, positions: Parameters<typeof book>[2]) {
  const market = smallMarket();
  const pf = book(market, collateral, positions);
  const m = getMarginModel(model);
  return findLiquidationPrices(pf, ctxOf(market), m, m.defaultParams);
}

function btc(r: LiquidationReport) {
  return r.underlyings.find((u) => u.underlying === 'BTC')!;
}

/** Bisection written for the test: the root of f on [lo, hi] with f(lo)·f(hi) < 0. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let [a, b] = [lo, hi];
  const fa = f(a);
  for (let i = 0; i < 200; i++) {
    const m = 0.5 * (a + b);
    if (Math.sign(f(m)) === Math.sign(fa)) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/**
 * The fixture market with BTC's index, perp and future marks and option forwards multiplied by
 * `f`, options re-priced from their iv: an independent re-marking through the market file.
 */
function btcMarketTimes(f: number) {
  const doc = smallMarketDoc();
  return buildMarginMarket({
    ...doc,
    prices: { ...doc.prices, BTC: doc.prices.BTC * f },
    instruments: doc.instruments.map((i) => {
      if (i.underlying !== 'BTC') return i;
      if (i.kind === 'option') return { ...i, forward: 60_300 * f }; // the 30-day future's mark
      return { ...i, markPrice: (i as { markPrice: number }).markPrice * f };
    }),
  });
}

describe('liquidation prices: closed forms', () => {
  it('a long perpetual under cross: S* = (qE − C) / (q(1 − mmr))', () => {
    const [q, E, C] = [1, 60_000, 10_000];
    const r = liq('cross', { USD: String(C) }, [{ instrument: 'BTC-PERP', size: q, entryPrice: E }]);
    const expected = (q * E - C) / (q * (1 - MM_RATE));
    expect(btc(r).down!.priceUsd).toBeCloseTo(expected, 4);
    expect(btc(r).down!.movePct).toBeCloseTo(expected / 60_000 - 1, 10);
    expect(btc(r).up).toBeNull(); // a long perpetual with cash only gains going up
  });

  it('a short perpetual under cross: S* = (C + |q|E) / (|q|(1 + mmr))', () => {
    const [q, E, C] = [-2, 60_000, 15_000];
    const r = liq('cross', { USD: String(C) }, [{ instrument: 'BTC-PERP', size: q, entryPrice: E }]);
    expect(btc(r).up!.priceUsd).toBeCloseTo((C + -q * E) / (-q * (1 + MM_RATE)), 4);
    expect(btc(r).down).toBeNull();
  });

  it('isolated margins a losing perpetual like cross (no locked profit): same closed form', () => {
    const r = liq('isolated', { USD: '10000' }, [{ instrument: 'BTC-PERP', size: 1, entryPrice: 60_000 }]);
    expect(btc(r).down!.priceUsd).toBeCloseTo((60_000 - 10_000) / (1 - MM_RATE), 4);
  });

  it('a covered call under cross: 0.875·S = 2·C(S) (BTC haircut 5%, short call MM 7.5%·S + mark)', () => {
    // equity = S − C(S); MM = 0.05·S (BTC held) + 0.075·S + C(S) (standard short-call MM)
    const t = (EXPIRY_30D - T0) / (365 * 86_400_000);
    const call = (f: number) =>
      priceBlack76({ type: 'call', forward: 60_300 * f, strike: 66_000, tYears: t, vol: 0.6 });
    const excess = (f: number) => 60_000 * f * (1 - 0.05 - 0.075) - 2 * call(f);
    const fStar = bisect(excess, 1, 3);
    const r = liq('cross', { BTC: '1' }, [{ instrument: 'BTC-C66', size: -1 }]);
    expect(btc(r).up!.priceUsd / 60_000).toBeCloseTo(fStar, 8);
    expect(btc(r).down).toBeNull(); // the call loses value faster than the margin on the way down
  });

  it('a short perpetual without entry price hedging BTC, on borrowed USD: S* = (S₀ − 1.05·L) / 0.06', () => {
    // P&L settled to now, then the perp offsets the BTC held: equity stays S₀ − L; MM = BTC haircut
    // 5%·S + perp 1%·S + USD liability (1.05 − 1)·L
    const [S0, L] = [60_000, 40_000];
    const r = liq('cross', { BTC: '1', USD: String(-L) }, [{ instrument: 'BTC-PERP', size: -1 }]);
    expect(btc(r).up!.priceUsd).toBeCloseTo((S0 - 1.05 * L) / 0.06, 4);
    expect(btc(r).down).toBeNull();
  });

  it('a book already below MM is liquidatable now, at spot', () => {
    const r = liq('cross', { USD: '100' }, [{ instrument: 'BTC-PERP', size: 1, entryPrice: 65_000 }]);
    expect(r.liquidatableNow).toBe(true);
    expect(btc(r).down!.priceUsd).toBe(60_000);
    expect(btc(r).down!.movePct).toBe(0);
    expect(r.joint).toBeNull();
  });

  it('long options and cash are never liquidated in the range', () => {
    const r = liq('portfolio', { USDC: '1000' }, [{ instrument: 'BTC-C66', size: 1 }]);
    expect(btc(r).down).toBeNull();
    expect(btc(r).up).toBeNull();
  });
});

describe('liquidation prices: re-margining at the returned price', () => {
  const books: [string, Record<string, string>, Parameters<typeof book>[2]][] = [
    [
      'short strangle',
      { USDC: '60000' },
      [
        { instrument: 'BTC-C66', size: -3 },
        { instrument: 'BTC-P54', size: -3 },
      ],
    ],
    ['long perp, BTC collateral', { BTC: '0.2' }, [{ instrument: 'BTC-PERP', size: 1, entryPrice: 60_000 }]],
    ['short future', { USDC: '8000' }, [{ instrument: 'BTC-F30', size: -1, entryPrice: 60_300 }]],
    ['covered call', { BTC: '1', USDC: '2000' }, [{ instrument: 'BTC-C60', size: -1 }]],
  ];
  for (const model of ['isolated', 'cross', 'portfolio', 'deribit-pm', 'deribit-sm']) {
    for (const [name, collateral, positions] of books) {
      it(`${model}, ${name}: equity = MM at each liquidation price, and the account is safe nearer spot`, () => {
        const m = getMarginModel(model);
        const r = liq(model, collateral, positions);
        expect(r.liquidatableNow).toBe(false);
        const row = btc(r);
        // sides the book must have: its naked risk, except the covered call under the grid models,
        // whose BTC collateral hedges the short call in every scenario
        const grid = model === 'portfolio' || model === 'deribit-pm';
        const want = {
          'short strangle': 'both',
          'long perp, BTC collateral': 'down',
          'short future': 'up',
          'covered call': grid ? 'none' : 'up',
        }[name];
        expect([row.down ? 'down' : '', row.up ? 'up' : ''].filter(Boolean).join('+') || 'none').toBe(
          want === 'both' ? 'down+up' : want,
        );
        for (const side of [row.down, row.up]) {
          if (!side) continue;
          const f = side.priceUsd / 60_000;
          const market = btcMarketTimes(f);
          const res = m.compute(
            parsePortfolio({ collateral, positions }, market),
            createMarginContext(market),
            m.defaultParams,
          );
          const scale = Math.max(1, res.maintenanceUsd);
          expect(Math.abs(res.equityUsd - res.maintenanceUsd) / scale).toBeLessThan(1e-6);
          // the nearest crossing: safe at a few prices between spot and it
          for (const w of [0.25, 0.5, 0.9]) {
            const inner = btcMarketTimes(1 + w * (f - 1));
            const ri = m.compute(
              parsePortfolio({ collateral, positions }, inner),
              createMarginContext(inner),
              m.defaultParams,
            );
            expect(ri.equityUsd).toBeGreaterThanOrEqual(ri.maintenanceUsd);
          }
        }
      });
    }
  }
});

describe('liquidation prices: distance and joint move', () => {
  it('distance in daily vols is the log move over the 30-day ATM implied vol / √365', () => {
    const r = liq('cross', { USD: '10000' }, [{ instrument: 'BTC-PERP', size: 1, entryPrice: 60_000 }]);
    const row = btc(r);
    // the fixture's 30-day options: C60 (iv 0.6) is nearest the forward 60,300
    expect(row.dailyVol).toMatchObject({ source: 'implied-atm', from: 'BTC-C60', annual: 0.6 });
    expect(row.down!.moveDailyVols).toBeCloseTo(
      Math.log(row.down!.priceUsd / 60_000) / (0.6 / Math.sqrt(365)),
      10,
    );
  });

  it('a long ETH / short BTC pair: the joint move re-margins to MM and is shorter than either alone', () => {
    const market = smallMarket({
      instruments: [
        ...smallMarketDoc().instruments,
        {
          id: 'ETH-C2',
          kind: 'option',
          underlying: 'ETH',
          optionType: 'call',
          strike: 2_000,
          expiryMs: EXPIRY_30D,
          iv: 0.7,
          forward: 2_000,
        },
      ],
    });
    const collateral = { USD: '30000' };
    const positions = [
      { instrument: 'ETH-PERP', size: 60, entryPrice: 2_000 },
      { instrument: 'BTC-PERP', size: -2, entryPrice: 60_000 },
    ];
    const pf = book(market, collateral, positions);
    const m = getMarginModel('cross');
    const r = findLiquidationPrices(pf, ctxOf(market), m, m.defaultParams);
    const single = r.underlyings.flatMap((u) => [u.down, u.up]).filter((s) => s !== null);
    const nearest = Math.min(...single.map((s) => Math.abs(s.moveDailyVols!)));
    expect(r.joint).not.toBeNull();
    const j = r.joint!;
    expect(j.dailyVols).toBeLessThan(nearest);
    expect(Math.hypot(...j.moves.map((x) => x.moveDailyVols))).toBeCloseTo(j.dailyVols, 8);
    // BTC up (short), ETH down (long): both against the book
    expect(j.moves.find((x) => x.underlying === 'BTC')!.movePct).toBeGreaterThan(0);
    expect(j.moves.find((x) => x.underlying === 'ETH')!.movePct).toBeLessThan(0);
    // re-margin on a market rebuilt by hand at the joint prices
    const px = Object.fromEntries(j.moves.map((x) => [x.underlying, x.priceUsd]));
    const moved = smallMarketDoc({
      prices: { ...smallMarketDoc().prices, ...px },
      instruments: smallMarketDoc().instruments.map((i) =>
        i.kind === 'perpetual' && px[i.underlying] !== undefined ? { ...i, markPrice: px[i.underlying] } : i,
      ),
    });
    const mk = buildMarginMarket(moved);
    const res = m.compute(
      parsePortfolio({ collateral, positions }, mk),
      createMarginContext(mk),
      m.defaultParams,
    );
    expect(Math.abs(res.equityUsd - res.maintenanceUsd)).toBeLessThan(1e-6 * res.maintenanceUsd);
  });

  it('refuses a search range outside (0, 1) / (1, ∞) naming the field', () => {
    const market = smallMarket();
    const m = getMarginModel('cross');
    const pf = book(market, { USD: '1000' }, []);
    expect(() => findLiquidationPrices(pf, ctxOf(market), m, m.defaultParams, { minFactor: 0 })).toThrow(
      /minFactor/,
    );
    expect(() => findLiquidationPrices(pf, ctxOf(market), m, m.defaultParams, { maxFactor: 1 })).toThrow(
      /maxFactor/,
    );
  });
});

describe('liquidation prices: the model spot–vol rule (es)', () => {
  it('es moves option vols by Δln σ = k·x; equity = MM on a market rebuilt with those vols', () => {
    const market = smallMarket();
    const ctx = ctxWithHistory(market);
    const es = getMarginModel('es');
    const collateral = { USDC: '30000' };
    const positions = [
      { instrument: 'BTC-C66', size: -2 },
      { instrument: 'BTC-P54', size: -2 },
    ];
    const r = findLiquidationPrices(book(market, collateral, positions), ctx, es, es.defaultParams);
    expect(r.volRule).toBe('model');
    const k = estimateVolSpotSlope(ctx.history!, 'BTC', market.valuationMs);
    expect(k).toBeLessThan(0); // vol rises when spot falls
    const side = btc(r).down!;
    const f = side.priceUsd / 60_000;
    const doc = smallMarketDoc();
    const moved = buildMarginMarket({
      ...doc,
      prices: { ...doc.prices, BTC: 60_000 * f },
      instruments: doc.instruments.map((i) => {
        if (i.underlying !== 'BTC') return i;
        if (i.kind !== 'option') return { ...i, markPrice: (i as { markPrice: number }).markPrice * f };
        return { ...i, forward: 60_300 * f, iv: (i as { iv: number }).iv * Math.exp(k * Math.log(f)) };
      }),
    });
    const res = es.compute(
      parsePortfolio({ collateral, positions }, moved),
      createMarginContext(moved, ctx.history),
      es.defaultParams,
    );
    expect(Math.abs(res.equityUsd - res.maintenanceUsd) / res.maintenanceUsd).toBeLessThan(1e-6);
  });
});
