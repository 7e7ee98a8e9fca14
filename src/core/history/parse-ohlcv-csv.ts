/**
 * Parser of the history CSV files shipped in data/history (see docs/methodology/market-history.md):
 * a fixed header, then one bar per line. Every cell is validated; the first bad cell throws an
 * error naming `<source> line N, column C (name)`, the rule and the value, so a corrupt file
 * never becomes a silently wrong price.
 */
import { InvalidInputError } from '../errors.js';
import { parseDecimalSpan } from './parse-decimal-span.js';
import { DAY_MS, HOUR_MS, formatUtcTime, parseUtcTime, type UtcTimeFormat } from './utc-time.js';

/** The file layouts known to the parser, named by bar size and columns. */
export type OhlcvLayout = 'hourly-hlcv' | 'daily-hlc' | 'daily-close';

interface LayoutSpec {
  readonly header: string;
  readonly timeFormat: UtcTimeFormat;
  readonly stepMs: number;
  /** value columns after the time column, in file order */
  readonly columns: readonly ('high' | 'low' | 'close' | 'volume')[];
}

/** Header, time spelling, bar size and value columns of each layout. */
export const OHLCV_LAYOUTS: Readonly<Record<OhlcvLayout, LayoutSpec>> = {
  'hourly-hlcv': {
    header: 'ts_utc,high,low,close,volume',
    timeFormat: 'datetime',
    stepMs: HOUR_MS,
    columns: ['high', 'low', 'close', 'volume'],
  },
  'daily-hlc': {
    header: 'date_utc,high,low,close',
    timeFormat: 'date',
    stepMs: DAY_MS,
    columns: ['high', 'low', 'close'],
  },
  'daily-close': { header: 'date_utc,close', timeFormat: 'date', stepMs: DAY_MS, columns: ['close'] },
};

/**
 * One bar. Prices are in the quote currency of the file (USDT for Binance pairs, USD for Yahoo;
 * DVOL files hold annualised percent). Fields a layout lacks are absent, never invented.
 */
export interface OhlcvRow {
  /** bar open time, ms since epoch UTC (a multiple of the bar size) */
  readonly timeMs: number;
  /** highest trade in the bar, > 0 */
  readonly high?: number;
  /** lowest trade in the bar, > 0 */
  readonly low?: number;
  /** last trade in the bar, > 0 */
  readonly close: number;
  /** traded quantity in base units, ≥ 0 */
  readonly volume?: number;
}

/** A parsed file: the rows of one symbol, in strictly increasing time. */
export interface OhlcvSeries {
  readonly symbol: string;
  readonly layout: OhlcvLayout;
  /** bar size, ms */
  readonly stepMs: number;
  readonly rows: readonly OhlcvRow[];
  /** data rows in the file, all validated (≥ rows.length when a range was given) */
  readonly rowsInFile: number;
}

/** Options of {@link parseOhlcvCsv}. */
export interface ParseOhlcvOptions {
  /** symbol the rows belong to (copied to the result) */
  readonly symbol: string;
  /** name of the file or stream, used in every error message */
  readonly source: string;
  /** required layout; when absent the header must be one of {@link OHLCV_LAYOUTS} */
  readonly layout?: OhlcvLayout;
  /**
   * keep only rows with fromMs ≤ timeMs < toMs (ms UTC); rows outside are still fully validated
   * but not returned (saves memory when a long file is read for a short window)
   */
  readonly fromMs?: number;
  /** see `fromMs`; exclusive */
  readonly toMs?: number;
}

function layoutOfHeader(header: string, source: string, wanted: OhlcvLayout | undefined): OhlcvLayout {
  if (wanted !== undefined) {
    const expected = OHLCV_LAYOUTS[wanted].header;
    if (header === expected) return wanted;
    // Point at the first header cell that differs, so the message names line 1 and a column.
    const got = header.split(',');
    const exp = expected.split(',');
    let k = 0;
    while (k < exp.length && got[k] === exp[k]) k++;
    throw new InvalidInputError(
      `${source} line 1, column ${k + 1}`,
      got[k] ?? '(missing)',
      `must be the header "${expected}" (layout ${wanted}), i.e. "${exp[k] ?? '(end of line)'}" here`,
    );
  }
  for (const [name, spec] of Object.entries(OHLCV_LAYOUTS))
    if (spec.header === header) return name as OhlcvLayout;
  const known = Object.values(OHLCV_LAYOUTS)
    .map((s) => `"${s.header}"`)
    .join(' or ');
  throw new InvalidInputError(`${source} line 1, column 1`, header, `must be a known header: ${known}`);
}

/**
 * Parses and validates one history CSV.
 *
 * Rules, checked on every line (N is the 1-based line number, C the 1-based column and its name):
 * - header equals the layout's header exactly (`ts_utc,high,low,close,volume`,
 *   `date_utc,high,low,close` or `date_utc,close`);
 * - each line has exactly as many cells as the header; blank lines only at the end;
 * - time is strict `YYYY-MM-DDTHH:MM:SSZ` (hourly) or `YYYY-MM-DD` (daily), a multiple of the
 *   bar size since the epoch, and strictly after the previous row;
 * - prices are finite and > 0; volume is finite and ≥ 0;
 * - high ≥ max(close, low) and low ≤ close.
 *
 * @param text     the whole file, UTF-8 text, `\n` or `\r\n` line ends
 * @param options  symbol, source name for messages, optional required layout, optional
 *                 [fromMs, toMs) window of rows to return (ms UTC)
 * @returns        the rows, strictly increasing in `timeMs` (ms UTC); prices in the file's quote ccy
 * @throws InvalidInputError ERR_INVALID_INPUT naming `<source> line N, column C (name)`, the rule
 *         and the value, at the first violation
 * @see docs/methodology/market-history.md#format
 * @example
 *   const s = parseOhlcvCsv(csvText, { symbol: 'BTC', source: 'ohlcv_1h/BTC.csv' });
 *   s.rows[0]; // { timeMs: 1577836800000, high: 7190.52, low: 7170.15, close: 7171.55, volume: 2449.049 }
 */
export function parseOhlcvCsv(text: string, options: ParseOhlcvOptions): OhlcvSeries {
  const { symbol, source } = options;
  // The text is scanned in place (no split per line or cell): years of hourly bars stay fast.
  const len = text.length;
  const firstEol = lineEnd(text, 0);
  const layout = layoutOfHeader(text.slice(0, contentEnd(text, 0, firstEol)), source, options.layout);
  const spec = OHLCV_LAYOUTS[layout];
  const names = spec.header.split(',');
  const nCells = names.length;
  const iHigh = names.indexOf('high');
  const iLow = names.indexOf('low');
  const iClose = names.indexOf('close');
  const iVolume = names.indexOf('volume');
  const vals = new Float64Array(nCells); // reused per line: no allocation but the row itself
  const cellStart = new Int32Array(nCells + 1);
  const cellEnd = new Int32Array(nCells + 1);
  const where = (line: number, col: number) => `${source} line ${line}, column ${col + 1} (${names[col]})`;
  const cellText = (c: number) => text.slice(cellStart[c]!, cellEnd[c]!);

  const rows: OhlcvRow[] = [];
  const keepFrom = options.fromMs ?? -Infinity;
  const keepTo = options.toMs ?? Infinity;
  let rowsInFile = 0;
  let prevMs = -Infinity;
  let lineNo = 1;
  for (let pos = firstEol + 1; pos < len;) {
    lineNo++;
    const eol = lineEnd(text, pos);
    const end = contentEnd(text, pos, eol);
    // Blank lines are allowed only at the end; one before the end is a short row (an error).
    if (end === pos && isBlank(text, eol)) break;

    // Cell boundaries; count every cell so that a long row is reported too.
    let n = 0;
    for (let p = pos; ;) {
      let comma = text.indexOf(',', p);
      if (comma < 0 || comma > end) comma = end;
      if (n <= nCells) {
        cellStart[n] = p;
        cellEnd[n] = comma;
      }
      n++;
      if (comma === end) break;
      p = comma + 1;
    }
    if (n < nCells)
      throw new InvalidInputError(
        where(lineNo, n),
        '(missing)',
        `must be present: the header has ${nCells} columns, the line ${n}`,
      );
    if (n > nCells)
      throw new InvalidInputError(
        `${source} line ${lineNo}, column ${nCells + 1}`,
        cellText(nCells),
        `must not exist: the header has ${nCells} columns, the line ${n}`,
      );

    const timeMs = parseUtcTime(text, spec.timeFormat, cellStart[0]!, cellEnd[0]!);
    if (!Number.isFinite(timeMs)) {
      const shape = spec.timeFormat === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DDTHH:MM:SSZ';
      throw new InvalidInputError(where(lineNo, 0), cellText(0), `must be a valid UTC time ${shape}`);
    }
    if (timeMs % spec.stepMs !== 0)
      throw new InvalidInputError(
        where(lineNo, 0),
        cellText(0),
        `must be aligned to the bar size (a multiple of ${spec.stepMs} ms since the epoch)`,
      );
    if (!(timeMs > prevMs))
      throw new InvalidInputError(
        where(lineNo, 0),
        cellText(0),
        `must be strictly after the previous row (${formatUtcTime(prevMs)})`,
      );
    prevMs = timeMs;

    for (let c = 1; c < nCells; c++) {
      const x = parseDecimalSpan(text, cellStart[c]!, cellEnd[c]!);
      // Phrased so that NaN fails (STYLE §3.6).
      if (c === iVolume) {
        if (!(Number.isFinite(x) && x >= 0))
          throw new InvalidInputError(where(lineNo, c), cellText(c), 'must be a finite number >= 0');
      } else if (!(Number.isFinite(x) && x > 0)) {
        throw new InvalidInputError(where(lineNo, c), cellText(c), 'must be a finite price > 0');
      }
      vals[c] = x;
    }
    const close = vals[iClose]!;
    const high = iHigh > 0 ? vals[iHigh]! : undefined;
    const low = iLow > 0 ? vals[iLow]! : undefined;
    // Each rule is checked on its own, so the message names the rule that failed and its cell.
    if (high !== undefined && low !== undefined && !(high >= low))
      throw new InvalidInputError(where(lineNo, iHigh), high, `must be >= low (${low})`);
    if (high !== undefined && !(high >= close))
      throw new InvalidInputError(where(lineNo, iHigh), high, `must be >= close (${close})`);
    if (low !== undefined && !(low <= close))
      throw new InvalidInputError(where(lineNo, iLow), low, `must be <= close (${close})`);

    rowsInFile++;
    if (timeMs >= keepFrom && timeMs < keepTo)
      rows.push(buildRow(timeMs, close, high, low, iVolume > 0 ? vals[iVolume] : undefined));
    pos = eol + 1;
  }
  return { symbol, layout, stepMs: spec.stepMs, rows, rowsInFile };
}

/** Index of the `\n` ending the line that starts at `pos`, or the text length. */
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

/** End of the line's content: before a `\r` that precedes the line end. */
function contentEnd(text: string, pos: number, eol: number): number {
  return eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
}

/** True when nothing but line ends follows `from`. */
function isBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return false;
  }
  return true;
}

function buildRow(
  timeMs: number,
  close: number,
  high: number | undefined,
  low: number | undefined,
  volume: number | undefined,
): OhlcvRow {
  // Same property order for every row of a layout keeps the objects monomorphic (fast to read).
  if (high === undefined || low === undefined) return { timeMs, close };
  if (volume === undefined) return { timeMs, high, low, close };
  return { timeMs, high, low, close, volume };
}
