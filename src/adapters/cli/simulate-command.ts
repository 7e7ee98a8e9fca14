/**
 * `xmargin simulate --from DATE --to DATE [--accounts N] [--seed S] [--models a,b] [--step-hours H] [--json]`:
 * a seeded venue replayed through the shipped hourly history under each model, liquidated by the
 * engine's planner (docs/methodology/simulation.md). Prints a per-model table (or JSON).
 */
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { HOUR_MS, formatUtcTime, parseUtcTime } from '../../core/history/utc-time.js';
import { simulateVenue, type SimulationResult } from '../../engine/simulation/index.js';
import { loadDvol, loadHourlyHistory } from '../marketdata/history/load-history.js';
import type { CliIo } from './run-cli.js';
import { PROGRESS_OPTION, progressFor } from './progress.js';
import { intOption } from './int-option.js';
import { formatTable } from './format-table.js';

/** Symbols replayed (hourly closes from data/history). */
const SIM_SYMBOLS = ['BTC', 'ETH', 'SOL'] as const;
/** Default models compared. */
export const DEFAULT_SIM_MODELS = ['isolated', 'cross', 'portfolio', 'es'] as const;

/** Options of {@link runSimulate} (text as on the command line). */
export interface SimulateOptions {
  readonly from: string;
  readonly to: string;
  readonly accounts?: string;
  readonly seed?: string;
  readonly models?: string;
  readonly stepHours?: string;
  /** vol for options when DVOL has no value at the start (before 2021-03), annualised fraction */
  readonly flatVol?: string;
  /** history directory (tests); default data/history */
  readonly dir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A UTC date `YYYY-MM-DD` or time `YYYY-MM-DDTHH:MM:SSZ`, ms. */
function parseTime(text: string, name: string): number {
  const ms = parseUtcTime(text, text.length === 10 ? 'date' : 'datetime');
  if (!Number.isFinite(ms))
    throw new InvalidInputError(name, text, 'must be a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  return ms;
}

/**
 * Loads the history and runs the simulation.
 * @throws InvalidInputError ERR_INVALID_INPUT naming --from, --to, --accounts, --seed, --models,
 *         --step-hours or --flat-vol
 */
export function runSimulate(opts: SimulateOptions): SimulationResult {
  const fromMs = parseTime(opts.from, '--from');
  const toMs = parseTime(opts.to, '--to');
  if (!(toMs > fromMs)) throw new InvalidInputError('--to', opts.to, 'must be after --from');
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
  const dir = opts.dir === undefined ? {} : { dir: opts.dir };
  // The whole history up to the end: the statistical models read the years before each step.
  const hourly = loadHourlyHistory({ symbols: SIM_SYMBOLS, toMs: toMs + HOUR_MS, ...dir });
  const dvol = loadDvol({ toMs: toMs + HOUR_MS, ...dir });
  const first = hourly.timesMs[0] ?? Infinity;
  const last = (hourly.timesMs[hourly.timesMs.length - 1] ?? -Infinity) + hourly.stepMs;
  if (!(fromMs >= first + HOUR_MS && toMs <= last))
    throw new InvalidInputError(
      '--from',
      opts.from,
      `--from/--to must lie within the shipped hourly history (${formatUtcTime(first)} to ${formatUtcTime(last)})`,
    );
  return simulateVenue({
    fromMs,
    toMs,
    stepHours,
    models,
    accounts,
    seed,
    flatVol,
    history: { hourly, dvol },
    ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }),
  });
}

const usd = (x: number) => Math.round(x).toLocaleString('en-US');

/** Text report: the vol note and one row per model. */
export function formatSimulation(r: SimulationResult): string {
  const vols = Object.entries(r.vols)
    .map(([a, v]) => `${a} ${(100 * v).toFixed(1)}%`)
    .join(', ');
  const lines = [
    `venue replay ${formatUtcTime(r.fromMs)} → ${formatUtcTime(r.toMs)}, every ${r.stepHours}h (${r.steps} steps), seed ${r.seed}`,
    r.volSource === 'dvol'
      ? `options marked at DVOL at the start: ${vols}`
      : `options marked at a flat vol (no DVOL at the start date; DVOL starts 2021-03-24): ${vols}`,
    '',
    formatTable(
      [
        'model',
        'accounts',
        'unhealthy@start',
        'liquidations',
        'accts liquidated',
        'bankrupt',
        'liq cost USD',
        'fees USD',
        'IF start',
        'IF end',
        'IF min',
        'bad debt USD',
        'ADL events',
        'worst equity/MM',
      ],
      r.models.map((m) =>
        m.error !== undefined
          ? [m.model, String(m.accounts), `error: ${m.error}`]
          : [
              m.model,
              String(m.accounts),
              String(m.unhealthyAtStart),
              String(m.liquidations),
              String(m.liquidatedAccounts),
              String(m.bankruptcies),
              usd(m.totalCostUsd),
              usd(m.liquidatorFeesUsd + m.insuranceFeesUsd),
              usd(m.insurance.startUsd),
              usd(m.insurance.endUsd),
              usd(m.insurance.minUsd),
              usd(m.badDebtUsd),
              String(m.adlEvents.length),
              Number.isFinite(m.worstHealth.ratio) ? m.worstHealth.ratio.toFixed(3) : '-',
            ],
      ),
    ),
  ];
  return lines.join('\n');
}

/** JSON report: times as ISO text; the per-step ledger and ADL events kept. */
export function toSimulationJson(r: SimulationResult): unknown {
  const iso = (ms: number) => formatUtcTime(ms);
  return {
    from: iso(r.fromMs),
    to: iso(r.toMs),
    stepHours: r.stepHours,
    seed: r.seed,
    steps: r.steps,
    volSource: r.volSource,
    vols: r.vols,
    models: r.models.map((m) => ({
      ...m,
      worstHealth: {
        ratio: Number.isFinite(m.worstHealth.ratio) ? m.worstHealth.ratio : null,
        accountId: m.worstHealth.accountId,
        time: iso(m.worstHealth.timeMs),
      },
      adlEvents: m.adlEvents.map(({ timeMs, ...e }) => ({ ...e, time: iso(timeMs) })),
      ledger: m.ledger.map(({ timeMs, ...l }) => ({ ...l, time: iso(timeMs) })),
    })),
  };
}

/** Registers `xmargin simulate` on the program. */
export function registerSimulateCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('simulate')
    .description('Replay a seeded venue through the shipped hourly history under each margin model')
    .requiredOption('--from <date>', 'start, UTC date YYYY-MM-DD or ISO time')
    .requiredOption('--to <date>', 'end (inclusive), UTC date YYYY-MM-DD or ISO time')
    .option('--accounts <n>', 'number of accounts', '300')
    .option('--seed <s>', 'RNG seed', '1')
    .option('--models <list>', 'comma-separated model names', DEFAULT_SIM_MODELS.join(','))
    .option('--step-hours <h>', 'hours between valuations', '1')
    .option('--flat-vol <v>', 'option vol when no DVOL exists at the start (fraction)', '0.6')
    .option('--json', 'machine-readable output')
    .option(...PROGRESS_OPTION)
    .action(
      (opts: {
        from: string;
        to: string;
        accounts: string;
        seed: string;
        models: string;
        stepHours: string;
        flatVol: string;
        json?: boolean;
        progress: string;
      }) => {
        setJson(opts.json === true);
        const progress = progressFor('simulate', opts.progress);
        const r = runSimulate({
          from: opts.from,
          to: opts.to,
          accounts: opts.accounts,
          seed: opts.seed,
          models: opts.models,
          stepHours: opts.stepHours,
          flatVol: opts.flatVol,
          onProgress: (done, total) => progress(done, total),
        });
        io.out(opts.json === true ? JSON.stringify(toSimulationJson(r)) : formatSimulation(r));
      },
    );
}
