/**
 * `xmargin backtest [--models a,b] [--books all|examples|reference|venue|ids] [--from DATE]
 * [--to DATE] [--step-days N] [--mpr-days N] [--crashes all|none|names] [--funding LO:HI]
 * [--insurance-usd N] [--path close|intrabar] [--out report.html] [--cards FILE] [--json]
 * [--seed N] [--venue-accounts N] [--crash-accounts N] [--chart-book ID] [--optimise MODELS
 * [--optimise-step-days N] [--optimise-keep none|exposure]]`:
 * the margin models backtested on the shipped history (with `isolated-cover` as the capital
 * baseline and the fall limit applied), the crash replays (by default on the bar's settings:
 * funding 1.0:1.3, intrabar path, one insurance fund), model cards, and the report
 * (docs/methodology/backtesting.md). Without --out the tables go to stdout; with --out the HTML
 * report and the same numbers as JSON (report.json next to it) are written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { DAY_MS, HOUR_MS, formatUtcTime, parseUtcTime } from '../../core/history/utc-time.js';
import { MARGIN_MODELS } from '../../core/margin/registry.js';
import { OPTIMISABLE_MODELS } from '../../core/optimise/index.js';
import {
  applyBacktestFallLimits,
  backtestTimes,
  buildBacktestReport,
  MODEL_CARDS_FORMAT,
  mergeBacktestRuns,
  mergeOptimisedRuns,
  optimiserSection,
  runBacktest,
  type BacktestBook,
  type OptimisedBacktestRun,
  type OptimisedCrashRow,
  type OptimiseKeep,
  type BacktestReport,
  type BacktestRun,
  type CrashReplay,
} from '../../engine/backtest/index.js';
import {
  parseFundingRange,
  parseInsuranceUsd,
  parsePricePath,
  selectCrashes,
  THIN_FUNDING,
} from '../../engine/simulation/index.js';
import { DEFAULT_RATE_MODEL_PARAMS } from '../../core/margin/rate-based-models.js';
import { intrabarExceedance } from '../../core/history/intrabar-exceedance.js';
import type { BarHistory } from '../../core/history/align-history.js';
import { backtestHistory, BACKTEST_UNDERLYINGS, runTasks, type Task } from './backtest-tasks.js';
import { renderBacktestHtml } from '../report/backtest-html.js';
import { findPackageRoot } from '../system/package-root.js';
import { selectBooks } from './backtest-books.js';
import { formatBacktest, jsonPathFor } from './backtest-output.js';

export { formatBacktest, jsonPathFor } from './backtest-output.js';
export { EXAMPLE_PORTFOLIOS, exampleBooks } from './backtest-books.js';
import type { CliIo } from './run-cli.js';
import { PROGRESS_OPTION, progressFor } from './progress.js';
import { intOption } from './int-option.js';

/** Models backtested by default (the comparison). */
export const DEFAULT_BACKTEST_MODELS = [
  'isolated',
  'cross',
  'portfolio',
  'deribit-pm',
  'derive-pm2',
  'es',
] as const;
/** Options of {@link runBacktestCommand} (text as on the command line). */
export interface BacktestOptions {
  readonly models?: string;
  readonly books?: string;
  readonly from?: string;
  readonly to?: string;
  readonly stepDays?: string;
  readonly mprDays?: string;
  readonly crashes?: string;
  readonly seed?: string;
  readonly venueAccounts?: string;
  readonly crashAccounts?: string;
  /** crash replays: funding range (default 1.0:1.3), insurance fund USD, price path (default intrabar) */
  readonly funding?: string;
  readonly insuranceUsd?: string;
  readonly path?: string;
  readonly chartBook?: string;
  /** worker threads (default: the available cores, at most 4; 1 when run from the TypeScript source) */
  readonly workers?: string;
  /** models to optimise the single-template books under (docs/methodology/optimiser.md#on-the-backtest) */
  readonly optimise?: string;
  /** days between optimisations (default 7) */
  readonly optimiseStepDays?: string;
  /** none (default) or exposure: what the optimised book keeps */
  readonly optimiseKeep?: string;
  /** history directory (tests); default data/history */
  readonly dir?: string;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

function parseTime(text: string, name: string): number {
  const ms = parseUtcTime(text, text.length === 10 ? 'date' : 'datetime');
  if (!Number.isFinite(ms))
    throw new InvalidInputError(name, text, 'must be a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  return ms;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Threads by default: the available cores (at most 4); 1 from the TypeScript source (tests). */
export function defaultWorkers(): number {
  return import.meta.url.endsWith('.js') ? Math.max(1, Math.min(4, availableParallelism())) : 1;
}

/** Result of {@link runBacktestCommand}: the report and the wall time. */
export interface BacktestCommandResult {
  readonly report: BacktestReport;
  readonly wallSeconds: number;
}

/**
 * Validates the options, loads the history, runs the backtest and the crash replays.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag (--models, --books, --from, --to,
 *         --step-days, --mpr-days, --crashes, --seed, --venue-accounts, --crash-accounts, --chart-book)
 */
export async function runBacktestCommand(opts: BacktestOptions): Promise<BacktestCommandResult> {
  const started = performance.now();
  const models = list(opts.models ?? DEFAULT_BACKTEST_MODELS.join(','));
  if (models.length === 0)
    throw new InvalidInputError('--models', opts.models, 'must list at least one model');
  const known = MARGIN_MODELS.map((m) => m.name);
  for (const m of models)
    if (!known.includes(m))
      throw new InvalidInputError('--models', m, `must list models among ${known.join(', ')}`);
  const stepDays = intOption(opts.stepDays, '--step-days', 1, 1, 365);
  const mprDays = intOption(opts.mprDays, '--mpr-days', 1, 1, 5);
  const seed = intOption(opts.seed, '--seed', 1, 0, 2 ** 31 - 1);
  const venueAccounts = intOption(opts.venueAccounts, '--venue-accounts', 50, 1, 10_000);
  const crashAccounts = intOption(opts.crashAccounts, '--crash-accounts', 300, 1, 100_000);
  const workers = intOption(opts.workers, '--workers', defaultWorkers(), 1, 64);
  const dir = opts.dir === undefined ? {} : { dir: opts.dir };
  const root = findPackageRoot();
  const crashes = selectCrashes(opts.crashes ?? 'all');
  const funding = opts.funding === undefined ? THIN_FUNDING : parseFundingRange(opts.funding);
  const path = parsePricePath(opts.path ?? 'intrabar');
  const insuranceUsd = opts.insuranceUsd === undefined ? undefined : parseInsuranceUsd(opts.insuranceUsd);
  const crashSettings = { path, funding, insuranceUsd: insuranceUsd ?? null };
  const books = selectBooks(opts.books ?? 'all', venueAccounts, seed, root);
  const chartBook =
    opts.chartBook ??
    (books.some((b) => b.id === 'ref-hedged-options') ? 'ref-hedged-options' : books[0]!.id);
  if (!books.some((b) => b.id === chartBook))
    throw new InvalidInputError(
      '--chart-book',
      chartBook,
      `must be one of the selected books (${books.map((b) => b.id).join(', ')})`,
    );

  const optimise = opts.optimise === undefined ? undefined : parseOptimise(opts, books);
  const history = backtestHistory(opts.dir);
  const hourly = history.hourly;
  const first = hourly.timesMs[0]!;
  const last = hourly.timesMs[hourly.timesMs.length - 1]! + hourly.stepMs;
  const fromMs =
    opts.from === undefined ? Math.ceil((first + HOUR_MS) / DAY_MS) * DAY_MS : parseTime(opts.from, '--from');
  const toMs = opts.to === undefined ? Math.floor(last / DAY_MS) * DAY_MS : parseTime(opts.to, '--to');
  const range = `${formatUtcTime(first + HOUR_MS)} to ${formatUtcTime(last)}`;
  if (!(fromMs >= first + HOUR_MS && fromMs < last))
    throw new InvalidInputError('--from', opts.from, `must lie within the shipped hourly history (${range})`);
  if (!(toMs <= last))
    throw new InvalidInputError('--to', opts.to, `must lie within the shipped hourly history (${range})`);
  if (!(toMs >= fromMs + mprDays * DAY_MS))
    throw new InvalidInputError('--to', opts.to, `must be at least --mpr-days (${mprDays}) after --from`);
  // isolated-cover: the one-day-cover baseline the hedged books' capital is compared with.
  const input = { fromMs, toMs, stepDays, mprDays, models, books, baselines: ['isolated', 'isolated-cover'] };
  // Checks the books against the MPR (and every other rule) before any thread starts.
  runBacktest({ ...input, history, stepRange: [0, 0] });
  const K = backtestTimes(fromMs, toMs, stepDays, mprDays).length;
  const chunks = workers <= 1 ? 1 : Math.min(K, workers * 6);
  const tasks: Task[] = [];
  for (let c = 0; c < chunks; c++) {
    const range: [number, number] = [Math.floor((c * K) / chunks), Math.floor(((c + 1) * K) / chunks)];
    tasks.push({ kind: 'backtest', input: { ...input, stepRange: range }, ...dir });
  }
  for (const crash of crashes)
    for (const m of models)
      tasks.push({
        kind: 'crash',
        crash,
        models: [m],
        accounts: crashAccounts,
        seed,
        path,
        funding,
        ...(insuranceUsd !== undefined && { insuranceUsd }),
        ...dir,
      });
  const nBacktest = tasks.length;
  if (optimise !== undefined) {
    const K2 = backtestTimes(fromMs, toMs, optimise.stepDays, mprDays).length;
    const chunks2 = workers <= 1 ? 1 : Math.min(K2, workers * 6);
    for (let c = 0; c < chunks2; c++)
      tasks.push({
        kind: 'optimise',
        input: {
          fromMs,
          toMs,
          stepDays: optimise.stepDays,
          mprDays,
          models: optimise.models,
          books: optimise.books,
          keep: optimise.keep,
          stepRange: [Math.floor((c * K2) / chunks2), Math.floor(((c + 1) * K2) / chunks2)],
        },
        ...dir,
      });
    for (const crash of crashes)
      tasks.push({
        kind: 'optimise-crash',
        crash,
        models: optimise.models,
        books: optimise.books,
        keep: optimise.keep,
        ...(insuranceUsd !== undefined && { insuranceUsd }),
        ...dir,
      });
  }
  const all = await runTasks(
    tasks,
    workers,
    opts.onProgress === undefined ? undefined : (d, t) => opts.onProgress!('backtest', d, t),
  );
  const results = all.slice(0, nBacktest);
  const optimiser =
    optimise === undefined
      ? undefined
      : optimiserSection(
          mergeOptimisedRuns(
            all.slice(nBacktest).filter((r): r is OptimisedBacktestRun => !Array.isArray(r)),
          ),
          all
            .slice(nBacktest)
            .filter((r): r is OptimisedCrashRow[] => Array.isArray(r))
            .flat(),
        );
  // The fall limit is state along the steps: applied once the chunks are joined.
  const run = applyBacktestFallLimits(mergeBacktestRuns(results.slice(0, chunks) as BacktestRun[]));
  const parts = results.slice(chunks) as CrashReplay[];
  const replays: CrashReplay[] = crashes.map((_, i) => {
    const mine = parts.slice(i * models.length, (i + 1) * models.length);
    return {
      ...mine[0]!,
      models: mine.flatMap((p) => p.models),
      error: mine.every((p) => p.error !== null) ? mine[0]!.error : null,
    };
  });
  const wallSeconds = (performance.now() - started) / 1000;
  // The leverage caps' first tier against the hour's move with intrabar extremes (whole history).
  const tier = (u: string) =>
    (DEFAULT_RATE_MODEL_PARAMS.rates[u] ?? DEFAULT_RATE_MODEL_PARAMS.defaultRates)[0]!;
  const leverageCaps = BACKTEST_UNDERLYINGS.flatMap((u) => [
    intrabarExceedance(history.hourly as BarHistory, u, tier(u).imRate),
    intrabarExceedance(history.hourly as BarHistory, u, tier(u).mmRate),
  ]);
  const report = buildBacktestReport(run, replays, {
    seed,
    chartBook,
    wallSeconds,
    leverageCaps,
    ...(crashes.length > 0 && { crashAccounts, crashSettings }),
    ...(optimiser !== undefined && { optimiser }),
  });
  return { report, wallSeconds };
}

/**
 * `--optimise` and its companions: optimiser models, rebalancing step, what is kept; the books
 * optimised are the selected single-template books (the pooled venue book is not).
 * @throws InvalidInputError naming --optimise, --optimise-step-days or --optimise-keep
 */
function parseOptimise(opts: BacktestOptions, books: readonly BacktestBook[]) {
  const models = list(opts.optimise ?? '');
  if (models.length === 0)
    throw new InvalidInputError('--optimise', opts.optimise, 'must list at least one model');
  for (const m of models)
    if (!(OPTIMISABLE_MODELS as readonly string[]).includes(m))
      throw new InvalidInputError(
        '--optimise',
        m,
        `must list models the optimiser has an LP form for: ${OPTIMISABLE_MODELS.join(', ')}`,
      );
  const stepDays = intOption(opts.optimiseStepDays, '--optimise-step-days', 7, 1, 365);
  const keep = opts.optimiseKeep ?? 'none';
  if (keep !== 'none' && keep !== 'exposure')
    throw new InvalidInputError('--optimise-keep', keep, 'must be none or exposure');
  const single = books.filter((b) => b.accounts.length === 1 && b.group !== 'venue');
  if (single.length === 0)
    throw new InvalidInputError(
      '--books',
      books.map((b) => b.id).join(','),
      'must include a single-template book (examples or reference) to optimise',
    );
  return { models, stepDays, keep: keep as OptimiseKeep, books: single };
}

/** The model cards document of a report (what `xmargin models --card` reads). */
export function cardsDocument(report: BacktestReport): unknown {
  return {
    format: MODEL_CARDS_FORMAT,
    generator: 'xmargin backtest',
    settings: report.settings,
    steps: report.steps,
    crashSettings: report.crashSettings,
    cards: report.cards,
  };
}

function writeCards(file: string, report: BacktestReport): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(cardsDocument(report), null, 2)}\n`);
  } catch (e) {
    throw new InvalidInputError('--cards', file, `must be a writable file path (${(e as Error).message})`);
  }
}

/** Registers `xmargin backtest` on the program. */
export function registerBacktestCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('backtest')
    .description(
      'Backtest margin models on the shipped history: coverage, capital, procyclicality, crash replays',
    )
    .option('--models <list>', 'comma-separated model names', DEFAULT_BACKTEST_MODELS.join(','))
    .option('--books <list>', 'all, examples, reference, venue, or book ids (comma-separated)', 'all')
    .option('--from <date>', 'first valuation day, UTC YYYY-MM-DD (default: start of the history)')
    .option('--to <date>', 'last day a loss may end on (default: end of the history)')
    .option('--step-days <n>', 'days between valuations', '1')
    .option('--mpr-days <n>', 'margin period of risk, days (1 to 5)', '1')
    .option(
      '--crashes <list>',
      'all, none, or crash names (ids or 2020-03-12, 2021-05-19, 2022-05, 2022-11, 2023-03)',
      'all',
    )
    .option(
      '--funding <lo:hi>',
      "crash replays: each account funded at its own model's IM × U(lo, hi)",
      '1.0:1.3',
    )
    .option(
      '--insurance-usd <n>',
      'crash replays: one insurance fund for every model, USD (default 1% of open interest)',
    )
    .option(
      '--path <path>',
      'crash replays: close, or intrabar (each hour’s extremes in the adverse order)',
      'intrabar',
    )
    .option('--out <file>', 'write the HTML report there and the JSON next to it')
    .option('--cards <file>', 'write the model cards (JSON) there, for xmargin models --card')
    .option('--seed <n>', 'seed of the venue population and the crash replays', '1')
    .option('--venue-accounts <n>', 'accounts of the venue population book', '50')
    .option('--crash-accounts <n>', 'accounts of each crash replay', '300')
    .option('--chart-book <id>', 'book drawn in the margin-vs-loss chart (default ref-hedged-options)')
    .option(
      '--optimise <models>',
      'also optimise the examples and reference books under these models at each rebalancing and carry them',
    )
    .option('--optimise-step-days <n>', 'days between optimisations (rebalancing)', '7')
    .option(
      '--optimise-keep <what>',
      'none (the book may be hedged away) or exposure (each delta and the vega kept)',
      'none',
    )
    .option('--workers <n>', 'worker threads (default: available cores, at most 4)')
    .option('--json', 'print the report document as JSON')
    .option(...PROGRESS_OPTION)
    .action(
      async (opts: {
        models: string;
        books: string;
        from?: string;
        to?: string;
        stepDays: string;
        mprDays: string;
        crashes: string;
        funding: string;
        insuranceUsd?: string;
        path: string;
        out?: string;
        cards?: string;
        seed: string;
        venueAccounts: string;
        crashAccounts: string;
        chartBook?: string;
        workers?: string;
        optimise?: string;
        optimiseStepDays: string;
        optimiseKeep: string;
        json?: boolean;
        progress: string;
      }) => {
        const json = opts.json === true;
        setJson(json);
        const progress = progressFor('backtest', opts.progress);
        const { report } = await runBacktestCommand({
          models: opts.models,
          books: opts.books,
          stepDays: opts.stepDays,
          mprDays: opts.mprDays,
          crashes: opts.crashes,
          seed: opts.seed,
          venueAccounts: opts.venueAccounts,
          crashAccounts: opts.crashAccounts,
          funding: opts.funding,
          path: opts.path,
          ...(opts.insuranceUsd !== undefined && { insuranceUsd: opts.insuranceUsd }),
          ...(opts.from !== undefined && { from: opts.from }),
          ...(opts.to !== undefined && { to: opts.to }),
          ...(opts.chartBook !== undefined && { chartBook: opts.chartBook }),
          ...(opts.workers !== undefined && { workers: opts.workers }),
          ...(opts.optimise !== undefined && {
            optimise: opts.optimise,
            optimiseStepDays: opts.optimiseStepDays,
            optimiseKeep: opts.optimiseKeep,
          }),
          onProgress: (phase, done, total) => progress(done, total, phase),
        });
        if (opts.cards !== undefined) writeCards(opts.cards, report);
        if (opts.out !== undefined) {
          const jsonPath = jsonPathFor(opts.out);
          try {
            mkdirSync(dirname(opts.out), { recursive: true });
            writeFileSync(opts.out, renderBacktestHtml(report));
            writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
          } catch (e) {
            throw new InvalidInputError(
              '--out',
              opts.out,
              `must be a writable file path (${(e as Error).message})`,
            );
          }
          if (!json) io.out(`${formatBacktest(report)}\n\nwrote ${opts.out} and ${jsonPath}`);
        } else if (!json) io.out(formatBacktest(report));
        if (json) io.out(JSON.stringify(report));
      },
    );
}
