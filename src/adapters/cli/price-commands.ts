/**
 * `xmargin price` and `xmargin iv`: Black-76 over a JSON file of options.
 * Each result is computed row by row; the first bad row stops the command with an error that
 * names the row and the field (exit code 2), so no partial output is printed.
 */
import { computeBlack76Greeks, type Black76Greeks } from '../../core/pricing/black76.js';
import { impliedVolBlack76 } from '../../core/pricing/implied-vol.js';
import { XmarginError } from '../../core/errors.js';
import { parseWithSchema } from '../../core/params/parse.js';
import {
  checkVol,
  DEFAULT_PLAUSIBILITY,
  type PlausibilityBounds,
} from '../../core/portfolio/plausibility.js';
import { formatNumber, formatTable } from './format-table.js';
import { IvFileSchema, PriceFileSchema, type IvRow, type PriceRow } from './option-file.js';

/** Re-raises a row's error with the row's path in the field, keeping code and values. */
function atRow<T>(row: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof XmarginError) {
      const field =
        typeof e.details.field === 'string' ? `options[${row}].${e.details.field}` : `options[${row}]`;
      throw new XmarginError(e.code, `${field}: ${e.message}`, { ...e.details, row, field }, { cause: e });
    }
    throw e;
  }
}

/**
 * Prices and greeks for every row of a price file (parsed JSON).
 * @param bounds  the vol bound (default 500%; `--allow-high-vol` lifts it)
 */
export function runPrice(
  doc: unknown,
  bounds: PlausibilityBounds = DEFAULT_PLAUSIBILITY,
): { rows: PriceRow[]; results: Black76Greeks[] } {
  const file = parseWithSchema(PriceFileSchema, doc, 'option file');
  file.options.forEach((o, i) => checkVol(`options[${i}].vol`, o.vol, bounds));
  const results = file.options.map((o, i) =>
    atRow(i, () => computeBlack76Greeks({ ...o, rate: o.rate ?? 0 })),
  );
  return { rows: file.options, results };
}

/** Implied vols for every row of an iv file (parsed JSON). */
export function runIv(doc: unknown): { rows: IvRow[]; results: { vol: number }[] } {
  const file = parseWithSchema(IvFileSchema, doc, 'option file');
  const results = file.options.map((o, i) =>
    atRow(i, () => ({ vol: impliedVolBlack76({ ...o, rate: o.rate ?? 0 }) })),
  );
  return { rows: file.options, results };
}

/** Human-readable table of `runPrice` output. */
export function formatPriceTable(out: ReturnType<typeof runPrice>): string {
  const header = [
    '#',
    'type',
    'forward',
    'strike',
    'tYears',
    'vol',
    'rate',
    'price',
    'delta',
    'gamma',
    'vega',
    'theta',
    'rho',
  ];
  const rows = out.rows.map((o, i) => {
    const g = out.results[i]!;
    return [
      String(i),
      o.type,
      formatNumber(o.forward),
      formatNumber(o.strike),
      formatNumber(o.tYears, 4),
      formatNumber(o.vol, 4),
      formatNumber(o.rate ?? 0, 4),
      formatNumber(g.price),
      formatNumber(g.delta),
      formatNumber(g.gamma),
      formatNumber(g.vega),
      formatNumber(g.theta),
      formatNumber(g.rho),
    ];
  });
  return `${formatTable(header, rows)}\n\nvega per 1.00 of vol, theta per year (−∂V/∂t), rho per 1.00 of rate; delta and gamma with respect to the forward.`;
}

/** Human-readable table of `runIv` output. */
export function formatIvTable(out: ReturnType<typeof runIv>): string {
  const header = ['#', 'type', 'forward', 'strike', 'tYears', 'rate', 'price', 'implied vol'];
  const rows = out.rows.map((o, i) => [
    String(i),
    o.type,
    formatNumber(o.forward),
    formatNumber(o.strike),
    formatNumber(o.tYears, 4),
    formatNumber(o.rate ?? 0, 4),
    formatNumber(o.price),
    formatNumber(out.results[i]!.vol, 10),
  ]);
  return formatTable(header, rows);
}
