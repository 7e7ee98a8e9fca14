import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ISOLATED_COVER_PARAMS as P,
  isolatedCoverModel,
  isolatedCoverParams,
} from './isolated-cover-model.js';
import { empiricalMove } from '../scenarios/empirical-move.js';
import { intrabarExceedance } from '../history/intrabar-exceedance.js';
import { createMarginContext } from './margin-model.js';
import { book, ctxWithHistory, smallMarket } from '../../../test/support/margin-fixtures.js';
import type { PriceHistory } from '../history/price-history.js';
import { loadHourlyHistory } from '../../adapters/marketdata/history/load-history.js';

const H = 3_600_000;

describe('empiricalMove', () => {
  it('the ⌈n·α⌉-th smallest |24 h move| over windows ending at valuation, every 24 h back', () => {
    // Closes step once a day by the moves below (bars hourly): windows ending at valuation see them all.
    const moves = [0.1, -0.05, 0.02, -0.3, 0.04];
    const closes: number[] = [100];
    for (const m of moves)
      for (let h = 0; h < 24; h++) closes.push(h === 23 ? closes.at(-1)! * (1 + m) : closes.at(-1)!);
    const h: PriceHistory = {
      assets: ['BTC'],
      timesMs: Float64Array.from(closes, (_, t) => t * H),
      stepMs: H,
      close: Float64Array.from(closes),
    };
    const v = closes.length * H; // every bar closed
    const sorted = moves.map(Math.abs).sort((a, b) => a - b); // 0.02 0.04 0.05 0.1 0.3
    expect(empiricalMove(h, 'BTC', v, { horizonHours: 24, confidence: 0.99 }).move).toBeCloseTo(
      sorted[4]!,
      12,
    );
    expect(empiricalMove(h, 'BTC', v, { horizonHours: 24, confidence: 0.6 }).move).toBeCloseTo(
      sorted[2]!,
      12,
    );
    expect(empiricalMove(h, 'BTC', v, { horizonHours: 24, confidence: 0.6, minWindows: 6 }).move).toBeNaN();
  });
});

describe('isolated-cover', () => {
  const market = smallMarket();
  const ctx = ctxWithHistory(market);
  const params = isolatedCoverParams(ctx, P);

  it('first-tier rate = the 99% one-day move + half spread + impact·√(1M / ADV), rounded up to 1 bp', () => {
    const move = empiricalMove(ctx.history!.hourly, 'BTC', market.valuationMs, {
      horizonHours: 24,
      confidence: 0.99,
      minWindows: 365,
    }).move;
    const expected = Math.ceil((move + 0.0002 + 0.1 * Math.sqrt(1e6 / 1.5e10)) * 1e4 - 1e-9) / 1e4;
    expect(params.rates.BTC![0]!.imRate).toBe(expected);
    // A one-day 99% BTC move over 2014–2026 is about 12% (the leverage-cap tier is 2%).
    expect(move).toBeGreaterThan(0.09);
    expect(move).toBeLessThan(0.16);
    // Rates rise with size; MM ≤ IM; BTC collateral haircut = the move itself.
    const tiers = params.rates.BTC!;
    for (let k = 1; k < tiers.length; k++)
      expect(tiers[k]!.imRate).toBeGreaterThanOrEqual(tiers[k - 1]!.imRate);
    for (const t of tiers) expect(t.mmRate).toBeLessThanOrEqual(t.imRate);
    expect(params.haircuts.BTC!.im).toBe(Math.ceil(move * 1e4 - 1e-9) / 1e4);
  });

  it('a BTC perpetual of 60,000 asks the calibrated first tier; without history it fails closed', () => {
    const r = isolatedCoverModel.compute(book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]), ctx, P);
    expect(r.model).toBe('isolated-cover');
    expect(r.initialUsd).toBeCloseTo(60_000 * params.rates.BTC![0]!.imRate, 6);
    expect(() =>
      isolatedCoverModel.compute(
        book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]),
        createMarginContext(market),
        P,
      ),
    ).toThrow(/needs price history/);
    expect(() => isolatedCoverModel.parseParams({ imConfidence: 0.9 })).toThrow(/no field may be set/);
  });
});

describe('the leverage caps on 1 h with intrabar extremes (what isolated and cross claim)', () => {
  // Expected shares computed from the shared source CSVs (close, high, low of consecutive hours).
  const h = loadHourlyHistory({ symbols: ['BTC', 'ETH', 'SOL'] });
  it.each([
    ['BTC', 0.02, 2_308, 55_128],
    ['BTC', 0.01, 10_127, 55_128],
    ['ETH', 0.02, 4_312, 55_128],
    ['SOL', 0.05, 971, 48_953],
  ])('%s at %f: exceeded in %i of %i hours', (asset, rate, x, n) => {
    const r = intrabarExceedance(h, asset, rate);
    expect([r.exceedances, r.bars]).toEqual([x, n]);
  });
  it('max(H/c₀ − 1, 1 − L/c₀) > rate, bar by bar', () => {
    const bars = {
      assets: ['X'],
      timesMs: Float64Array.of(0, H, 2 * H),
      stepMs: H,
      close: Float64Array.of(100, 100, 100),
      high: Float64Array.of(100, 103, 101),
      low: Float64Array.of(100, 99, 97.6),
    };
    expect(intrabarExceedance(bars, 'X', 0.025).exceedances).toBe(1); // +3% high; then −2.4% is not > 2.5%
    expect(intrabarExceedance(bars, 'X', 0.02).exceedances).toBe(2);
  });
});
