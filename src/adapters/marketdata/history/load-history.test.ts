/**
 * File-based tests over the shipped data/history: known values from the shared README
 * ("Worst moves in the stress windows"), documented gaps, and the sha256 integrity check.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCoverage, type AssetCoverage } from '../../../core/history/describe-coverage.js';
import { jointReturns } from '../../../core/history/joint-returns.js';
import type { PriceHistory } from '../../../core/history/price-history.js';
import { formatUtcTime } from '../../../core/history/utc-time.js';
import { defaultHistoryDir, readHistoryManifest } from './history-manifest.js';
import { loadDailyHistory, loadDvol, loadHourlyHistory, readHistoryFile } from './load-history.js';

const H = 3_600_000;
const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);

/** Value of `asset` at grid time `ms` in a T × A array. */
function at(h: PriceHistory, arr: Float64Array, asset: string, ms: number): number {
  const t = (ms - h.timesMs[0]!) / h.stepMs;
  return arr[t * h.assets.length + h.assets.indexOf(asset)]!;
}

function covered(c: AssetCoverage | undefined) {
  if (c?.status !== 'covered') throw new Error('expected data');
  return c;
}

describe('loadHourlyHistory on the shipped files', () => {
  const h = loadHourlyHistory({ symbols: ['BTC', 'ETH'], fromMs: utc(2020, 1, 1), toMs: utc(2022, 1, 1) });

  it('covers 2020–2021 hourly without gaps', () => {
    expect(h.assets).toEqual(['BTC', 'ETH']);
    expect(h.timesMs.length).toBe(731 * 24);
    expect(h.timesMs[0]).toBe(utc(2020, 1, 1));
    expect(h.timesMs[h.timesMs.length - 1]).toBe(utc(2021, 12, 31, 23));
    for (const c of describeCoverage(h)) expect(covered(c)).toMatchObject({ validBars: 731 * 24, gaps: [] });
  });

  it('holds the Black Thursday perp prints: BTC low 3621.81 and the ETH 323.0 outlier high at 2020-03-13T02:00Z', () => {
    const t = utc(2020, 3, 13, 2);
    expect(at(h, h.low, 'BTC', t)).toBe(3621.81);
    expect(at(h, h.low, 'ETH', t)).toBe(84.23);
    expect(at(h, h.high, 'ETH', t)).toBe(323);
    // 3621.81 is the lowest BTC low of the two years.
    let min = Infinity;
    for (let i = 0; i < h.timesMs.length; i++) min = Math.min(min, h.low[i * 2]!);
    expect(min).toBe(3621.81);
  });

  it('worst UTC-day close-to-close is 2020-03-12: BTC −39.98 %, ETH −45.22 %', () => {
    // Grid from the 23:00 bar, disjoint 24-step windows: close of one UTC day to the next.
    const g = loadHourlyHistory({
      symbols: ['BTC', 'ETH'],
      fromMs: utc(2020, 1, 1, 23),
      toMs: utc(2022, 1, 1),
    });
    const r = jointReturns(g, { horizonSteps: 24, overlapping: false });
    expect(r.endTimesMs.length).toBe(730);
    for (const [j, expected] of [
      [0, -0.3998],
      [1, -0.4522],
    ] as const) {
      let worst = 0;
      for (let k = 1; k < r.endTimesMs.length; k++)
        if (r.logReturns[k * 2 + j]! < r.logReturns[worst * 2 + j]!) worst = k;
      expect(formatUtcTime(r.endTimesMs[worst]!)).toBe('2020-03-12T23:00:00Z');
      expect(Math.expm1(r.logReturns[worst * 2 + j]!)).toBeCloseTo(expected, 4);
    }
  });
});

describe('documented listings, delistings and gaps', () => {
  const h = loadHourlyHistory({ symbols: ['DOGE', 'LUNC', 'FTT', 'MATIC'], fromMs: utc(2020, 1, 1) });
  const [doge, lunc, ftt, matic] = describeCoverage(h).map(covered);

  it('DOGE: listed 2020-07-10 09:00, gap 2024-06-16 13:00 → 2025-09-13 07:00', () => {
    expect(formatUtcTime(doge!.firstMs)).toBe('2020-07-10T09:00:00Z');
    expect(doge!.gaps.map((g) => [formatUtcTime(g.firstMissingMs), formatUtcTime(g.lastMissingMs)])).toEqual([
      ['2024-06-16T13:00:00Z', '2025-09-13T07:00:00Z'],
    ]);
  });

  it('LUNC: delisted after 2022-05-13 00:00, relisted 2022-09-09 08:00; FTT suspended 2022-11-15 → 2023-09-22', () => {
    const big = (c: typeof lunc) => c!.gaps.filter((g) => g.bars > 24);
    expect(
      big(lunc).map((g) => [formatUtcTime(g.firstMissingMs - H), formatUtcTime(g.lastMissingMs + H)]),
    ).toEqual([['2022-05-13T00:00:00Z', '2022-09-09T08:00:00Z']]);
    expect(
      big(ftt).map((g) => [formatUtcTime(g.firstMissingMs - H), formatUtcTime(g.lastMissingMs + H)]),
    ).toEqual([['2022-11-15T04:00:00Z', '2023-09-22T08:00:00Z']]);
    expect(at(h, h.close, 'LUNC', utc(2022, 6, 1))).toBeNaN();
  });

  it('MATIC ends 2024-06-16 12:00 and is NaN (not forward-filled) afterwards', () => {
    expect(formatUtcTime(matic!.lastMs)).toBe('2024-06-16T12:00:00Z');
    expect(matic!.trailingBars).toBeGreaterThan(0);
    expect(at(h, h.close, 'MATIC', utc(2024, 6, 16, 13))).toBeNaN();
  });
});

describe('loadDailyHistory and loadDvol', () => {
  it('Yahoo BTC-USD: 2020-03-12 close-to-close −37.17 %, low 4106.98 on 2020-03-13', () => {
    const d = loadDailyHistory({ symbols: ['BTC-USD'], fromMs: utc(2020, 3, 1), toMs: utc(2020, 4, 1) });
    const r = at(d, d.close, 'BTC-USD', utc(2020, 3, 12)) / at(d, d.close, 'BTC-USD', utc(2020, 3, 11)) - 1;
    expect(r).toBeCloseTo(-0.3717, 4);
    expect(at(d, d.low, 'BTC-USD', utc(2020, 3, 13))).toBe(4106.981);
  });

  it('stablecoin depegs: USDC low 0.8774 (2023-03-11), UST −62.31 % (2022-05-13), USDT low 0.9485 (2022-05-12)', () => {
    const d = loadDailyHistory({ symbols: ['USDC-USD', 'UST-USD', 'USDT-USD'], fromMs: utc(2022, 1, 1) });
    expect(at(d, d.low, 'USDC-USD', utc(2023, 3, 11))).toBeCloseTo(0.8774, 4);
    const ust = at(d, d.close, 'UST-USD', utc(2022, 5, 13)) / at(d, d.close, 'UST-USD', utc(2022, 5, 12)) - 1;
    expect(ust).toBeCloseTo(-0.6231, 4);
    expect(at(d, d.low, 'USDT-USD', utc(2022, 5, 12))).toBeCloseTo(0.9485, 4);
    // UST's Yahoo series ends 2022-10-09: NaN afterwards, not its last price.
    expect(at(d, d.close, 'UST-USD', utc(2022, 10, 10))).toBeNaN();
  });

  it('daily alts: LTC-USD from 2014-09-17 (close 5.0585499), AVAX-USD NaN in its source gap (2020-07-15 → 2020-09-21)', () => {
    const d = loadDailyHistory({ symbols: ['LTC-USD', 'AVAX-USD'], toMs: utc(2020, 10, 1) });
    // First source row of LTC-USD_1d.csv: 2014-09-17,5.0858898,5.1707702,4.96595,5.0585499,...
    expect(d.timesMs[0]).toBe(utc(2014, 9, 17));
    expect(at(d, d.close, 'LTC-USD', utc(2014, 9, 17))).toBe(5.0585499);
    // AVAX source rows: 2020-07-14 close 4.9867539, then 2020-09-22 (no rows between).
    expect(at(d, d.close, 'AVAX-USD', utc(2020, 7, 14))).toBe(4.9867539);
    expect(at(d, d.close, 'AVAX-USD', utc(2020, 8, 1))).toBeNaN();
    expect(at(d, d.close, 'AVAX-USD', utc(2020, 9, 22))).toBe(5.234632);
  });

  it('DVOL is converted from percent to a fraction: BTC 2022-11-09 close 114.72 % → 1.1472', () => {
    const v = loadDvol({ fromMs: utc(2022, 11, 1), toMs: utc(2022, 12, 1) });
    expect(v.assets).toEqual(['BTC', 'ETH']);
    expect(at(v, v.close, 'BTC', utc(2022, 11, 9))).toBeCloseTo(1.1472, 12);
  });

  it('rejects an unknown or repeated symbol, listing what exists', () => {
    expect(() => loadHourlyHistory({ symbols: ['BTC', 'PEPE'] })).toThrow(
      /symbols\[1\] must be one of the ohlcv_1h symbols \(BTC, ETH, .*\); got "PEPE"/,
    );
    expect(() => loadDailyHistory({ symbols: ['BTC'] })).toThrow(/must be one of the ohlcv_1d symbols/);
    expect(() => loadHourlyHistory({ symbols: ['BTC', 'BTC'] })).toThrow(/symbols\[1\] must not repeat/);
  });

  it('loads 4 years × 15 assets hourly on one grid (timing: npm run bench -- history)', () => {
    const symbols = 'BTC ETH SOL BNB XRP DOGE ADA AVAX LINK LTC MATIC USDC BUSD TUSD FTT'.split(' ');
    const h = loadHourlyHistory({ symbols, fromMs: utc(2020, 1, 1), toMs: utc(2024, 1, 1) });
    expect(h.close.length).toBe(1461 * 24 * 15); // 1,461 days (2020 is a leap year) × 24 h × 15 assets
  });
});

describe('MANIFEST.json integrity', () => {
  const dir = defaultHistoryDir();
  const manifest = readHistoryManifest(dir);

  it('every shipped file matches its sha256, row count and first/last time', () => {
    expect(manifest.files.length).toBe(45);
    for (const entry of manifest.files) {
      const s = readHistoryFile(dir, entry);
      const fmt = (ms: number) => (entry.stepMs === H ? formatUtcTime(ms) : formatUtcTime(ms).slice(0, 10));
      expect(fmt(s.rows[0]!.timeMs), entry.path).toBe(entry.first);
      expect(fmt(s.rows[s.rows.length - 1]!.timeMs), entry.path).toBe(entry.last);
    }
  });

  const tmp = mkdtempSync(join(tmpdir(), 'xmargin-history-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const copy = (rel: string) => {
    mkdirSync(dirname(join(tmp, rel)), { recursive: true });
    copyFileSync(join(dir, rel), join(tmp, rel));
  };

  it('an untouched copy loads; a tampered copy is refused with a sha256 error', () => {
    copy('MANIFEST.json');
    copy('ohlcv_1h/BTC.csv.gz');
    const ok = loadHourlyHistory({ symbols: ['BTC'], dir: tmp, toMs: utc(2020, 1, 2) });
    expect(ok.close[0]).toBe(7171.55);

    // Change one close by one cent and re-gzip: a valid gzip file whose content is not the shipped one.
    const path = join(tmp, 'ohlcv_1h/BTC.csv.gz');
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const tampered = text.replace(
      '2020-01-01T00:00:00Z,7190.52,7170.15,7171.55,',
      '2020-01-01T00:00:00Z,7190.52,7170.15,7171.56,',
    );
    expect(tampered).not.toBe(text);
    writeFileSync(path, gzipSync(tampered));
    expect(() => loadHourlyHistory({ symbols: ['BTC'], dir: tmp })).toThrow(
      /^ohlcv_1h\/BTC\.csv\.gz sha256 must equal the MANIFEST\.json sha256 898ee5[0-9a-f]+ \(file modified or corrupt; restore it or rerun node scripts\/import-history\.mjs\); got "[0-9a-f]{64}"$/,
    );

    writeFileSync(path, Buffer.from('not gzip'));
    expect(() => loadHourlyHistory({ symbols: ['BTC'], dir: tmp })).toThrow(
      /ohlcv_1h\/BTC\.csv\.gz must be a readable gzip file/,
    );
    rmSync(path);
    expect(() => loadHourlyHistory({ symbols: ['BTC'], dir: tmp })).toThrow(
      /must be a readable gzip file .*ENOENT/,
    );
  });

  it('a missing or malformed manifest is a clear error', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => loadHourlyHistory({ symbols: ['BTC'], dir: empty })).toThrow(
      /history manifest must be a readable file \(ENOENT\); run node scripts\/import-history\.mjs/,
    );
    writeFileSync(join(empty, 'MANIFEST.json'), JSON.stringify({ format: 1, files: [], extra: true }));
    expect(() => loadHourlyHistory({ symbols: ['BTC'], dir: empty })).toThrow(
      /MANIFEST\.json is invalid: .*extra/,
    );
  });
});
