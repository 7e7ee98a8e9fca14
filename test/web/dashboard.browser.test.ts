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
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, launchBrowser } from '../support/browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;

interface Server {
  url: string;
  key: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts the demo service on a free port and waits for its URL and admin key on stdout. */
function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'bin/xmargin.js'), 'serve', '--demo', '--port', '0'], {
    cwd: dataDir,
    env: { ...process.env, XMARGIN_DATA_DIR: dataDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the service printed no URL and key within ${START_TIMEOUT_MS} ms\n${output()}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const url = /https?:\/\/(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1?\]):\d+/.exec(out)?.[0];
      const key = /\bxm_[A-Za-z0-9_-]{16,}/.exec(out)?.[0];
      if (url === undefined || key === undefined) return;
      clearTimeout(timer);
      resolve({ url: url.replace('0.0.0.0', '127.0.0.1'), key, child, output });
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code} before it was ready\n${output()}`));
    });
  });
}

/** Builds the dashboard into dist/web when it is not built yet. */
async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(join(root, 'dist/web/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}

/** Whether a URL stays on this machine. */
function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
}

/** What the paint check reads of a canvas or svg element (the root tsconfig has no DOM types). */
interface PaintedElement {
  tagName: string;
  childElementCount: number;
  width?: number;
  height?: number;
  getContext?: (
    kind: '2d',
  ) => { getImageData: (x: number, y: number, w: number, h: number) => { data: ArrayLike<number> } } | null;
}

/** Waits until the chart in `[data-testid=testId]` has drawn: a canvas/svg, sized, with paint. */
async function expectChartDrawn(page: Page, testId: string): Promise<void> {
  const surface = page.locator(`[data-testid="${testId}"] canvas, [data-testid="${testId}"] svg`).first();
  await surface.waitFor({ state: 'visible', timeout: 15_000 });
  const box = await surface.boundingBox();
  expect(box, `${testId} has a box`).not.toBeNull();
  expect(box!.width, `${testId} width`).toBeGreaterThan(0);
  expect(box!.height, `${testId} height`).toBeGreaterThan(0);
  // echarts paints after layout: poll until the canvas has non-transparent pixels.
  await expect
    .poll(
      () =>
        surface.evaluate((el: PaintedElement) => {
          if (el.tagName.toLowerCase() !== 'canvas') return el.childElementCount > 0;
          const ctx = el.getContext?.('2d');
          if (ctx === null || ctx === undefined) return false;
          const px = ctx.getImageData(0, 0, el.width ?? 0, el.height ?? 0).data;
          for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) return true;
          return false;
        }),
      { timeout: 10_000, message: `${testId} paints something` },
    )
    .toBe(true);
}

/** GET on the service with the admin key (from the test, not the page). */
async function getJson<T>(server: Server, path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${server.key}` },
  });
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

describe.skipIf(!BROWSER.available)(`dashboard in a browser (${BROWSER.reason})`, () => {
  let dataDir = '';
  let shots = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  const outside: string[] = [];
  const pageErrors: string[] = [];
  const streamFrames: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xmargin-web-data-'));
    shots = mkdtempSync(join(tmpdir(), 'xmargin-web-shots-'));
    await ensureDashboardBuilt();
    server = await startServer(dataDir);
    ({ browser, close: closeBrowser } = await launchBrowser());
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // WebSockets are not routed: check their URL here and record what they receive.
    page.on('websocket', (ws) => {
      if (!isLocal(ws.url().replace(/^ws/, 'http'))) outside.push(ws.url());
      ws.on('framereceived', (f) => streamFrames.push(typeof f.payload === 'string' ? f.payload : ''));
    });
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
