/**
 * @module history
 *
 * Real market history for statistical margin: parsing of the shipped CSV files, alignment of many
 * assets on one regular UTC grid, coverage reports and joint returns.
 *
 * - `parseOhlcvCsv` (parse-ohlcv-csv.ts): strict parser of `data/history` files; a corrupt cell
 *   is an error naming source, line, column, rule and value.
 * - `alignHistory` (align-history.ts): T × A closes (and highs/lows) on the grid
 *   `t0 + t·stepMs`; see price-history.ts for the layout.
 * - `describeCoverage` (describe-coverage.ts): listing, delisting and gaps per asset.
 * - `jointReturns` (joint-returns.ts): ln(close[t+h] / close[t]) where all assets have both ends.
 *
 * Units: times are integer ms since the epoch, UTC, and mark the bar open time; prices are in
 * the file's quote currency (USDT for Binance pairs, USD for Yahoo); returns are natural-log
 * fractions.
 *
 * Invariants: grid times are strictly increasing by `stepMs` and multiples of it; NaN means "no
 * bar" and is never a price; every non-NaN close is finite and > 0.
 *
 * Conservative choices: nothing is forward-filled or interpolated (a missing bar stays NaN and a
 * return needing it is skipped, not invented); outlier prints in the source are kept and
 * documented rather than cleaned (docs/methodology/market-history.md#known-outliers).
 *
 * @see docs/methodology/market-history.md
 */
export type { PriceHistory } from './price-history.js';
export {
  parseOhlcvCsv,
  OHLCV_LAYOUTS,
  type OhlcvLayout,
  type OhlcvRow,
  type OhlcvSeries,
  type ParseOhlcvOptions,
} from './parse-ohlcv-csv.js';
export {
  alignHistory,
  MAX_GRID_CELLS,
  type AlignHistoryOptions,
  type BarHistory,
  type HistorySeries,
} from './align-history.js';
export { describeCoverage, type AssetCoverage, type CoverageGap } from './describe-coverage.js';
export { jointReturns, type JointReturns, type JointReturnsOptions } from './joint-returns.js';
export { parseUtcTime, formatUtcTime, HOUR_MS, DAY_MS, type UtcTimeFormat } from './utc-time.js';
