/**
 * Crash replay across venues on a made-up hourly path: two venues hold offsetting BTC perpetuals
 * (hyperliquid preset each: IM = V/20, MM = V/80); BTC falls 20% in one hour. Written out:
 * venue A, long 2 BTC from 60,000 with 10,000 USDC, loses 2·12,000 = 24,000 > its equity: it is
 * liquidated and bankrupt, its bad debt at least 14,000; venue B, short, gains 24,000; the combined
 * account holds both legs: its P&L nets to 0, it is never liquidated and keeps its equity.
 */
import { describe, expect, it } from 'vitest';
import type { BarHistory } from '../../core/history/align-history.js';
import { DEFAULT_LIQUIDATION_PARAMS } from '../../core/liquidation/liquidation-params.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import { replayAcrossVenues } from './replay-across-venues.js';
import { priceFactors } from './replay-market.js';

const H = 3_600_000;
const T0 = Date.UTC(2020, 2, 12, 0);

/** Hourly bars from T0 − 1h: BTC 10,000 then 8,000 (low 7,900, high 10,100); USDC 1 with a high wick. */
function history(): BarHistory {
  const times = [T0 - H, T0, T0 + H, T0 + 2 * H];
  const btc = [10_000, 10_000, 8_000, 8_000];
  const usdc = [1, 1, 1, 1];
  const close = new Float64Array(times.length * 2);
  const low = new Float64Array(times.length * 2);
  const high = new Float64Array(times.length * 2);
  times.forEach((_, i) => {
    close[2 * i] = btc[i]!;
    low[2 * i] = i === 2 ? 7_900 : btc[i]!;
    high[2 * i] = i === 2 ? 10_100 : btc[i]!;
    close[2 * i + 1] = usdc[i]!;
    low[2 * i + 1] = 1;
    high[2 * i + 1] = i === 2 ? 3.99 : 1;
  });
  return { assets: ['BTC', 'USDC'], timesMs: Float64Array.from(times), stepMs: H, close, low, high };
}

const market = (ids: string[]) =>
  buildMarginMarket({
    valuationMs: Date.UTC(2026, 2, 2, 8),
    prices: { BTC: 60_000, USDC: 1 },
    instruments: ids.map((id) => ({ id, kind: 'perpetual', underlying: 'BTC', markPrice: 60_000 })),
  });

/** Two venues `a` and `b`, each a BTC perpetual from 60,000 over USDC, and the book as one account. */
function replayTwo(
  a: { model: string; size: number; usdc: string },
  b: { model: string; size: number; usdc: string },
) {
  const ma = market(['a:BTC']);
  const mb = market(['b:BTC']);
  const mc = market(['a:BTC', 'b:BTC']);
  const book = (v: string, x: { size: number; usdc: string }) => ({
    balances: [{ venue: v, asset: 'USDC', amount: x.usdc }],
    positions: [{ instrument: `${v}:BTC`, size: x.size, entryPrice: 60_000, venue: v }],
  });
  const pa = book('a', a);
  const pb = book('b', b);
  return replayAcrossVenues({
    venues: [
      { name: 'a', model: a.model, market: ma, portfolio: parsePortfolio(pa, ma) },
      { name: 'b', model: b.model, market: mb, portfolio: parsePortfolio(pb, mb) },
    ],
    combined: {
      name: 'combined',
      model: 'hyperliquid',
      market: mc,
      portfolio: parsePortfolio(
        { balances: [...pa.balances, ...pb.balances], positions: [...pa.positions, ...pb.positions] },
        mc,
      ),
    },
    history: history(),
    window: { id: 't', label: 'test', fromMs: T0 + H, toMs: T0 + 2 * H },
  });
}

describe('replayAcrossVenues', () => {
  it('the long venue is liquidated with bad debt, the combined account is not', () => {
    const r = replayTwo(
      { model: 'hyperliquid', size: 2, usdc: '10000' },
      { model: 'hyperliquid', size: -2, usdc: '10000' },
    );
    const [a, b] = r.venues;
    expect(a!.liquidations).toBeGreaterThanOrEqual(1);
    expect(a!.bankrupt).toBe(true);
    // loss 2·(60,000 − 48,000) = 24,000 on 10,000 of equity: at least 14,000 is owed
    expect(a!.badDebtUsd).toBeGreaterThanOrEqual(14_000 - 1e-6);
    expect(b!.liquidations).toBe(0);
    expect(b!.endEquityUsd).toBeCloseTo(10_000 + 24_000, 6);
    expect(r.combined.liquidations).toBe(0);
    expect(r.combined.endEquityUsd).toBeCloseTo(20_000, 6);
    // from: the close only; the next hour: low, high, close
    expect(r.updates).toBe(4);
  });

  it('dYdX and Drift books liquidate by their own maths through the engine; the combined one by the planner', () => {
    // 13,000 USDC under 1 BTC long from 60,000 each: a 20% fall takes 12,000, below either MM
    const r = replayTwo(
      { model: 'dydx', size: 1, usdc: '13000' },
      { model: 'drift', size: 1, usdc: '13000' },
    );
    const [a, b] = r.venues;
    expect(a!.pricing).toBe('dYdX v4 liquidation maths');
    expect(b!.pricing).toBe('Drift v2 liquidation maths');
    expect(r.combined.pricing).toBe('planner');
    for (const o of [a!, b!]) {
      expect(o.liquidations, o.name).toBeGreaterThanOrEqual(1);
      expect(o.insuranceFeeUsd).toBeLessThanOrEqual(o.feesUsd + 1e-9);
    }
    // Drift charges no spread (the base is taken over at the oracle), only its fees: the cost is
    // the gas of each step (DEFAULT_LIQUIDATION_PARAMS.gasUsd, $1)
    const steps = b!.liquidationCostUsd / DEFAULT_LIQUIDATION_PARAMS.gasUsd;
    expect(steps).toBeCloseTo(Math.round(steps), 9);
    expect(steps).toBeGreaterThanOrEqual(b!.liquidations);
    expect(r.venuesTotal.insuranceFeeUsd).toBeCloseTo(a!.insuranceFeeUsd + b!.insuranceFeeUsd, 9);
  });

  it('stablecoins move by their closes only (the high wick of 3.99 is no USD price)', () => {
    const f = priceFactors(history(), T0 + H, T0 + 2 * H, 'high', new Set(['USDC']));
    expect(f.get('USDC')).toBe(1);
    expect(f.get('BTC')).toBeCloseTo(10_100 / 10_000, 12);
  });
});
