/**
 * The dashboard end to end, in headless chromium, against the real service:
 * `node bin/xmargin.js serve --demo --port 0` on a fresh temp data dir, which prints its URL and
 * an admin key (`xm_…`) on stdout. Needs the library build (`npm run build`) and the dashboard
 * build (`vite build --config web/vite.config.ts`; built here when dist/web is missing).
 *
 * Checks: the three pages load, every chart draws (a canvas or svg with non-zero size and some
 * painted pixels), the what-if form answers with one row per model, the Free capital panel
 * suggests verified trades and runs one in the what-if with a click, the API key leaves the
 * address bar, the page throws nothing, and no request leaves localhost (every request is routed
 * through a guard that aborts and records anything else). Screenshots go to a temp dir, printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, launchBrowser } from '../support/browser.js';
import {
  ensureDashboardBuilt,
  expectChartDrawn,
  getJson,
  openGuardedPage,
  startServer,
  type Server,
} from '../support/dashboard-server.js';

describe.skipIf(!BROWSER.available)(`dashboard in a browser (${BROWSER.reason})`, () => {
  let dataDir = '';
  let shots = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  let outside: string[] = [];
  let pageErrors: string[] = [];
  const streamFrames: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xmargin-web-data-'));
    shots = mkdtempSync(join(tmpdir(), 'xmargin-web-shots-'));
    await ensureDashboardBuilt();
    server = await startServer(dataDir);
    ({ browser, close: closeBrowser } = await launchBrowser());
    // Requests outside localhost are aborted and recorded; the stream's frames are kept.
    ({
      page,
      outside,
      errors: pageErrors,
    } = await openGuardedPage(browser, { width: 1440, height: 1000 }, (f) => streamFrames.push(f)));
    console.log(`dashboard screenshots: ${shots}`);
  }, 90_000);

  afterAll(async () => {
    await closeBrowser?.();
    server?.child.kill();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  it('accounts page: lists sub-accounts, sorts, searches; the key leaves the address bar', async () => {
    await page.goto(`${server!.url}/?key=${encodeURIComponent(server!.key)}`);
    const rows = page.locator('[data-testid="accounts-table"] tbody tr a');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(page.url()).not.toContain('key=');
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('stream-state').textContent(), { timeout: 10_000 }).toBe('live');
    await page.screenshot({ path: join(shots, 'accounts.png'), fullPage: true });

    const first = (await rows.first().textContent())!;
    await page.getByTestId('accounts-search').fill(first);
    await expect.poll(() => rows.allTextContents()).toContain(first);
    for (const t of await rows.allTextContents()) expect(t.toLowerCase()).toContain(first.toLowerCase());
    await page.getByTestId('accounts-search').fill('');
    await page.getByRole('button', { name: /Sub-account/ }).click();
    await expect.poll(() => rows.count()).toBe(n);
  });

  it('account page: margin by model, heatmap and contributions draw; tables fill', async () => {
    // The first sub-account (lowest health first) whose book has a scenario grid.
    const { items } = await getJson<{ items: { key: string }[] }>(server!, '/accounts?sort=health&limit=200');
    let key: string | undefined;
    for (const a of items) {
      const [acc, sub] = a.key.split('/');
      const m = await getJson<{ heatmap: unknown; contributions: unknown[] }>(
        server!,
        `/accounts/${acc}/subaccounts/${sub}/margin`,
      );
      if (m.heatmap !== null && m.contributions.length > 0) {
        key = a.key;
        break;
      }
    }
    expect(key, 'the demo has a sub-account with a scenario grid').toBeDefined();
    await page.locator(`[data-testid="accounts-table"] tbody tr a`, { hasText: key! }).first().click();
    await page.waitForURL(/#\/account\//);

    for (const id of ['margin-by-model-chart', 'heatmap', 'contributions-chart'])
      await expectChartDrawn(page, id);
    expect(await page.locator('[data-testid="margin-table"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="positions-table"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="balances-table"] tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'account.png'), fullPage: true });
  });

  it('what-if: a bad size is flagged next to the field; a good one gives a row per model', async () => {
    const models = await page.locator('[data-testid="margin-table"] tbody tr th').allTextContents();
    const select = page.getByTestId('whatif-instrument');
    await expect.poll(() => select.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const instrument = await select.locator('option').first().getAttribute('value');
    await select.selectOption(instrument!);

    await page.getByTestId('whatif-size').fill('abc');
    await page.getByTestId('whatif-submit').click();
    await expect(page.getByTestId('whatif-error-size').textContent()).resolves.toContain('size');

    await page.getByTestId('whatif-size').fill('1');
    await page.getByTestId('whatif-submit').click();
    const resultRows = page.locator('[data-testid="whatif-result"] tbody tr');
    await resultRows.first().waitFor({ timeout: 15_000 });
    const resultModels = await page.locator('[data-testid="whatif-result"] tbody tr th').allTextContents();
    expect(resultModels.length).toBeGreaterThan(0);
    expect([...resultModels].sort()).toEqual([...models].sort());
    await page.screenshot({ path: join(shots, 'whatif.png'), fullPage: true });
  });

  it('free capital: suggested trades verified by the model; one click runs a trade in the what-if', async () => {
    await page.getByTestId('optimise-model').selectOption('deribit-pm');
    await page.getByTestId('optimise-submit').click();
    const summary = page.getByTestId('optimise-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(/verified by deribit-pm/);
    expect(await page.locator('[data-testid="optimise-models"] tbody tr').count()).toBeGreaterThan(0);
    const tries = page.getByTestId('optimise-try');
    if ((await tries.count()) > 0) {
      const first = page.locator('[data-testid="optimise-trades"] tbody tr th').first();
      const instrument = (await first.textContent())!;
      await tries.first().click();
      await expect
        .poll(() => page.locator('[data-testid="whatif-result"] caption').textContent(), { timeout: 15_000 })
        .toContain(instrument);
      expect(await page.getByTestId('whatif-instrument').inputValue()).toBe(instrument);
    }
    await page.screenshot({ path: join(shots, 'free-capital.png'), fullPage: true });
  });

  it('venue page: prices tick, insurance chart draws, liquidation feed and closest accounts show', async () => {
    await page.goto(`${server!.url}/#/venue`);
    await page.locator('[data-testid="prices-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    await expectChartDrawn(page, 'insurance-chart');
    await page.locator('[data-testid="closest-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('liquidation-feed').waitFor();
    const ticks = () => streamFrames.filter((f) => f.includes('"tick"')).length;
    const before = ticks();
    await expect
      .poll(ticks, { timeout: 20_000, message: 'a price tick arrives on the stream' })
      .toBeGreaterThan(before);
    await page.screenshot({ path: join(shots, 'venue.png'), fullPage: true });
  });

  it('made no request outside localhost and threw no error in the page', () => {
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
