/**
 * The "Across venues" page end to end in headless chromium against the real service (started
 * in-process with the built dashboard, listening on 127.0.0.1): a trader loads the example
 * trader's payload files venue by venue, computes, and reads each venue's own figures next to the
 * venue's, the combined requirement and the moves; a malformed payload shows the service's error
 * naming the field. The figures on the page are checked against `xmargin crossvenue` on the same
 * directory. No request leaves localhost.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';
import { runCrossVenue } from '../../src/adapters/cli/crossvenue-command.js';
import { BROWSER, launchBrowser } from '../support/browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TRADER = join(root, 'examples/venues/traders/perp-hedger');
const ADMIN = 'xm_test_admin_key_crossvenue_page';

describe.skipIf(!BROWSER.available)(`the Across venues page in chromium (${BROWSER.reason})`, () => {
  let svc: RunningService;
  let url: string;
  let browser: Browser;
  let close: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];
  const offsite: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/web/index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
    }
    svc = await startService({
      store: {},
      adminKey: ADMIN,
      version: 'test',
      webDir: join(root, 'dist/web'),
      rateLimit: { ratePerSec: 1e6, burst: 1e6 },
      onFatal: (e) => {
        throw e;
      },
    });
    url = await svc.server.app.listen({ port: 0, host: '127.0.0.1' });
    ({ browser, close } = await launchBrowser());
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === '127.0.0.1' || u.protocol === 'data:' || u.protocol === 'blob:')
        return route.continue();
      offsite.push(u.href);
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await svc?.close();
  }, 60_000);

  const venues = readdirSync(TRADER)
    .filter((d) => statSync(join(TRADER, d)).isDirectory())
    .sort();

  it('computes the combined view from payload files, as the CLI does', async () => {
    await page.goto(`${url}/?key=${encodeURIComponent(ADMIN)}#/crossvenue`);
    await page.getByRole('heading', { name: 'Across venues' }).waitFor({ timeout: 15_000 });
    for (let i = 1; i < venues.length; i++) await page.getByRole('button', { name: 'Add a venue' }).click();
    const rows = page.getByTestId('venue-row');
    for (const [i, venue] of venues.entries()) {
      const row = rows.nth(i);
      await row.getByLabel('venue').fill(venue);
      const dir = join(TRADER, venue);
      await row.getByLabel('payload files').setInputFiles(readdirSync(dir).map((f) => join(dir, f)));
      await row
        .locator('.files')
        .filter({ hasText: readdirSync(dir)[0]!.replace(/\.json$/, '') })
        .waitFor({ timeout: 10_000 });
    }
    const cfg = await runCrossVenue(TRADER);
    const cfgFile = JSON.parse(readFileSync(join(TRADER, 'crossvenue.json'), 'utf8')) as {
      asOf: string;
      params: unknown;
    };
    await page.getByLabel('as of').fill(cfgFile.asOf);
    await page.getByLabel('parameters').fill(JSON.stringify(cfgFile.params));
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.getByTestId('crossvenue-result').waitFor({ timeout: 30_000 });
    const text = (id: string) => page.getByTestId(id).innerText();
    const usd = (s: string) => Number(s.replace(/[^0-9.-]/g, ''));
    // the page rounds to whole dollars: compare to the CLI's figures within a dollar
    expect(Math.abs(usd(await text('sum-of-venues')) - cfg.result.sumOfVenuesUsd)).toBeLessThanOrEqual(1);
    expect(
      Math.abs(usd((await text('combined')).split(' (')[0]!) - cfg.result.combinedUsd),
    ).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('venue-table').locator('tbody tr').count()).toBe(cfg.result.venues.length);
    expect(await page.getByTestId('group-table').locator('tbody tr').count()).toBe(cfg.result.groups.length);
    // the moves are the optimiser's, with each venue recomputed after them
    expect(await text('moves-method')).toContain("optimiser's least-cost allocation");
    expect(await page.getByTestId('after-moves-table').locator('tbody tr').count()).toBe(
      cfg.result.venues.length,
    );
    await page.screenshot({ path: join(root, 'dist/crossvenue-page.png'), fullPage: true });
  });

  it('a malformed payload shows the error naming the venue, the field and the value', async () => {
    const bad = { account: { accountEquity: 'lots' } };
    await page
      .getByTestId('venue-row')
      .nth(0)
      .getByLabel('payload files')
      .setInputFiles([
        {
          name: 'account.json',
          mimeType: 'application/json',
          buffer: Buffer.from(JSON.stringify(bad.account)),
        },
      ]);
    await page
      .getByTestId('venue-row')
      .nth(0)
      .locator('.files')
      .filter({ hasText: /^account$/ })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Compute' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    const msg = await alert.innerText();
    expect(msg).toContain('binance');
    expect(msg).toContain('ERR_');
  });

  it('throws nothing and stays on this machine', () => {
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });
});
