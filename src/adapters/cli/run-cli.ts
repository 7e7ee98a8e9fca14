/**
 * The command-line interface: argument parsing (commander), file reading, output, exit codes.
 *
 * Exit codes: 0 success; 2 bad input (unreadable file, invalid JSON, a document failing
 * validation, a value no model accepts: the message names the field); 1 an internal error.
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
import { registerModelsCommand } from './models-command.js';
import { registerOptimiseCommand } from './optimise-command.js';
import { registerAllocateCommand } from './allocate-command.js';
import {
  formatCompare,
  formatMarginResult,
  formatWhatIf,
  loadInputs,
  runCompare,
  runMargin,
  runWhatIf,
} from './margin-commands.js';
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
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = false;
  const program = new Command()
    .name('xmargin')
    .description('Portfolio margin and liquidation engine for crypto derivatives')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('price')
    .description('Black-76 prices and greeks for a JSON file of options')
    .requiredOption(
      '--input <file>',
      'JSON: {"options":[{"type","forward","strike","tYears","vol","rate"?}]}',
    )
    .option('--json', 'machine-readable output')
    .action((opts: { input: string; json?: boolean }) => {
      json = opts.json === true;
      const res = runPrice(readJsonFile(opts.input));
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
      'Initial and maintenance margin of a portfolio under one model, with components and contributions',
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
        let r = runMargin(loadInputs(opts.market, opts.portfolio, [opts.model]), opts.model, opts.params);
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
          json ? JSON.stringify({ ...r, excessUsd: r.equityUsd - r.initialUsd }) : formatMarginResult(r),
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
        const out = runCompare(loadInputs(opts.market, opts.portfolio, models), {
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
    .description('Before and after of a list of proposed trades under one model')
    .requiredOption('--portfolio <file>', 'portfolio file')
    .requiredOption('--market <file>', 'market file')
    .requiredOption('--trades <file>', 'JSON: {"trades":[{"instrument","size"}]}')
    .option('--model <name>', 'margin model', 'portfolio')
    .option('--params <file>', 'model parameters')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        portfolio: string;
        market: string;
        trades: string;
        model: string;
        params?: string;
        json?: boolean;
      }) => {
        json = opts.json === true;
        const out = runWhatIf(
          loadInputs(opts.market, opts.portfolio, [opts.model]),
          opts.trades,
          opts.model,
          opts.params,
        );
        io.out(json ? JSON.stringify(out) : formatWhatIf(out));
      },
    );

  registerModelsCommand(program, io, (j) => (json = j));
  registerCalibrateCommand(program, io, (j) => (json = j));
  registerSimulateCommand(program, io, (j) => (json = j));
  registerServeCommand(program, io);
  registerBacktestCommand(program, io, (j) => (json = j));
  registerOptimiseCommand(program, io, (j) => (json = j));
  registerAllocateCommand(program, io, (j) => (json = j));

  program
    .command('demo')
    .description('Price a real Deribit BTC option chain and compare with Deribit (what npm start runs)')
    .action(() => {
      io.out(formatDemo(runDemo()));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
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
