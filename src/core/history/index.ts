/**
 * @module history
 *
 * Aligned joint price history (see price-history.ts for layout and the meaning of NaN).
 */
export type { PriceHistory } from './price-history.js';
