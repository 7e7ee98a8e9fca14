/**
 * The dashboard's end-to-end support: the demo service started as a user starts it
 * (`node bin/xmargin.js serve --demo --port 0` on a fresh temp data dir, which prints its URL and
 * an admin key), the dashboard build, the localhost guard, and the check that a chart has drawn.
 * Shared by the browser tests of test/web.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The repository root. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 150_000; // a loaded 2-core machine; the hook allows 180 s

/** A running demo service. */
export interface Server {
  url: string;
  key: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts the demo service on a free port and waits for its URL and admin key on stdout. */
export function startServer(dataDir: string): Promise<Server> {
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
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(join(root, 'dist/web/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}

/** Whether a URL stays on this machine. */
export function isLocal(url: string): boolean {
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
export async function expectChartDrawn(page: Page, testId: string): Promise<void> {
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
export async function getJson<T>(server: Server, path: string): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${server.key}` },
  });
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** A page whose requests outside localhost are aborted and recorded, with the page's errors. */
export interface GuardedPage {
  readonly page: Page;
  /** URLs of requests (and WebSockets) that tried to leave localhost */
  readonly outside: string[];
  /** errors thrown in the page */
  readonly errors: string[];
}

/**
 * Opens a page in a new browser context of `viewport`, guarded: every request outside localhost is
 * aborted and recorded (WebSockets, which are not routed, are checked by URL); `onFrame` receives
 * the stream's text frames.
 */
export async function openGuardedPage(
  browser: Browser,
  viewport: { width: number; height: number },
  onFrame?: (payload: string) => void,
): Promise<GuardedPage> {
  const outside: string[] = [];
  const errors: string[] = [];
  const context = await browser.newContext({ viewport });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url().replace(/^ws/, 'http'))) outside.push(ws.url());
    if (onFrame) ws.on('framereceived', (f) => onFrame(typeof f.payload === 'string' ? f.payload : ''));
  });
  return { page, outside, errors };
}
