/**
 * The backtest report document (docs/formats.md#backtest-report, `"format": 1`): every number the
 * HTML report shows, as JSON. The HTML is rendered from this document only, so both carry the
 * same figures. Times are ISO-8601 UTC text; USD amounts float64; NaN/undefined become null.
 */
import { formatUtcTime } from '../../core/history/utc-time.js';
import type { BacktestRun } from './run-backtest.js';
import {
  bookModelStats,
  imSeries,
  lossSeries,
  summariseBacktest,
  type BookModelStats,
  type ModelSummary,
} from './backtest-stats.js';
import { badDebtByModel, type CrashReplay } from './crash-replays.js';
import { coverageVerdicts, type CoverageVerdict } from './coverage-verdict.js';
import { compareCapital, type CapitalRow } from './capital-comparison.js';
import { buildModelCard, type ModelCard } from './model-cards.js';
import { checkBar, type BarCheck } from './bar-checks.js';
import type { OptimiserSection } from './optimised-backtest.js';
import type { IntrabarExceedance } from '../../core/history/intrabar-exceedance.js';

/** Version of the report document. */
export const BACKTEST_REPORT_FORMAT = 1;

/** One model's summary row with its crash-replay bad debt. */
export interface SummaryRow extends ModelSummary {
  /** Σ bad debt over the crash replays, USD (null when not replayed or the model failed in every crash) */
  readonly crashBadDebtUsd: number | null;
}

/** The report document. */
export interface BacktestReport {
  readonly format: typeof BACKTEST_REPORT_FORMAT;
  readonly generator: 'xmargin backtest';
  readonly settings: {
    readonly from: string;
    readonly to: string;
    readonly stepDays: number;
    readonly mprDays: number;
    readonly seed: number;
    readonly models: readonly string[];
    readonly books: readonly { id: string; group: string; accounts: number; hedged: boolean }[];
    readonly crashAccounts: number | null;
  };
  readonly steps: number;
  readonly volSteps: { readonly dvol: number; readonly realised: number };
  readonly skippedSteps: readonly { readonly time: string; readonly reason: string }[];
  readonly errors: readonly {
    readonly model: string;
    readonly book: string;
    readonly steps: number;
    readonly first: string;
    readonly firstTime: string;
  }[];
  readonly summary: readonly SummaryRow[];
  /** per model and book (baselines included) */
  readonly books: readonly BookModelStats[];
  /** exceedances and observations per model per year, pooled over all books */
  readonly exceedancesByYear: Readonly<
    Record<string, Readonly<Record<string, { observations: number; exceedances: number }>>>
  >;
  /** margin against realised loss for one book (pooled: Σ over accounts), per step */
  readonly chart: {
    readonly book: string;
    readonly times: readonly string[];
    readonly lossUsd: readonly (number | null)[];
    readonly imUsd: Readonly<Record<string, readonly (number | null)[]>>;
  };
  readonly crashes: readonly (Omit<CrashReplay, 'crash'> & {
    readonly id: string;
    readonly label: string;
    readonly from: string;
    readonly to: string;
  })[];
  /** how the crashes were replayed: price path, funding range, insurance fund (null: the default rule) */
  readonly crashSettings: {
    readonly path: 'close' | 'intrabar';
    readonly funding: readonly [number, number] | null;
    readonly insuranceUsd: number | null;
  } | null;
  /** models shown besides `settings.models`: the capital baselines computed by the run */
  readonly baselines: readonly string[];
  /** coverage verdict of every model (and baseline) on every book, at its claimed level */
  readonly coverage: readonly CoverageVerdict[];
  /** capital on the hedged books, every model on the same days */
  readonly capital: readonly CapitalRow[];
  /** the leverage caps' first tier against the hour's move with intrabar extremes */
  readonly leverageCaps: readonly IntrabarExceedance[];
  /** one card per model (and baseline) */
  readonly cards: readonly ModelCard[];
  /** the bar of DESIGN "Model quality" checked for `es` (empty when es is not in the run) */
  readonly bar: readonly BarCheck[];
  /** wall time of the run, seconds (informational; not deterministic) */
  readonly wallSeconds: number | null;
  /** the optimiser measured on the backtest (`--optimise`), null when not asked for */
  readonly optimiser: OptimiserSection | null;
}

const num = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Builds the report document.
 * @param chartBook  the book drawn in the margin-vs-loss chart (default: the first book)
 */
export function buildBacktestReport(
  run: BacktestRun,
  crashes: readonly CrashReplay[],
  opts: {
    seed: number;
    chartBook?: string;
    crashAccounts?: number;
    wallSeconds?: number;
    crashSettings?: BacktestReport['crashSettings'];
    leverageCaps?: readonly IntrabarExceedance[];
    optimiser?: OptimiserSection;
  },
): BacktestReport {
  const { perBook, summary } = summariseBacktest(run);
  // Baselines computed by the run (e.g. isolated-cover) get the same statistics as the models.
  const baselines = ['isolated-cover'].filter(
    (m) => !run.models.includes(m) && run.accounts.length > 0 && run.accounts.every((a) => a.imUsd.has(m)),
  );
  const allStats = [
    ...perBook,
    ...baselines.flatMap((m) => run.books.map((b) => bookModelStats(run, m, b.id))),
  ];
  const shown = [...run.models, ...baselines];
  const coverage = coverageVerdicts(run, allStats, shown);
  const capital = compareCapital(run, shown);
  const leverageCaps = opts.leverageCaps ?? [];
  const cards = shown.map((m) =>
    buildModelCard(m, { perBook: allStats, verdicts: coverage, capital, crashes, leverageCaps }),
  );
  const bad = badDebtByModel(crashes, run.models);
  const K = run.timesMs.length;
  const chartBook = opts.chartBook ?? run.books[0]?.id ?? '';
  const accts = run.accounts.filter((a) => a.book === chartBook);
  const byYear: Record<string, Record<string, { observations: number; exceedances: number }>> = {};
  for (const s of perBook) {
    const m = (byYear[s.model] ??= {});
    for (const [y, v] of Object.entries(s.byYear)) {
      const e = (m[y] ??= { observations: 0, exceedances: 0 });
      e.observations += v.observations;
      e.exceedances += v.exceedances;
    }
  }
  return {
    format: BACKTEST_REPORT_FORMAT,
    generator: 'xmargin backtest',
    settings: {
      from: formatUtcTime(run.fromMs),
      to: formatUtcTime(run.toMs),
      stepDays: run.stepDays,
      mprDays: run.mprDays,
      seed: opts.seed,
      models: run.models,
      books: run.books.map((b) => ({
        id: b.id,
        group: b.group,
        accounts: b.accounts.length,
        hedged: b.hedged === true,
      })),
      crashAccounts: opts.crashAccounts ?? null,
    },
    steps: K,
    volSteps: run.volSteps,
    skippedSteps: run.skippedSteps.map((s) => ({ time: formatUtcTime(s.timeMs), reason: s.reason })),
    errors: run.errors.map((e) => ({
      model: e.model,
      book: e.book,
      steps: e.count,
      first: e.first,
      firstTime: formatUtcTime(e.firstTimeMs),
    })),
    summary: summary.map((s) => ({
      ...s,
      crashBadDebtUsd: crashes.length === 0 ? null : (bad[s.model] ?? null),
    })),
    books: allStats,
    exceedancesByYear: byYear,
    chart: {
      book: chartBook,
      times: run.timesMs.map((t) => formatUtcTime(t)),
      lossUsd: Array.from(lossSeries(accts, K), num),
      imUsd: Object.fromEntries(run.models.map((m) => [m, Array.from(imSeries(accts, m, K), num)])),
    },
    crashes: crashes.map(({ crash, ...r }) => ({
      id: crash.id,
      label: crash.label,
      from: formatUtcTime(crash.fromMs),
      to: formatUtcTime(crash.toMs),
      ...r,
    })),
    crashSettings: crashes.length === 0 ? null : (opts.crashSettings ?? null),
    baselines,
    coverage,
    capital,
    leverageCaps,
    cards,
    bar: run.models.includes('es')
      ? checkBar({
          crashes,
          crashSettings: crashes.length === 0 ? null : (opts.crashSettings ?? null),
          coverage,
          capital,
        })
      : [],
    wallSeconds: opts.wallSeconds ?? null,
    optimiser: opts.optimiser ?? null,
  };
}
