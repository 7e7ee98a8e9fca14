/**
 * `xmargin backtest` through the built command (bin/xmargin.js), as a user runs it: a short range
 * writes report.html and report.json whose numbers agree; bad input exits 2 naming the flag.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../src/engine/backtest/index.js';

const root = new URL('../../', import.meta.url).pathname;
const built = existsSync(join(root, 'dist/src/main/cli.js'));

function xmargin(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/xmargin.js'), ...args], { encoding: 'utf8' });
}

/** Cell texts of the rows of `<table data-table="NAME">`, HTML entities decoded. */
function tableRows(html: string, name: string): string[][] {
  const t = new RegExp(`<table data-table="${name}">([\\s\\S]*?)</table>`).exec(html);
  if (t === null) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(t[1]!)![1]!;
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!)),
  );
}

describe.skipIf(!built)(
  'xmargin backtest (built CLI; skipped when dist/ is not built: npm run build)',
  () => {
    it('a short range writes report.html and report.json with the same numbers', () => {
      const dir = mkdtempSync(join(tmpdir(), 'xmargin-backtest-'));
      const out = join(dir, 'report.html');
      const r = xmargin([
        'backtest',
        '--models',
        'isolated,cross,portfolio',
        '--books',
        'reference,ex-basis-trade',
        '--from',
        '2022-11-01',
        '--to',
        '2022-11-21',
        '--crashes',
        'ftx-2022-11',
        '--crash-accounts',
        '15',
        '--out',
        out,
        '--cards',
        join(dir, 'cards.json'),
      ]);
      // Not a terminal: at most progress lines (every 10 s once the run is that long), nothing else.
      for (const l of r.stderr.split('\n').filter((x) => x !== ''))
        expect(l).toMatch(/^backtest: (\d+% \(|done in )/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`wrote ${out}`);
      const html = readFileSync(out, 'utf8');
      const doc = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as BacktestReport;
      expect(doc.format).toBe(1);
      expect(doc.steps).toBe(20); // 2022-11-01 … 2022-11-20, each loss ending a day later
      expect(doc.settings.books.map((b) => b.id)).toEqual([
        'ref-hedged-options',
        'ref-basis',
        'ref-directional',
        'ref-short-vol',
        'ref-multi-collateral',
        'ex-basis-trade',
      ]);
      // Comparison table: one row per model, cells equal to the JSON figures.
      const rows = tableRows(html, 'summary');
      expect(rows.map((x) => x[0])).toEqual(['isolated', 'cross', 'portfolio']);
      doc.summary.forEach((s, i) => {
        const row = rows[i]!;
        expect(row[1]).toBe(`${s.exceedances}/${s.observations}`);
        expect(s.observations).toBe(6 * 20);
        expect(row[2]).toBe(`${(100 * s.rate!).toFixed(2)}%`);
        expect(row[4]).toBe(s.kupiecP === null ? '-' : s.kupiecP.toFixed(3));
        expect(row[8]).toBe(`${s.capitalVsIsolated!.toFixed(3)}×`);
        expect(row[12]).toBe(Math.round(s.crashBadDebtUsd!).toLocaleString('en-US'));
      });
      expect(doc.summary[0]!.capitalVsIsolated).toBeCloseTo(1, 12);
      // Per-book rows agree with the per-book JSON.
      const books = tableRows(html, 'books');
      expect(books).toHaveLength(doc.books.length);
      doc.books.forEach((b, i) =>
        expect(books[i]!.slice(0, 3)).toEqual([b.model, b.book, `${b.exceedances}/${b.observations}`]),
      );
      // Crash replay rows: bad debt per model.
      const crashes = tableRows(html, 'crashes');
      expect(crashes.map((c) => c[1])).toEqual(['isolated', 'cross', 'portfolio']);
      doc.crashes[0]!.models.forEach((m, i) => {
        expect(crashes[i]![0]).toBe('ftx-2022-11');
        expect(crashes[i]![6]).toBe(Math.round(m.badDebtUsd).toLocaleString('en-US'));
      });
      // Coverage verdicts and the capital comparison are tables of the same figures as the JSON.
      const cov = tableRows(html, 'coverage');
      expect(cov).toHaveLength(doc.coverage.length);
      doc.coverage.forEach((v, i) =>
        expect(cov[i]!.slice(0, 2).concat(cov[i]![3]!)).toEqual([
          v.model,
          v.book,
          `${v.exceedances}/${v.observations}`,
        ]),
      );
      expect(doc.baselines).toEqual(['isolated-cover']);
      expect(doc.capital.filter((c) => c.book === '(hedged total)').map((c) => c.model)).toEqual([
        'isolated',
        'cross',
        'portfolio',
        'isolated-cover',
      ]);
      expect(doc.crashSettings).toEqual({ path: 'intrabar', funding: [1, 1.3], insuranceUsd: null });
      // One card per model and baseline; xmargin models --card prints it from the cards file.
      expect(doc.cards.map((c) => c.model)).toEqual(['isolated', 'cross', 'portfolio', 'isolated-cover']);
      const card = xmargin(['models', '--card', 'portfolio', '--cards', join(dir, 'cards.json'), '--json']);
      expect(card.status).toBe(0);
      expect(JSON.parse(card.stdout)).toEqual(doc.cards[2]);
      const text = xmargin(['models', '--card', 'isolated', '--cards', join(dir, 'cards.json')]);
      expect(text.stdout).toContain('Leverage cap on 1 h with intrabar extremes');
      expect(html).toContain('<section data-card="isolated-cover">');
      // Self-contained: no script, no external reference.
      expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    });

    it('--json prints the report document on stdout (at most progress lines on stderr)', () => {
      const r = xmargin([
        'backtest',
        '--models',
        'isolated',
        '--books',
        'ref-directional',
        '--from',
        '2023-01-01',
        '--to',
        '2023-01-08',
        '--crashes',
        'none',
        '--json',
      ]);
      expect(r.status).toBe(0);
      for (const l of r.stderr.split('\n').filter((x) => x !== ''))
        expect(l).toMatch(/^backtest: (\d+% \(|done in )/);
      const doc = JSON.parse(r.stdout) as BacktestReport;
      expect(doc.steps).toBe(7);
      expect(doc.crashes).toEqual([]);
      expect(doc.summary[0]!.model).toBe('isolated');
    });

    it('--optimise adds the optimiser section: capital freed and exceedances next to the originals', () => {
      const r = xmargin([
        'backtest',
        '--models',
        'portfolio',
        '--books',
        'ref-hedged-options,ref-basis',
        '--from',
        '2023-01-01',
        '--to',
        '2023-01-16',
        '--crashes',
        'none',
        '--optimise',
        'portfolio',
        '--workers',
        '1',
        '--json',
      ]);
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout) as BacktestReport;
      const o = doc.optimiser!;
      expect(o.stepDays).toBe(7);
      expect(o.keep).toBe('none');
      // 2023-01-01, -08, -15 (each + 1 day ≤ 2023-01-16)
      expect(o.steps).toBe(3);
      const hedged = o.summary.find((s) => s.book === 'hedged')!;
      expect(hedged.observations).toBe(6);
      expect(hedged.meanImAfterUsd!).toBeLessThanOrEqual(hedged.meanImBeforeUsd!);
      // the pooled figure is Σ over its books
      const books = o.summary.filter((s) => s.book !== 'hedged');
      expect(hedged.coverageAfter.exceedances).toBe(
        books.reduce((a, s) => a + s.coverageAfter.exceedances, 0),
      );
    });

    it.each([
      [['--step-days', '0'], '--step-days', 'must be an integer from 1 to 365'],
      [['--mpr-days', '9'], '--mpr-days', 'must be an integer from 1 to 5'],
      [['--models', 'isolated,nope'], '--models', 'nope'],
      [['--books', 'ref-nothing'], '--books', 'ref-nothing'],
      [['--crashes', 'tulips-1637'], '--crashes', 'tulips-1637'],
      [['--funding', '0.5:1'], '--funding', 'must be LO:HI'],
      [['--path', 'wicks'], '--path', 'must be close or intrabar'],
      [['--insurance-usd', 'lots'], '--insurance-usd', 'must be a USD amount'],
      [['--from', '2019-01-01'], '--from', 'must lie within the shipped hourly history'],
      [['--from', 'yesterday'], '--from', 'must be a UTC date'],
      [['--optimise', 'derive-pm2'], '--optimise', 'must list models the optimiser has an LP form for'],
      [
        ['--optimise', 'portfolio', '--optimise-keep', 'gamma'],
        '--optimise-keep',
        'must be none or exposure',
      ],
      [['--optimise', 'portfolio', '--optimise-step-days', '0'], '--optimise-step-days', 'from 1 to 365'],
      [['--optimise', 'portfolio', '--books', 'venue'], '--books', 'single-template book'],
    ])('bad input %j exits 2 naming %s', (args, flag, rule) => {
      const r = xmargin(['backtest', '--crashes', 'none', '--to', '2023-01-05', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('ERR_INVALID_INPUT');
      expect(r.stderr).toContain(flag);
      expect(r.stderr).toContain(rule);
      expect(r.stdout).toBe('');
    });
  },
);
