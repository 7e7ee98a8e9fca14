/**
 * One golden-case loop for the preset runners (deribit, dydx, drift, ...): reads every JSON file
 * of `test/golden/<area>/`, checks that each names its source, and compares every expected
 * quantity of every case with the area's evaluator, printing inputs, expected, calculated, error
 * and tolerance on failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

export interface GoldenTolerance {
  readonly abs: number;
  readonly rel: number;
}

export interface GoldenCaseBase {
  readonly name: string;
  /** one number (compared with the evaluator's `value`) or named quantities */
  readonly expected: number | Readonly<Record<string, number>>;
  readonly tolerance?: GoldenTolerance;
}

export interface GoldenFileBase<C extends GoldenCaseBase> {
  readonly source: string;
  readonly tolerance: GoldenTolerance;
  readonly cases: readonly C[];
}

/** Registers the suite of `test/golden/<area>/*.json` with `evaluate` computing each case's quantities. */
export function describeGoldenArea<C extends GoldenCaseBase, F extends GoldenFileBase<C>>(
  area: string,
  evaluate: (c: C, file: F) => Record<string, number>,
): void {
  const dir = new URL(`../golden/${area}/`, import.meta.url).pathname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  describe(`golden/${area}`, () => {
    it('has at least one file', () => expect(files.length).toBeGreaterThan(0));
    for (const name of files) {
      const file = JSON.parse(readFileSync(dir + name, 'utf8')) as F;
      it(`${name} names its source`, () => expect(file.source.length).toBeGreaterThan(10));
      it.each(file.cases.map((c) => [c.name, c] as const))(`${name}: %s`, (_n, c) => {
        const calculated = evaluate(c, file);
        const expected = typeof c.expected === 'number' ? { value: c.expected } : c.expected;
        const tol = c.tolerance ?? file.tolerance;
        for (const [q, want] of Object.entries(expected)) {
          const got = calculated[q]!;
          const error = Math.abs(got - want);
          const allowed = Math.max(tol.abs, tol.rel * Math.abs(want));
          expect(
            error <= allowed,
            `inputs ${JSON.stringify(c)}\n ${q}: expected ${want}\n calculated ${got}\n error ${error}\n tolerance ${allowed}`,
          ).toBe(true);
        }
      });
    }
  });
}

/**
 * A case of a margin-model preset: either a published formula (`fn` with `args`) or a whole
 * portfolio margined by the model (`market` — or the file's — `portfolio`, `params`).
 */
export interface ModelGoldenCase extends GoldenCaseBase {
  readonly fn?: string;
  readonly args?: Record<string, number>;
  readonly market?: unknown;
  readonly portfolio?: unknown;
  readonly params?: unknown;
}

/** A file of model preset cases, with an optional market shared by its cases. */
export interface ModelGoldenFile extends GoldenFileBase<ModelGoldenCase> {
  readonly description: string;
  readonly model?: string;
  readonly market?: unknown;
}
