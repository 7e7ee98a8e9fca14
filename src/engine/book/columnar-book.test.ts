import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { portfolioModel, portfolioRiskArrays } from '../../core/margin/portfolio-model.js';
import { DEFAULT_PORTFOLIO_PARAMS, type PortfolioModelParams } from '../../core/margin/portfolio-params.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { book as portfolioOf, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';
import { ColumnarBook, remargin } from './columnar-book.js';
import { ShardedBook } from './sharded-book.js';

/** The scope the book models: no stress floor (and markets without low confidence). */
const BOOK_PARAMS: PortfolioModelParams = { ...DEFAULT_PORTFOLIO_PARAMS, stressWeight: 0 };

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSTRUMENTS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F30', 'BTC-C66', 'BTC-P54', 'BTC-C60'];

/** Random portfolios: 0–6 positions, some collateral (non-stable, sometimes borrowed, sometimes USDC). */
function randomPortfolios(market: MarginMarket, n: number, seed: number): Portfolio[] {
  const r = rng(seed);
  const out: Portfolio[] = [];
  for (let i = 0; i < n; i++) {
    const positions = Array.from({ length: Math.floor(r() * 7) }, () => ({
      instrument: INSTRUMENTS[Math.floor(r() * INSTRUMENTS.length)]!,
      size: Math.round((r() - 0.5) * 200) / 10 || 1,
    }));
    const collateral: Record<string, string> = {};
    if (r() < 0.6) collateral.BTC = ((r() - 0.2) * 3).toFixed(6);
    if (r() < 0.4) collateral.ETH = ((r() - 0.3) * 40).toFixed(6);
    if (r() < 0.2) collateral.SOL = (r() * 500).toFixed(6);
    if (r() < 0.3) collateral.USDC = (r() * 50_000).toFixed(2);
    out.push(portfolioOf(market, collateral, positions));
  }
  return out;
}

describe('ColumnarBook', () => {
  const market = smallMarket({ confidence: {} });
  const ctx = ctxOf(market);
  const portfolios = randomPortfolios(market, 300, 7);
  const bookOf = () => ColumnarBook.fromPortfolios(portfolios, ctx, BOOK_PARAMS);

  it('equals portfolioModel IM on random books (relative 1e-9)', () => {
    const b = bookOf();
    b.remarginAll();
    let nonZero = 0;
    portfolios.forEach((p, a) => {
      const ref = portfolioModel.compute(p, ctx, BOOK_PARAMS);
      const got = b.initialMarginOf(a);
      expect(Math.abs(got - ref.initialUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref.initialUsd));
      expect(b.data.imUsd[a]).toBe(got);
      expect(b.data.mmUsd[a]).toBeCloseTo(ref.maintenanceUsd, 6);
      expect(b.data.equityUsd[a]).toBeCloseTo(ref.equityUsd, 6);
      if (ref.initialUsd > 0) nonZero++;
    });
    expect(nonZero).toBeGreaterThan(200);
  });

  it('rejects what it does not model: stress floor, low-confidence exposure', () => {
    expect(() => ColumnarBook.fromPortfolios(portfolios, ctx, DEFAULT_PORTFOLIO_PARAMS)).toThrow(
      /stressWeight/,
    );
    const low = smallMarket();
    const solAccount = portfolioOf(low, { SOL: '10' }, []);
    expect(() => ColumnarBook.fromPortfolios([solAccount], ctxOf(low), BOOK_PARAMS)).toThrow(/confidence/);
  });

  it('incremental re-margin after a BTC tick equals a full recompute and the object model', () => {
    const b = bookOf();
    b.remarginAll();
    const before = Float64Array.from(b.data.imUsd);
    const moved = smallMarket({
      confidence: {},
      prices: { BTC: 63_000, ETH: 2_000, SOL: 100, USDC: 1, USDT: 1 },
    });
    const ctx2 = ctxOf(moved);
    b.updateUnderlying('BTC', portfolioRiskArrays(ctx2, BOOK_PARAMS, 'BTC'), 63_000);
    const { touched } = remargin(b, ['BTC']);
    const holdsBtc = (a: number) => {
      for (let p = b.data.accountStart[a]!; p < b.data.accountStart[a + 1]!; p++)
        if (b.data.instUnderlying[b.data.posInstrument[p]!] === b.universe.underlyings.indexOf('BTC'))
          return true;
      return false;
    };
    const expected = portfolios.filter((_, a) => holdsBtc(a)).length;
    expect(touched).toBe(expected);
    expect(touched).toBeLessThan(portfolios.length);
    const incremental = Float64Array.from(b.data.imUsd);
    for (let a = 0; a < portfolios.length; a++) if (!holdsBtc(a)) expect(incremental[a]).toBe(before[a]);
    b.remarginAll();
    expect(Array.from(b.data.imUsd)).toEqual(Array.from(incremental));
    portfolios.forEach((p, a) => {
      const ref = portfolioModel.compute(p, ctx2, BOOK_PARAMS).initialUsd;
      expect(Math.abs(incremental[a]! - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref));
    });
  });

  it('emits events only when an account crosses a threshold', () => {
    const p = portfolioOf(market, { BTC: '1' }, [{ instrument: 'BTC-PERP', size: 2 }]);
    const b = ColumnarBook.fromPortfolios([p], ctx, BOOK_PARAMS);
    b.remarginAll();
    const mm = b.data.mmUsd[0]!;
    expect(mm).toBeGreaterThan(0);
    const at = (equity: number) => {
      b.data.equityUsd[0] = equity;
      return b.remarginAll();
    };
    expect(at(mm * 2)).toEqual([]);
    expect(at(mm * 1.9)).toEqual([]);
    expect(at(mm * 1.1)).toEqual([{ account: 0, from: 'healthy', to: 'margin-call' }]);
    expect(at(mm * 1.15)).toEqual([]);
    expect(at(mm * 1.01)).toEqual([{ account: 0, from: 'margin-call', to: 'reduce-only' }]);
    expect(at(mm * 0.5)).toEqual([{ account: 0, from: 'reduce-only', to: 'liquidatable' }]);
    expect(at(mm * 0.4)).toEqual([]);
    expect(at(mm * 3)).toEqual([{ account: 0, from: 'liquidatable', to: 'healthy' }]);
    expect(b.data.healthUsd[0]).toBeCloseTo(mm * 2, 6);
    expect(b.data.healthRatio[0]).toBeCloseTo(3, 12);
    expect(remargin(b, ['ETH'])).toEqual({ touched: 0, events: [] });
  });
});

/**
 * Worker threads run compiled JS: this test loads dist/src/engine/book/shard-worker.js (built by
 * `npm run build`) and is skipped, with that reason, when the build is absent.
 */
const workerUrl = new URL('../../../dist/src/engine/book/shard-worker.js', import.meta.url);
const built = existsSync(fileURLToPath(workerUrl));

describe('ShardedBook', () => {
  it.skipIf(!built)(
    '2 workers give the same IM, health and events as one thread (needs npm run build)',
    async () => {
      const market = smallMarket({ confidence: {} });
      const ctx = ctxOf(market);
      const portfolios = randomPortfolios(market, 401, 11);
      const single = ColumnarBook.fromPortfolios(portfolios, ctx, BOOK_PARAMS);
      const shardedBook = ColumnarBook.fromPortfolios(portfolios, ctx, BOOK_PARAMS);
      const sharded = new ShardedBook(shardedBook, 2, { workerUrl, timeoutMs: 30_000 });
      try {
        const e1 = single.remarginAll();
        const e2 = sharded.remarginAll();
        expect(Array.from(shardedBook.data.imUsd)).toEqual(Array.from(single.data.imUsd));
        expect(Array.from(shardedBook.data.state)).toEqual(Array.from(single.data.state));
        expect(e2).toEqual(e1);
        const moved = smallMarket({
          confidence: {},
          prices: { BTC: 57_000, ETH: 2_000, SOL: 100, USDC: 1, USDT: 1 },
        });
        const arrays = portfolioRiskArrays(ctxOf(moved), BOOK_PARAMS, 'BTC');
        single.updateUnderlying('BTC', arrays, 57_000);
        shardedBook.updateUnderlying('BTC', arrays, 57_000);
        const t1 = single.remargin(['BTC']);
        const t2 = sharded.remargin(['BTC']);
        expect(t2).toEqual(t1);
        expect(Array.from(shardedBook.data.imUsd)).toEqual(Array.from(single.data.imUsd));
      } finally {
        await sharded.close();
      }
    },
  );
});
