/**
 * The coverage verdict of each model on each book (docs/methodology/backtesting.md#coverage),
 * at the level the model claims (coverage-level.ts):
 *
 * - one-sided Kupiec on the exceedances L > IM against the target p (pass: p-value ≥ 5%);
 * - Christoffersen independence and the Basel traffic light (from backtest-stats.ts);
 * - for an ES model, Acerbi–Szekely Z2 with ES_t = IM_t and VaR_t = (VaR/ES of a t(4))·IM_t,
 *   its p-value from the simulated null (pass: ≥ 5%);
 * - the size of the misses: the largest L / IM (pass: ≤ 3).
 *
 * A pooled book (the venue) concatenates its accounts' days, as the other statistics do.
 * Units: rates and p-values fractions; L / IM unitless.
 */
import { COVERAGE_DOF, kupiecOneSided, varToEsRatio } from '../../core/statistics/margin-coverage.js';
import {
  acerbiSzekelyZ2,
  simulateZ2Null,
  z2PValue,
  type Z2NullDistribution,
} from '../../core/statistics/es-backtest.js';
import { coverageLevel } from './coverage-level.js';
import type { BookModelStats } from './backtest-stats.js';
import type { BacktestRun } from './run-backtest.js';

/** Largest loss / margin accepted (DESIGN "Model quality"). */
export const MAX_MISS_MULTIPLE = 3;
/** Significance of every verdict. */
export const VERDICT_LEVEL = 0.05;
/** Samples and seed of the simulated Z2 null. */
export const Z2_SAMPLES = 2_000;
export const Z2_SEED = 1;

/** The verdict of one model on one book. */
export interface CoverageVerdict {
  readonly model: string;
  readonly book: string;
  readonly measure: 'es' | 'var';
  readonly target: number;
  readonly leverageCap: boolean;
  readonly observations: number;
  readonly exceedances: number;
  readonly rate: number | null;
  /** one-sided Kupiec p-value; null with no observation */
  readonly oneSidedP: number | null;
  readonly coveragePasses: boolean | null;
  readonly independenceP: number | null;
  readonly trafficLight: 'green' | 'yellow' | 'red' | null;
  /** ES models only */
  readonly z2: number | null;
  readonly z2P: number | null;
  readonly z2Passes: boolean | null;
  readonly worstLossOverIm: number | null;
  readonly missPasses: boolean | null;
}

/**
 * Verdicts for every model (and baseline) in `models` on every book of the run.
 * @param perBook  the per-book statistics (backtest-stats.ts) of the same run and models
 */
export function coverageVerdicts(
  run: BacktestRun,
  perBook: readonly BookModelStats[],
  models: readonly string[],
): CoverageVerdict[] {
  const nulls = new Map<number, Z2NullDistribution>();
  const out: CoverageVerdict[] = [];
  for (const model of models) {
    const level = coverageLevel(model);
    const ratio = level.measure === 'es' ? varToEsRatio(level.alpha, COVERAGE_DOF) : NaN;
    for (const b of run.books) {
      const s = perBook.find((x) => x.model === model && x.book === b.id);
      if (s === undefined) continue;
      const k = s.observations > 0 ? kupiecOneSided(s.observations, s.exceedances, level.target) : undefined;
      let z2: number | null = null;
      let z2P: number | null = null;
      if (level.measure === 'es') {
        const loss: number[] = [];
        const im: number[] = [];
        for (const a of run.accounts.filter((x) => x.book === b.id)) {
          const series = a.imUsd.get(model)!;
          for (let t = 0; t < series.length; t++)
            if (Number.isFinite(series[t]!) && Number.isFinite(a.lossUsd[t]!)) {
              loss.push(a.lossUsd[t]!);
              im.push(series[t]!);
            }
        }
        const r = acerbiSzekelyZ2(
          loss,
          im.map((x) => ratio * x),
          im,
          level.alpha,
        );
        if (r.days > 0) {
          let nul = nulls.get(r.days);
          if (nul === undefined) {
            nul = simulateZ2Null(r.days, level.alpha, COVERAGE_DOF, Z2_SAMPLES, Z2_SEED);
            nulls.set(r.days, nul);
          }
          z2 = r.z2;
          z2P = z2PValue(r.z2, nul);
        }
      }
      const worst = s.worstLossOverIm;
      out.push({
        model,
        book: b.id,
        measure: level.measure,
        target: level.target,
        leverageCap: level.leverageCap,
        observations: s.observations,
        exceedances: s.exceedances,
        rate: s.rate,
        oneSidedP: k?.pValue ?? null,
        coveragePasses: k === undefined ? null : k.pValue >= VERDICT_LEVEL,
        independenceP: s.independenceP,
        trafficLight: s.trafficLight,
        z2,
        z2P,
        z2Passes: z2P === null ? null : z2P >= VERDICT_LEVEL,
        worstLossOverIm: worst,
        missPasses: worst === null ? null : worst <= MAX_MISS_MULTIPLE,
      });
    }
  }
  return out;
}
