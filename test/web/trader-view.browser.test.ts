/**
 * The trader's view of the dashboard in headless chromium, at a phone's width (390 px) and a
 * report's (1440 px), against the real demo service: the account page shows where the account is
 * liquidated, its greeks and its P&L across spot; the what-if shows the verdict first; the
 * position builder computes a book and keeps it in a shareable URL; every page fits its width (no
 * sideways scroll) and every chart's axis labels are distinct. Screenshots go to a temp dir,
 * printed.
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

/** Text of an axis label: a number, an amount, a percentage or a time. */
const AXIS_LABEL = /^-?\$?[\d.,]+[KMB]?%?$|^\d{2}-\d{2} \d{2}:\d{2}$|^\d{2}:\d{2}(:\d{2})?$/;

/** The page is no wider than its viewport (tables scroll inside their panels). */
async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const [scroll, client] = await page.$eval('html', (el) => [el.scrollWidth, el.clientWidth]);
  expect(scroll, `page scroll width at ${width} px`).toBeLessThanOrEqual(client);
}

/**
 * The axis labels of a chart (SVG text) are distinct: labels aligned on one axis (same right edge
 * for a vertical axis, same baseline for a horizontal one) never repeat.
 */
async function expectDistinctAxisLabels(page: Page, testId: string): Promise<string[]> {
  const texts = await page.$$eval(`[data-testid="${testId}"] svg text`, (els) =>
    els.map((e) => {
      const b = e.getBoundingClientRect();
      return {
        t: (e.textContent ?? '').trim(),
        right: Math.round(b.right),
        mid: Math.round(b.top + b.height / 2),
      };
    }),
  );
  const labels = texts.filter((x) => AXIS_LABEL.test(x.t));
  const groups = new Map<string, string[]>();
  for (const l of labels) {
    for (const k of [`r${l.right}`, `y${l.mid}`]) groups.set(k, [...(groups.get(k) ?? []), l.t]);
  }
  let axes = 0;
  for (const [k, g] of groups)
    if (g.length >= 3) {
      axes++;
      expect(new Set(g).size, `${testId} axis ${k}: ${g.join(' | ')}`).toBe(g.length);
    }
  expect(axes, `${testId} has axes with labels`).toBeGreaterThanOrEqual(1);
  return labels.map((l) => l.t);
}

describe.skipIf(!BROWSER.available)(`the trader's view at 390 and 1440 px (${BROWSER.reason})`, () => {
  let dataDir = '';
  let shots = '';
  let server: Server;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let account = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xmargin-trader-web-'));
    shots = mkdtempSync(join(tmpdir(), 'xmargin-trader-shots-'));
    await ensureDashboardBuilt();
    server = await startServer(dataDir);
    ({ browser, close: closeBrowser } = await launchBrowser());
    // A sub-account holding BTC options (a P&L curve with an expiry and liquidation prices).
    const { items } = await getJson<{ items: { key: string }[] }>(server, '/accounts?sort=health&limit=200');
    for (const a of items) {
      const [acc, sub] = a.key.split('/');
      const d = await getJson<{ positions: { instrument: string }[] }>(
        server,
        `/accounts/${acc}/subaccounts/${sub}`,
      );
      if (d.positions.some((p) => /^BTC-.*-[CP]$/.test(p.instrument))) {
        account = a.key;
        break;
      }
    }
    expect(account, 'the demo has a sub-account with BTC options').not.toBe('');
    console.log(`trader's view screenshots: ${shots}`);
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    server?.child.kill();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [width, height] of [
    [1440, 1000],
    [390, 844],
  ] as const) {
    describe(`${width} px`, () => {
      let page: Page;
      let outside: string[] = [];
      let errors: string[] = [];

      beforeAll(async () => {
        ({ page, outside, errors } = await openGuardedPage(browser, { width, height }));
        await page.goto(`${server.url}/?key=${encodeURIComponent(server.key)}`);
        await page.locator('[data-testid="accounts-table"] tbody tr').first().waitFor({ timeout: 20_000 });
      }, 60_000);

      it('account page: liquidation prices, greeks, the P&L curve with distinct axis labels; fits', async () => {
        const [acc, sub] = account.split('/');
        await page.goto(`${server.url}/#/account/${acc}/${sub}`);
        const liq = page.locator('[data-testid="liquidation-table"] tbody tr');
        await liq.first().waitFor({ timeout: 30_000 });
        expect(await liq.first().textContent()).toMatch(/^BTC/);
        expect(await page.locator('[data-testid="greeks-table"] tbody tr').count()).toBeGreaterThanOrEqual(2);
        await expectChartDrawn(page, 'pnl-chart');
        const labels = await expectDistinctAxisLabels(page, 'pnl-chart');
        expect(labels.length).toBeGreaterThan(5);
        await expectChartDrawn(page, 'margin-by-model-chart');
        await expectDistinctAxisLabels(page, 'margin-by-model-chart');
        await expectNoSidewaysScroll(page, width);
        await page.screenshot({ path: join(shots, `account-${width}.png`), fullPage: true });
      });

      it('what-if: the verdict comes first, with the rule and the account after', async () => {
        const select = page.getByTestId('whatif-instrument');
        await expect.poll(() => select.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
        await select.selectOption('BTC-PERP');
        await page.getByTestId('whatif-size').fill('1000');
        await page.getByTestId('whatif-submit').click();
        await page.getByTestId('verdict').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('verdict-word').textContent()).toBe('Refused');
        expect(await page.getByTestId('verdict').textContent()).toMatch(/shortfall \$[\d,.]+/);
        // the verdict sits above the per-model table
        const [v, t] = await Promise.all(
          ['verdict', 'whatif-result'].map((id) => page.getByTestId(id).boundingBox()),
        );
        expect(v!.y).toBeLessThan(t!.y);
        await expectNoSidewaysScroll(page, width);
        await page.screenshot({ path: join(shots, `verdict-${width}.png`), fullPage: true });
      });

      it('builder: a book from the account plus a leg; edits live in a URL that reopens the same book', async () => {
        await page.goto(`${server.url}/#/builder?base=${encodeURIComponent(account)}`);
        const models = page.locator('[data-testid="builder-models"] tbody tr');
        await models.first().waitFor({ timeout: 30_000 });
        expect(await models.count()).toBeGreaterThanOrEqual(3);
        await page.getByTestId('leg-kind').selectOption('put');
        await page.getByTestId('leg-size').fill('-2');
        await page.getByTestId('leg-add').click();
        await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/leg=BTC-[^&]*-P%3A-2/);
        const legs = page.locator('[data-testid="builder-legs"] tbody tr');
        await expect.poll(() => legs.count()).toBe(1);
        await expect
          .poll(() => page.getByTestId('builder-busy').textContent(), { timeout: 30_000 })
          .toBe('up to date');
        await expectChartDrawn(page, 'builder-pnl-chart');
        await expectDistinctAxisLabels(page, 'builder-pnl-chart');
        await page.getByTestId('builder-liquidation').waitFor();
        await expectNoSidewaysScroll(page, width);
        await page.screenshot({ path: join(shots, `builder-${width}.png`), fullPage: true });
        // the shared link reopens the same book
        const link = page.url();
        await page.goto(`${server.url}/#/venue`);
        await page.goto(link);
        await expect
          .poll(() => legs.allTextContents(), { timeout: 10_000 })
          .toEqual([expect.stringMatching(/^BTC-.*-P-2/)]);
        await page.getByTestId('builder-remove-0').click();
        await expect.poll(() => page.url()).not.toMatch(/leg=/);
      });

      it('accounts and venue pages fit; the insurance fund is drawn in venue time with distinct labels', async () => {
        await page.goto(`${server.url}/#/`);
        await page.locator('[data-testid="accounts-table"] tbody tr').first().waitFor();
        await expectNoSidewaysScroll(page, width);
        await page.screenshot({ path: join(shots, `accounts-${width}.png`), fullPage: true });
        await page.goto(`${server.url}/#/venue`);
        await page.locator('[data-testid="prices-table"] tbody tr').first().waitFor({ timeout: 15_000 });
        await expectChartDrawn(page, 'insurance-chart');
        const labels = await expectDistinctAxisLabels(page, 'insurance-chart');
        // venue time (the replay runs through 2022-11), never the wall clock's date
        const v = await getJson<{ timeMs: number; replay?: { fromMs: number; toMs: number } }>(
          server,
          '/venue',
        );
        const days = new Set<string>();
        for (let t = v.replay!.fromMs - 86_400_000; t <= v.replay!.toMs; t += 3_600_000)
          days.add(new Date(t).toISOString().slice(5, 10));
        const dated = labels.filter((t) => /^\d{2}-\d{2} \d{2}:\d{2}$/.test(t));
        for (const t of dated) expect(days.has(t.slice(0, 5)), `${t} is in the replay's days`).toBe(true);
        await expectNoSidewaysScroll(page, width);
        await page.screenshot({ path: join(shots, `venue-${width}.png`), fullPage: true });
      });

      it('made no request outside localhost and threw no error', () => {
        expect(outside).toEqual([]);
        expect(errors).toEqual([]);
      });
    });
  }
});
