/**
 * xmargin as a library: `import { priceBlack76, aggregateOracle, parseDecimal } from 'xmargin'`.
 * The public surface is the pure core (src/core), the engine, and the loaders of the shipped
 * history (they read data/history); see docs/getting-started.md, README.md and docs/.
 */
export * from './core/index.js';
export * from './engine/index.js';
export { loadMarketHistory } from './adapters/marketdata/history/load-market-history.js';
export { loadDvol, loadHourlyHistory } from './adapters/marketdata/history/load-history.js';
