/**
 * Prints one closing line, `tests: N passed, N failed, N skipped`, after vitest's own summary, so
 * that any tool reading the end of the output sees plain counts that cannot report green on red:
 *
 * - a test that failed counts as failed;
 * - a test that did not run because a hook of its suite or file failed (a `beforeAll` that timed
 *   out) counts as failed, not skipped;
 * - a file or suite that failed with no failed test under it (an import error, a syntax error, a
 *   failed `afterAll`) counts as one failure;
 * - every unhandled error of the run counts as one failure;
 * - only a test skipped on purpose (`it.skip`, `skipIf`, with its reason in its title) counts as
 *   skipped.
 *
 * Each failure that is not a failed test is also named on a line of its own.
 */
import type { Reporter, TestModule, TestSuite } from 'vitest/node';

type Container = TestModule | TestSuite;

/** True when the container, or one around it, failed outside its tests (a hook, the import). */
function failedOutside(c: Container): boolean {
  for (let x: Container | undefined = c; x; x = x.type === 'suite' ? x.parent : undefined)
    if (x.errors().length > 0) return true;
  return false;
}

function hasFailedTest(c: Container): boolean {
  for (const t of c.children.allTests()) if (t.result().state === 'failed') return true;
  return false;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notes: string[] = [];
    for (const mod of testModules) {
      const containers: Container[] = [mod, ...mod.children.allSuites()];
      const withErrors = containers.filter((c) => c.errors().length > 0);
      for (const c of withErrors) {
        failed++;
        const what = c.type === 'module' ? `file ${c.relativeModuleId}` : `suite ${c.fullName}`;
        notes.push(
          `failed: ${what}: ${c.errors()[0]!.message?.split('\n')[0] ?? 'an error outside its tests'}`,
        );
      }
      if (withErrors.length === 0 && mod.state() === 'failed' && !hasFailedTest(mod)) {
        failed++;
        notes.push(`failed: file ${mod.relativeModuleId}: failed outside its tests`);
      }
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else if (failedOutside(t.parent)) failed++;
        else skipped++;
      }
    }
    for (const e of unhandledErrors) {
      failed++;
      notes.push(
        `failed: unhandled error: ${String((e as { message?: string }).message ?? e).split('\n')[0]}`,
      );
    }
    for (const n of notes) process.stdout.write(`${n}\n`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
