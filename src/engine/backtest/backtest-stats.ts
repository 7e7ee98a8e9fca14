/**
 * Statistics of a backtest run (docs/methodology/backtesting.md#statistics), per model and book
 * and per model over all books:
 *
 * - coverage: exceedances x of n observed steps (x/n against the target p), Kupiec POF,
 *   Christoffersen independence and conditional coverage (p-values), Basel traffic light at
 *   coverage 1 − p (core/statistics/coverage-tests.ts). A pooled book (the venue) concatenates
 *   its accounts' hit sequences;
 * - capital: mean over steps of IM(model) / IM(isolated) (a pooled book: Σ accounts / Σ accounts);
 *   over books, the geometric mean of the books' multiples (all books, and the hedged ones);
 * - procyclicality: the largest rise max_t IM(t + k)/IM(t) − 1 for k = 1 day and 5 days (in
 *   steps: max(1, round(days / stepDays))), and the peak-to-trough ratio max IM / min IM;
 * - exceedances per calendar year.
 *
 * Units: USD, ms UTC; rates and p-values fractions. Undefined statistics (nothing observed) are
 * null so that the report serialises them as such.
 */
import {
  baselTrafficLight,
  christoffersenConditionalCoverage,
  christoffersenIndependence,
  kupiecPof,
} from '../../core/statistics/index.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { targetRate, type AccountSeries, type BacktestRun } from './run-backtest.js';

/** Coverage statistics of one hit sequence (or a pooled one). */
export interface CoverageStats {
  readonly observations: number;
  readonly exceedances: number;
  /** x / n (null when n = 0) */
  readonly rate: number | null;
  /** target exceedance rate p */
  readonly target: number;
  readonly kupiecLr: number | null;
  readonly kupiecP: number | null;
  readonly independenceP: number | null;
  readonly conditionalCoverageP: number | null;
  readonly trafficLight: 'green' | 'yellow' | 'red' | null;
}

/** Statistics of one model on one book. */
export interface BookModelStats extends CoverageStats {
  readonly model: string;
  readonly book: string;
  /** steps at which this model gave no IM (errors, unpriceable book), over all accounts */
  readonly unobserved: number;
  /** first error message, if any */
  readonly error: string | null;
  /** mean over steps of IM(model) / IM(isolated) */
  readonly capitalVsIsolated: number | null;
  /** mean IM over observed steps, USD (pooled: summed over accounts) */
  readonly meanImUsd: number | null;
  /** largest rise of IM over 1 day and over 5 days, fraction (0.5 = +50%) */
  readonly rise1d: number | null;
  readonly rise5d: number | null;
  /** max IM / min IM over the run */
  readonly peakToTrough: number | null;
  /** largest L / IM over observed steps */
  readonly worstLossOverIm: number | null;
  /** exceedances and observations per UTC calendar year */
  readonly byYear: Readonly<Record<string, { observations: number; exceedances: number }>>;
}

/** One model over all books. */
export interface ModelSummary extends CoverageStats {
  readonly model: string;
  /** books (of those with ≥ 2 observations) whose Kupiec p ≥ 5% */
  readonly booksPassingKupiec: number;
  readonly booksTested: number;
  /** geometric mean of the books' capital multiples (each book weight 1) */
  readonly capitalVsIsolated: number | null;
  /** the same over the books flagged hedged */
  readonly hedgedCapitalVsIsolated: number | null;
  /** worst book's largest 1-day / 5-day rise */
  readonly rise1d: number | null;
  readonly rise5d: number | null;
}

/** Coverage statistics of hit sequences (pooled by concatenation). */
export function coverageStats(seqs: readonly (readonly boolean[])[], target: number): CoverageStats {
  const hits = seqs.flat();
  const n = hits.length;
  const x = hits.filter(Boolean).length;
  if (n === 0)
    return {
      observations: 0,
      exceedances: 0,
      rate: null,
      target,
      kupiecLr: null,
      kupiecP: null,
      independenceP: null,
      conditionalCoverageP: null,
      trafficLight: null,
    };
  const k = kupiecPof(n, x, target);
  const ind = n >= 2 ? christoffersenIndependence(hits) : undefined;
  const cc = n >= 2 ? christoffersenConditionalCoverage(hits, target) : undefined;
  return {
    observations: n,
    exceedances: x,
    rate: x / n,
    target,
    kupiecLr: k.lr,
    kupiecP: k.pValue,
    independenceP: ind?.pValue ?? null,
    conditionalCoverageP: cc?.pValue ?? null,
    trafficLight: baselTrafficLight(n, x, 1 - target).zone,
  };
}

/** Largest rise max_t x(t + lag)/x(t) − 1 over pairs with both finite and x(t) > 0; null if none. */
export function largestRise(x: ArrayLike<number>, lag: number): number | null {
  let best = -Infinity;
  for (let t = 0; t + lag < x.length; t++) {
    const a = x[t]!;
    const b = x[t + lag]!;
    if (a > 0 && Number.isFinite(b)) best = Math.max(best, b / a - 1);
  }
  return best === -Infinity ? null : best;
}

/** Σ over accounts per step; NaN unless every account is finite then. */
export function sumSeries(series: readonly ArrayLike<number>[], K: number): Float64Array {
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (const x of series) s += x[k]!;
    out[k] = s;
  }
  return out;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Statistics of one model on one book's accounts. */
export function bookModelStats(run: BacktestRun, model: string, book: string): BookModelStats {
  const accts = run.accounts.filter((a) => a.book === book);
  const K = run.timesMs.length;
  const target = targetRate(getMarginModel(model));
  const hitSeqs: boolean[][] = [];
  const byYear: Record<string, { observations: number; exceedances: number }> = {};
  let unobserved = 0;
  let worst = -Infinity;
  for (const a of accts) {
    const im = a.imUsd.get(model)!;
    const seq: boolean[] = [];
    for (let k = 0; k < K; k++) {
      if (!(Number.isFinite(im[k]!) && Number.isFinite(a.lossUsd[k]!))) {
        unobserved++;
        continue;
      }
      const hit = a.lossUsd[k]! > im[k]!;
      seq.push(hit);
      const y = new Date(run.timesMs[k]!).getUTCFullYear().toString();
      const e = (byYear[y] ??= { observations: 0, exceedances: 0 });
      e.observations++;
      if (hit) e.exceedances++;
      if (im[k]! > 0) worst = Math.max(worst, a.lossUsd[k]! / im[k]!);
    }
    hitSeqs.push(seq);
  }
  const im = imSeries(accts, model, K);
  const iso = imSeries(accts, 'isolated', K);
  let ratioSum = 0;
  let ratioN = 0;
  let imSum = 0;
  let imN = 0;
  let hi = -Infinity;
  let lo = Infinity;
  for (let k = 0; k < K; k++) {
    if (!Number.isFinite(im[k]!)) continue;
    imSum += im[k]!;
    imN++;
    hi = Math.max(hi, im[k]!);
    lo = Math.min(lo, im[k]!);
    if (iso[k]! > 0) {
      ratioSum += im[k]! / iso[k]!;
      ratioN++;
    }
  }
  const lag = (days: number) => Math.max(1, Math.round(days / run.stepDays));
  const err = run.errors.find((e) => e.model === model && e.book === book);
  return {
    model,
    book,
    ...coverageStats(hitSeqs, target),
    unobserved,
    error: err === undefined ? null : err.first,
    capitalVsIsolated: ratioN > 0 ? ratioSum / ratioN : null,
    meanImUsd: imN > 0 ? imSum / imN : null,
    rise1d: largestRise(im, lag(1)),
    rise5d: largestRise(im, lag(5)),
    peakToTrough: imN > 0 && lo > 0 ? hi / lo : null,
    worstLossOverIm: finiteOrNull(worst),
    byYear,
  };
}

/** IM series of a book under a model: the account's, or Σ over accounts when all are observed. */
export function imSeries(accts: readonly AccountSeries[], model: string, K: number): Float64Array {
  return sumSeries(
    accts.map((a) => a.imUsd.get(model)!),
    K,
  );
}

/** Loss series of a book: Σ over accounts when all are observed. */
export function lossSeries(accts: readonly AccountSeries[], K: number): Float64Array {
  return sumSeries(
    accts.map((a) => a.lossUsd),
    K,
  );
}

/** Summary of one model over all books, from the per-book statistics and the run. */
export function modelSummary(
  run: BacktestRun,
  model: string,
  perBook: readonly BookModelStats[],
): ModelSummary {
  const K = run.timesMs.length;
  const target = targetRate(getMarginModel(model));
  const seqs: boolean[][] = [];
  for (const a of run.accounts) {
    const im = a.imUsd.get(model)!;
    const seq: boolean[] = [];
    for (let k = 0; k < K; k++)
      if (Number.isFinite(im[k]!) && Number.isFinite(a.lossUsd[k]!)) seq.push(a.lossUsd[k]! > im[k]!);
    seqs.push(seq);
  }
  const mine = perBook.filter((s) => s.model === model);
  const tested = mine.filter((s) => s.kupiecP !== null && s.observations >= 2);
  // Geometric mean: the average of multiples that treats 0.5× and 2× symmetrically.
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null && x > 0);
    return v.length > 0 ? Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length) : null;
  };
  const max = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length > 0 ? Math.max(...v) : null;
  };
  const hedged = new Set(run.books.filter((b) => b.hedged === true).map((b) => b.id));
  return {
    model,
    ...coverageStats(seqs, target),
    booksPassingKupiec: tested.filter((s) => s.kupiecP! >= 0.05).length,
    booksTested: tested.length,
    capitalVsIsolated: mean(mine.map((s) => s.capitalVsIsolated)),
    hedgedCapitalVsIsolated: mean(mine.filter((s) => hedged.has(s.book)).map((s) => s.capitalVsIsolated)),
    rise1d: max(mine.map((s) => s.rise1d)),
    rise5d: max(mine.map((s) => s.rise5d)),
  };
}

/** Every model × book statistic and the per-model summaries. */
export function summariseBacktest(run: BacktestRun): {
  readonly perBook: BookModelStats[];
  readonly summary: ModelSummary[];
} {
  const perBook = run.models.flatMap((m) => run.books.map((b) => bookModelStats(run, m, b.id)));
  return { perBook, summary: run.models.map((m) => modelSummary(run, m, perBook)) };
}
