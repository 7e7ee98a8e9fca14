#!/usr/bin/env node
/**
 * Imports the shared market history into a compact, committed copy under data/history/.
 *
 *   node scripts/import-history.mjs [SOURCE_DIR]
 *
 * SOURCE_DIR defaults to ../shared/data relative to the repository root (the layout described in
 * that folder's README.md). The output is deterministic: same source, same bytes (no timestamps
 * are written; gzip headers carry mtime 0). Every value is copied verbatim as a decimal string
 * (the source already holds ~10 significant digits); only columns are dropped.
 *
 * Written:
 *   data/history/ohlcv_1h/<SYM>.csv.gz     ts_utc,high,low,close,volume   (Binance USDT pairs, 1h)
 *   data/history/ohlcv_1d/<NAME>.csv.gz    date_utc,high,low,close        (Yahoo USD daily)
 *   data/history/dvol/<BTC|ETH>.csv.gz     date_utc,close                 (Deribit DVOL, percent)
 *   data/history/MANIFEST.json             rows, first/last, sha256 of the decompressed CSV, source
 *
 * Rows are checked on the way (timestamp format, strict increase, alignment, positive finite
 * prices, high >= max(close, low), low <= close, volume >= 0). A violation aborts the import
 * unless the row is in DROPPED_ROWS below, where every exclusion is listed with its reason.
 * No dependencies: node:fs, node:path, node:zlib, node:crypto only.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const HOURLY = 'BTC ETH SOL BNB XRP DOGE ADA AVAX LINK LTC MATIC USDC BUSD TUSD LUNC LUNA2 USTC FTT'.split(
  ' ',
);
const DAILY_MAJORS = ['BTC-USD', 'ETH-USD', 'USDC-USD', 'USDT-USD'];
/** Daily USD series of the other assets (the stress library reaches back before their hourly data). */
const DAILY_ALTS = 'LTC SOL BNB XRP DOGE ADA LINK MATIC AVAX DOT'.split(' ').map((s) => `${s}-USD`);
const DAILY_STABLES = 'UST DAI BUSD TUSD USDP FRAX GUSD LUSD MIM FEI USDN'.split(' ').map((s) => `${s}-USD`);
const DVOL = ['BTC', 'ETH'];

/** Source rows that break a price rule and are excluded on purpose (source path → date → reason). */
const DROPPED_ROWS = {
  'ohlcv_1d/stablecoins/FEI-USD_1d.csv': {
    '2021-04-03': 'Yahoo first row has open 0 and low 0 (not a price); see the shared README, Yahoo quirks',
  },
};

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
const outDir = join(repoRoot, 'data', 'history');

/** One output file: source path (relative to srcDir), output path (relative to outDir), layout. */
function plan() {
  const jobs = [];
  for (const sym of HOURLY)
    jobs.push({
      kind: 'ohlcv_1h',
      symbol: sym,
      quote: 'USDT',
      source: `ohlcv_1h/${sym}USDT_1h.csv`,
      out: `ohlcv_1h/${sym}.csv.gz`,
      srcHeader: 'ts_utc,open,high,low,close,volume,src',
      keep: ['ts_utc', 'high', 'low', 'close', 'volume'],
      stepMs: HOUR_MS,
    });
  const daily = [
    ...[...DAILY_MAJORS, ...DAILY_ALTS].map((n) => ({ n, source: `ohlcv_1d/${n}_1d.csv` })),
    ...DAILY_STABLES.map((n) => ({ n, source: `ohlcv_1d/stablecoins/${n}_1d.csv` })),
  ];
  for (const { n, source } of daily)
    jobs.push({
      kind: 'ohlcv_1d',
      symbol: n,
      quote: 'USD',
      source,
      out: `ohlcv_1d/${n}.csv.gz`,
      srcHeader: 'date_utc,open,high,low,close,volume_usd',
      keep: ['date_utc', 'high', 'low', 'close'],
      stepMs: DAY_MS,
    });
  for (const ccy of DVOL)
    jobs.push({
      kind: 'dvol',
      symbol: ccy,
      quote: 'percent (annualised implied vol)',
      source: `options/DVOL_${ccy}_1d.csv`,
      out: `dvol/${ccy}.csv.gz`,
      srcHeader: 'date_utc,open,high,low,close',
      keep: ['date_utc', 'close'],
      stepMs: DAY_MS,
    });
  return jobs;
}

const ISO_HOUR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^\d+(\.\d+)?$/;

function parseTime(s) {
  const m = ISO_HOUR.exec(s) ?? ISO_DATE.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', se = '0'] = m;
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  return new Date(t).getUTCDate() === +d ? t : NaN; // rejects 2021-02-30
}

function fail(where, msg) {
  throw new Error(`${where}: ${msg}`);
}

/** Converts one source CSV into the output CSV text; validates every kept cell. */
function convert(job, text) {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== job.srcHeader) fail(job.source, `header must be "${job.srcHeader}"; got "${lines[0]}"`);
  const srcCols = job.srcHeader.split(',');
  const idx = job.keep.map((c) => srcCols.indexOf(c));
  const drops = DROPPED_ROWS[job.source] ?? {};
  const out = [job.keep.join(',')];
  const dropped = [];
  let prev = -Infinity;
  let first = '';
  let last = '';
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    const where = `${job.source} line ${i + 1}`;
    if (cells.length !== srcCols.length) fail(where, `expected ${srcCols.length} cells; got ${cells.length}`);
    const ts = cells[0];
    if (Object.hasOwn(drops, ts)) {
      dropped.push({ time: ts, reason: drops[ts] });
      continue;
    }
    const t = parseTime(ts);
    if (!Number.isFinite(t)) fail(where, `bad timestamp "${ts}"`);
    if (t % job.stepMs !== 0) fail(where, `timestamp ${ts} not aligned to ${job.stepMs} ms`);
    if (!(t > prev)) fail(where, `timestamp ${ts} not after the previous row`);
    prev = t;
    const kept = idx.map((k) => cells[k]);
    const v = {};
    job.keep.forEach((c, k) => {
      if (k === 0) return;
      if (!DECIMAL.test(kept[k])) fail(where, `${c} must be a plain decimal; got "${kept[k]}"`);
      v[c] = Number(kept[k]);
    });
    const positive = ['high', 'low', 'close'].filter((c) => c in v);
    for (const c of positive) if (!(v[c] > 0)) fail(where, `${c} must be > 0; got ${v[c]}`);
    if ('high' in v && !(v.high >= v.low && v.high >= v.close)) fail(where, 'high < max(low, close)');
    if ('low' in v && !(v.low <= v.close)) fail(where, 'low > close');
    if ('volume' in v && !(v.volume >= 0)) fail(where, `volume must be >= 0; got ${v.volume}`);
    if (first === '') first = ts;
    last = ts;
    out.push(kept.join(','));
  }
  return { csv: out.join('\n') + '\n', rows: out.length - 1, first, last, dropped };
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function main() {
  if (!existsSync(join(srcDir, 'ohlcv_1h')))
    fail(srcDir, 'not a shared data folder (no ohlcv_1h/); pass the path as the first argument');
  for (const sub of ['ohlcv_1h', 'ohlcv_1d', 'dvol'])
    rmSync(join(outDir, sub), { recursive: true, force: true });
  const files = [];
  for (const job of plan()) {
    const srcPath = join(srcDir, job.source);
    const raw = readFileSync(srcPath);
    const res = convert(job, raw.toString('utf8'));
    const csvBuf = Buffer.from(res.csv, 'utf8');
    const gz = gzipSync(csvBuf, { level: constants.Z_BEST_COMPRESSION });
    const outPath = join(outDir, job.out);
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, gz);
    const entry = {
      path: job.out,
      kind: job.kind,
      symbol: job.symbol,
      quote: job.quote,
      header: job.keep.join(','),
      stepMs: job.stepMs,
      rows: res.rows,
      first: res.first,
      last: res.last,
      sha256: sha256(csvBuf),
      bytes: gz.length,
      source: job.source,
      sourceSha256: sha256(raw),
    };
    if (res.dropped.length > 0) entry.droppedRows = res.dropped;
    files.push(entry);
  }
  const manifest = {
    format: 1,
    description:
      'Compact copy of the shared market history; sha256 is over the decompressed CSV bytes. See README.md.',
    generator: 'scripts/import-history.mjs',
    files,
  };
  writeFileSync(join(outDir, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
  const total = dirBytes(join(repoRoot, 'data'));
  console.log(
    `wrote ${files.length} files to ${relative(process.cwd(), outDir) || '.'}; data/ is ${(total / 1e6).toFixed(2)} MB`,
  );
}

function dirBytes(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    n += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return n;
}

main();
