/**
 * The backtest report in a real browser (Debian's chromium through playwright-core): every chart
 * draws (non-zero box, marks inside), and the page makes no request outside its own file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktestCommand } from '../../src/adapters/cli/backtest-command.js';
import { renderBacktestHtml } from '../../src/adapters/report/backtest-html.js';
import { BROWSER, launchBrowser } from '../support/browser.js';

const MODELS = ['isolated', 'cross', 'portfolio'];
/** Every chart the report draws (margin-vs-loss once per model). */
const CHARTS = [
  'margin-vs-loss',
  'capital',
  'coverage-capital',
  'exceedances-by-year',
  'crash-bad-debt',
  'crash-liquidations',
];

const launch = launchBrowser;

describe.skipIf(!BROWSER.available)(`backtest report in chromium (${BROWSER.reason})`, () => {
  let dir: string;
  let file: string;
  let session: Awaited<ReturnType<typeof launch>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xmargin-report-'));
    const { report } = await runBacktestCommand({
      models: MODELS.join(','),
      books: 'reference',
      from: '2022-10-25',
      to: '2023-01-10',
      crashes: 'usdc-2023-03',
      crashAccounts: '10',
    });
    file = join(dir, 'report.html');
    writeFileSync(file, renderBacktestHtml(report));
    session = await launch();
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with marks and makes no outside request; screenshot taken', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside: string[] = [];
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      const local =
        url.protocol === 'file:' ||
        url.protocol === 'data:' ||
        ['localhost', '127.0.0.1'].includes(url.hostname);
      if (local) await route.continue();
      else {
        outside.push(url.href);
        await route.abort();
      }
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const charts = await page.$$eval('svg[data-chart]', (els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return {
          name: el.getAttribute('data-chart') ?? '',
          model: el.getAttribute('data-model'),
          width: box.width,
          height: box.height,
          marks: el.querySelectorAll('path.series, rect.bar, circle.mark, circle.point').length,
          drawnMarks: [...el.querySelectorAll('path.series, rect.bar, circle.point')].filter((m) => {
            const b = (m as unknown as { getBBox(): { width: number; height: number } }).getBBox();
            return b.width > 0 || b.height > 0;
          }).length,
        };
      }),
    );
    expect(new Set(charts.map((c) => c.name))).toEqual(new Set(CHARTS));
    expect(charts.filter((c) => c.name === 'margin-vs-loss').map((c) => c.model)).toEqual(MODELS);
    for (const c of charts) {
      expect(c.width, c.name).toBeGreaterThan(100);
      expect(c.height, c.name).toBeGreaterThan(100);
      expect(c.marks, c.name).toBeGreaterThan(0);
    }
    // Charts whose values are positive by construction must show drawn marks.
    for (const c of charts.filter((x) =>
      ['margin-vs-loss', 'capital', 'coverage-capital', 'crash-liquidations'].includes(x.name),
    ))
      expect(c.drawnMarks, c.name).toBeGreaterThan(0);
    const summaryRows = await page.$$eval('table[data-table="summary"] tbody tr', (rows) => rows.length);
    expect(summaryRows).toBe(MODELS.length);

    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const width of [1440, 390]) {
    it(`at ${width} px: no table is cut (1440) and the page never scrolls sideways; screenshot taken`, async () => {
      const page = await session.browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const pageWidth = await page.$eval('html', (el) => el.scrollWidth);
      expect(pageWidth).toBeLessThanOrEqual(width);
      if (width >= 1440) {
        const cut = await page.$$eval('.scroll', (els) =>
          els
            .filter((e) => e.scrollWidth > e.clientWidth + 1)
            .map((e) => e.querySelector('table')?.getAttribute('data-table')),
        );
        expect(cut).toEqual([]);
      }
      await page.screenshot({ path: join(dir, `report-${width}.png`), fullPage: true });
      await page.close();
    });
  }
});
