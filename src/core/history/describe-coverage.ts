/**
 * Makes listings, delistings and gaps of an aligned history explicit: per asset, where its data
 * starts and ends on the grid and which runs of NaN lie in between.
 */
import type { PriceHistory } from './price-history.js';

/** A run of consecutive grid times without data, strictly between an asset's first and last bar. */
export interface CoverageGap {
  /** open time of the first missing bar, ms UTC */
  readonly firstMissingMs: number;
  /** open time of the last missing bar, ms UTC */
  readonly lastMissingMs: number;
  /** number of missing bars (≥ 1) */
  readonly bars: number;
}

/** Coverage of one asset on the grid. */
export type AssetCoverage =
  | {
      readonly asset: string;
      /** the asset has no bar on this grid */
      readonly status: 'empty';
      readonly validBars: 0;
    }
  | {
      readonly asset: string;
      readonly status: 'covered';
      /** first grid time with a close, ms UTC (listing, or start of the grid) */
      readonly firstMs: number;
      /** last grid time with a close, ms UTC (delisting, or end of the grid) */
      readonly lastMs: number;
      /** grid times with a close */
      readonly validBars: number;
      /** NaN bars before firstMs (not listed yet, or no source data) */
      readonly leadingBars: number;
      /** NaN bars after lastMs (delisted, or source ends) */
      readonly trailingBars: number;
      /** NaN runs between firstMs and lastMs, in time order */
      readonly gaps: readonly CoverageGap[];
    };

/**
 * Describes, per asset, the first/last valid grid time, the count of valid bars and every gap.
 *
 *   validBars + Σ gaps.bars + leadingBars + trailingBars = T
 *
 * @param history  aligned history (NaN = no data)
 * @returns        one entry per asset, in column order; times in ms UTC
 * @see docs/methodology/market-history.md#alignment-and-gaps
 * @example
 *   describeCoverage(h).filter((c) => c.status === 'covered' && c.gaps.length > 0);
 */
export function describeCoverage(history: PriceHistory): AssetCoverage[] {
  const { assets, timesMs, close } = history;
  const A = assets.length;
  const T = timesMs.length;
  return assets.map((asset, a): AssetCoverage => {
    let first = -1;
    let last = -1;
    let valid = 0;
    const gaps: CoverageGap[] = [];
    let gapStart = -1;
    for (let t = 0; t < T; t++) {
      const ok = !Number.isNaN(close[t * A + a]!);
      if (!ok) {
        // A NaN run only counts as a gap once data has started; if no data follows, it is trailing.
        if (first >= 0 && gapStart < 0) gapStart = t;
        continue;
      }
      if (first < 0) first = t;
      if (gapStart >= 0) {
        gaps.push({ firstMissingMs: timesMs[gapStart]!, lastMissingMs: timesMs[t - 1]!, bars: t - gapStart });
        gapStart = -1;
      }
      last = t;
      valid++;
    }
    if (first < 0) return { asset, status: 'empty', validBars: 0 };
    return {
      asset,
      status: 'covered',
      firstMs: timesMs[first]!,
      lastMs: timesMs[last]!,
      validBars: valid,
      leadingBars: first,
      trailingBars: T - 1 - last,
      gaps,
    };
  });
}
