/**
 * The combined view across venues: expected values written out from the formulas of
 * docs/methodology/cross-venue.md (compute-cross-venue.ts module header), on two venues holding
 * offsetting BTC perpetuals, margined by the `hyperliquid` preset as each venue's rule (default
 * leverage 20: IM = V/20; BTC maximum leverage 40: MM = V/80) and by `portfolio` as xmargin's model.
 */
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../margin/margin-model.js';
import { getMarginModel } from '../margin/registry.js';
import { buildMarginMarket } from '../portfolio/market-file.js';
import { parsePortfolio } from '../portfolio/portfolio-file.js';
import { smallMarketDoc } from '../../../test/support/margin-fixtures.js';
import { computeCrossVenue, type VenueBook } from './compute-cross-venue.js';
import { parseCrossVenueParams } from './cross-venue-params.js';
import { mergeMarketFiles } from './merge-market-files.js';
import { planCollateralMoves } from './plan-collateral-moves.js';
import { selectVenues, splitByVenue } from './split-by-venue.js';
import { transferMoveLoss } from './transfer-move-loss.js';
import { MarketFileSchema } from '../portfolio/market-file.js';
import { priceBlack76 } from '../pricing/black76.js';

/** One venue's market: the fixture's BTC perp renamed `<venue>:BTC-PERP`. */
function venueMarket(venue: string, btc: number) {
  const doc = smallMarketDoc();
  return MarketFileSchema.parse({
    ...doc,
    prices: { ...doc.prices, BTC: btc },
    instruments: [{ id: `${venue}:BTC-PERP`, kind: 'perpetual', underlying: 'BTC', markPrice: btc }],
  });
}
const doc = (venue: string, size: number, usdc: string) => ({
  balances: [{ venue, asset: 'USDC', amount: usdc }],
  positions: [{ instrument: `${venue}:BTC-PERP`, size, venue }],
});

function setup(params: unknown) {
  const files = [
    { venue: 'a', market: venueMarket('a', 60_000) },
    { venue: 'b', market: venueMarket('b', 60_000) },
  ];
  const merged = buildMarginMarket(mergeMarketFiles(files));
  const portfolio = parsePortfolio(
    {
      balances: [...doc('a', 2, '50000').balances, ...doc('b', -2, '40000').balances],
      positions: [...doc('a', 2, '50000').positions, ...doc('b', -2, '40000').positions],
    },
    merged,
  );
  const venues: VenueBook[] = files.map((f, i) => {
    const m = buildMarginMarket(f.market);
    return {
      venue: f.venue,
      market: m,
      portfolio: parsePortfolio(doc(f.venue, i === 0 ? 2 : -2, i === 0 ? '50000' : '40000'), m),
      model: 'hyperliquid',
    };
  });
  return computeCrossVenue({ venues, market: merged, portfolio, params: parseCrossVenueParams(params) });
}

describe('computeCrossVenue', () => {
  // Each venue: position value 2·60,000 = 120,000; IM = 120,000/20 = 6,000, MM = 120,000/80 = 1,500.
  it('without agreements each venue keeps its rule, floored by MM + the move over the transfer latency', () => {
    const r = setup({ latencyHours: { default: 1 }, venueDefault: { default: 0.01 } });
    expect(r.sumOfVenuesUsd).toBeCloseTo(2 * 6000, 6);
    // T_v = 2 BTC · 60,000 · 0.079·√1 = 9,480; H_v = max(6,000, 1,500 + 9,480) = 10,980
    for (const v of r.venues) {
      expect(v.transitUsd).toBeCloseTo(120_000 * 0.079, 6);
      expect(v.holdingUsd).toBeCloseTo(1500 + 9480, 6);
      expect(v.defaultChargeUsd).toBeCloseTo(0.01 * 10_980, 6);
    }
    expect(r.combinedUsd).toBeCloseTo(2 * 10_980 * 1.01, 6);
    expect(r.components.riskUsd + r.components.transitUsd + r.components.defaultUsd).toBeCloseTo(
      r.combinedUsd,
      6,
    );
    expect(r.differenceUsd).toBeCloseTo(r.sumOfVenuesUsd - r.combinedUsd, 9);
  });

  it('a declared agreement nets the two books, the cap floors the requirement, shares are pro rata', () => {
    const r = setup({
      agreements: [{ venues: ['a', 'b'], cap: 0.8 }],
      latencyHours: { default: 0.01 },
      venueDefault: { default: 0 },
    });
    const g = r.groups[0]!;
    expect(g.venues).toEqual(['a', 'b']);
    // The union is flat in BTC: the portfolio model's netted requirement is what it charges a
    // flat book, and the floor is (1 − 0.8)·(6,000 + 6,000) = 2,400.
    expect(g.requirementUsd).toBeCloseTo(Math.max(g.nettedUsd, 2400), 6);
    // T_v = 120,000·0.079·√0.01 = 948: H_v = max(R/2, 1,500 + 948)
    for (const v of r.venues) expect(v.holdingUsd).toBeCloseTo(Math.max(g.requirementUsd / 2, 1500 + 948), 6);
  });

  it('one venue needs no transfer buffer: C = IM·(1 + d)', () => {
    const m = buildMarginMarket(venueMarket('a', 60_000));
    const p = parsePortfolio(doc('a', 2, '50000'), m);
    const r = computeCrossVenue({
      venues: [{ venue: 'a', market: m, portfolio: p, model: 'hyperliquid' }],
      market: m,
      portfolio: p,
      params: parseCrossVenueParams({}),
    });
    expect(r.venues[0]!.transitUsd).toBe(0);
    expect(r.combinedUsd).toBeCloseTo(6000 * 1.01, 9);
    // equity 50,000: target 6,000 + D 60: releasable 50,000 − 6,060
    expect(r.releasableNowUsd).toBeCloseTo(50_000 - 6060, 6);
  });

  it("the whole-book figure is xmargin's model on the union", () => {
    const r = setup({});
    const merged = buildMarginMarket(
      mergeMarketFiles([
        { venue: 'a', market: venueMarket('a', 60_000) },
        { venue: 'b', market: venueMarket('b', 60_000) },
      ]),
    );
    expect(r.wholeBookUsd).toBeGreaterThanOrEqual(0);
    expect(r.model).toBe('portfolio');
    void getMarginModel('portfolio').compute(
      parsePortfolio({ positions: [] }, merged),
      createMarginContext(merged),
      getMarginModel('portfolio').defaultParams,
    );
  });

  it('a venue in two agreements is refused, naming the field', () => {
    expect(() =>
      parseCrossVenueParams({ agreements: [{ venues: ['a', 'b'] }, { venues: ['b', 'c'] }] }),
    ).toThrow(/agreements\[1\]\.venues/);
  });
});

describe('splitting, merging and moves conserve what they move', () => {
  it("split by venue: the venues' balances sum exactly to the whole", () => {
    const m = buildMarginMarket(
      mergeMarketFiles([
        { venue: 'a', market: venueMarket('a', 60_000) },
        { venue: 'b', market: venueMarket('b', 61_000) },
      ]),
    );
    const p = parsePortfolio(
      {
        balances: [
          { venue: 'a', asset: 'USDC', amount: '0.000001' },
          { venue: 'b', asset: 'USDC', amount: '-10.5' },
          { venue: 'a', asset: 'BTC', amount: '1' },
        ],
        positions: [],
      },
      m,
    );
    const parts = splitByVenue(p);
    expect([...parts.keys()]).toEqual(['a', 'b']);
    const usdc = [...parts.values()].reduce((s, x) => s + (x.collateral.get('USDC')?.units ?? 0n), 0n);
    expect(usdc).toBe(p.collateral.get('USDC')!.units);
    expect(selectVenues(p, new Set(['a'])).collateral.get('BTC')!.units).toBe(100_000_000n);
    // the median of two venues' BTC prices
    expect(m.prices.get('BTC')).toBe(60_500);
  });

  it('an untagged position is refused by the combined view', () => {
    const m = buildMarginMarket(venueMarket('a', 60_000));
    const p = parsePortfolio(
      {
        balances: [{ venue: 'a', asset: 'USDC', amount: '1' }],
        positions: [{ instrument: 'a:BTC-PERP', size: 1 }],
      },
      m,
    );
    expect(() => selectVenues(p, new Set(['a']))).toThrow(/positions\[0\]\.venue/);
  });

  it('two venues defining one instrument id is refused', () => {
    expect(() =>
      mergeMarketFiles([
        { venue: 'a', market: venueMarket('a', 1) },
        { venue: 'b', market: venueMarket('a', 1) },
      ]),
    ).toThrow(/instruments\[a:BTC-PERP\]/);
  });

  it('moves fill deficits from the fastest source and conserve the total', () => {
    const lat = (f: string, t: string) => (f === 'fast' || t === 'fast' ? 0.1 : 2);
    const plan = planCollateralMoves(
      new Map([
        ['fast', 500],
        ['slow', 5000],
        ['short', -800],
      ]),
      lat,
    );
    expect(plan.moves[0]).toEqual({ from: 'fast', to: 'short', usd: 500, hours: 0.1 });
    expect(plan.moves[1]).toEqual({ from: 'slow', to: 'short', usd: 300, hours: 2 });
    const total = [...plan.after.values()].reduce((s, x) => s + x, 0);
    expect(total).toBeCloseTo(500 + 5000 - 800, 9);
    expect(plan.after.get('short')).toBeCloseTo(0, 9);
  });
});

describe('transfer move loss', () => {
  it('linear and collateral exposures lose |delta|·price·m on the worse side; stablecoins are not shocked', () => {
    const m = buildMarginMarket(smallMarketDoc());
    const p = parsePortfolio(
      {
        collateral: { USDC: '100000', BTC: '0.5' },
        positions: [
          { instrument: 'BTC-PERP', size: -2 },
          { instrument: 'ETH-PERP', size: 10 },
        ],
      },
      m,
    );
    const r = transferMoveLoss(p, m, () => 0.1, new Set(['USDC', 'USDT']));
    // BTC: −2 perp + 0.5 held = −1.5 BTC → loss 1.5·60,000·0.1 = 9,000; ETH: 10·2,000·0.1 = 2,000
    expect(r.byUnderlying).toEqual([
      { underlying: 'BTC', move: 0.1, lossUsd: expect.closeTo(9000, 6) as number },
      { underlying: 'ETH', move: 0.1, lossUsd: expect.closeTo(2000, 6) as number },
    ]);
    expect(r.lossUsd).toBeCloseTo(11_000, 6);
  });

  it('options are repriced with Black-76 at the moved forward, vol held', () => {
    const m = buildMarginMarket(smallMarketDoc());
    const c = m.instruments.get('BTC-C60')!;
    const p = parsePortfolio({ positions: [{ instrument: 'BTC-C60', size: 2 }] }, m);
    const at = (f: number) =>
      priceBlack76({
        type: 'call',
        forward: f,
        strike: 60_000,
        tYears: c.tYears!,
        vol: c.vol!,
        rate: c.rate ?? 0,
      });
    // a long call loses on the down move: 2·(B76(F) − B76(0.95·F))
    expect(transferMoveLoss(p, m, () => 0.05, new Set()).lossUsd).toBeCloseTo(
      2 * (at(c.forward!) - at(0.95 * c.forward!)),
      9,
    );
    const hedged = parsePortfolio(
      {
        positions: [
          { instrument: 'BTC-C60', size: 2 },
          { instrument: 'BTC-C60', size: -2 },
        ],
      },
      m,
    );
    expect(transferMoveLoss(hedged, m, () => 0.05, new Set()).lossUsd).toBeCloseTo(0, 9);
  });
});
