/**
 * `xmargin simulate (--from DATE --to DATE | --crashes NAME,...|all) [--accounts N] [--seed S]
 * [--models a,b] [--step-hours H] [--flat-vol V] [--funding LO:HI] [--insurance-usd N]
 * [--path close|intrabar] [--fall-limit on|off] [--json]`: a seeded venue replayed through the shipped hourly history
 * under each model, liquidated by the engine's planner (docs/methodology/simulation.md). One
 * window prints a per-model table; `--crashes` replays each named crash and prints, per crash and
 * model, liquidations, bankruptcies, bad debt, insurance fund drawn and ADL events.
 */
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { HOUR_MS, formatUtcTime, parseUtcTime } from '../../core/history/utc-time.js';
import {
  parseFundingRange,
  parseInsuranceUsd,
  parsePricePath,
  selectCrashes,
  simulateVenue,
  type CrashWindow,
  type SimulationResult,
} from '../../engine/simulation/index.js';
import { loadDvol } from '../marketdata/history/load-history.js';
import { readHistoryManifest } from '../marketdata/history/history-manifest.js';
import { loadSplicedHourly } from '../marketdata/history/load-market-history.js';
import type { CliIo } from './run-cli.js';
import {
  formatCrashSimulations,
  formatSimulation,
  toCrashSimulationsJson,
  toSimulationJson,
} from './simulate-report.js';
import { PROGRESS_OPTION, progressFor } from './progress.js';
import { intOption } from './int-option.js';

export { formatSimulation, toSimulationJson } from './simulate-report.js';

/** Symbols replayed (hourly closes from data/history); USDC so that its depeg moves collateral. */
const SIM_SYMBOLS = ['BTC', 'ETH', 'SOL', 'USDC'] as const;
/** Underlyings extended back with daily closes for the statistical models' stress library. */
const EXTENDED = ['BTC', 'ETH', 'SOL'] as const;
/** Default models compared. */
export const DEFAULT_SIM_MODELS = ['isolated', 'cross', 'portfolio', 'es'] as const;

/** Options of {@link runSimulate} (text as on the command line). */
export interface SimulateOptions {
  readonly from?: string;
  readonly to?: string;
  /** crash names or `all` (instead of --from/--to) */
  readonly crashes?: string;
  readonly accounts?: string;
  readonly seed?: string;
  readonly models?: string;
  readonly stepHours?: string;
  /** vol for options when DVOL has no value at the start (before 2021-03), annualised fraction */
  readonly flatVol?: string;
  /** `LO:HI`: each account funded at its model's IM × U(LO, HI) */
  readonly funding?: string;
  /** one insurance fund for every model, USD */
  readonly insuranceUsd?: string;
  /** `close` (default) or `intrabar` */
  readonly path?: string;
  /** `on` (default): the venue applies the models' fall limits; `off`: the venue param set to null */
  readonly fallLimit?: string;
  /** history directory (tests); default data/history */
  readonly dir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One crash replayed. */
export interface CrashSimulation {
  readonly crash: CrashWindow;
  readonly result: SimulationResult;
}

/** A UTC date `YYYY-MM-DD` or time `YYYY-MM-DDTHH:MM:SSZ`, ms. */
function parseTime(text: string, name: string): number {
  const ms = parseUtcTime(text, text.length === 10 ? 'date' : 'datetime');
  if (!Number.isFinite(ms))
    throw new InvalidInputError(name, text, 'must be a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  return ms;
}

/** The replay settings shared by every window, validated. */
function parseSettings(opts: SimulateOptions) {
  const accounts = intOption(opts.accounts, '--accounts', 300, 1, 100_000);
  const seed = intOption(opts.seed, '--seed', 1, 0, 2 ** 31 - 1);
  const stepHours = intOption(opts.stepHours, '--step-hours', 1, 1, 24 * 30);
  const flatVol = opts.flatVol === undefined ? 0.6 : Number(opts.flatVol);
  if (!(Number.isFinite(flatVol) && flatVol > 0 && flatVol < 5))
    throw new InvalidInputError('--flat-vol', opts.flatVol, 'must be an annualised vol fraction in (0, 5)');
  const models = (opts.models ?? DEFAULT_SIM_MODELS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (models.length === 0)
    throw new InvalidInputError('--models', opts.models, 'must list at least one model');
  const path = parsePricePath(opts.path ?? 'close');
  if (path === 'intrabar' && stepHours !== 1)
    throw new InvalidInputError('--step-hours', opts.stepHours, 'must be 1 with --path intrabar');
  const funding = opts.funding === undefined ? undefined : parseFundingRange(opts.funding);
  const insuranceUsd = opts.insuranceUsd === undefined ? undefined : parseInsuranceUsd(opts.insuranceUsd);
  const fallLimit = opts.fallLimit ?? 'on';
  if (fallLimit !== 'on' && fallLimit !== 'off')
    throw new InvalidInputError('--fall-limit', opts.fallLimit, 'must be on or off');
  return {
    fallLimit: fallLimit === 'on',
    accounts,
    seed,
    stepHours,
    flatVol,
    models,
    path,
    ...(funding !== undefined && { funding }),
    ...(insuranceUsd !== undefined && { insuranceUsd }),
  };
}

/** The shipped hourly range (BTC's hourly bars), ms: [first close, last close]. */
function hourlyRange(dir?: string): { first: number; last: number } {
  const m = readHistoryManifest(...(dir === undefined ? [] : [dir]));
  const btc = m.files.find((f) => f.kind === 'ohlcv_1h' && f.symbol === 'BTC')!;
  return { first: Date.parse(btc.first) + HOUR_MS, last: Date.parse(btc.last) + HOUR_MS };
}

function history(toMs: number, dir?: string) {
  const d = dir === undefined ? {} : { dir };
  // The whole history up to the end: the statistical models read the years before each step.
  return {
    hourly: loadSplicedHourly({ symbols: SIM_SYMBOLS, extend: EXTENDED, toMs: toMs + HOUR_MS, ...d }),
    dvol: loadDvol({ toMs: toMs + HOUR_MS, ...d }),
  };
}

/**
 * Loads the history and runs the simulation over --from/--to.
 * @throws InvalidInputError ERR_INVALID_INPUT naming --from, --to, --accounts, --seed, --models,
 *         --step-hours, --flat-vol, --funding, --insurance-usd, --path or --fall-limit
 */
export function runSimulate(opts: SimulateOptions): SimulationResult {
  if (opts.from === undefined || opts.to === undefined)
    throw new InvalidInputError('--from', opts.from ?? '', 'and --to are required unless --crashes is given');
  const fromMs = parseTime(opts.from, '--from');
  const toMs = parseTime(opts.to, '--to');
  if (!(toMs > fromMs)) throw new InvalidInputError('--to', opts.to, 'must be after --from');
  const settings = parseSettings(opts);
  const range = hourlyRange(opts.dir);
  if (!(fromMs >= range.first && toMs <= range.last))
    throw new InvalidInputError(
      '--from',
      opts.from,
      `--from/--to must lie within the shipped hourly history (${formatUtcTime(range.first - HOUR_MS)} to ${formatUtcTime(range.last)})`,
    );
  return simulateVenue({
    fromMs,
    toMs,
    ...settings,
    history: history(toMs, opts.dir),
    ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }),
  });
}

/**
 * Replays every crash named by --crashes (each its own window, the same settings).
 * @throws InvalidInputError as {@link runSimulate}, and for --crashes naming an unknown crash or
 *         given together with --from/--to
 */
export function runSimulateCrashes(opts: SimulateOptions): CrashSimulation[] {
  if (opts.from !== undefined || opts.to !== undefined)
    throw new InvalidInputError('--crashes', opts.crashes ?? '', 'cannot be combined with --from/--to');
  const crashes = selectCrashes(opts.crashes ?? 'all');
  const settings = parseSettings(opts);
  const lastMs = Math.max(...crashes.map((c) => c.toMs));
  const h = history(lastMs, opts.dir);
  const sizes = crashes.map(
    (c) =>
      ((settings.path === 'intrabar' ? 3 : 1) * Math.floor((c.toMs - c.fromMs) / HOUR_MS) + 1) *
      settings.models.length,
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  return crashes.map((crash, i) => {
    const offset = before;
    before += sizes[i]!;
    const result = simulateVenue({
      fromMs: crash.fromMs,
      toMs: crash.toMs,
      ...settings,
      history: h,
      ...(opts.onProgress !== undefined && {
        onProgress: (d: number) => opts.onProgress!(offset + d, total),
      }),
    });
    return { crash, result };
  });
}

/** Registers `xmargin simulate` on the program. */
export function registerSimulateCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('simulate')
    .description(
      'Replay a seeded venue through the shipped hourly history (a window or the shipped crashes) under each margin model',
    )
    .option('--from <date>', 'start, UTC date YYYY-MM-DD or ISO time')
    .option('--to <date>', 'end (inclusive), UTC date YYYY-MM-DD or ISO time')
    .option(
      '--crashes <list>',
      'shipped crashes instead of --from/--to: all, or names (2020-03-12, 2021-05-19, 2022-05, 2022-11, 2023-03)',
    )
    .option('--accounts <n>', 'number of accounts', '300')
    .option('--seed <s>', 'RNG seed', '1')
    .option('--models <list>', 'comma-separated model names', DEFAULT_SIM_MODELS.join(','))
    .option('--step-hours <h>', 'hours between valuations', '1')
    .option('--flat-vol <v>', 'option vol when no DVOL exists at the start (fraction)', '0.6')
    .option('--funding <lo:hi>', "each account funded at its own model's IM × U(lo, hi), e.g. 1.0:1.3")
    .option('--insurance-usd <n>', 'one insurance fund for every model, USD (default 1% of open interest)')
    .option('--path <path>', 'close, or intrabar (each hour’s extremes in the adverse order)', 'close')
    .option(
      '--fall-limit <on|off>',
      "the venue holds each account to its model's fall limit (es: 10% a day)",
      'on',
    )
    .option('--json', 'machine-readable output')
    .option(...PROGRESS_OPTION)
    .action((opts: Record<string, string | boolean | undefined>) => {
      const json = opts.json === true;
      setJson(json);
      const text = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
      const o: SimulateOptions = Object.fromEntries(
        [
          'from',
          'to',
          'crashes',
          'accounts',
          'seed',
          'models',
          'stepHours',
          'flatVol',
          'funding',
          'insuranceUsd',
          'path',
          'fallLimit',
        ]
          .filter((k) => text(k) !== undefined)
          .map((k) => [k, text(k)]),
      );
      const progress = progressFor('simulate', text('progress') ?? PROGRESS_OPTION[2]);
      const withProgress = { ...o, onProgress: (done: number, total: number) => progress(done, total) };
      if (o.crashes !== undefined) {
        const r = runSimulateCrashes(withProgress);
        io.out(json ? JSON.stringify(toCrashSimulationsJson(r)) : formatCrashSimulations(r));
        return;
      }
      const r = runSimulate(withProgress);
      io.out(json ? JSON.stringify(toSimulationJson(r)) : formatSimulation(r));
    });
}
