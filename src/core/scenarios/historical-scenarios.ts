/**
 * @module scenarios/historical-scenarios
 *
 * Joint historical scenarios for statistical margin (docs/methodology/var-es.md#scenarios):
 *
 * 1. hourly log returns of the requested assets from the aligned history, using only bars that
 *    close at or before the valuation time (no look-ahead);
 * 2. proxy fill: an asset without data in an hour (before its listing, in a documented gap) takes
 *    β·r_proxy, β = cov(r, r_proxy)/var(r_proxy) estimated on the hours where both exist, so
 *    that the lookback can include crashes older than the asset (counted in `proxiedShare`);
 * 3. margin period of risk: overlapping h-hour sums of log returns, one window every `strideHours`;
 * 4. filtered historical simulation: each window devolatilised by its EWMA vol and rescaled by
 *    today's (statistics/filtered-historical.ts); the first `warmup` windows seed the EWMA only;
 * 5. implied-vol moves per window: Δln σ = ln(DVOL_end/DVOL_start) from Deribit's DVOL where it
 *    exists (BTC, ETH since 2021-03), else the rule Δln σ = k·r with k the regression slope of
 *    daily Δln DVOL(BTC) on BTC's daily log return (negative: vol rises when spot falls);
 * 6. a stressed set: the raw (unfiltered) windows ending inside named stress periods, for the
 *    anti-procyclicality floor.
 * Units: returns are log returns over the window; times ms UTC.
 */
import { RiskError } from '../errors.js';
import type { PriceHistory } from '../history/price-history.js';
import { computeLogReturns } from '../statistics/log-returns.js';
import { computeOverlappingReturns } from '../statistics/horizon.js';
import { buildFilteredHistoricalReturns } from '../statistics/filtered-historical.js';

/** The history a statistical model reads. */
export interface MarketHistory {
  /** hourly closes of the underlyings (aligned, NaN = no data) */
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
  readonly mporHours: number;
  readonly strideHours: number;
  readonly lookbackFromMs: number;
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
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function missing(what: string, details: Record<string, unknown>): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', what, details);
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
  const proxyCol = h.assets.indexOf(p.proxy);
  if (proxyCol < 0)
    throw missing(`history has no hourly series for the proxy ${p.proxy}`, {
      field: 'proxy',
      asset: p.proxy,
    });
  // 1. Bars closing at or before valuation, from the lookback start.
  let t0 = 0;
  while (t0 < h.timesMs.length && h.timesMs[t0]! < p.lookbackFromMs) t0++;
  let t1 = t0;
  while (t1 < h.timesMs.length && h.timesMs[t1]! + h.stepMs <= valuationMs) t1++;
  const T = t1 - t0;
  const A = assets.length;
  const need = p.mporHours + p.fhs.warmup * p.strideHours + 2;
  if (T < need)
    throw missing(`history before valuation is too short: ${T} hours, need ${need}`, {
      field: 'history',
      hours: T,
      need,
    });
  const close = new Float64Array(T * (A + 1));
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < A; a++) close[t * (A + 1) + a] = h.close[(t0 + t) * H + cols[a]!]!;
    close[t * (A + 1) + A] = h.close[(t0 + t) * H + proxyCol]!;
  }
  const times = h.timesMs.subarray(t0, t1);
  const r = computeLogReturns({ assets: [...assets, p.proxy], timesMs: times, stepMs: h.stepMs, close });
  // 2. Proxy fill.
  const W = A + 1;
  const n = T - 1;
  const proxiedShare: Record<string, number> = {};
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
    proxiedShare[asset] = filled / n;
  });
  // 3. Overlapping MPOR windows, strided.
  const windows = computeOverlappingReturns(r, W, p.mporHours);
  const nWin = Math.floor((n - p.mporHours) / p.strideHours) + 1;
  const strided = new Float64Array(nWin * A);
  const endTimes = new Float64Array(nWin);
  const startTimes = new Float64Array(nWin);
  for (let k = 0; k < nWin; k++) {
    const row = k * p.strideHours;
    for (let a = 0; a < A; a++) strided[k * A + a] = windows[row * W + a]!;
    startTimes[k] = times[row]! + h.stepMs; // close of the first bar
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
  // 4. Current set: FHS (or plain historical) on complete windows after the warm-up.
  let current: ScenarioSet;
  if (p.fhs.enabled) {
    const f = buildFilteredHistoricalReturns(strided, A, {
      ewma: { lambda: p.fhs.lambda, warmup: p.fhs.warmup },
      firstRow: p.fhs.warmup,
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
    const rows = [...Array(nWin).keys()].filter((k) => k >= p.fhs.warmup && isComplete(strided, k, A));
    current = pick(strided, rows, A, endTimes, volMovesOf);
  }
  // 5. Stressed set: raw windows ending in a stress period.
  const inStress = (ms: number) => p.stressPeriods.some((s) => ms >= s.fromMs && ms < s.toMs);
  const stressRows = [...Array(nWin).keys()].filter(
    (k) => inStress(endTimes[k]!) && isComplete(strided, k, A),
  );
  const stressed = pick(strided, stressRows, A, endTimes, volMovesOf);
  return { assets, current, stressed, volSpotSlope, proxiedShare };
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
