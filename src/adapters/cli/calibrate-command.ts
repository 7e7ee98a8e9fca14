/**
 * `xmargin calibrate --as-of DATE [--out FILE] [--market FILE] [--previous FILE] [--holding-usd N] [--json]`:
 * dynamic haircuts and linear margin rates calibrated on the shipped history up to a date
 * (docs/methodology/collateral.md#calibration). Writes a params file the `isolated` and `cross`
 * models accept, and prints a report (text table, or JSON with --json).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError, InvariantError } from '../../core/errors.js';
import { alignHistory } from '../../core/history/align-history.js';
import type { OhlcvSeries } from '../../core/history/parse-ohlcv-csv.js';
import { DAY_MS, HOUR_MS, formatUtcTime, parseUtcTime } from '../../core/history/utc-time.js';
import type { DepthCurve } from '../../core/market/depth-curve.js';
import { crossModel } from '../../core/margin/rate-based-models.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import {
  calibrateCollateral,
  DEFAULT_CALIBRATION_PARAMS,
  type CalibrationParams,
  type CalibrationResult,
} from '../../core/collateral/index.js';
import { readHistoryFile } from '../marketdata/history/load-history.js';
import {
  defaultHistoryDir,
  readHistoryManifest,
  type HistoryManifestEntry,
} from '../marketdata/history/history-manifest.js';
import type { CliIo } from './run-cli.js';
import { formatNumber, formatTable } from './format-table.js';
import { readJsonFile } from './read-json-file.js';
import { PROGRESS_OPTION, progressFor } from './progress.js';

/** Hourly symbols that are stablecoins (quoted in USDT): calibrated from daily USD data instead. */
const HOURLY_STABLES = new Set(['USDC', 'BUSD', 'TUSD']);
/** Stablecoins whose haircuts are calibrated (the ones the default params list). */
const STABLECOINS = ['USDC', 'USDT', 'DAI'] as const;
/** Days of hourly history required before the first accepted as-of date (EWMA warm-up). */
const MIN_HISTORY_DAYS = 31;

/** Options of {@link runCalibrate}. */
export interface CalibrateOptions {
  /** as-of date `YYYY-MM-DD` (UTC): only bars that close by 00:00 UTC that day are used */
  readonly asOf: string;
  /** market file whose depth curves replace the sqrt model */
  readonly market?: string;
  /** previous params file (isolated/cross shape): the speed limit applies against its haircuts */
  readonly previous?: string;
  /** reference holding for the liquidity part, USD (text from the command line) */
  readonly holdingUsd?: string;
  /** history directory (tests); default data/history */
  readonly dir?: string;
  /** progress in history files read, then the calibration as the last unit */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Output of {@link runCalibrate}: the calibration and the params document it proposes. */
export interface CalibrateOutput {
  readonly result: CalibrationResult;
  readonly paramsDoc: CalibrationResult['params'];
}

function parseAsOf(text: string, first: string, last: string): number {
  const min = parseUtcTime(first.slice(0, 10), 'date') + MIN_HISTORY_DAYS * DAY_MS;
  const max = parseUtcTime(last.slice(0, 10), 'date') + DAY_MS;
  const rule = `must be a UTC date YYYY-MM-DD from ${formatUtcTime(min).slice(0, 10)} to ${formatUtcTime(max).slice(0, 10)} (the shipped BTC hourly history after ${MIN_HISTORY_DAYS} days of warm-up)`;
  const ms = parseUtcTime(text, 'date');
  if (!(ms >= min && ms <= max)) throw new InvalidInputError('--as-of', text, rule);
  return ms;
}

function parseHolding(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CALIBRATION_PARAMS.holdingUsd;
  const x = Number(text);
  if (!(text.trim() !== '' && Number.isFinite(x) && x > 0))
    throw new InvalidInputError('--holding-usd', text, 'must be a number of USD > 0');
  return x;
}

/** ADV in USD/day from the last `days` days of bars: Σ volume·close over the bars / (bars / 24). */
function historyAdv(series: OhlcvSeries, asOfMs: number, days: number): number | undefined {
  let sum = 0;
  let bars = 0;
  for (const r of series.rows) {
    if (r.timeMs < asOfMs - days * DAY_MS || r.volume === undefined) continue;
    sum += r.volume * r.close;
    bars++;
  }
  // Less than a day of bars is no measurement: the caller falls back to the params assumption.
  return bars >= 24 && sum > 0 ? sum / (bars / 24) : undefined;
}

/**
 * Loads the shipped history up to the as-of date and calibrates (no output written).
 * @throws InvalidInputError ERR_INVALID_INPUT naming --as-of, --holding-usd, --market or --previous
 * @throws ValidationError ERR_VALIDATION when --market or --previous fails its schema
 */
export function runCalibrate(opts: CalibrateOptions): CalibrateOutput {
  const dir = opts.dir ?? defaultHistoryDir();
  const manifest = readHistoryManifest(dir);
  const btc = manifest.files.find((f) => f.kind === 'ohlcv_1h' && f.symbol === 'BTC');
  if (btc === undefined) throw new InvariantError('MANIFEST.json lists no hourly BTC file', { dir });
  const asOfMs = parseAsOf(opts.asOf, btc.first, btc.last);
  const params: CalibrationParams = {
    ...DEFAULT_CALIBRATION_PARAMS,
    holdingUsd: parseHolding(opts.holdingUsd),
  };
  const depthCurves: ReadonlyMap<string, DepthCurve> | undefined =
    opts.market === undefined
      ? undefined
      : buildMarginMarket(readJsonFile(opts.market, '--market')).snapshot.depthCurves;
  const previous =
    opts.previous === undefined
      ? undefined
      : crossModel.parseParams(readJsonFile(opts.previous, '--previous')).haircuts;

  // No look-ahead: every file is cut at the as-of time (bars opening before it).
  const hourlyFiles = manifest.files.filter((f) => f.kind === 'ohlcv_1h' && !HOURLY_STABLES.has(f.symbol));
  const dailyFiles = manifest.files.filter(
    (f) => f.kind === 'ohlcv_1d' && f.symbol !== 'BTC-USD' && f.symbol !== 'ETH-USD',
  );
  const units = hourlyFiles.length + dailyFiles.length + 1;
  let done = 0;
  const read = (e: HistoryManifestEntry) => {
    const series = readHistoryFile(dir, e, { toMs: asOfMs });
    opts.onProgress?.(++done, units);
    return series;
  };
  const skipped: { asset: string; reason: string }[] = [];
  const nonEmpty = (series: OhlcvSeries[], what: string) =>
    series.filter((s) => {
      if (s.rows.length > 0) return true;
      skipped.push({ asset: s.symbol, reason: `no ${what} history before the as-of time` });
      return false;
    });
  const hourlySeries = nonEmpty(hourlyFiles.map(read), 'hourly');
  const dailySeries = nonEmpty(dailyFiles.map(read), 'daily');
  const historyAdvUsd = new Map<string, number>();
  for (const s of hourlySeries) {
    const adv = historyAdv(s, asOfMs, params.advDays);
    if (adv !== undefined) historyAdvUsd.set(s.symbol, adv);
  }
  const hourly = alignHistory(hourlySeries, { stepMs: HOUR_MS, toMs: asOfMs });
  const daily = alignHistory(dailySeries, { stepMs: DAY_MS, toMs: asOfMs });
  const result = calibrateCollateral(
    {
      asOfMs,
      hourly,
      daily,
      dailyLow: daily.low,
      stablecoins: STABLECOINS,
      historyAdvUsd,
      ...(depthCurves !== undefined && { depthCurves }),
      ...(previous !== undefined && { previous }),
    },
    params,
  );
  opts.onProgress?.(units, units);
  const all = { ...result, skipped: [...skipped, ...result.skipped] };
  // The document must be one the rate-based models accept; a failure here is a bug, not bad input.
  crossModel.parseParams(result.params);
  return { result: all, paramsDoc: result.params };
}

const pct = (x: number | null, digits = 2) =>
  x === null || !Number.isFinite(x) ? '-' : `${(100 * x).toFixed(digits)}%`;
const usdMillions = (x: number) => `${Math.round(x / 1e6).toLocaleString('en-US')}M`;
const day = (ms: number) => (Number.isFinite(ms) ? formatUtcTime(ms).slice(0, 10) : '-');

const bound = (x: number) => (x >= 1e6 ? `${formatNumber(x / 1e6, 3)}M` : formatNumber(x, 3));

/** The proposed brackets, one row per asset: IM/MM per bracket, columns by the first asset's bounds. */
function formatRateTable(assets: CalibrationResult['assets']): string {
  const withRates = assets.filter((a) => a.rates !== undefined);
  const first = withRates[0]?.rates ?? [];
  const label = (t: { upToUsd: number | null }, i: number, tiers: readonly { upToUsd: number | null }[]) =>
    t.upToUsd === null ? `> ${bound(tiers[i - 1]?.upToUsd ?? 0)}` : `≤ ${bound(t.upToUsd)}`;
  const header = ['asset', ...first.map((t, i) => label(t, i, first)), 'IM exceeded'];
  return formatTable(
    header,
    withRates.map((a) => [
      a.asset,
      ...a.rates!.map((t, i) => {
        const same = label(t, i, a.rates!) === header[i + 1];
        return `${same ? '' : `${label(t, i, a.rates!)}: `}${pct(t.imRate)}/${pct(t.mmRate)}`;
      }),
      pct(a.coverage.imRate?.share ?? NaN),
    ]),
  );
}

/** Text report: one row per asset, the proposed first brackets, skipped assets, depeg table. */
export function formatCalibration(out: CalibrateOutput, outPath?: string): string {
  const r = out.result;
  const lines = [
    `calibration as of ${formatUtcTime(r.asOfMs)} (history up to that time only)`,
    ...(outPath === undefined ? [] : [`params written to ${outPath}`]),
    '',
    formatTable(
      [
        'asset',
        'last bar',
        'vol (ann.)',
        'MPOR 99% down/up',
        'MPOR 97.5% down',
        'ADV USD (source)',
        'liq cost',
        'IM haircut',
        'MM haircut',
        'binding IM/MM',
        'IM exceed (today/backtest)',
        'MM exceed (today/backtest)',
      ],
      r.assets.map((a) => [
        a.asset,
        day(a.lastBarMs),
        pct(a.annualisedVol, 1),
        `${pct(a.moves.im.down)} / ${pct(a.moves.im.up)}`,
        pct(a.moves.mm.down),
        `${usdMillions(a.liquidity.advUsd)} (${a.liquidity.advSource})`,
        pct(a.haircut.liquidity.costFraction, 3),
        pct(a.haircut.im.haircut),
        pct(a.haircut.mm.haircut),
        `${a.haircut.im.binding}/${a.haircut.mm.binding}`,
        `${pct(a.coverage.imHaircut.share)} / ${pct(a.coverage.imBacktest.share)}`,
        `${pct(a.coverage.mmHaircut.share)} / ${pct(a.coverage.mmBacktest.share)}`,
      ]),
    ),
    '',
    'proposed linear rates, IM/MM per bracket of notional (USD):',
    formatRateTable(r.assets),
  ];
  if (r.skipped.length > 0) lines.push('', 'skipped:', ...r.skipped.map((s) => `  ${s.asset}: ${s.reason}`));
  const notes = r.assets.flatMap((a) => a.notes.map((n) => `  ${a.asset}: ${n}`));
  if (notes.length > 0) lines.push('', 'notes:', ...notes);
  lines.push(
    '',
    formatTable(
      ['stablecoin', 'days', 'worst day', 'on', 'worst close vs 1', 'on', 'worst low vs 1'],
      r.depeg.map((d) => [
        d.asset,
        String(d.days),
        pct(d.worstDailyReturn),
        day(d.worstDailyMs),
        pct(-d.worstCloseBelowPar),
        day(d.worstCloseMs),
        pct(-d.worstLowBelowPar),
      ]),
    ),
  );
  if (r.genericDepegFloor)
    lines.push(`generic stable floor: IM ${pct(r.genericDepegFloor.im)}, MM ${pct(r.genericDepegFloor.mm)}`);
  return lines.join('\n');
}

/** JSON report: times as ISO text, every diagnostic kept. */
export function toCalibrationJson(out: CalibrateOutput, outPath?: string): unknown {
  const r = out.result;
  const iso = (ms: number) => (Number.isFinite(ms) ? formatUtcTime(ms) : null);
  return {
    asOf: iso(r.asOfMs),
    ...(outPath !== undefined && { paramsFile: outPath }),
    assets: r.assets.map((a) => ({ ...a, lastBarMs: undefined, lastBar: iso(a.lastBarMs) })),
    skipped: r.skipped,
    depeg: r.depeg.map((d) => ({
      ...d,
      firstMs: undefined,
      lastMs: undefined,
      worstDailyMs: undefined,
      worstCloseMs: undefined,
      worstLowMs: undefined,
      first: iso(d.firstMs),
      last: iso(d.lastMs),
      worstDailyOn: iso(d.worstDailyMs),
      worstCloseOn: iso(d.worstCloseMs),
      worstLowOn: iso(d.worstLowMs),
    })),
    genericDepegFloor: r.genericDepegFloor ?? null,
    params: out.paramsDoc,
  };
}

/**
 * Registers `calibrate` on the program (wired by run-cli.ts).
 * @param program  the commander program
 * @param io       where output goes
 * @param setJson  tells the caller whether errors must be printed as JSON
 */
export function registerCalibrateCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('calibrate')
    .description('Dynamic haircuts and linear margin rates calibrated on the shipped history up to a date')
    .requiredOption('--as-of <date>', 'UTC date YYYY-MM-DD; only history before 00:00 UTC that day is used')
    .option('--out <file>', 'write the params file (isolated/cross models) here')
    .option('--market <file>', 'market file whose depth curves replace the square-root impact model')
    .option(
      '--previous <file>',
      `previous params file: haircuts move at most ${DEFAULT_CALIBRATION_PARAMS.haircut.maxStep} from it`,
    )
    .option('--holding-usd <usd>', 'reference holding for the liquidity part, USD', '1000000')
    .option('--json', 'machine-readable output')
    .option(...PROGRESS_OPTION)
    .action(
      (opts: {
        asOf: string;
        out?: string;
        market?: string;
        previous?: string;
        holdingUsd: string;
        json?: boolean;
        progress: string;
      }) => {
        setJson(opts.json === true);
        const out = runCalibrate({
          asOf: opts.asOf,
          holdingUsd: opts.holdingUsd,
          onProgress: progressFor('calibrate', opts.progress),
          ...(opts.market !== undefined && { market: opts.market }),
          ...(opts.previous !== undefined && { previous: opts.previous }),
        });
        if (opts.out !== undefined) {
          try {
            writeFileSync(opts.out, `${JSON.stringify(out.paramsDoc, null, 2)}\n`);
          } catch (e) {
            throw new InvalidInputError(
              '--out',
              opts.out,
              `must name a writable file (${(e as NodeJS.ErrnoException).code ?? 'unwritable'})`,
            );
          }
        }
        io.out(
          opts.json === true
            ? JSON.stringify(toCalibrationJson(out, opts.out))
            : formatCalibration(out, opts.out),
        );
      },
    );
}
