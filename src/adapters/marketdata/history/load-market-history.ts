/**
 * The history a statistical margin model needs for a market: hourly closes of the market's
 * non-stable assets that the shipped data covers (plus the BTC proxy), up to the valuation time,
 * and DVOL for BTC and ETH.
 */
import type { MarginMarket } from '../../../core/portfolio/margin-market.js';
import type { MarketHistory } from '../../../core/scenarios/historical-scenarios.js';
import { readHistoryManifest } from './history-manifest.js';
import { loadDvol, loadHourlyHistory } from './load-history.js';

const STABLE = new Set(['USD', 'USDC', 'USDT', 'DAI']);

/** Loads the history for `market` (assets without shipped data are left to the model's proxy rule). */
export function loadMarketHistory(market: MarginMarket, opts: { dir?: string } = {}): MarketHistory {
  const manifest = readHistoryManifest(...(opts.dir ? [opts.dir] : []));
  const available = new Set(manifest.files.filter((f) => f.kind === 'ohlcv_1h').map((f) => f.symbol));
  const symbols = [
    ...new Set(['BTC', ...[...market.prices.keys()].filter((a) => !STABLE.has(a) && available.has(a))]),
  ].sort();
  const toMs = market.valuationMs + 3_600_000;
  const hourly = loadHourlyHistory({ symbols, toMs, ...(opts.dir ? { dir: opts.dir } : {}) });
  const dvol = loadDvol({ toMs, ...(opts.dir ? { dir: opts.dir } : {}) });
  return { hourly, dvol };
}
