/**
 * Calibration of collateral haircuts and linear margin rates from price history, as of a date
 * (what `xmargin calibrate` runs; docs/methodology/collateral.md#calibration).
 *
 * Per crypto asset (hourly closes): EWMA σ_hourly → σ_MPOR → MPOR moves at the IM/MM
 * confidences → dynamic haircuts at the reference holding → proposed rate tiers, with the
 * historical coverage of each. Per stablecoin (daily closes in USD): σ from the daily EWMA
 * (σ_hourly = σ_daily/√24) and a floor from its depeg history (depeg-scenarios.ts).
 * Only closes of bars that open before `asOfMs` may be given (the caller cuts the history):
 * the result uses no data after the as-of time. Deterministic: same input, same output.
 */
import type { PriceHistory } from '../history/price-history.js';
import type { DepthCurve } from '../market/depth-curve.js';
import type { RateTier } from '../margin/rate-schedule.js';
import { computeEwmaVolatility } from '../statistics/ewma.js';
import { computeLogReturns } from '../statistics/log-returns.js';
import { invNormCdf } from '../statistics/inverse-normal.js';
import type { CalibrationParams } from './calibration-params.js';
import {
  computeDepegFloor,
  computeDepegStats,
  computeGenericDepegFloor,
  type DepegFloor,
  type DepegStats,
} from './depeg-scenarios.js';
import {
  computeDynamicHaircut,
  computeVolatilityHaircut,
  scaleVolToMpor,
  type DynamicHaircutResult,
} from './dynamic-haircut.js';
import type { DynamicHaircutParams } from './dynamic-haircut-params.js';
import { computeLossExceedance, type LossExceedanceResult } from './loss-exceedance.js';
import { proposeRateTiers, roundRateUp } from './propose-rate-tiers.js';

const HOUR_MS = 3_600_000;
const HOURS_PER_YEAR = 8760;

/** Input of {@link calibrateCollateral}. */
export interface CalibrationInput {
  /** as-of time, ms UTC; every bar given must open before it */
  readonly asOfMs: number;
  /** hourly closes of the crypto assets, quote USDT ≈ USD */
  readonly hourly: PriceHistory;
  /** daily USD closes of stablecoins, columns `<COIN>-USD` (all known coins: the generic floor) */
  readonly daily: PriceHistory;
  /** daily lows, same layout as `daily` (reported, not used by the floor rule) */
  readonly dailyLow?: Float64Array;
  /** stablecoins to calibrate haircuts for, e.g. ['USDC', 'USDT', 'DAI'] */
  readonly stablecoins: readonly string[];
  /** ADV measured from history volumes, USD per day, by asset */
  readonly historyAdvUsd: ReadonlyMap<string, number>;
  /** depth curves by asset (e.g. a market file's); preferred to the sqrt model */
  readonly depthCurves?: ReadonlyMap<string, DepthCurve>;
  /** previously published haircuts by asset, for the speed limit */
  readonly previous?: Readonly<Record<string, { readonly im: number; readonly mm: number }>>;
}

/** MPOR moves at one confidence, fractions. */
export interface MporMove {
  readonly confidence: number;
  /** 1 − exp(−z·σ_MPOR): a holder's loss */
  readonly down: number;
  /** exp(z·σ_MPOR) − 1: a short's loss */
  readonly up: number;
}

/** Calibration of one asset. */
export interface AssetCalibration {
  readonly asset: string;
  readonly kind: 'crypto' | 'stablecoin';
  /** open time of the last close used, ms UTC */
  readonly lastBarMs: number;
  /** EWMA vol per hour; null when the history is stale (stablecoin: vol part omitted) */
  readonly hourlyVol: number | null;
  /** hourlyVol·√8760, for reading only; null as hourlyVol */
  readonly annualisedVol: number | null;
  readonly sigmaMpor: number;
  readonly moves: { readonly im: MporMove; readonly mm: MporMove };
  /** the liquidity assumption: ADV (USD/day) and its source, the reference holding (USD) */
  readonly liquidity: {
    readonly advUsd: number;
    readonly advSource: 'history' | 'params' | 'default' | 'depth-curve';
    readonly holdingUsd: number;
  };
  readonly haircut: DynamicHaircutResult;
  /** historical share of MPOR windows whose loss exceeded each figure */
  readonly coverage: {
    readonly imHaircut: LossExceedanceResult;
    readonly mmHaircut: LossExceedanceResult;
    /** backtest: each window against the haircut its start would have had (EWMA σ then) */
    readonly imBacktest: LossExceedanceResult;
    readonly mmBacktest: LossExceedanceResult;
    /** first-bracket IM rate against long or short losses (crypto only) */
    readonly imRate?: LossExceedanceResult;
  };
  readonly rates?: readonly RateTier[];
  readonly depegFloor?: DepegFloor;
  readonly notes: readonly string[];
}

/** Result of {@link calibrateCollateral}. */
export interface CalibrationResult {
  readonly asOfMs: number;
  readonly assets: readonly AssetCalibration[];
  /** assets left out, with the reason (stale or too short history) */
  readonly skipped: readonly { readonly asset: string; readonly reason: string }[];
  /** depeg statistics of every daily stablecoin column, up to the as-of time */
  readonly depeg: readonly DepegStats[];
  readonly genericDepegFloor: DepegFloor | undefined;
  /** the params document for the `isolated`/`cross` models (RateModelParams partial) */
  readonly params: {
    readonly rates: Readonly<Record<string, readonly RateTier[]>>;
    readonly haircuts: Readonly<Record<string, { readonly im: number; readonly mm: number }>>;
  };
}

interface Column {
  readonly closes: Float64Array;
  readonly lastBarMs: number;
  /** today's EWMA vol per bar, NaN when too few returns */
  readonly vol: number;
  /** EWMA vol per bar known at each bar's close (row t: forecast of the return t → t + 1) */
  readonly vols: Float64Array;
}

function column(h: PriceHistory, a: number, ewma: CalibrationParams['hourlyEwma']): Column {
  const A = h.assets.length;
  const T = h.timesMs.length;
  const closes = new Float64Array(T);
  let lastBarMs = NaN;
  for (let t = 0; t < T; t++) {
    closes[t] = h.close[t * A + a]!;
    if (closes[t]! > 0) lastBarMs = h.timesMs[t]!;
  }
  if (T < 2) return { closes, lastBarMs, vol: NaN, vols: new Float64Array(T).fill(NaN) };
  const returns = computeLogReturns({
    assets: [h.assets[a]!],
    timesMs: h.timesMs,
    stepMs: h.stepMs,
    close: closes,
  });
  const vols = computeEwmaVolatility(returns, 1, ewma);
  // Row t of the EWMA output uses returns up to close t only: no look-ahead in the backtest.
  return { closes, lastBarMs, vol: vols[vols.length - 1]!, vols: vols.subarray(0, T) };
}

function moveAt(sigmaMpor: number, confidence: number): MporMove {
  const z = invNormCdf(confidence);
  return { confidence, down: -Math.expm1(-z * sigmaMpor), up: Math.expm1(z * sigmaMpor) };
}

/** The target haircut each bar would have had (σ then; floor and liquidity part as today). */
function backtestThresholds(
  col: Column,
  barHours: number,
  hp: DynamicHaircutParams,
  side: { readonly confidence: number; readonly floor: number; readonly liquidity: number },
): Float64Array {
  const out = new Float64Array(col.vols.length);
  const scale = Math.sqrt(hp.mporHours / barHours);
  for (let t = 0; t < out.length; t++) {
    const v = col.vols[t]!;
    out[t] = Number.isFinite(v)
      ? Math.max(side.floor, side.liquidity, computeVolatilityHaircut(v * scale, side.confidence))
      : NaN;
  }
  return out;
}

function liquidityOf(asset: string, input: CalibrationInput, p: CalibrationParams) {
  const curve = input.depthCurves?.get(asset);
  const hist = input.historyAdvUsd.get(asset);
  const listed = p.advUsd[asset];
  const advUsd = hist ?? listed ?? p.haircut.liquidity.defaultAdvUsd;
  const advSource: AssetCalibration['liquidity']['advSource'] =
    curve !== undefined
      ? 'depth-curve'
      : hist !== undefined
        ? 'history'
        : listed !== undefined
          ? 'params'
          : 'default';
  return { curve, advUsd, advSource };
}

/**
 * Calibrates haircuts and rates as of `input.asOfMs` (module header).
 *
 * Rules: a crypto asset whose last hourly close is older than `maxStaleHours`, or with fewer
 * than `hourlyEwma.warmup` returns, is skipped (listed with the reason); a stablecoin with stale
 * or no daily closes keeps its depeg floor and liquidity part, with no vol part (noted). A
 * stablecoin's floor is its depeg floor, raised per side to `haircut.floors[coin]` when listed
 * (the crypto `defaultFloor` applies to a stablecoin only when no depeg floor exists).
 *
 * @param input   histories (cut at the as-of time), stablecoins, ADVs, optional depth curves and
 *                previous haircuts
 * @param params  validated {@link CalibrationParams}
 * @returns       per-asset diagnostics, skipped assets, depeg table and the params document
 *                (haircuts and rates rounded up to 1 bp)
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad previous haircut
 * @throws RiskError ERR_MISSING_MARKET_DATA when a book depth curve cannot absorb the holding
 * @see docs/methodology/collateral.md#calibration
 */
export function calibrateCollateral(input: CalibrationInput, params: CalibrationParams): CalibrationResult {
  const hp = params.haircut;
  const assets: AssetCalibration[] = [];
  const skipped: { asset: string; reason: string }[] = [];
  const rates: Record<string, RateTier[]> = {};
  const haircuts: Record<string, { im: number; mm: number }> = {};
  const staleBeforeMs = input.asOfMs - params.maxStaleHours * HOUR_MS;

  input.hourly.assets.forEach((asset, a) => {
    const col = column(input.hourly, a, params.hourlyEwma);
    if (!(col.lastBarMs >= staleBeforeMs)) {
      skipped.push({
        asset,
        reason: `no hourly close in the ${params.maxStaleHours} h before the as-of time`,
      });
      return;
    }
    if (!Number.isFinite(col.vol)) {
      skipped.push({ asset, reason: `fewer than ${params.hourlyEwma.warmup} hourly returns` });
      return;
    }
    const barHours = input.hourly.stepMs / HOUR_MS;
    const hourlyVol = col.vol / Math.sqrt(barHours);
    const sigmaMpor = scaleVolToMpor(hourlyVol, 1, hp.mporHours);
    const liq = liquidityOf(asset, input, params);
    const haircut = computeDynamicHaircut(
      {
        asset,
        hourlyVol,
        valueUsd: params.holdingUsd,
        advUsd: liq.advUsd,
        ...(liq.curve !== undefined && { depthCurve: liq.curve }),
        ...(input.previous?.[asset] !== undefined && { previous: input.previous[asset] }),
      },
      hp,
    );
    const tiers = proposeRateTiers({
      sigmaMpor,
      imConfidence: hp.imConfidence,
      mmConfidence: hp.mmConfidence,
      halfSpread: hp.liquidity.halfSpread,
      impactCoefficient: hp.liquidity.impactCoefficient,
      advUsd: liq.advUsd,
      bracketsUsd: params.bracketsUsd,
    });
    const horizonBars = Math.max(1, Math.round(hp.mporHours / barHours));
    const cover = (threshold: number | Float64Array, side: 'long' | 'both') =>
      computeLossExceedance(col.closes, {
        horizonBars,
        strideBars: params.coverageStrideBars,
        threshold,
        side,
      });
    const backtest = (s: DynamicHaircutResult['im'], confidence: number) =>
      cover(
        backtestThresholds(col, barHours, hp, { confidence, floor: s.floor, liquidity: s.liquidityPart }),
        'long',
      );
    assets.push({
      asset,
      kind: 'crypto',
      lastBarMs: col.lastBarMs,
      hourlyVol,
      annualisedVol: hourlyVol * Math.sqrt(HOURS_PER_YEAR),
      sigmaMpor,
      moves: { im: moveAt(sigmaMpor, hp.imConfidence), mm: moveAt(sigmaMpor, hp.mmConfidence) },
      liquidity: { advUsd: liq.advUsd, advSource: liq.advSource, holdingUsd: params.holdingUsd },
      haircut,
      coverage: {
        imHaircut: cover(haircut.im.haircut, 'long'),
        mmHaircut: cover(haircut.mm.haircut, 'long'),
        imBacktest: backtest(haircut.im, hp.imConfidence),
        mmBacktest: backtest(haircut.mm, hp.mmConfidence),
        imRate: cover(tiers[0]!.imRate, 'both'),
      },
      rates: tiers,
      notes: [],
    });
    rates[asset] = tiers;
    haircuts[asset] = { im: roundRateUp(haircut.im.haircut), mm: roundRateUp(haircut.mm.haircut) };
  });

  const depeg = computeDepegStats(input.daily, input.dailyLow);
  const generic = computeGenericDepegFloor(depeg, params.depeg);
  for (const coin of input.stablecoins) {
    const a = input.daily.assets.indexOf(`${coin}-USD`);
    const stats = a >= 0 ? depeg[a] : undefined;
    const floor = generic === undefined ? undefined : computeDepegFloor(stats, generic, params.depeg);
    const notes: string[] = [];
    const col = a >= 0 ? column(input.daily, a, params.dailyEwma) : undefined;
    const barHours = input.daily.stepMs / HOUR_MS;
    const fresh = col !== undefined && col.lastBarMs >= input.asOfMs - params.maxStaleDays * 24 * HOUR_MS;
    let hourlyVol: number | null = null;
    if (fresh && Number.isFinite(col.vol)) hourlyVol = col.vol / Math.sqrt(barHours);
    else
      notes.push(
        `no daily ${coin}-USD close in the ${params.maxStaleDays} days before the as-of time: no vol part`,
      );
    if (floor === undefined) notes.push('no stablecoin has enough history for a depeg floor');
    else if (floor.source === 'generic')
      notes.push('depeg floor of the generic stable (too little own history)');
    // Effective floor: the depeg floor, raised to the params floor when the coin is listed there
    // (per side, so IM ≥ MM is kept); without a depeg floor the params (or default) floor.
    const listed = hp.floors[coin];
    const effectiveFloor =
      floor === undefined
        ? (listed ?? hp.defaultFloor)
        : { im: Math.max(listed?.im ?? 0, floor.im), mm: Math.max(listed?.mm ?? 0, floor.mm) };
    const effective: DynamicHaircutParams = { ...hp, floors: { ...hp.floors, [coin]: effectiveFloor } };
    const liq = liquidityOf(coin, input, params);
    const haircut = computeDynamicHaircut(
      {
        asset: coin,
        hourlyVol: hourlyVol ?? 0,
        valueUsd: params.holdingUsd,
        advUsd: liq.advUsd,
        ...(liq.curve !== undefined && { depthCurve: liq.curve }),
        ...(input.previous?.[coin] !== undefined && { previous: input.previous[coin] }),
      },
      effective,
    );
    const closes = col?.closes ?? new Float64Array(0);
    const horizonBars = Math.max(1, Math.round(hp.mporHours / barHours));
    const cover = (threshold: number | Float64Array) =>
      computeLossExceedance(closes, { horizonBars, strideBars: 1, threshold, side: 'long' });
    const backtest = (s: DynamicHaircutResult['im'], confidence: number) =>
      col === undefined
        ? cover(new Float64Array(0))
        : cover(
            backtestThresholds(col, barHours, hp, { confidence, floor: s.floor, liquidity: s.liquidityPart }),
          );
    assets.push({
      asset: coin,
      kind: 'stablecoin',
      lastBarMs: col?.lastBarMs ?? NaN,
      hourlyVol,
      annualisedVol: hourlyVol === null ? null : hourlyVol * Math.sqrt(HOURS_PER_YEAR),
      sigmaMpor: haircut.sigmaMpor,
      moves: {
        im: moveAt(haircut.sigmaMpor, hp.imConfidence),
        mm: moveAt(haircut.sigmaMpor, hp.mmConfidence),
      },
      liquidity: { advUsd: liq.advUsd, advSource: liq.advSource, holdingUsd: params.holdingUsd },
      haircut,
      coverage: {
        imHaircut: cover(haircut.im.haircut),
        mmHaircut: cover(haircut.mm.haircut),
        imBacktest: backtest(haircut.im, hp.imConfidence),
        mmBacktest: backtest(haircut.mm, hp.mmConfidence),
      },
      ...(floor !== undefined && { depegFloor: floor }),
      notes,
    });
    haircuts[coin] = { im: roundRateUp(haircut.im.haircut), mm: roundRateUp(haircut.mm.haircut) };
  }
  return {
    asOfMs: input.asOfMs,
    assets,
    skipped,
    depeg,
    genericDepegFloor: generic,
    params: { rates, haircuts },
  };
}
