import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { parseOhlcvCsv } from './parse-ohlcv-csv.js';
import { formatUtcTime, parseUtcTime } from './utc-time.js';

const HEADER = 'ts_utc,high,low,close,volume';
const GOOD = [
  HEADER,
  '2020-03-13T00:00:00Z,4500,4200,4400,10.5',
  '2020-03-13T01:00:00Z,4450,3900,4000,20',
  '2020-03-13T02:00:00Z,4100,3621.81,4050,0',
].join('\n');
const opts = { symbol: 'BTC', source: 'BTC.csv' };

/** Replaces line `n` (1-based) of GOOD. */
function withLine(n: number, line: string, base = GOOD): string {
  const lines = base.split('\n');
  lines[n - 1] = line;
  return lines.join('\n');
}

function errorOf(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseOhlcvCsv', () => {
  it('parses a valid hourly file into typed rows', () => {
    const s = parseOhlcvCsv(GOOD + '\n', opts);
    expect(s.layout).toBe('hourly-hlcv');
    expect(s.stepMs).toBe(3_600_000);
    expect(s.rows).toHaveLength(3);
    expect(s.rows[2]).toEqual({
      timeMs: Date.UTC(2020, 2, 13, 2),
      high: 4100,
      low: 3621.81,
      close: 4050,
      volume: 0,
    });
  });

  it('accepts CRLF line ends and the daily layouts', () => {
    expect(parseOhlcvCsv(GOOD.replaceAll('\n', '\r\n'), opts).rows).toHaveLength(3);
    const d = parseOhlcvCsv('date_utc,high,low,close\n2020-03-12,7900,4800,4970\n', opts);
    expect(d.layout).toBe('daily-hlc');
    expect(d.rows[0]).toEqual({ timeMs: Date.UTC(2020, 2, 12), high: 7900, low: 4800, close: 4970 });
    const v = parseOhlcvCsv('date_utc,close\n2021-03-24,95.04\n', opts);
    expect(v.rows[0]).toEqual({ timeMs: Date.UTC(2021, 2, 24), close: 95.04 });
  });

  it('accepts a header-only file (no rows)', () => {
    expect(parseOhlcvCsv(HEADER + '\n', opts)).toMatchObject({ rows: [], rowsInFile: 0 });
  });

  it('returns only rows in [fromMs, toMs) but validates every row', () => {
    const s = parseOhlcvCsv(GOOD, {
      ...opts,
      fromMs: Date.UTC(2020, 2, 13, 1),
      toMs: Date.UTC(2020, 2, 13, 2),
    });
    expect(s.rows.map((r) => r.close)).toEqual([4000]);
    expect(s.rowsInFile).toBe(3);
    const bad = withLine(4, '2020-03-13T02:00:00Z,4100,-1,4050,0');
    expect(() => parseOhlcvCsv(bad, { ...opts, toMs: Date.UTC(2020, 2, 13, 1) })).toThrow(
      /line 4, column 3 \(low\)/,
    );
  });

  const cases: [string, string, RegExp][] = [
    [
      'out-of-order timestamp',
      withLine(3, '2020-03-12T23:00:00Z,4450,3900,4000,20'),
      /^BTC\.csv line 3, column 1 \(ts_utc\) must be strictly after the previous row \(2020-03-13T00:00:00Z\); got "2020-03-12T23:00:00Z"$/,
    ],
    [
      'duplicate timestamp',
      withLine(3, '2020-03-13T00:00:00Z,4450,3900,4000,20'),
      /line 3, column 1 \(ts_utc\) must be strictly after/,
    ],
    [
      'misaligned timestamp',
      withLine(3, '2020-03-13T01:30:00Z,4450,3900,4000,20'),
      /^BTC\.csv line 3, column 1 \(ts_utc\) must be aligned to the bar size \(a multiple of 3600000 ms since the epoch\); got "2020-03-13T01:30:00Z"$/,
    ],
    [
      'malformed timestamp',
      withLine(2, '2020-02-30T00:00:00Z,4500,4200,4400,10.5'),
      /line 2, column 1 \(ts_utc\) must be a valid UTC time YYYY-MM-DDTHH:MM:SSZ; got "2020-02-30T00:00:00Z"/,
    ],
    [
      'timestamp with an offset',
      withLine(2, '2020-03-13T00:00:00+02,4500,4200,4400,10.5'),
      /line 2, column 1 \(ts_utc\) must be a valid UTC time/,
    ],
    [
      'high < low',
      withLine(3, '2020-03-13T01:00:00Z,3800,3900,3850,20'),
      /^BTC\.csv line 3, column 2 \(high\) must be >= low \(3900\); got 3800$/,
    ],
    [
      'high < close',
      withLine(3, '2020-03-13T01:00:00Z,4450,3900,4451,20'),
      /line 3, column 2 \(high\) must be >= close \(4451\); got 4450$/,
    ],
    [
      'low > close',
      withLine(3, '2020-03-13T01:00:00Z,4450,3900,3899,20'),
      /line 3, column 3 \(low\) must be <= close \(3899\); got 3900$/,
    ],
    [
      'negative price',
      withLine(4, '2020-03-13T02:00:00Z,4100,-3621.81,4050,0'),
      /^BTC\.csv line 4, column 3 \(low\) must be a finite price > 0; got "-3621\.81"$/,
    ],
    [
      'zero price',
      withLine(2, '2020-03-13T00:00:00Z,4500,4200,0,10.5'),
      /line 2, column 4 \(close\) must be a finite price > 0; got "0"/,
    ],
    [
      'NaN price',
      withLine(2, '2020-03-13T00:00:00Z,4500,4200,NaN,10.5'),
      /line 2, column 4 \(close\) must be a finite price > 0; got "NaN"/,
    ],
    [
      'Infinity price',
      withLine(2, '2020-03-13T00:00:00Z,Infinity,4200,4400,1'),
      /line 2, column 2 \(high\) must be a finite price > 0; got "Infinity"/,
    ],
    [
      'empty price',
      withLine(2, '2020-03-13T00:00:00Z,4500,,4400,10.5'),
      /line 2, column 3 \(low\) must be a finite price > 0; got ""/,
    ],
    [
      'non-numeric price',
      withLine(2, '2020-03-13T00:00:00Z,4500,abc,4400,10.5'),
      /line 2, column 3 \(low\) must be a finite price > 0; got "abc"/,
    ],
    [
      'negative volume',
      withLine(2, '2020-03-13T00:00:00Z,4500,4200,4400,-1'),
      /line 2, column 5 \(volume\) must be a finite number >= 0; got "-1"/,
    ],
    [
      'NaN volume',
      withLine(2, '2020-03-13T00:00:00Z,4500,4200,4400,NaN'),
      /line 2, column 5 \(volume\) must be a finite number >= 0; got "NaN"/,
    ],
    [
      'short row',
      withLine(3, '2020-03-13T01:00:00Z,4450,3900'),
      /line 3, column 4 \(close\) must be present: the header has 5 columns, the line 3; got "\(missing\)"/,
    ],
    [
      'long row',
      withLine(3, '2020-03-13T01:00:00Z,4450,3900,4000,20,F1'),
      /line 3, column 6 must not exist: the header has 5 columns, the line 6; got "F1"/,
    ],
    ['blank line in the middle', withLine(3, ''), /line 3, column 2 \(high\) must be present/],
    [
      'bad header (source header with open/src)',
      withLine(1, 'ts_utc,open,high,low,close,volume,src'),
      /^BTC\.csv line 1, column 1 must be a known header: "ts_utc,high,low,close,volume" or /,
    ],
  ];
  for (const [name, text, message] of cases) {
    it(`rejects ${name}, naming line and column`, () => {
      const e = errorOf(() => parseOhlcvCsv(text, opts));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.message).toMatch(message);
    });
  }

  it('with a required layout, names the first header column that differs', () => {
    const e = errorOf(() =>
      parseOhlcvCsv('ts_utc,high,lo,close,volume\n', { ...opts, layout: 'hourly-hlcv' }),
    );
    expect(e.message).toMatch(
      /^BTC\.csv line 1, column 3 must be the header .* i\.e\. "low" here; got "lo"$/,
    );
    expect(() => parseOhlcvCsv('date_utc,close\n', { ...opts, layout: 'hourly-hlcv' })).toThrow(
      /line 1, column 1 must be the header/,
    );
  });

  it('rejects an empty text as a bad header', () => {
    expect(() => parseOhlcvCsv('', opts)).toThrow(/BTC\.csv line 1, column 1 must be a known header/);
  });
});

describe('parseUtcTime / formatUtcTime', () => {
  it('parses both spellings exactly like Date.UTC', () => {
    expect(parseUtcTime('2020-03-13T02:00:00Z', 'datetime')).toBe(Date.UTC(2020, 2, 13, 2));
    expect(parseUtcTime('2024-02-29', 'date')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcTime('1969-12-31T23:59:59Z', 'datetime')).toBe(-1000);
    for (let d = Date.UTC(1999, 0, 1); d < Date.UTC(2031, 0, 1); d += 86_400_000 * 7 + 3_600_000)
      expect(parseUtcTime(formatUtcTime(d), 'datetime')).toBe(d);
  });

  it('rejects impossible or loosely spelled times', () => {
    for (const s of ['2023-02-29', '2020-13-01', '2020-00-10', '2020-1-01', '2020/01/01', ' 2020-01-01'])
      expect(parseUtcTime(s, 'date'), s).toBeNaN();
    for (const s of [
      '2020-01-01T24:00:00Z',
      '2020-01-01T00:60:00Z',
      '2020-01-01T00:00:00',
      '2020-01-01 00:00:00Z',
    ])
      expect(parseUtcTime(s, 'datetime'), s).toBeNaN();
    expect(parseUtcTime('2020-01-01', 'datetime')).toBeNaN();
  });
});
