/**
 * The command-line interface: argument parsing (commander), file reading, output, exit codes.
 *
 * Exit codes: 0 success; 2 bad input (unreadable file, invalid JSON, a document failing
 * validation, a value no model accepts: the message names the field); 3 a what-if refused (the
 * verdict names the rule and the shortfall); 1 an internal error.
 * Tables fit 100 columns unless `--wide` (format-table.ts).
 * With --json, results go to stdout as JSON and errors to stderr as {"error":{code,message,details}}.
 */
import { Command, CommanderError } from 'commander';
import { requireInput, XmarginError, type ErrorCode } from '../../core/errors.js';
import { applyFallLimit } from '../../core/margin/fall-limit.js';
import { MARGIN_MODELS } from '../../core/margin/registry.js';
import { readJsonFile } from './read-json-file.js';
import { registerCalibrateCommand } from './calibrate-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerBacktestCommand } from './backtest-command.js';
import { registerImportCommand } from './import-command.js';
import { registerCrossVenueCommand } from './crossvenue-command.js';
import { registerProveCommand } from './prove-command.js';
import { registerVerifyCommand } from './verify-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerOptimiseCommand } from './optimise-command.js';
import { registerAllocateCommand } from './allocate-command.js';
import {
  formatCompare,
  formatMarginResult,
  loadInputs,
  runCompare,
  runMargin,
  runTraderView,
  runWhatIf,
} from './margin-commands.js';
import { DEFAULT_TABLE_WIDTH, setTableWidth, wrapLines } from './format-table.js';
import { formatVerdict } from './trader-view-text.js';
import { parseVerdictRules } from './verdict-options.js';
import { addPlausibilityOptions, boundsFrom, type PlausibilityFlags } from './plausibility-options.js';
import { formatDemo, runDemo } from './demo.js';
import { formatIvTable, formatPriceTable, runIv, runPrice } from './price-commands.js';

/** Where the CLI writes; injectable so tests capture output without spawning a process. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const BAD_INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_INVALID_INPUT',
  'ERR_VALIDATION',
  'ERR_INVALID_PARAMS',
  'ERR_UNKNOWN_UNDERLYING',
  'ERR_UNKNOWN_INSTRUMENT',
  'ERR_UNKNOWN_ASSET',
  'ERR_INSTRUMENT_EXPIRED',
  'ERR_MISSING_MARKET_DATA',
  'ERR_PRICE_OUT_OF_BOUNDS',
  'ERR_INEXACT',
  'ERR_ASSET_MISMATCH',
  'ERR_ORACLE_INSUFFICIENT_SOURCES',
  'ERR_UNSUPPORTED_INSTRUMENT',
  'ERR_OPTIMISATION_INFEASIBLE',
]);

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  let json = false;
  let exitCode = 0;
  setTableWidth(DEFAULT_TABLE_WIDTH);
  // Text output is wrapped to the table width (JSON never is).
  const io: CliIo = { out: (t) => rawIo.out(json ? t : wrapLines(t)), err: rawIo.err };
  const warn = (lines: readonly string[]) => lines.forEach((w) => io.err(`warning: ${w}`));
  const program = new Command()
    .name('xmargin')
    .description('Portfolio margin and liquidation engine for crypto derivatives')
    .version('0.1.0')
    .option('--wide', 'print tables as wide as their content (default: fit 100 columns)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => rawIo.out(s.trimEnd()), writeErr: (s) => rawIo.err(s.trimEnd()) })
    .addHelpText(
      'after',
      '\nExit status: 0 done, 2 bad input (the error names the field), 3 a what-if refused, 1 an internal error.\n' +
        '`npm start` runs `xmargin serve --demo`; see README.md and docs/getting-started.md.',
    )
    .hook('preAction', (_p, action) => {
      if (action.optsWithGlobals<{ wide?: boolean }>().wide === true) setTableWidth(Infinity);
    });

  program
    .command('price')
    .description('Black-76 prices and greeks for a JSON file of options')
    .requiredOption(
      '--input <file>',
      'JSON: {"options":[{"type","forward","strike","tYears","vol","rate"?}]}',
    )
    .option('--json', 'machine-readable output')
    .option('--allow-high-vol', 'accept vols above 5 (500%)')
    .action((opts: { input: string; json?: boolean; allowHighVol?: boolean }) => {
      json = opts.json === true;
      const res = runPrice(readJsonFile(opts.input), boundsFrom(opts));
      io.out(json ? JSON.stringify({ results: res.results }) : formatPriceTable(res));
    });

  program
    .command('iv')
    .description('Black-76 implied volatilities for a JSON file of option prices')
    .requiredOption(
      '--input <file>',
      'JSON: {"options":[{"type","forward","strike","tYears","price","rate"?}]}',
    )
    .option('--json', 'machine-readable output')
    .action((opts: { input: string; json?: boolean }) => {
      json = opts.json === true;
      const res = runIv(readJsonFile(opts.input));
      io.out(json ? JSON.stringify({ results: res.results }) : formatIvTable(res));
    });

  program
    .command('margin')
    .description(
      'Initial and maintenance margin of a portfolio under one model: components, contributions, liquidation prices, greeks',
    )
    .requiredOption('--portfolio <file>', 'portfolio file (docs/formats.md)')
    .requiredOption('--market <file>', 'market file (docs/formats.md)')
    .option('--model <name>', 'margin model (xmargin models lists them)', 'portfolio')
    .option('--params <file>', 'model parameters (partial document merged over the defaults)')
    .option(
      '--previous-im <usd>',
      "the account's previous initial margin: limits how fast IM may fall (with --max-fall)",
    )
    .option(
      '--max-fall <fraction>',
      'largest relative fall of IM per update when --previous-im is given',
      '0.1',
    )
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        portfolio: string;
        market: string;
        model: string;
        params?: string;
        previousIm?: string;
        maxFall: string;
        json?: boolean;
      }) => {
        json = opts.json === true;
        const inputs = loadInputs(opts.market, opts.portfolio, [opts.model], {
          forVols: true,
          bounds: boundsFrom(opts as PlausibilityFlags),
        });
        warn(inputs.warnings);
        let r = runMargin(inputs, opts.model, opts.params);
        const view = runTraderView(inputs, opts.model, opts.params);
        if (opts.previousIm !== undefined) {
          const previous = Number(opts.previousIm);
          const maxFall = Number(opts.maxFall);
          requireInput(
            opts.previousIm.trim() !== '' && previous >= 0 && previous < Infinity,
            '--previous-im',
            opts.previousIm,
            'must be a number >= 0',
          );
          requireInput(
            opts.maxFall.trim() !== '' && maxFall >= 0 && maxFall <= 1,
            '--max-fall',
            opts.maxFall,
            'must be a number in [0, 1]',
          );
          r = applyFallLimit(r, previous, maxFall);
        }
        io.out(
          json
            ? JSON.stringify({ ...r, excessUsd: r.equityUsd - r.initialUsd, ...view })
            : formatMarginResult(r, view),
        );
      },
    );

  program
    .command('compare')
    .description(
      'Every model side by side: requirement, idle collateral, capital released against isolated, buying power',
    )
    .requiredOption('--portfolio <file>', 'portfolio file')
    .requiredOption('--market <file>', 'market file')
    .option('--models <names>', 'comma-separated models (default: all)')
    .option('--instrument <id>', 'also report buying power in this instrument')
    .option('--json', 'machine-readable output')
    .action(
      (opts: { portfolio: string; market: string; models?: string; instrument?: string; json?: boolean }) => {
        json = opts.json === true;
        const models = opts.models
          ? opts.models.split(',').map((s) => s.trim())
          : MARGIN_MODELS.map((m) => m.name);
        const inputs = loadInputs(opts.market, opts.portfolio, models, {
          bounds: boundsFrom(opts as PlausibilityFlags),
        });
        warn(inputs.warnings);
        const out = runCompare(inputs, {
          models,
          ...(opts.instrument ? { instrument: opts.instrument } : {}),
        });
        if (json) {
          const rows = out.rows.map(({ result, ...rest }) => ({
            ...rest,
            worstScenario: result.worstScenario,
            components: result.components,
            contributions: result.contributions,
            paramsVersion: result.paramsVersion,
          }));
          io.out(
            JSON.stringify({
              models: rows,
              errors: out.errors,
              ...(out.buyingPower ? { instrument: out.instrument, buyingPower: out.buyingPower } : {}),
            }),
          );
        } else io.out(formatCompare(out));
      },
    );

  program
    .command('whatif')
    .description(
      'The verdict on proposed trades under one model: accepted or refused, the rule, the shortfall, before and after (exit 3 when refused)',
    )
    .requiredOption('--portfolio <file>', 'portfolio file')
    .requiredOption('--market <file>', 'market file')
    .requiredOption('--trades <file>', 'JSON: {"trades":[{"instrument","size"}]}')
    .option('--model <name>', "margin model (the account's own mode)", 'portfolio')
    .option('--params <file>', 'model parameters')
    .option(
      '--buffer <fraction>',
      'personal buffer over maintenance: requirement max(IM, MM × (1 + buffer))',
      '0',
    )
    .option('--max-leverage <ratio>', 'refuse risk-increasing trades above this gross notional / equity')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        portfolio: string;
        market: string;
        trades: string;
        model: string;
        params?: string;
        buffer: string;
        maxLeverage?: string;
        json?: boolean;
      }) => {
        json = opts.json === true;
        const rules = parseVerdictRules(opts.buffer, opts.maxLeverage);
        const inputs = loadInputs(opts.market, opts.portfolio, [opts.model], {
          forVols: true,
          bounds: boundsFrom(opts as PlausibilityFlags),
        });
        warn(inputs.warnings);
        const v = runWhatIf(inputs, opts.trades, opts.model, opts.params, rules);
        io.out(json ? JSON.stringify(v) : formatVerdict(v));
        if (v.verdict === 'refused') exitCode = 3;
      },
    );

  registerModelsCommand(program, io, (j) => (json = j));

  for (const name of ['margin', 'compare', 'whatif'])
    addPlausibilityOptions(program.commands.find((c) => c.name() === name)!);

  registerCalibrateCommand(program, io, (j) => (json = j));
  registerSimulateCommand(program, io, (j) => (json = j));
  registerServeCommand(program, rawIo); // log lines: never wrapped
  registerBacktestCommand(program, io, (j) => (json = j));
  registerImportCommand(program, io, (j) => (json = j));
  registerCrossVenueCommand(program, io, (j) => (json = j));
  registerProveCommand(program, io, (j) => (json = j));
  registerVerifyCommand(program, io, (j) => (json = j));
  registerOptimiseCommand(program, io, (j) => (json = j));
  registerAllocateCommand(program, io, (j) => (json = j));

  program
    .command('demo')
    .description(
      "Price a real Deribit BTC option chain (snapshot of 2026-03-01) and compare with Deribit's marks",
    )
    .action(() => {
      io.out(formatDemo(runDemo()));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors are bad input.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof XmarginError) {
      if (json) io.err(JSON.stringify({ error: e.toJSON() }));
      else io.err(`error ${e.code}: ${e.message}`);
      return BAD_INPUT_CODES.has(e.code) ? 2 : 1;
    }
    io.err(`internal error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
