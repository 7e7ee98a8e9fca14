/** Shared fixtures for margin tests: a small market and a portfolio builder. */
import { buildMarginMarket } from '../../src/core/portfolio/market-file.js';
import { parsePortfolio } from '../../src/core/portfolio/portfolio-file.js';
import { createMarginContext } from '../../src/core/margin/margin-model.js';
import type { Portfolio } from '../../src/core/portfolio/portfolio.js';
import type { MarginMarket } from '../../src/core/portfolio/margin-market.js';
import type { MarketHistory } from '../../src/core/scenarios/historical-scenarios.js';
import { loadMarketHistory } from '../../src/adapters/marketdata/history/load-market-history.js';

export const T0 = Date.UTC(2026, 2, 1, 12);
export const EXPIRY_30D = T0 + 30 * 86_400_000;

/** BTC 60,000, ETH 2,000, SOL 100 (confidence 0.5), stablecoins; a perp each, a BTC future and options. */
export function smallMarketDoc(overrides: Record<string, unknown> = {}) {
  return {
    valuationMs: T0,
    snapshotId: 'fixture',
    prices: { BTC: 60_000, ETH: 2_000, SOL: 100, USDC: 1, USDT: 1 },
    confidence: { SOL: 0.5 },
    instruments: [
      { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 60_000 },
      { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2_000 },
      { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', markPrice: 100 },
      { id: 'BTC-F30', kind: 'future', underlying: 'BTC', expiryMs: EXPIRY_30D, markPrice: 60_300 },
      {
        id: 'BTC-C66',
        kind: 'option',
        underlying: 'BTC',
        optionType: 'call',
        strike: 66_000,
        expiryMs: EXPIRY_30D,
        iv: 0.6,
      },
      {
        id: 'BTC-P54',
        kind: 'option',
        underlying: 'BTC',
        optionType: 'put',
        strike: 54_000,
        expiryMs: EXPIRY_30D,
        iv: 0.7,
      },
      {
        id: 'BTC-C60',
        kind: 'option',
        underlying: 'BTC',
        optionType: 'call',
        strike: 60_000,
        expiryMs: EXPIRY_30D,
        iv: 0.6,
      },
    ],
    ...overrides,
  };
}

export function smallMarket(overrides: Record<string, unknown> = {}): MarginMarket {
  return buildMarginMarket(smallMarketDoc(overrides));
}

export function book(
  market: MarginMarket,
  collateral: Record<string, string>,
  positions: { instrument: string; size: number; entryPrice?: number }[],
): Portfolio {
  return parsePortfolio({ collateral, positions }, market);
}

export function ctxOf(market: MarginMarket) {
  return createMarginContext(market);
}

let historyCache: { market: MarginMarket; history: MarketHistory } | undefined;
/** A context with the shipped price history (loaded once per test file). */
export function ctxWithHistory(market: MarginMarket) {
  if (historyCache?.market !== market) historyCache = { market, history: loadMarketHistory(market) };
  return createMarginContext(market, historyCache.history);
}
