/**
 * `xmargin backtest [--models a,b] [--books all|examples|reference|venue|ids] [--from DATE]
 * [--to DATE] [--step-days N] [--mpr-days N] [--crashes all|none|ids] [--out report.html]
 * [--json] [--seed N] [--venue-accounts N] [--crash-accounts N] [--chart-book ID]`:
 * the margin models backtested on the shipped history, the crash replays, and the report
 * (docs/methodology/backtesting.md). Without --out the comparison table goes to stdout; with
 * --out the HTML report and the same numbers as JSON (report.json next to it) are written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { DAY_MS, HOUR_MS, formatUtcTime, parseUtcTime } from '../../core/history/utc-time.js';
import { MARGIN_MODELS } from '../../core/margin/registry.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import {
  backtestTimes,
  buildBacktestReport,
  CRASH_WINDOWS,
  mergeBacktestRuns,
  REFERENCE_BOOKS,
  runBacktest,
  templateFromPortfolio,
  venueTemplates,
  type BacktestBook,
  type BacktestReport,
  type BacktestRun,
  type CrashReplay,
} from '../../engine/backtest/index.js';
import { backtestHistory, runTasks, type Task } from './backtest-tasks.js';
import { renderBacktestHtml } from '../report/backtest-html.js';
import { crashCells, summaryCells } from '../report/backtest-tables.js';
import { findPackageRoot } from '../system/package-root.js';
import { formatTable } from './format-table.js';
import { readJsonFile } from './read-json-file.js';
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
/** The `examples/` portfolios backtested (priced against examples/market.json). */
export const EXAMPLE_PORTFOLIOS = [
  'hedged-btc-options',
  'basis-trade',
  'eth-btc-pair',
  'multi-collateral',
  'short-strangle',
] as const;
/** Books counted as hedged (capital figure for hedged books). */
const HEDGED = new Set([
  'ex-hedged-btc-options',
  'ex-basis-trade',
  'ex-eth-btc-pair',
  'ref-hedged-options',
  'ref-basis',
]);

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
  readonly chartBook?: string;
  /** worker threads (default: the available cores, at most 4; 1 when run from the TypeScript source) */
  readonly workers?: string;
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

/** The example portfolios as template books (tenor and moneyness at examples/market.json). */
export function exampleBooks(root = findPackageRoot()): BacktestBook[] {
  const market = buildMarginMarket(readJsonFile(join(root, 'examples/market.json'), 'examples/market.json'));
  return EXAMPLE_PORTFOLIOS.map((name) => {
    const id = `ex-${name}`;
    const pf = parsePortfolio(
      readJsonFile(join(root, `examples/${name}.json`), `examples/${name}.json`),
      market,
    );
    return {
      id,
      group: 'examples' as const,
      accounts: [templateFromPortfolio(id, pf, market)],
      hedged: HEDGED.has(id),
    };
  });
}

/** Selects books from `--books` (all, examples, reference, venue, or book ids, comma-separated). */
function selectBooks(text: string, venueAccounts: number, seed: number, root: string): BacktestBook[] {
  const tokens = list(text);
  if (tokens.length === 0)
    throw new InvalidInputError('--books', text, 'must list at least one book or group');
  const refs: BacktestBook[] = REFERENCE_BOOKS.map((t) => ({
    id: t.id,
    group: 'reference',
    accounts: [t],
    hedged: HEDGED.has(t.id),
  }));
  const examples = exampleBooks(root);
  const venue = (): BacktestBook => ({
    id: 'venue',
    group: 'venue',
    accounts: venueTemplates(seed, venueAccounts),
  });
  const out: BacktestBook[] = [];
  const add = (b: BacktestBook) => {
    if (!out.some((x) => x.id === b.id)) out.push(b);
  };
  const ids = [...examples.map((b) => b.id), ...refs.map((b) => b.id), 'venue'];
  for (const tok of tokens) {
    if (tok === 'all' || tok === 'examples') examples.forEach(add);
    if (tok === 'all' || tok === 'reference') refs.forEach(add);
    if (tok === 'all' || tok === 'venue') add(venue());
    if (['all', 'examples', 'reference', 'venue'].includes(tok)) continue;
    const b = [...examples, ...refs].find((x) => x.id === tok);
    if (b === undefined)
      throw new InvalidInputError(
        '--books',
        tok,
        `must be all, examples, reference, venue or a book id (${ids.join(', ')})`,
      );
    add(b);
  }
  return out;
}

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
  const crashTokens = list(opts.crashes ?? 'all');
  let crashes = CRASH_WINDOWS;
  if (crashTokens.length === 1 && crashTokens[0] === 'none') crashes = [];
  else if (!(crashTokens.length === 1 && crashTokens[0] === 'all')) {
    crashes = crashTokens.map((id) => {
      const c = CRASH_WINDOWS.find((x) => x.id === id);
      if (c === undefined)
        throw new InvalidInputError(
          '--crashes',
          id,
          `must be all, none or crash ids (${CRASH_WINDOWS.map((x) => x.id).join(', ')})`,
        );
      return c;
    });
  }
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
  const input = { fromMs, toMs, stepDays, mprDays, models, books };
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
      tasks.push({ kind: 'crash', crash, models: [m], accounts: crashAccounts, seed, ...dir });
  const results = await runTasks(
    tasks,
    workers,
    opts.onProgress === undefined ? undefined : (d, t) => opts.onProgress!('backtest', d, t),
  );
  const run = mergeBacktestRuns(results.slice(0, chunks) as BacktestRun[]);
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
  const report = buildBacktestReport(run, replays, {
    seed,
    chartBook,
    wallSeconds,
    ...(crashes.length > 0 && { crashAccounts }),
  });
  return { report, wallSeconds };
}

/** The text report: settings, comparison table, crash replays, wall time. */
export function formatBacktest(r: BacktestReport): string {
  const s = r.settings;
  const sum = summaryCells(r);
  const lines = [
    `backtest ${s.from} → ${s.to}, every ${s.stepDays} day(s), margin period of risk ${s.mprDays} day(s), ${r.steps} steps, ${s.books.length} books, seed ${s.seed}`,
    `option vols: DVOL on ${r.volSteps.dvol} steps, 30-day realised vol on ${r.volSteps.realised} (no DVOL before 2021-03-24)`,
    '',
    formatTable(sum.header, sum.rows),
  ];
  if (r.crashes.length > 0) {
    const c = crashCells(r);
    lines.push(
      '',
      `crash replays (${s.crashAccounts} accounts, hourly, seed ${s.seed}):`,
      formatTable(c.header, c.rows),
    );
  }
  for (const e of r.errors)
    lines.push(
      `${e.model} on ${e.book}: ${e.steps} account-step(s) without IM (first ${e.firstTime}: ${e.first})`,
    );
  if (r.wallSeconds !== null) lines.push('', `wall time ${r.wallSeconds.toFixed(1)} s`);
  return lines.join('\n');
}

/** Where the JSON goes: report.html → report.json (any other name: name + .json). */
export function jsonPathFor(htmlPath: string): string {
  const ext = extname(htmlPath);
  return ext === '.html' || ext === '.htm'
    ? join(dirname(htmlPath), `${basename(htmlPath, ext)}.json`)
    : `${htmlPath}.json`;
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
    .option('--crashes <list>', 'all, none, or crash ids', 'all')
    .option('--out <file>', 'write the HTML report there and the JSON next to it')
    .option('--seed <n>', 'seed of the venue population and the crash replays', '1')
    .option('--venue-accounts <n>', 'accounts of the venue population book', '50')
    .option('--crash-accounts <n>', 'accounts of each crash replay', '300')
    .option('--chart-book <id>', 'book drawn in the margin-vs-loss chart (default ref-hedged-options)')
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
        out?: string;
        seed: string;
        venueAccounts: string;
        crashAccounts: string;
        chartBook?: string;
        workers?: string;
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
          ...(opts.from !== undefined && { from: opts.from }),
          ...(opts.to !== undefined && { to: opts.to }),
          ...(opts.chartBook !== undefined && { chartBook: opts.chartBook }),
          ...(opts.workers !== undefined && { workers: opts.workers }),
          onProgress: (phase, done, total) => progress(done, total, phase),
        });
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
