/**
 * Implied vol moving through a venue replay (docs/methodology/simulation.md#implied-vol): at each
 * step, per option underlying,
 *
 *   σ(t) = σ_anchor · exp(k₁·x + k₂·|x|),   x = ln(S(t) / S_anchor),   clamped to [5%, 500%]
 *
 * - anchor where Deribit's DVOL exists (BTC, ETH from 2021-03-24): the last DVOL daily close at
 *   or before t, with S_anchor the hourly close at that same time (00:00 UTC): DVOL sets the level
 *   once a day, the spot rule moves it in between;
 * - before DVOL: the flat vol at the replay's start, with S_anchor the spot at the start (a
 *   documented proxy; Black Thursday 2020 has no DVOL).
 *
 * k₁, k₂ are the least-squares fit of the daily Δln DVOL on the daily log return r and |r| over
 * the shipped history (2021-03-25 → 2026-04-06, 1,839 days; UTC-day closes of the hourly bars):
 * BTC k₁ = −0.439, k₂ = 0.302; ETH k₁ = −0.279, k₂ = 0.230. A fall raises vol (BTC: +0.74 per
 * unit of log fall), a rise lowers it slightly (−0.14): the asymmetry of crypto's vol-spot
 * relation. This is a market proxy for the replay's past prices, not a model input: the margin
 * models keep their own point-in-time rule (scenarios/historical-scenarios.ts).
 *
 * Units: vols annualised fractions; prices USD; ms UTC.
 */
import type { PriceHistory } from '../../core/history/price-history.js';
import type { ReplayStep } from './simulation-types.js';

const DAY_MS = 86_400_000;

/** The vol-spot coefficients per underlying (module header); others use BTC's. */
export const REPLAY_VOL_SPOT: Readonly<Record<string, { readonly k1: number; readonly k2: number }>> = {
  BTC: { k1: -0.439, k2: 0.302 },
  ETH: { k1: -0.279, k2: 0.23 },
};

/** Bounds of a replay vol (annualised fractions). */
export const REPLAY_VOL_BOUNDS = { min: 0.05, max: 5 } as const;

/** Input of {@link attachReplayVols}. */
export interface ReplayVolInput {
  readonly steps: readonly ReplayStep[];
  /** option underlyings, e.g. ['BTC', 'ETH'] */
  readonly underlyings: readonly string[];
  /** hourly closes (the anchor spot at each DVOL close) */
  readonly hourly: PriceHistory;
  /** DVOL daily closes as fractions, optional */
  readonly dvol?: PriceHistory;
  /** vol where DVOL has no value yet, annualised fraction */
  readonly flatVol: number;
}

/** The last DVOL daily close of `asset` at or before `timeMs` and its close time (ms UTC). */
function dvolAnchor(dvol: PriceHistory | undefined, asset: string, timeMs: number) {
  if (dvol === undefined) return undefined;
  const a = dvol.assets.indexOf(asset);
  if (a < 0 || dvol.timesMs.length === 0) return undefined;
  // Daily bar d closes at timesMs[d] + 1 day; the last one at or before timeMs, searched back a week.
  let d = Math.min(dvol.timesMs.length - 1, Math.floor((timeMs - DAY_MS - dvol.timesMs[0]!) / dvol.stepMs));
  for (let k = 0; d >= 0 && k < 7; k++, d--) {
    const v = dvol.close[d * dvol.assets.length + a]!;
    if (Number.isFinite(v) && v > 0) return { vol: v, closeMs: dvol.timesMs[d]! + dvol.stepMs };
  }
  return undefined;
}

/** Close of `asset` of the hourly bar ending at `timeMs`, or undefined. */
function closeAt(h: PriceHistory, asset: string, timeMs: number): number | undefined {
  const a = h.assets.indexOf(asset);
  const t = Math.round((timeMs - h.stepMs - (h.timesMs[0] ?? 0)) / h.stepMs);
  if (a < 0 || t < 0 || t >= h.timesMs.length) return undefined;
  const x = h.close[t * h.assets.length + a]!;
  return Number.isFinite(x) && x > 0 ? x : undefined;
}

/**
 * The steps with `vols` set (module header), and where each underlying's level came from at
 * the first step.
 * @returns steps (same times and prices) and the start source per underlying
 * @example attachReplayVols({ steps, underlyings: ['BTC'], hourly, dvol, flatVol: 0.6 }).steps[0].vols
 */
export function attachReplayVols(input: ReplayVolInput): {
  readonly steps: ReplayStep[];
  readonly startSource: Readonly<Record<string, 'dvol' | 'flat'>>;
} {
  const first = input.steps[0];
  const startSource: Record<string, 'dvol' | 'flat'> = {};
  for (const u of input.underlyings)
    startSource[u] = first && dvolAnchor(input.dvol, u, first.timeMs) ? 'dvol' : 'flat';
  const steps = input.steps.map((step) => {
    const vols: Record<string, number> = {};
    for (const u of input.underlyings) {
      const spot = step.prices[u];
      const k = REPLAY_VOL_SPOT[u] ?? REPLAY_VOL_SPOT.BTC!;
      const dv = dvolAnchor(input.dvol, u, step.timeMs);
      const anchorSpot = dv ? closeAt(input.hourly, u, dv.closeMs) : first?.prices[u];
      const level = dv?.vol ?? input.flatVol;
      if (spot === undefined || anchorSpot === undefined) {
        vols[u] = level;
        continue;
      }
      const x = Math.log(spot / anchorSpot);
      const v = level * Math.exp(k.k1 * x + k.k2 * Math.abs(x));
      vols[u] = Math.min(REPLAY_VOL_BOUNDS.max, Math.max(REPLAY_VOL_BOUNDS.min, v));
    }
    return { ...step, vols };
  });
  return { steps, startSource };
}
