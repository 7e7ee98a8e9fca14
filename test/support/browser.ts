/**
 * Debian's chromium for the browser tests, driven by playwright-core (no browser download).
 *
 * `BROWSER` tells whether a browser is here and, when not, why: tests use
 * `describe.skipIf(!BROWSER.available)` and name `BROWSER.reason` in their title so that a skip
 * is reported with its reason. `.ci/run` installs chromium with apt-get when it is missing.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const BROWSER: { readonly available: boolean; readonly reason: string } = existsSync(CHROMIUM_PATH)
  ? { available: true, reason: `chromium at ${CHROMIUM_PATH}` }
  : {
      available: false,
      reason: `no chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    };

/**
 * Flags for a closed network and a root user: no sandbox (root), no GPU, and no background
 * networking (its connections are refused here, many at a time).
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless chromium (playwright gives it a fresh temporary profile). */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
  return { browser, close: () => browser.close() };
}
