import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    setupFiles: ['./test/support/fast-check-setup.ts'],
    // Sized for a loaded 2-core machine: a PGlite store alone took 8 s to create under load, and a
    // hook that times out fails its tests (test/support/summary-reporter.ts counts them as failed).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
