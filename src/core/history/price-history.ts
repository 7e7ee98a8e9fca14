/**
 * @module history
 *
 * Joint price history of many assets on one regular time grid: the input of historical and
 * filtered-historical scenario generation, correlation estimates and backtests.
 *
 * Layout: time-major, asset-contiguous: `close[t * assets.length + a]` is the close of asset `a`
 * in the bar that opens at `timesMs[t]`, in quote currency. NaN marks "no data" (before listing,
 * after delisting, or a documented gap); consumers must handle it explicitly, never read it as a price.
 */

/** Aligned joint price history. */
export interface PriceHistory {
  /** asset symbols, column order */
  readonly assets: readonly string[];
  /** bar open times, ms since epoch UTC, strictly increasing by `stepMs` */
  readonly timesMs: Float64Array;
  /** bar length in ms (3,600,000 for hourly) */
  readonly stepMs: number;
  /** T × A closes, NaN = no data */
  readonly close: Float64Array;
}
