/**
 * The bar of DESIGN "Model quality", checked for one model (by default `es`) on a backtest's
 * figures (docs/methodology/backtesting.md#the-bar):
 *
 * 1. no bad debt in any of the five shipped crashes, replayed with funding 1.0–1.3× the model's
 *    own IM, the intrabar path and one insurance fund for every model;
 * 2. one-sided coverage passes on every book at the model's level, Z2 is not rejected, and no
 *    loss exceeds 3× the margin;
 * 3. on the hedged books, in total over common days, at most 0.6× `isolated-cover` and 0.85×
 *    `deribit-pm`, and on no single hedged book above `deribit-pm` unless `deribit-pm` fails
 *    coverage there (its one-sided test, or a loss above 3× its IM).
 *
 * Each check carries its figure, so that a missed bar says by how much.
 */
import { CRASH_WINDOWS } from '../simulation/crash-catalogue.js';
import { HEDGED_TOTAL, type CapitalRow } from './capital-comparison.js';
import type { CoverageVerdict } from './coverage-verdict.js';
import type { CrashReplay } from './crash-replays.js';

/** One check of the bar. */
export interface BarCheck {
  readonly check: string;
  /** true met, false missed, null not measured in this run */
  readonly met: boolean | null;
  readonly figure: string;
}

/** Bounds of the bar on the hedged books. */
export const BAR_CAPITAL = { vsIsolatedCover: 0.6, vsDeribitPm: 0.85 } as const;

/** Inputs of {@link checkBar}. */
export interface BarInputs {
  readonly crashes: readonly CrashReplay[];
  readonly crashSettings: {
    readonly path: string;
    readonly funding: readonly [number, number] | null;
  } | null;
  readonly coverage: readonly CoverageVerdict[];
  readonly capital: readonly CapitalRow[];
}

const usd = (x: number) => `${Math.round(x).toLocaleString('en-US')} USD`;

/** The bar's checks for `model` (module header). */
export function checkBar(inputs: BarInputs, model = 'es'): BarCheck[] {
  const out: BarCheck[] = [];
  const s = inputs.crashSettings;
  const onBar = s !== null && s.path === 'intrabar' && s.funding?.[0] === 1 && s.funding[1] === 1.3;
  for (const w of CRASH_WINDOWS) {
    const r = inputs.crashes.find((c) => c.crash.id === w.id)?.models.find((m) => m.model === model);
    out.push({
      check: `no bad debt in ${w.id} (funding 1.0–1.3×, intrabar, one insurance fund)`,
      met: r === undefined || r.error !== null || !onBar ? null : r.badDebtUsd === 0,
      figure:
        r === undefined
          ? 'not replayed'
          : r.error !== null
            ? `error: ${r.error}`
            : `bad debt ${usd(r.badDebtUsd)}, insurance drawn ${usd(r.insuranceDrawnUsd)} of ${usd(r.insuranceStartUsd)}, ${r.bankruptcies} bankruptcies${onBar ? '' : ' (not on the bar settings)'}`,
    });
  }
  const v = inputs.coverage.filter((x) => x.model === model && x.observations > 0);
  const failing = v.filter((x) => x.coveragePasses === false);
  out.push({
    check: 'one-sided coverage passes on every book at the model’s level',
    met: v.length === 0 ? null : failing.length === 0,
    figure: `${v.length - failing.length}/${v.length} books pass${failing.length > 0 ? `; failing: ${failing.map((x) => `${x.book} ${x.exceedances}/${x.observations} (p ${x.oneSidedP?.toFixed(3)})`).join(', ')}` : ''}`,
  });
  const z2 = v.filter((x) => x.z2Passes !== null);
  const z2Fail = z2.filter((x) => x.z2Passes === false);
  out.push({
    check: 'Z2 not rejected on any book',
    met: z2.length === 0 ? null : z2Fail.length === 0,
    figure:
      z2.length === 0
        ? 'not an ES model'
        : `lowest Z2 p ${Math.min(...z2.map((x) => x.z2P!)).toFixed(3)}${z2Fail.length > 0 ? `; rejected on ${z2Fail.map((x) => x.book).join(', ')}` : ''}`,
  });
  const worst = v.reduce<CoverageVerdict | undefined>(
    (a, x) =>
      x.worstLossOverIm !== null && (a === undefined || x.worstLossOverIm > a.worstLossOverIm!) ? x : a,
    undefined,
  );
  out.push({
    check: 'no loss larger than 3× the margin',
    met: worst === undefined ? null : worst.worstLossOverIm! <= 3,
    figure: worst === undefined ? '-' : `largest L/IM ${worst.worstLossOverIm!.toFixed(2)} (${worst.book})`,
  });
  const total = inputs.capital.find((c) => c.model === model && c.book === HEDGED_TOTAL);
  const ratio = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(3)}×`);
  out.push({
    check: `hedged books in total ≤ ${BAR_CAPITAL.vsIsolatedCover}× isolated-cover`,
    met:
      total === undefined || total.vsIsolatedCover === null
        ? null
        : total.vsIsolatedCover <= BAR_CAPITAL.vsIsolatedCover,
    figure: ratio(total?.vsIsolatedCover),
  });
  out.push({
    check: `hedged books in total ≤ ${BAR_CAPITAL.vsDeribitPm}× deribit-pm`,
    met:
      total === undefined || total.vsDeribitPm === null ? null : total.vsDeribitPm <= BAR_CAPITAL.vsDeribitPm,
    figure: ratio(total?.vsDeribitPm),
  });
  const perBook = inputs.capital.filter(
    (c) => c.model === model && c.book !== HEDGED_TOTAL && c.vsDeribitPm !== null,
  );
  // deribit-pm fails coverage on a book when its one-sided test fails or a loss exceeds 3× its IM.
  const deribitFails = (book: string) => {
    const d = inputs.coverage.find((x) => x.model === 'deribit-pm' && x.book === book);
    return d?.coveragePasses === false || d?.missPasses === false;
  };
  const above = perBook.filter((c) => c.vsDeribitPm! > 1 && !deribitFails(c.book));
  out.push({
    check: 'no hedged book above deribit-pm (unless deribit-pm fails coverage there)',
    met: perBook.length === 0 ? null : above.length === 0,
    figure:
      perBook
        .map(
          (c) =>
            `${c.book} ${ratio(c.vsDeribitPm)}${deribitFails(c.book) ? ' (deribit-pm fails coverage)' : ''}`,
        )
        .join(', ') || '-',
  });
  return out;
}
