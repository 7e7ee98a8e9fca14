/**
 * Reads a Deribit option-chain snapshot CSV (the `get_book_summary`-style export in
 * examples/data/deribit_btc_chain_2026-02.csv) into typed rows. Every numeric cell is checked;
 * a bad cell is an error naming the line and the column.
 */
import { InvalidInputError } from '../../core/errors.js';

/** One option of the chain. Prices are Deribit's: `markPriceBtc` in BTC per option. */
export interface DeribitChainRow {
  readonly instrument: string;
  readonly type: 'call' | 'put';
  readonly strike: number;
  readonly expiryMs: number;
  /** the forward Deribit prices the option on (its `underlying_price`), USD */
  readonly forward: number;
  readonly markPriceBtc: number;
  /** Deribit mark implied vol, as a fraction (0.63 = 63%) */
  readonly markIv: number;
  readonly delta: number;
  readonly gamma: number;
  /** USD per 1 vol point */
  readonly vega: number;
  /** USD per day */
  readonly theta: number;
}

const REQUIRED = [
  'instrument_name',
  'type',
  'strike',
  'expiration_timestamp',
  'underlying_price',
  'mark_price',
  'mark_iv',
  'delta',
  'gamma',
  'vega',
  'theta',
] as const;

/** Parses the CSV text; throws InvalidInputError naming `line N, column C` on a bad cell. */
export function parseDeribitChainCsv(text: string, source = 'chain CSV'): DeribitChainRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  const col: Record<string, number> = {};
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0)
      throw new InvalidInputError(`${source} header`, header.join(','), `must contain the column "${name}"`);
    col[name] = i;
  }
  return lines.slice(1).map((line, k) => {
    const cells = line.split(',');
    const at = (name: (typeof REQUIRED)[number]) => cells[col[name]!] ?? '';
    const num = (name: (typeof REQUIRED)[number], rule: (x: number) => boolean, ruleText: string) => {
      const x = Number(at(name));
      if (at(name).trim() === '' || !rule(x))
        throw new InvalidInputError(`${source} line ${k + 2}, column ${name}`, at(name), ruleText);
      return x;
    };
    const type = at('type');
    if (type !== 'call' && type !== 'put')
      throw new InvalidInputError(`${source} line ${k + 2}, column type`, type, "must be 'call' or 'put'");
    const finite = (x: number) => Number.isFinite(x);
    const positive = (x: number) => x > 0 && x < Infinity;
    return {
      instrument: at('instrument_name'),
      type,
      strike: num('strike', positive, 'must be a number > 0'),
      expiryMs: num(
        'expiration_timestamp',
        (x) => Number.isInteger(x) && x > 0,
        'must be a positive integer (epoch ms)',
      ),
      forward: num('underlying_price', positive, 'must be a number > 0'),
      markPriceBtc: num('mark_price', (x) => x >= 0 && x < Infinity, 'must be a number >= 0'),
      markIv: num('mark_iv', positive, 'must be a number > 0') / 100,
      delta: num('delta', finite, 'must be a finite number'),
      gamma: num('gamma', finite, 'must be a finite number'),
      vega: num('vega', finite, 'must be a finite number'),
      theta: num('theta', finite, 'must be a finite number'),
    };
  });
}
