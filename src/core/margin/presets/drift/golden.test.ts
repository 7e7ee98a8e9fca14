/**
 * Golden cases of the `drift` preset: globs test/golden/drift/*.json (adding a case is adding a
 * file). A case either calls a named rule function (`fn` + `args`, expected a number) or runs the
 * model end to end (`portfolio`, optional `params` and `market`, expected an object of
 * initialUsd / maintenanceUsd / equityUsd). On failure every input, the expected and calculated
 * values, the error and the tolerance are printed. Sources: each file's `source`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import {
  driftModel,
  sizeDiscountAssetWeight,
  sizePremiumLiabilityWeight,
  unrealizedPnlWeight,
} from './index.js';

interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}
interface GoldenCase {
  readonly name: string;
  readonly fn?: string;
  readonly args?: Record<string, number>;
  readonly market?: unknown;
  readonly portfolio?: unknown;
  readonly params?: unknown;
  readonly expected: number | Record<string, number>;
  readonly tolerance?: Tolerance;
}
interface GoldenFile {
  readonly description: string;
  readonly source: string;
  readonly tolerance: Tolerance;
  readonly market?: unknown;
  readonly cases: readonly GoldenCase[];
}

const FUNCTIONS: Record<string, (a: Record<string, number>) => number> = {
  sizeDiscountAssetWeight: (a) => sizeDiscountAssetWeight(a.size!, a.imf!, a.w!),
  sizePremiumLiabilityWeight: (a) => sizePremiumLiabilityWeight(a.size!, a.imf!, a.w!),
  unrealizedPnlInitialWeight: (a) =>
    unrealizedPnlWeight(a.pnl!, 'initial', {
      unrealizedPnlInitialAssetWeight: a.w!,
      unrealizedPnlMaintenanceAssetWeight: a.w!,
      unrealizedPnlImfFactor: a.uimf!,
    }),
};

/** The calculated quantities of a case. */
function evaluate(c: GoldenCase, file: GoldenFile): Record<string, number> {
  if (c.fn !== undefined) {
    const f = FUNCTIONS[c.fn];
    if (f === undefined) throw new Error(`unknown golden fn ${c.fn}`);
    return { value: f(c.args ?? {}) };
  }
  const market = buildMarginMarket(c.market ?? file.market);
  const r = driftModel.compute(
    parsePortfolio(c.portfolio, market),
    createMarginContext(market),
    driftModel.parseParams(c.params),
  );
  return { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd };
}

const dir = new URL('../../../../../test/golden/drift/', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden/drift', () => {
  it('has at least one file', () => expect(files.length).toBeGreaterThan(0));
  for (const name of files) {
    const file = JSON.parse(readFileSync(dir + name, 'utf8')) as GoldenFile;
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
