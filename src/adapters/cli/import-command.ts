/**
 * `xmargin import --venue NAME --in FILE... --out portfolio.json [--market-out market.json]
 * [--as-of TIME] [--json]`: a venue's account payloads (native or ccxt's unified structures) into
 * a venue-tagged portfolio file and the market file it resolves against
 * (docs/formats.md#venue-tags). Prints what was imported: positions, balances, the preset that
 * reproduces the venue's margin and its figures against the venue's own.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { parseUtcTime } from '../../core/history/utc-time.js';
import { mergeMarketFiles } from '../../core/crossvenue/merge-market-files.js';
import { combinePortfolioFiles, toCrossVenueInput } from '../importers/combine-accounts.js';
import { importVenue, resolveVenue, type ImportedAccount } from '../importers/index.js';
import { readJsonFile } from './read-json-file.js';
import { computeCrossVenue } from '../../core/crossvenue/compute-cross-venue.js';
import { parseCrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { formatNumber, formatTable } from './format-table.js';
import type { CliIo } from './run-cli.js';

/** A UTC time `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` as ms, naming the option on error. */
export function parseAsOf(text: string | undefined, option = '--as-of'): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseUtcTime(text, text.length === 10 ? 'date' : 'datetime');
  if (!Number.isFinite(ms))
    throw new InvalidInputError(option, text, 'must be a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
  return ms;
}

/** What `import` wrote and found. */
export interface ImportSummary {
  readonly accounts: readonly ImportedAccount[];
  readonly rows: readonly {
    venue: string;
    model: string;
    positions: number;
    balances: number;
    imUsd: number;
    mmUsd: number;
    reportedImUsd: number | null;
    reportedMmUsd: number | null;
    within1pct: boolean | null;
  }[];
}

/** Imports the files and margins each account under its preset (no file written). */
export function runImport(venue: string, inFiles: readonly string[], asOf?: string): ImportSummary {
  if (inFiles.length === 0)
    throw new InvalidInputError('--in', inFiles, 'must name at least one payload file');
  resolveVenue(venue); // an unknown venue is named before any file is read
  const files = inFiles.map((path) => ({ path, json: readJsonFile(path, '--in') }));
  const accounts = importVenue(venue, files, parseAsOf(asOf));
  const view = computeCrossVenue(toCrossVenueInput(accounts, parseCrossVenueParams({})));
  return {
    accounts,
    rows: view.venues.map((v) => {
      const a = accounts.find((x) => x.venue === v.venue)!;
      return {
        venue: v.venue,
        model: v.model,
        positions: a.portfolio.positions.length,
        balances: a.portfolio.balances?.length ?? 0,
        imUsd: v.own.initialUsd,
        mmUsd: v.own.maintenanceUsd,
        reportedImUsd: v.reported?.initialUsd ?? null,
        reportedMmUsd: v.reported?.maintenanceUsd ?? null,
        within1pct: v.reproduction?.within1pct ?? null,
      };
    }),
  };
}

const money = (x: number | null) => (x === null ? '-' : formatNumber(x, 8));

/** Registers `import`. */
export function registerImportCommand(program: Command, io: CliIo, setJson: (json: boolean) => void): void {
  program
    .command('import')
    .description("A venue's account payloads into a venue-tagged portfolio file and its market file")
    .requiredOption(
      '--venue <name>',
      'deribit, okx, bybit, binance, hyperliquid, dydx, drift, aave, or ccxt:<exchange>',
    )
    .requiredOption(
      '--in <files...>',
      'payload files, each named after its kind (positions.json, balance.json, ...)',
    )
    .requiredOption('--out <file>', 'portfolio file to write')
    .option('--market-out <file>', 'market file to write (default: the --out name with .market.json)')
    .option('--as-of <time>', 'valuation time (UTC) for payloads that carry none')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        venue: string;
        in: string[];
        out: string;
        marketOut?: string;
        asOf?: string;
        json?: boolean;
      }) => {
        setJson(opts.json === true);
        const summary = runImport(opts.venue, opts.in, opts.asOf);
        const marketOut = opts.marketOut ?? opts.out.replace(/(\.json)?$/i, '.market.json');
        const market = mergeMarketFiles(summary.accounts.map((a) => ({ venue: a.venue, market: a.market })));
        writeFileSync(opts.out, `${JSON.stringify(combinePortfolioFiles(summary.accounts), null, 2)}\n`);
        writeFileSync(marketOut, `${JSON.stringify(market, null, 2)}\n`);
        if (opts.json) {
          io.out(
            JSON.stringify({
              portfolio: opts.out,
              market: marketOut,
              accounts: summary.accounts.map((a) => ({
                venue: a.venue,
                importer: a.importer,
                preset: a.preset,
                reported: a.reported ?? null,
                notes: a.notes,
              })),
              reproduction: summary.rows,
            }),
          );
          return;
        }
        io.out(
          formatTable(
            ['venue', 'preset', 'positions', 'balances', 'IM', 'venue IM', 'MM', 'venue MM', 'within 1%'],
            summary.rows.map((r) => [
              r.venue,
              r.model,
              String(r.positions),
              String(r.balances),
              money(r.imUsd),
              money(r.reportedImUsd),
              money(r.mmUsd),
              money(r.reportedMmUsd),
              r.within1pct === null ? '-' : r.within1pct ? 'yes' : 'no',
            ]),
          ),
        );
        for (const a of summary.accounts) for (const n of a.notes) io.out(`note (${a.venue}): ${n}`);
        io.out(`wrote ${opts.out} and ${marketOut}`);
      },
    );
}
