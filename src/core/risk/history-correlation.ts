/**
 * Correlation of underlyings' returns estimated from the joint history: the sample (Pearson)
 * correlation of overlapping 24-hour log returns over the lookback, before the valuation time,
 * with proxy fill for hours an asset has no data (scenarios/historical-scenarios.ts, FHS off, so
 * returns are raw). Used by the `portfolio` model when its correlations come from history.
 */
import {
  buildHistoricalScenarios,
  type HistoricalScenarioParams,
  type MarketHistory,
} from '../scenarios/historical-scenarios.js';
import { computeSampleCorrelation } from '../statistics/correlation.js';

/** A correlation estimate: pairs keyed "A/B" (A < B) and the sample size. */
export interface HistoryCorrelation {
  readonly pairs: Readonly<Record<string, number>>;
  readonly windows: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Sample correlation of `assets`' 24h windows over the history up to `valuationMs`. */
export function estimateHistoryCorrelation(
  history: MarketHistory,
  assets: readonly string[],
  valuationMs: number,
  scenarioParams: HistoricalScenarioParams,
): HistoryCorrelation {
  const sorted = [...assets].sort();
  const sc = buildHistoricalScenarios(history, sorted, valuationMs, {
    ...scenarioParams,
    fhs: { ...scenarioParams.fhs, enabled: false },
    stressPeriods: [],
  });
  const A = sorted.length;
  const corr = computeSampleCorrelation(sc.current.returns, A);
  const pairs: Record<string, number> = {};
  for (let i = 0; i < A; i++)
    for (let j = i + 1; j < A; j++) pairs[`${sorted[i]}/${sorted[j]}`] = corr[i * A + j]!;
  const ends = sc.current.endTimesMs;
  return {
    pairs,
    windows: sc.current.nScenarios,
    fromMs: ends[0] ?? NaN,
    toMs: ends[ends.length - 1] ?? NaN,
  };
}
