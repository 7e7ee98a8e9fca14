/**
 * Price paths of a venue replay (docs/methodology/simulation.md#price-paths), from hourly bars:
 *
 * - `close`: one step per valuation time T (every `stepHours`), at the closes of the bars that
 *   end at T; an asset without a close keeps its last price.
 * - `intrabar`: three steps per hour, the bar's two extremes then its close, in the adverse
 *   order per asset: a bar that closes below the previous close visits its high first, then its
 *   low (the fall into the close is high → low, the largest drop the bar allows); a bar that closes
 *   at or above it visits its low first, then its high. The extremes are dated 40 and 20 minutes
 *   before the close. Stablecoins move at their closes only (their hourly extremes are single
 *   prints on thin books: USDC 0.2 on 2021-12-04, 3.99 on 2022-05-11), and the documented
 *   outlier prints are replaced by their cross-checked values (INTRABAR_CORRECTIONS).
 *
 * A liquidation engine that marks continuously would see every price between two closes; the
 * intrabar path shows it the extremes without a margin check in between (the worst case for
 * the move between two checks). Units: prices in the history's quote (USDT ≈ USD), ms UTC.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { PriceHistory } from '../../core/history/price-history.js';
import type { BarHistory } from '../../core/history/align-history.js';
import type { ReplayStep } from './simulation-types.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Which prices a replay steps through. */
export type PricePath = 'close' | 'intrabar';

/** A corrected intrabar extreme: a print documented as an outlier, with the value used instead. */
export interface IntrabarCorrection {
  readonly asset: string;
  /** open time of the hourly bar, ms UTC */
  readonly barOpenMs: number;
  readonly field: 'high' | 'low';
  readonly value: number;
  readonly reason: string;
}

/**
 * Outlier prints replaced in intrabar paths (data/history/README.md, "Known outliers"; the
 * shared data README cross-checks each against Binance spot).
 */
export const INTRABAR_CORRECTIONS: readonly IntrabarCorrection[] = [
  {
    asset: 'ETH',
    barOpenMs: Date.parse('2020-03-13T02:00:00Z'),
    field: 'high',
    value: 120.2,
    reason: 'single ETHUSDT perpetual print of 323.0; Binance spot high that hour 120.2',
  },
];

/** Input of {@link buildReplaySteps}. */
export interface ReplayPathInput {
  /** hourly closes; `intrabar` also needs highs and lows (a BarHistory) */
  readonly hourly: PriceHistory;
  readonly fromMs: number;
  readonly toMs: number;
  /** hours between closes, integer ≥ 1 (`intrabar` needs 1) */
  readonly stepHours: number;
  readonly path: PricePath;
  /** assets moved at their closes only, e.g. ['USDC'] */
  readonly closeOnly?: readonly string[];
}

function hasBars(h: PriceHistory): h is BarHistory {
  return 'high' in h && 'low' in h;
}

/**
 * The replay's steps (module header): valuation times and prices; assets without a price at a
 * time carry their last one forward.
 * @throws InvalidInputError ERR_INVALID_INPUT for `intrabar` with stepHours ≠ 1 or a history
 *         without highs and lows
 * @example buildReplaySteps({ hourly, fromMs, toMs, stepHours: 1, path: 'intrabar' }).length // 3 per hour + 1
 */
export function buildReplaySteps(input: ReplayPathInput): ReplayStep[] {
  const h = input.hourly;
  if (input.path === 'intrabar') {
    if (input.stepHours !== 1)
      throw new InvalidInputError('stepHours', input.stepHours, 'must be 1 with the intrabar path');
    if (!hasBars(h))
      throw new InvalidInputError(
        'history',
        'closes only',
        'must carry hourly highs and lows for the intrabar path',
      );
  }
  const A = h.assets.length;
  const closeOnly = new Set(input.closeOnly ?? []);
  const rowOf = (t: number) => Math.round((t - h.stepMs - (h.timesMs[0] ?? 0)) / h.stepMs); // bar ending at t
  const value = (arr: Float64Array, row: number, a: number) => {
    const x = row >= 0 && row < h.timesMs.length ? arr[row * A + a]! : NaN;
    return Number.isFinite(x) && x > 0 ? x : undefined;
  };
  const out: ReplayStep[] = [];
  let last: Record<string, number> = {};
  for (let t = input.fromMs; t <= input.toMs; t += input.stepHours * HOUR_MS) {
    const row = rowOf(t);
    const closes: Record<string, number> = { ...last };
    h.assets.forEach((asset, a) => {
      const c = value(h.close, row, a);
      if (c !== undefined) closes[asset] = c;
    });
    if (input.path === 'intrabar' && hasBars(h) && out.length > 0) {
      const first: Record<string, number> = { ...last };
      const second: Record<string, number> = { ...last };
      h.assets.forEach((asset, a) => {
        const prev = last[asset];
        const c = closes[asset];
        if (closeOnly.has(asset) || prev === undefined || c === undefined) return;
        const barOpen = t - HOUR_MS;
        const fix = (field: 'high' | 'low', x: number | undefined) =>
          INTRABAR_CORRECTIONS.find((k) => k.asset === asset && k.barOpenMs === barOpen && k.field === field)
            ?.value ?? x;
        // An extreme missing from the bar stays at the close (it cannot be worse than what is known).
        const hi = Math.max(fix('high', value(h.high, row, a)) ?? c, c);
        const lo = Math.min(fix('low', value(h.low, row, a)) ?? c, c);
        const down = c < prev;
        first[asset] = down ? hi : lo;
        second[asset] = down ? lo : hi;
      });
      out.push({ timeMs: t - 40 * MINUTE_MS, prices: first });
      out.push({ timeMs: t - 20 * MINUTE_MS, prices: second });
    }
    out.push({ timeMs: t, prices: closes });
    last = closes;
  }
  return out;
}

/**
 * Parses a price path name.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag when it is not close or intrabar
 * @example parsePricePath('intrabar') // 'intrabar'
 */
export function parsePricePath(text: string, flag = '--path'): PricePath {
  if (text !== 'close' && text !== 'intrabar')
    throw new InvalidInputError(flag, text, 'must be close or intrabar');
  return text;
}
