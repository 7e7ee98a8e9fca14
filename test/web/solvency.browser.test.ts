/**
 * Solvency over the service and in the dashboard, end to end: the demo service (4 seeded
 * accounts, in-memory store, in process) commits an epoch with the shipped full circuit; the
 * routes answer with the right scopes and refuse bad input; in headless chromium an owner opens
 * the Solvency page and presses "Verify my account": the browser checks the verification key's
 * sha256, the epoch's commitments, the inclusion proof and the Groth16 proof (snarkjs's browser
 * build), and shows every step verified. A proof tampered on the way is shown refused. No request
 * leaves localhost.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';
import { BROWSER, launchBrowser } from '../support/browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = 'xm_solvency_browser_test_admin_key';

describe.skipIf(!BROWSER.available)(`solvency page in a browser (${BROWSER.reason})`, () => {
  let running: RunningService | undefined;
  let url = '';
  let owner = '';
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  let page: Page;
  const outside: string[] = [];
  const pageErrors: string[] = [];

  const api = async (path: string, key: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${key}`,
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/web/index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
    }
    running = await startService({
      store: {},
      demo: { seed: 7, accounts: 4 },
      speed: 0,
      adminKey: ADMIN,
      webDir: join(root, 'dist/web'),
      version: 'test',
      onFatal: (e) => {
        throw e;
      },
    });
    url = (await running.server.app.listen({ port: 0, host: '127.0.0.1' })).replace('0.0.0.0', '127.0.0.1');
    const key = await api('/keys', ADMIN, { method: 'POST', body: { scopes: ['read:trader-0001'] } });
    owner = key.body['key'] as string;
    ({ browser, close: closeBrowser } = await launchBrowser());
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (['127.0.0.1', 'localhost'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol))
        return route.continue();
      outside.push(u.href);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await running?.close();
  }, 60_000);

  it('commits an epoch (admin) and serves it; scopes and bad input are enforced', async () => {
    const bad = await api('/solvency/epochs', ADMIN, {
      method: 'POST',
      body: { epochId: 'no spaces allowed' },
    });
    expect(bad.status).toBe(400);
    const notAdmin = await api('/solvency/epochs', owner, { method: 'POST', body: { epochId: 'browser-1' } });
    expect(notAdmin.status).toBe(403);
    const made = await api('/solvency/epochs', ADMIN, { method: 'POST', body: { epochId: 'browser-1' } });
    expect(made.status).toBe(201);
    expect(made.body['accounts']).toBe(4);
    expect(made.body['compliant']).toBe(4);
    const again = await api('/solvency/epochs', ADMIN, { method: 'POST', body: { epochId: 'browser-1' } });
    expect(again.status).toBe(400);
    const list = await api('/solvency/epochs', owner);
    expect((list.body['items'] as { epochId: string }[]).map((e) => e.epochId)).toEqual(['browser-1']);
    expect((await api('/solvency/epochs/nope', owner)).status).toBe(404);
    expect((await api('/solvency/epochs/browser-1/accounts/trader-0002/main', owner)).status).toBe(403);
  }, 60_000);

  it('an owner verifies their account in the browser; a tampered proof is refused', async () => {
    await page.goto(`${url}/?key=${encodeURIComponent(owner)}#/solvency`);
    await page.getByTestId('epoch-view').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('epoch-accounts').textContent()).toBe('4');
    await page.getByTestId('verify-account').fill('trader-0001');
    await page.getByTestId('verify-button').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor({ timeout: 180_000 });
    const steps = await page
      .locator('[data-testid="verify-steps"] li')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-ok')}`));
    expect(steps).toEqual([
      'verify-step-verification key=true',
      'verify-step-epoch=true',
      'verify-step-inclusion=true',
      'verify-step-compliance=true',
    ]);
    expect(await result.getAttribute('data-ok')).toBe('true');

    // The same owner, with the proof's equity raised on the way: the browser refuses it.
    await page.route('**/api/v1/solvency/epochs/browser-1/accounts/**', async (route) => {
      const res = await route.fetch();
      const doc = (await res.json()) as { opening: { equity: string } };
      doc.opening.equity = (BigInt(doc.opening.equity) + 1_000_000n).toString();
      await route.fulfill({ response: res, json: doc });
    });
    await page.getByTestId('verify-button').click();
    await expect
      .poll(() => page.getByTestId('verify-step-inclusion').getAttribute('data-ok'), { timeout: 60_000 })
      .toBe('false');
    expect(await page.getByTestId('verify-result').getAttribute('data-ok')).toBe('false');
    await page.unroute('**/api/v1/solvency/epochs/browser-1/accounts/**');
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
