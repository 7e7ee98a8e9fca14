/**
 * Loads the market history shipped in data/history: reads MANIFEST.json, gunzips each requested
 * file, checks its sha256 against the manifest (a changed or corrupt file is refused), parses it
 * strictly and aligns the symbols on one UTC grid. Synchronous: a one-shot batch read.
 * @see docs/methodology/market-history.md
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError, XmarginError } from '../../../core/errors.js';
import { alignHistory, type BarHistory } from '../../../core/history/align-history.js';
import { parseOhlcvCsv, type OhlcvLayout, type OhlcvSeries } from '../../../core/history/parse-ohlcv-csv.js';
import type { PriceHistory } from '../../../core/history/price-history.js';
import {
  defaultHistoryDir,
  findManifestEntry,
  readHistoryManifest,
  type HistoryKind,
  type HistoryManifestEntry,
} from './history-manifest.js';

/** Options of the loaders. Times are ms since epoch UTC; the range is half-open [fromMs, toMs). */
export interface LoadHistoryOptions {
  /** symbols as in MANIFEST.json (`BTC`, `ETH`, … hourly; `BTC-USD`, `UST-USD`, … daily) */
  readonly symbols: readonly string[];
  /** first grid time (rounded up to the bar size); default: earliest bar of the symbols */
  readonly fromMs?: number;
  /** end of the grid, exclusive; default: latest bar of the symbols + one bar */
  readonly toMs?: number;
  /** history directory; default `<package root>/data/history` */
  readonly dir?: string;
}

/** Options of {@link loadDvol}. */
export interface LoadDvolOptions {
  /** DVOL currencies; default ['BTC', 'ETH'] */
  readonly currencies?: readonly ('BTC' | 'ETH')[];
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly dir?: string;
}

const LAYOUT_OF: Record<HistoryKind, OhlcvLayout> = {
  ohlcv_1h: 'hourly-hlcv',
  ohlcv_1d: 'daily-hlc',
  dvol: 'daily-close',
};

/**
 * Reads one manifest file: gunzip, sha256 check, strict parse of every row, row-count check.
 * Only rows in the optional [fromMs, toMs) range (ms UTC) are returned.
 * @throws XmarginError ERR_DATA_INTEGRITY when its sha256 differs from the manifest;
 * @throws InvalidInputError ERR_INVALID_INPUT when the file is missing, not gzip, its sha256
 *         differs from the manifest, or its row count differs; or a parse error naming the line
 */
export function readHistoryFile(
  dir: string,
  entry: HistoryManifestEntry,
  range: { readonly fromMs?: number; readonly toMs?: number } = {},
): OhlcvSeries {
  const path = join(dir, entry.path);
  let csv: Buffer;
  try {
    csv = gunzipSync(readFileSync(path));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InvalidInputError(
      entry.path,
      path,
      `must be a readable gzip file listed in MANIFEST.json (${why})`,
    );
  }
  const sha = createHash('sha256').update(csv).digest('hex');
  if (sha !== entry.sha256)
    throw new XmarginError(
      'ERR_DATA_INTEGRITY',
      `${entry.path} sha256 must equal the MANIFEST.json sha256 ${entry.sha256} (file modified or corrupt; ` +
        `restore it or rerun node scripts/import-history.mjs); got "${sha}"`,
      { field: `${entry.path} sha256`, expected: entry.sha256, actual: sha },
    );
  const series = parseOhlcvCsv(csv.toString('latin1'), {
    symbol: entry.symbol,
    source: entry.path,
    layout: LAYOUT_OF[entry.kind],
    ...range,
  });
  if (series.rowsInFile !== entry.rows)
    throw new InvalidInputError(
      `${entry.path} rows`,
      series.rowsInFile,
      `must equal MANIFEST.json rows ${entry.rows}`,
    );
  return series;
}

function load(kind: HistoryKind, options: LoadHistoryOptions): BarHistory {
  const dir = options.dir ?? defaultHistoryDir();
  const manifest = readHistoryManifest(dir);
  const range = {
    ...(options.fromMs !== undefined && { fromMs: options.fromMs }),
    ...(options.toMs !== undefined && { toMs: options.toMs }),
  };
  const seen = new Set<string>();
  const series = options.symbols.map((symbol, i) => {
    if (seen.has(symbol)) throw new InvalidInputError(`symbols[${i}]`, symbol, 'must not repeat');
    seen.add(symbol);
    return readHistoryFile(dir, findManifestEntry(manifest, kind, symbol, `symbols[${i}]`), range);
  });
  const stepMs = kind === 'ohlcv_1h' ? 3_600_000 : 86_400_000;
  return alignHistory(series, { stepMs, ...range });
}

/**
 * Hourly Binance bars (perpetual where listed, else spot; quote USDT) on a 1 h grid.
 * @param options  symbols (e.g. ['BTC', 'ETH']), optional [fromMs, toMs) in ms UTC, optional dir
 * @returns        T × A close/high/low in USDT, NaN where a symbol has no bar (before listing,
 *                 after delisting, documented gaps); timesMs are bar open times
 * @throws InvalidInputError ERR_INVALID_INPUT for an unknown/repeated symbol, a missing or
 *         tampered file (sha256 mismatch), or a corrupt row
 * @throws ValidationError ERR_VALIDATION when MANIFEST.json does not match its schema
 * @example
 *   const h = loadHourlyHistory({ symbols: ['BTC', 'ETH'], fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2022, 0, 1) });
 */
export function loadHourlyHistory(options: LoadHistoryOptions): BarHistory {
  return load('ohlcv_1h', options);
}

/**
 * Yahoo Finance daily bars in USD (`BTC-USD`, `ETH-USD`, `USDC-USD`, `USDT-USD` and the
 * stablecoins `UST-USD`, `DAI-USD`, …) on a 1-day UTC grid.
 * @param options  symbols as in MANIFEST.json, optional [fromMs, toMs) in ms UTC, optional dir
 * @returns        T × A close/high/low in USD, NaN where a symbol has no bar
 * @throws InvalidInputError, ValidationError as {@link loadHourlyHistory}
 */
export function loadDailyHistory(options: LoadHistoryOptions): BarHistory {
  return load('ohlcv_1d', options);
}

/**
 * Deribit DVOL (30-day implied-volatility index) daily closes, converted on entry from percent to
 * an annualised fraction (95.04 → 0.9504), on a 1-day UTC grid from 2021-03-24.
 * @param options  currencies (default BTC and ETH; they are the column names), optional range, dir
 * @returns        T × A vol fractions, NaN where there is no value
 * @throws InvalidInputError, ValidationError as {@link loadHourlyHistory}
 */
export function loadDvol(options: LoadDvolOptions = {}): PriceHistory {
  const { currencies = ['BTC', 'ETH'], ...rest } = options;
  const h = load('dvol', { ...rest, symbols: currencies });
  // Percent only at the edge (STYLE §3.3): the core sees vols as fractions.
  const close = h.close.map((x) => x / 100);
  return { assets: h.assets, timesMs: h.timesMs, stepMs: h.stepMs, close };
}
