/**
 * The closing line of `npm test` cannot report green on red: vitest runs the reporter's fixtures
 * (test/support/reporter-fixtures) in a child process, and the line must count the failed test,
 * the two tests a timed-out `beforeAll` kept from running, the suite of that hook and the file that
 * failed to import as failures; the one test skipped on purpose as skipped.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('summary reporter', () => {
  it('counts failed tests, tests blocked by a failed hook, failed suites and failed files', () => {
    const r = spawnSync(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/support/reporter-fixtures/vitest.config.ts',
      ],
      { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } },
    );
    const out = `${r.stdout}${r.stderr}`;
    // passed: 1 ('passes'); failed: 'fails' + 2 blocked tests + the hook's suite + the import's file = 5
    expect(out).toMatch(/^tests: 1 passed, 5 failed, 1 skipped$/m);
    expect(out).toMatch(/^failed: suite a suite whose set-up times out: /m);
    expect(out).toMatch(/^failed: file import\.fixture\.ts: .*fails while it is imported/m);
    expect(r.status).not.toBe(0);
  }, 150_000);
});
