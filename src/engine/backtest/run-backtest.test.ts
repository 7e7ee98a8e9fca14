import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PriceHistory } from '../../core/history/price-history.js';
import { DEFAULT_RATE_MODEL_PARAMS } from '../../core/margin/rate-based-models.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import { fromUnits } from '../../core/ledger/convert.js';
import {
  bookModelStats,
  coverageStats,
  instantiateTemplate,
  largestRise,
  mergeBacktestRuns,
  runBacktest,
  summariseBacktest,
  templateFromPortfolio,
  venueTemplates,
  type BacktestBook,
  type BookTemplate,
} from './index.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const DAYS = 40;

/**
 * Synthetic hourly closes: BTC moves once a day (at 12:00) by a fixed daily return pattern that
 * includes falls beyond 2%, ETH and SOL follow at half the move. Hourly bar k opens at T0 + k h.
 */
function dailyReturn(d: number): number {
  return [0.01, -0.035, 0.004, -0.015, 0.02, -0.025, 0.0, -0.05][d % 8]!;
}
function syntheticHistory(): PriceHistory {
  const assets = ['BTC', 'ETH', 'SOL'];
  const T = DAYS * 24;
  const close = new Float64Array(T * 3);
  let btc = 40_000;
  let eth = 2_000;
  let sol = 100;
  for (let k = 0; k < T; k++) {
    if (k % 24 === 12) {
      const r = dailyReturn(Math.floor(k / 24));
      btc *= 1 + r;
      eth *= 1 + r / 2;
      sol *= 1 + r / 2;
    } else if (k % 24 === 5) {
      // a small intraday wiggle so that realised vol is not zero
      btc *= 1.001;
      eth *= 0.999;
      sol *= 1.001;
    }
    close.set([btc, eth, sol], k * 3);
  }
  return { assets, timesMs: Float64Array.from({ length: T }, (_, k) => T0 + k * HOUR), stepMs: HOUR, close };
}

/** Close of the hourly bar ending at `ms` (the backtest's valuation price). */
function closeAt(h: PriceHistory, asset: string, ms: number): number {
  const k = (ms - HOUR - T0) / HOUR;
  return h.close[k * h.assets.length + h.assets.indexOf(asset)]!;
}

const PERP: BookTemplate = {
  id: 'perp',
  legs: [{ kind: 'perpetual', underlying: 'BTC', notionalUsd: 100_000, entryPremium: 0 }],
  collateral: [{ asset: 'USD', amountUsd: 20_000 }],
};

describe('runBacktest on a synthetic history', () => {
  const history = { hourly: syntheticHistory() };
  const books: BacktestBook[] = [{ id: 'perp', group: 'reference', accounts: [PERP] }];
  const run = runBacktest({
    fromMs: T0 + DAY,
    toMs: T0 + 31 * DAY,
    stepDays: 1,
    mprDays: 1,
    models: ['isolated', 'cross'],
    books,
    history,
  });

  it('values 30 daily steps from 00:00 UTC, each ending one day later', () => {
    expect(run.timesMs).toHaveLength(30);
    expect(run.timesMs[0]).toBe(T0 + DAY);
    expect(run.timesMs[29]).toBe(T0 + 30 * DAY);
    expect(run.skippedSteps).toEqual([]);
  });

  it('loss = notional × (1 − S(t+1d)/S(t)); IM = first-tier rate × notional; exceedance = loss > IM', () => {
    const rate = DEFAULT_RATE_MODEL_PARAMS.rates.BTC![0]!.imRate;
    const acc = run.accounts[0]!;
    const im = acc.imUsd.get('isolated')!;
    let hits = 0;
    run.timesMs.forEach((t, k) => {
      const s0 = closeAt(history.hourly, 'BTC', t);
      const s1 = closeAt(history.hourly, 'BTC', t + DAY);
      const loss = 100_000 * (1 - s1 / s0);
      expect(acc.lossUsd[k]).toBeCloseTo(loss, 4);
      expect(im[k]).toBeCloseTo(rate * 100_000, 6);
      if (loss > rate * 100_000) hits++;
    });
    // The pattern has daily falls of 2.5%, 3.5% and 5%: beyond the 2% rate, so some hits.
    expect(hits).toBeGreaterThan(0);
    const s = bookModelStats(run, 'isolated', 'perp');
    expect(s.observations).toBe(30);
    expect(s.exceedances).toBe(hits);
    expect(s.rate).toBeCloseTo(hits / 30, 12);
  });

  it('capital of isolated as a multiple of isolated is 1; a flat IM never rises', () => {
    const s = bookModelStats(run, 'isolated', 'perp');
    expect(s.capitalVsIsolated).toBe(1);
    expect(s.rise1d).toBeCloseTo(0, 12);
    expect(s.rise5d).toBeCloseTo(0, 12);
    expect(s.peakToTrough).toBeCloseTo(1, 12);
  });

  it('per-year counts add up to the totals; the summary pools every account', () => {
    const { perBook, summary } = summariseBacktest(run);
    const s = perBook.find((x) => x.model === 'isolated')!;
    const years = Object.values(s.byYear);
    expect(years.reduce((a, y) => a + y.observations, 0)).toBe(s.observations);
    expect(years.reduce((a, y) => a + y.exceedances, 0)).toBe(s.exceedances);
    expect(summary.map((x) => x.model)).toEqual(['isolated', 'cross']);
    expect(summary[0]!.exceedances).toBe(s.exceedances);
  });

  it('chunks of steps merge into exactly the run over all steps (what worker threads rely on)', () => {
    const input = {
      fromMs: T0 + DAY,
      toMs: T0 + 31 * DAY,
      stepDays: 1,
      mprDays: 1,
      models: ['isolated', 'cross'],
      books,
      history,
    };
    const merged = mergeBacktestRuns([
      runBacktest({ ...input, stepRange: [17, 30] }),
      runBacktest({ ...input, stepRange: [0, 17] }),
    ]);
    expect(merged.stepRange).toEqual([0, 30]);
    expect(Array.from(merged.accounts[0]!.lossUsd)).toEqual(Array.from(run.accounts[0]!.lossUsd));
    expect(Array.from(merged.accounts[0]!.imUsd.get('cross')!)).toEqual(
      Array.from(run.accounts[0]!.imUsd.get('cross')!),
    );
    expect(() =>
      mergeBacktestRuns([
        runBacktest({ ...input, stepRange: [0, 10] }),
        runBacktest({ ...input, stepRange: [5, 12] }),
      ]),
    ).toThrow(/overlap/);
  });

  it('refuses a margin period of risk not shorter than a tenor, naming mprDays', () => {
    const opt: BookTemplate = {
      id: 'opt',
      legs: [
        {
          kind: 'option',
          underlying: 'BTC',
          tenorDays: 2,
          moneyness: 1,
          optionType: 'call',
          notionalUsd: 1e5,
        },
      ],
      collateral: [],
    };
    expect(() =>
      runBacktest({
        fromMs: T0 + DAY,
        toMs: T0 + 10 * DAY,
        stepDays: 1,
        mprDays: 2,
        models: ['isolated'],
        books: [{ id: 'opt', group: 'reference', accounts: [opt] }],
        history,
      }),
    ).toThrow(/mprDays/);
  });

  it('is deterministic under the seed: the same venue population and the same series', () => {
    const a = venueTemplates(7, 6);
    expect(venueTemplates(7, 6)).toEqual(a);
    expect(venueTemplates(8, 6)).not.toEqual(a);
    const venue: BacktestBook[] = [{ id: 'venue', group: 'venue', accounts: a }];
    const opts = {
      fromMs: T0 + DAY,
      toMs: T0 + 8 * DAY,
      stepDays: 1,
      mprDays: 1,
      models: ['cross', 'portfolio'],
      books: venue,
      history,
    };
    const r1 = runBacktest(opts);
    const r2 = runBacktest(opts);
    expect(r2.accounts.map((x) => Array.from(x.imUsd.get('portfolio')!))).toEqual(
      r1.accounts.map((x) => Array.from(x.imUsd.get('portfolio')!)),
    );
    expect(r2.accounts.map((x) => Array.from(x.lossUsd))).toEqual(
      r1.accounts.map((x) => Array.from(x.lossUsd)),
    );
    // Pooled: observations are summed over the accounts.
    const s = bookModelStats(r1, 'cross', 'venue');
    expect(s.observations + s.unobserved).toBe(6 * r1.timesMs.length);
  });
});

describe('book templates', () => {
  it('an examples portfolio at its own market time gives back its instruments and sizes', () => {
    const root = new URL('../../../', import.meta.url);
    const market = buildMarginMarket(JSON.parse(readFileSync(new URL('examples/market.json', root), 'utf8')));
    const pf = parsePortfolio(
      JSON.parse(readFileSync(new URL('examples/hedged-btc-options.json', root), 'utf8')),
      market,
    );
    const tpl = templateFromPortfolio('ex', pf, market);
    const prices = Object.fromEntries(market.prices);
    const b = instantiateTemplate(tpl, market.valuationMs, prices)!;
    expect(b.portfolio.positions).toHaveLength(pf.positions.length);
    pf.positions.forEach((p, i) => {
      const orig = market.instruments.get(p.instrument)!.instrument;
      const inst = b.instruments[i]!;
      const pos = b.portfolio.positions[i]!;
      expect(inst.kind).toBe(orig.kind);
      expect(inst.underlying).toBe(orig.underlying);
      expect(pos.size).toBeCloseTo(p.size, 9);
      if (orig.kind === 'option') {
        expect(inst.expiryMs).toBe(orig.expiryMs);
        expect(inst.strike).toBeCloseTo(orig.strike, 6);
        expect(inst.optionType).toBe(orig.optionType);
      }
      if (p.entryPrice !== undefined) expect(pos.entryPrice).toBeCloseTo(p.entryPrice, 6);
    });
    const usdc = b.portfolio.collateral.get('USDC')!;
    const orig = pf.collateral.get('USDC')!;
    expect(fromUnits(usdc.units, usdc.asset.decimals)).toBeCloseTo(
      fromUnits(orig.units, orig.asset.decimals),
      4,
    );
  });

  it('returns undefined when an asset has no price (e.g. SOL before its listing)', () => {
    const tpl: BookTemplate = {
      id: 's',
      legs: [{ kind: 'perpetual', underlying: 'SOL', contracts: 10 }],
      collateral: [],
    };
    expect(instantiateTemplate(tpl, T0, { BTC: 1 })).toBeUndefined();
    expect(instantiateTemplate(tpl, T0, { SOL: 100 })!.portfolio.positions[0]!.size).toBe(10);
  });
});

describe('statistics helpers', () => {
  it('largestRise is max over t of x(t+lag)/x(t) − 1', () => {
    // pairs (lag 1): 150/100 − 1 = 0.5, 90/150 − 1 = −0.4, 180/90 − 1 = 1
    expect(largestRise([100, 150, 90, 180], 1)).toBeCloseTo(1, 12);
    // lag 2: 90/100 − 1 = −0.1, 180/150 − 1 = 0.2
    expect(largestRise([100, 150, 90, 180], 2)).toBeCloseTo(0.2, 12);
    expect(largestRise([NaN, 100, NaN], 1)).toBeNull();
  });

  it('pooled coverage counts the concatenated sequences', () => {
    const s = coverageStats(
      [
        [false, true, false],
        [false, false],
      ],
      0.01,
    );
    expect(s.observations).toBe(5);
    expect(s.exceedances).toBe(1);
    expect(s.rate).toBeCloseTo(0.2, 12);
    expect(coverageStats([], 0.01).kupiecP).toBeNull();
  });
});
