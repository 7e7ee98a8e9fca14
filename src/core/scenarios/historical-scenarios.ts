/**
 * @module scenarios/historical-scenarios
 *
 * Joint historical scenarios for statistical margin (docs/methodology/var-es.md#scenarios):
 *
 * 1. hourly log returns of the requested assets from the aligned history (hourly closes,
 *    extended back to 2014 with daily closes by the loaders: history/splice-daily-closes.ts),
 *    using only bars that close at or before the valuation time (no look-ahead);
 * 2. proxy fill: an asset without data in an hour (before its listing, in a documented gap) takes
 *    β·r_proxy, β = cov(r, r_proxy)/var(r_proxy) estimated on the hours where both exist, so
 *    that the lookback can include crashes older than the asset (counted in `proxiedShare`);
 * 3. margin period of risk: overlapping h-hour sums of log returns, one window every
 *    `strideHours`, anchored at the valuation time: the last window ends with the last bar
 *    closed at valuation (a crash hour is in the scenarios as soon as its bar has closed);
 * 4. current set, filtered historical simulation: the windows ending in the rolling lookback
 *    (`lookbackDays` before valuation), each devolatilised by its EWMA vol and rescaled by
 *    today's (statistics/filtered-historical.ts); the EWMA runs over every earlier window, so it
 *    is seeded before the lookback starts (the first `warmup` windows of the history only seed);
 * 5. implied-vol moves per window: Δln σ = ln(DVOL_end/DVOL_start) from Deribit's DVOL where it
 *    exists (BTC, ETH since 2021-03), else the rule Δln σ = k·r with k the regression slope of
 *    daily Δln DVOL(BTC) on BTC's daily log return (negative: vol rises when spot falls);
 * 6. stressed set, the stress library: the raw (unfiltered) windows of the whole history ending
 *    inside named stress periods (the pre-2020 episodes from daily closes, each later crash once
 *    it is in the past at the valuation time), for the stressed floor.
 * Units: returns are log returns over the window; times ms UTC.
 */
import { RiskError } from '../errors.js';
import type { PriceHistory } from '../history/price-history.js';
import { computeLogReturns } from '../statistics/log-returns.js';
import { buildFilteredHistoricalReturns } from '../statistics/filtered-historical.js';

/** The history a statistical model reads. */
export interface MarketHistory {
  /** hourly closes of the underlyings (aligned, NaN = no data), optionally extended with daily closes */
  readonly hourly: PriceHistory;
  /** daily DVOL closes as fractions (assets: underlyings that have it), optional */
  readonly dvol?: PriceHistory;
}

/** A stress period whose windows feed the stressed set. */
export interface StressPeriod {
  readonly id: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface HistoricalScenarioParams {
  /** margin period of risk h, hours */
  readonly mporHours: number;
  /** hours between two windows (the last window ends at valuation) */
  readonly strideHours: number;
  /** rolling lookback of the current (FHS) set, days before valuation */
  readonly lookbackDays: number;
  readonly proxy: string;
  readonly fhs: { readonly enabled: boolean; readonly lambda: number; readonly warmup: number };
  readonly stressPeriods: readonly StressPeriod[];
}

/** One scenario set: S × A window log returns and vol moves, with each window's end time. */
export interface ScenarioSet {
  readonly nScenarios: number;
  readonly returns: Float64Array;
  readonly volMoves: Float64Array;
  readonly endTimesMs: Float64Array;
}

export interface HistoricalScenarios {
  readonly assets: readonly string[];
  readonly current: ScenarioSet;
  readonly stressed: ScenarioSet;
  /** k of the vol rule Δln σ = k·r */
  readonly volSpotSlope: number;
  /** share of asset-hours filled from the proxy, per asset */
  readonly proxiedShare: Readonly<Record<string, number>>;
  /** root mean square of each asset's raw windows in the lookback (window log-return vol) */
  readonly windowVol: Readonly<Record<string, number>>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function missing(what: string, details: Record<string, unknown>): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', what, details);
}

/** Column of every requested asset and of the proxy in the history. */
function columnsOf(h: PriceHistory, assets: readonly string[], proxy: string): number[] {
  const cols = assets.map((a) => {
    const i = h.assets.indexOf(a);
    if (i < 0)
      throw missing(`history has no hourly series for ${a}`, {
        field: 'history',
        asset: a,
        available: h.assets,
      });
    return i;
  });
  const proxyCol = h.assets.indexOf(proxy);
  if (proxyCol < 0)
    throw missing(`history has no hourly series for the proxy ${proxy}`, { field: 'proxy', asset: proxy });
  return [...cols, proxyCol];
}

/**
 * Fills missing returns of each asset (columns 0..A−1) with β·r_proxy (column A), β by least
 * squares through the origin over the rows where both exist (1 with 24 such rows or fewer).
 * @returns the share of rows filled per asset
 */
function proxyFill(r: Float64Array, n: number, assets: readonly string[]): Record<string, number> {
  const A = assets.length;
  const W = A + 1;
  const share: Record<string, number> = {};
  assets.forEach((asset, a) => {
    let sxy = 0;
    let sxx = 0;
    let m = 0;
    for (let t = 0; t < n; t++) {
      const x = r[t * W + A]!;
      const y = r[t * W + a]!;
      if (Number.isFinite(x) && Number.isFinite(y)) [sxy, sxx, m] = [sxy + x * y, sxx + x * x, m + 1];
    }
    const beta = m > 24 && sxx > 0 ? sxy / sxx : 1;
    let filled = 0;
    for (let t = 0; t < n; t++) {
      if (!Number.isFinite(r[t * W + a]!) && Number.isFinite(r[t * W + A]!)) {
        r[t * W + a] = beta * r[t * W + A]!;
        filled++;
      }
    }
    share[asset] = n > 0 ? filled / n : 0;
  });
  return share;
}

/** Builds current (FHS) and stressed scenario sets for `assets` at `valuationMs`. */
export function buildHistoricalScenarios(
  history: MarketHistory,
  assets: readonly string[],
  valuationMs: number,
  p: HistoricalScenarioParams,
): HistoricalScenarios {
  const h = history.hourly;
  const H = h.assets.length;
  const cols = columnsOf(h, assets, p.proxy);
  // 1. Bars closing at or before valuation (the whole history before it).
  let T = 0;
  while (T < h.timesMs.length && h.timesMs[T]! + h.stepMs <= valuationMs) T++;
  const A = assets.length;
  const W = A + 1;
  const need = p.mporHours + p.fhs.warmup * p.strideHours + 2;
  if (T < need)
    throw missing(`history before valuation is too short: ${T} hours, need ${need}`, {
      field: 'history',
      hours: T,
      need,
    });
  const close = new Float64Array(T * W);
  for (let t = 0; t < T; t++) for (let c = 0; c < W; c++) close[t * W + c] = h.close[t * H + cols[c]!]!;
  const times = h.timesMs.subarray(0, T);
  const r = computeLogReturns({ assets: [...assets, p.proxy], timesMs: times, stepMs: h.stepMs, close });
  const n = T - 1;
  // 2. Proxy fill.
  const proxiedShare = proxyFill(r, n, assets);
  // 3. Windows anchored at the end: window k sums return rows [s_k, s_k + h), s_k = n − h − k·stride.
  const nWin = Math.floor((n - p.mporHours) / p.strideHours) + 1;
  const strided = new Float64Array(nWin * A);
  const endTimes = new Float64Array(nWin);
  const startTimes = new Float64Array(nWin);
  for (let k = 0; k < nWin; k++) {
    const row = n - p.mporHours - (nWin - 1 - k) * p.strideHours;
    for (let a = 0; a < A; a++) {
      let sum = 0;
      for (let j = 0; j < p.mporHours; j++) sum += r[(row + j) * W + a]!;
      strided[k * A + a] = Number.isFinite(sum) ? sum : NaN;
    }
    startTimes[k] = times[row]! + h.stepMs; // close of the bar the window starts from
    endTimes[k] = times[row + p.mporHours]! + h.stepMs;
  }
  const dvolAt = dvolLookup(history.dvol);
  const volSpotSlope = estimateVolSpotSlope(history, p.proxy, valuationMs);
  const volMovesOf = (rowsIdx: ArrayLike<number>, rets: Float64Array, count: number) => {
    const out = new Float64Array(count * A);
    for (let k = 0; k < count; k++) {
      const src = rowsIdx[k]!;
      for (let a = 0; a < A; a++) {
        const v0 = dvolAt(assets[a]!, startTimes[src]!);
        const v1 = dvolAt(assets[a]!, endTimes[src]!);
        out[k * A + a] = v0 > 0 && v1 > 0 ? Math.log(v1 / v0) : volSpotSlope * rets[k * A + a]!;
      }
    }
    return out;
  };
  // 4. Current set: the windows ending in the rolling lookback (FHS or plain historical).
  const lookbackStart = valuationMs - p.lookbackDays * DAY_MS;
  let first = 0;
  while (first < nWin && !(endTimes[first]! > lookbackStart)) first++;
  first = Math.min(Math.max(first, p.fhs.warmup), nWin - 1);
  let current: ScenarioSet;
  if (p.fhs.enabled) {
    const f = buildFilteredHistoricalReturns(strided, A, {
      ewma: { lambda: p.fhs.lambda, warmup: p.fhs.warmup },
      firstRow: first,
    });
    const raw = new Float64Array(f.nScenarios * A);
    for (let k = 0; k < f.nScenarios; k++)
      for (let a = 0; a < A; a++) raw[k * A + a] = strided[f.sourceRows[k]! * A + a]!;
    current = {
      nScenarios: f.nScenarios,
      returns: f.returns,
      volMoves: volMovesOf(f.sourceRows, raw, f.nScenarios),
      endTimesMs: Float64Array.from(f.sourceRows, (s) => endTimes[s]!),
    };
  } else {
    const rows: number[] = [];
    for (let k = first; k < nWin; k++) if (isComplete(strided, k, A)) rows.push(k);
    current = pick(strided, rows, A, endTimes, volMovesOf);
  }
  // Window vol per asset over the lookback (raw windows): scales the move floor of alts.
  const windowVol: Record<string, number> = {};
  assets.forEach((asset, a) => {
    let ss = 0;
    let m = 0;
    for (let k = first; k < nWin; k++) {
      const x = strided[k * A + a]!;
      if (Number.isFinite(x)) [ss, m] = [ss + x * x, m + 1];
    }
    windowVol[asset] = m > 0 ? Math.sqrt(ss / m) : NaN;
  });
  // 5. Stressed set: raw windows of the whole history ending in a stress period.
  const inStress = (ms: number) => p.stressPeriods.some((s) => ms > s.fromMs && ms <= s.toMs);
  const stressRows: number[] = [];
  for (let k = 0; k < nWin; k++) if (inStress(endTimes[k]!) && isComplete(strided, k, A)) stressRows.push(k);
  const stressed = pick(strided, stressRows, A, endTimes, volMovesOf);
  return { assets, current, stressed, volSpotSlope, proxiedShare, windowVol };
}

function isComplete(x: Float64Array, k: number, A: number): boolean {
  for (let a = 0; a < A; a++) if (!Number.isFinite(x[k * A + a]!)) return false;
  return true;
}

function pick(
  strided: Float64Array,
  rows: number[],
  A: number,
  endTimes: Float64Array,
  volMovesOf: (idx: ArrayLike<number>, rets: Float64Array, count: number) => Float64Array,
): ScenarioSet {
  const returns = new Float64Array(rows.length * A);
  rows.forEach((row, k) => {
    for (let a = 0; a < A; a++) returns[k * A + a] = strided[row * A + a]!;
  });
  return {
    nScenarios: rows.length,
    returns,
    volMoves: volMovesOf(rows, returns, rows.length),
    endTimesMs: Float64Array.from(rows, (r) => endTimes[r]!),
  };
}

/** DVOL (fraction) of an asset at the last daily close at or before `ms`; 0 when unavailable. */
function dvolLookup(dvol: PriceHistory | undefined): (asset: string, ms: number) => number {
  if (!dvol) return () => 0;
  return (asset, ms) => {
    const a = dvol.assets.indexOf(asset);
    if (a < 0) return 0;
    // daily bar d closes at timesMs[d] + 1 day; the last close at or before ms:
    const d = Math.floor((ms - DAY_MS - dvol.timesMs[0]!) / dvol.stepMs);
    if (d < 0 || d >= dvol.timesMs.length) return 0;
    const v = dvol.close[d * dvol.assets.length + a]!;
    return Number.isFinite(v) ? v : 0;
  };
}

/**
 * Slope k of daily Δln DVOL on the daily log return of `asset` (OLS through the origin), over
 * days before valuation; −1 when DVOL is absent (a documented fallback: vol up 1% per 1% fall).
 */
export function estimateVolSpotSlope(history: MarketHistory, asset: string, valuationMs: number): number {
  const dv = history.dvol;
  const h = history.hourly;
  if (!dv || dv.assets.indexOf(asset) < 0) return -1;
  const a = dv.assets.indexOf(asset);
  const ha = h.assets.indexOf(asset);
  const closeAt = (ms: number) => {
    const t = Math.round((ms - h.timesMs[0]!) / h.stepMs) - 1; // the hourly bar closing at ms
    return t >= 0 && t < h.timesMs.length ? h.close[t * h.assets.length + ha]! : NaN;
  };
  let sxy = 0;
  let sxx = 0;
  for (let d = 1; d < dv.timesMs.length; d++) {
    const end = dv.timesMs[d]! + DAY_MS;
    if (end > valuationMs) break;
    const v0 = dv.close[(d - 1) * dv.assets.length + a]!;
    const v1 = dv.close[d * dv.assets.length + a]!;
    const r = Math.log(closeAt(end) / closeAt(end - DAY_MS));
    if (v0 > 0 && v1 > 0 && Number.isFinite(r)) [sxy, sxx] = [sxy + r * Math.log(v1 / v0), sxx + r * r];
  }
  return sxx > 0 ? sxy / sxx : -1;
}

export { HOUR_MS };
