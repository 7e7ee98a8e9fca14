/**
 * xmargin as a library: `import { priceBlack76, aggregateOracle, parseDecimal } from 'xmargin'`.
 * The public surface is the pure core (src/core); see README.md and docs/.
 */
export * from './core/index.js';
export * from './engine/index.js';
