import { defineConfig } from 'vitest/config';

// Runs the reporter's fixtures (test/summary-reporter.test.ts): one passing and one skipped test,
// a failing test, a suite whose beforeAll times out, and a file that fails to import.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.fixture.ts'],
    reporters: ['../summary-reporter.ts'],
    hookTimeout: 200,
  },
});
