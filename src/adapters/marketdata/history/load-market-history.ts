/**
 * The history a statistical margin model needs: hourly closes of the market's non-stable assets
 * that the shipped data covers (plus the BTC proxy), extended back to 2014 with their daily USD
 * closes (the stress library: core/history/splice-daily-closes.ts), up to the valuation time, and
 * DVOL for BTC and ETH.
 */
import { spliceDailyCloses } from '../../../core/history/splice-daily-closes.js';
import type { PriceHistory } from '../../../core/history/price-history.js';
import type { MarginMarket } from '../../../core/portfolio/margin-market.js';
import type { MarketHistory } from '../../../core/scenarios/historical-scenarios.js';
import { readHistoryManifest } from './history-manifest.js';
import { loadDailyHistory, loadDvol, loadHourlyHistory } from './load-history.js';

const STABLE = new Set(['USD', 'USDC', 'USDT', 'DAI']);

/** Options of {@link loadSplicedHourly}: symbols, optional end (exclusive, ms UTC) and directory. */
export interface SplicedHourlyOptions {
  readonly symbols: readonly string[];
  readonly toMs?: number;
  readonly dir?: string;
  /** symbols to extend with daily closes (default: every symbol with a shipped `<SYM>-USD`) */
  readonly extend?: readonly string[];
}

/**
 * Hourly closes of `symbols`, each extended before its first hourly bar with its daily USD
 * closes (`<SYM>-USD`) where they are shipped; columns keep the hourly symbols.
 * @throws InvalidInputError, ValidationError as the loaders (unknown symbol, tampered file)
 */
export function loadSplicedHourly(opts: SplicedHourlyOptions): PriceHistory {
  const d = opts.dir === undefined ? {} : { dir: opts.dir };
  const to = opts.toMs === undefined ? {} : { toMs: opts.toMs };
  const hourly = loadHourlyHistory({ symbols: opts.symbols, ...to, ...d });
  const manifest = readHistoryManifest(...(opts.dir === undefined ? [] : [opts.dir]));
  const dailySymbols = (opts.extend ?? opts.symbols).filter(
    (s) =>
      opts.symbols.includes(s) &&
      manifest.files.some((f) => f.kind === 'ohlcv_1d' && f.symbol === `${s}-USD`),
  );
  if (dailySymbols.length === 0) return hourly;
  const daily = loadDailyHistory({ symbols: dailySymbols.map((s) => `${s}-USD`), ...to, ...d });
  return spliceDailyCloses(hourly, {
    assets: dailySymbols,
    timesMs: daily.timesMs,
    stepMs: daily.stepMs,
    close: daily.close,
  });
}

/** Loads the history for `market` (assets without shipped data are left to the model's proxy rule). */
export function loadMarketHistory(market: MarginMarket, opts: { dir?: string } = {}): MarketHistory {
  const manifest = readHistoryManifest(...(opts.dir ? [opts.dir] : []));
  const available = new Set(manifest.files.filter((f) => f.kind === 'ohlcv_1h').map((f) => f.symbol));
  const symbols = [
    ...new Set(['BTC', ...[...market.prices.keys()].filter((a) => !STABLE.has(a) && available.has(a))]),
  ].sort();
  const toMs = market.valuationMs + 3_600_000;
  const dir = opts.dir ? { dir: opts.dir } : {};
  const hourly = loadSplicedHourly({ symbols, toMs, ...dir });
  const dvol = loadDvol({ toMs, ...dir });
  return { hourly, dvol };
}

/**
 * The history of a venue's market (the service, the demo, a solvency epoch of the demo): hourly
 * closes of `symbols` spliced with their daily closes, and DVOL, both up to `toMs` (exclusive).
 * @throws InvalidInputError, ValidationError as the loaders
 */
export function loadVenueHistory(symbols: readonly string[], toMs: number, dir?: string): MarketHistory {
  const d = dir !== undefined ? { dir } : {};
  return { hourly: loadSplicedHourly({ symbols, toMs, ...d }), dvol: loadDvol({ toMs, ...d }) };
}
