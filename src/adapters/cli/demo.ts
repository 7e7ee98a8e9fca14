/**
 * `xmargin demo`: Black-76 on a real Deribit
 * BTC option chain. Each option is priced on Deribit's own forward and mark IV at the snapshot
 * time, and compared with Deribit's mark price and greeks; implied vols are recovered from the
 * mark prices. See examples/data/README.md for the data and the inferred snapshot time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeBlack76Greeks } from '../../core/pricing/black76.js';
import { impliedVolBlack76 } from '../../core/pricing/implied-vol.js';
import { yearFraction } from '../../core/numeric/year-fraction.js';
import { parseDeribitChainCsv, type DeribitChainRow } from '../marketdata/deribit-chain-csv.js';
import { findPackageRoot } from '../system/package-root.js';
import { formatNumber, formatTable } from './format-table.js';

/** Snapshot time inferred from the data (examples/data/README.md). */
export const DEMO_VALUATION_MS = Date.UTC(2026, 2, 1, 13, 40);

export interface DemoRow {
  readonly option: DeribitChainRow;
  readonly tYears: number;
  readonly priceUsd: number;
  readonly markUsd: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vegaPerPoint: number;
  readonly thetaPerDay: number;
  readonly ivFromMark: number | undefined;
}

/** Prices the shipped chain; pure apart from reading the file. */
export function runDemo(): DemoRow[] {
  const path = join(findPackageRoot(), 'examples', 'data', 'deribit_btc_chain_2026-02.csv');
  const chain = parseDeribitChainCsv(
    readFileSync(path, 'utf8'),
    'examples/data/deribit_btc_chain_2026-02.csv',
  );
  return chain.map((o) => {
    const tYears = yearFraction(DEMO_VALUATION_MS, o.expiryMs);
    // Deribit BTC options: USD value = BTC mark × the option's forward; rates are 0 on the forward.
    const g = computeBlack76Greeks({
      type: o.type,
      forward: o.forward,
      strike: o.strike,
      tYears,
      vol: o.markIv,
    });
    const markUsd = o.markPriceBtc * o.forward;
    let ivFromMark: number | undefined;
    try {
      ivFromMark = impliedVolBlack76({
        type: o.type,
        price: markUsd,
        forward: o.forward,
        strike: o.strike,
        tYears,
      });
    } catch {
      ivFromMark = undefined; // a mark at the 0.0001 BTC floor can sit below intrinsic: no IV
    }
    return {
      option: o,
      tYears,
      priceUsd: g.price,
      markUsd,
      delta: g.delta,
      gamma: g.gamma,
      vegaPerPoint: g.vega / 100,
      thetaPerDay: g.theta / 365,
      ivFromMark,
    };
  });
}

/** The demo's printed report. */
export function formatDemo(rows: readonly DemoRow[]): string {
  const out: string[] = [];
  const expiries = [...new Set(rows.map((r) => r.option.expiryMs))].sort((a, b) => a - b);
  out.push(
    `xmargin demo: Black-76 on a real Deribit BTC option chain`,
    `${rows.length} options, ${expiries.length} expiries, valued at ${new Date(DEMO_VALUATION_MS).toISOString()} (snapshot time inferred from the data)`,
    `each option priced on Deribit's forward and mark IV; compared with Deribit's mark price (0.0001 BTC tick) and greeks`,
    '',
  );
  const shown = expiries[Math.min(2, expiries.length - 1)]!;
  const slice = rows
    .filter((r) => r.option.expiryMs === shown)
    .sort((a, b) => a.option.strike - b.option.strike || a.option.type.localeCompare(b.option.type));
  const first = slice[0]!;
  out.push(
    `Expiry ${new Date(shown).toISOString().slice(0, 10)}: ${formatNumber(first.tYears * 365, 4)} days, forward ${formatNumber(first.option.forward, 7)} USD`,
  );
  out.push(
    formatTable(
      [
        'strike',
        'type',
        'mark IV',
        'xmargin USD',
        'Deribit USD',
        'delta',
        'Deribit Δ',
        'gamma',
        'vega/pt',
        'Deribit vega',
        'theta/day',
        'IV from mark',
      ],
      slice.map((r) => [
        formatNumber(r.option.strike, 6),
        r.option.type,
        `${(r.option.markIv * 100).toFixed(2)}%`,
        r.priceUsd.toFixed(2),
        r.markUsd.toFixed(2),
        r.delta.toFixed(5),
        r.option.delta.toFixed(5),
        formatNumber(r.gamma, 4),
        r.vegaPerPoint.toFixed(4),
        r.option.vega.toFixed(4),
        r.thetaPerDay.toFixed(3),
        r.ivFromMark === undefined ? 'n/a' : `${(r.ivFromMark * 100).toFixed(2)}%`,
      ]),
    ),
  );
  const priceErrTicks = rows.map((r) => Math.abs(r.priceUsd - r.markUsd) / (1e-4 * r.option.forward));
  const deltaErr = rows.map((r) => Math.abs(r.delta - r.option.delta));
  const ivErr = rows.flatMap((r) =>
    r.ivFromMark === undefined ? [] : [Math.abs(r.ivFromMark - r.option.markIv) * 100],
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  out.push(
    '',
    `All ${rows.length} options against Deribit:`,
    `  |xmargin price − Deribit mark|: median ${formatNumber(median(priceErrTicks), 3)} ticks, max ${formatNumber(Math.max(...priceErrTicks), 3)} ticks (1 tick = 0.0001 BTC)`,
    `  |xmargin delta − Deribit delta|: median ${formatNumber(median(deltaErr), 3)}, max ${formatNumber(Math.max(...deltaErr), 3)}`,
    `  |IV from mark − Deribit mark IV|: median ${formatNumber(median(ivErr), 3)} vol points over ${ivErr.length} options with an invertible mark`,
    '',
    'Try: npx xmargin price --input examples/options.json   |   npx xmargin iv --input examples/iv.json --json',
  );
  return out.join('\n');
}
