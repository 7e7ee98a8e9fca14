/**
 * The fall limit in the backtest (docs/methodology/backtesting.md#fall-limit): a model that
 * declares `maxFallPerDay` (the `es` model: 10%) is held, book by book, to
 *
 *   IM'(t) = max(IM(t), (1 − f)^(stepDays)·IM'(t − 1))
 *
 * as a venue holding the account's requirement would (rises pass at once). A step the model does
 * not observe breaks the chain (the next observed step starts afresh). Applied to the merged run,
 * after the worker chunks are joined, so the result does not depend on how the steps were split.
 */
import { fallLimitFloor, maxFallPerDayOf } from '../../core/margin/fall-limit.js';
import { getMarginModel } from '../../core/margin/registry.js';
import type { BacktestRun } from './run-backtest.js';

const DAY_MS = 86_400_000;

/**
 * The run with every fall-limited model's IM series replaced by the limited series.
 * @returns a new run (the input is not modified); models without a limit keep their series
 */
export function applyBacktestFallLimits(run: BacktestRun): BacktestRun {
  const elapsed = run.stepDays * DAY_MS;
  const accounts = run.accounts.map((a) => {
    const imUsd = new Map(a.imUsd);
    for (const [model, series] of a.imUsd) {
      const f = maxFallPerDayOf(getMarginModel(model).defaultParams);
      if (f === null) continue;
      const out = new Float64Array(series.length);
      let prev = NaN;
      for (let k = 0; k < series.length; k++) {
        const im = series[k]!;
        out[k] =
          Number.isFinite(im) && Number.isFinite(prev) ? Math.max(im, fallLimitFloor(prev, f, elapsed)) : im;
        prev = out[k]!;
      }
      imUsd.set(model, out);
    }
    return { ...a, imUsd };
  });
  return { ...run, accounts };
}
