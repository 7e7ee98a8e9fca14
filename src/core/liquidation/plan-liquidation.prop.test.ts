/** Properties of the liquidation planner on random liquidatable books (cross and portfolio). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planLiquidation, targetRequirementUsd } from './plan-liquidation.js';
import { applyLiquidationAction, type LiquidationAction } from './apply-liquidation-action.js';
import { DEFAULT_LIQUIDATION_PARAMS as P } from './liquidation-params.js';
import { getMarginModel } from '../margin/registry.js';
import { book, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';
import type { Portfolio } from '../portfolio/portfolio.js';

const market = smallMarket();
const ctx = ctxOf(market);
const INSTRUMENTS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F30', 'BTC-P54', 'BTC-C66'];
const size = fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => Math.abs(x) > 0.01);
const bookArb = fc.record({
  positions: fc.uniqueArray(fc.record({ instrument: fc.constantFrom(...INSTRUMENTS), size }), {
    minLength: 1,
    maxLength: 4,
    selector: (p) => p.instrument,
  }),
  usdc: fc.integer({ min: 0, max: 40_000 }),
});
const MAX_STEPS = 16;

for (const name of ['cross', 'portfolio']) {
  const model = getMarginModel(name);
  const gap = (pf: Portfolio) => {
    const r = model.compute(pf, ctx, model.defaultParams);
    return r.equityUsd - targetRequirementUsd(r, P);
  };
  describe(`planLiquidation under ${name}`, () => {
    it('restores health, terminates, stops at the target, and picks the cheaper plan', () => {
      fc.assert(
        fc.property(bookArb, (b) => {
          const pf = book(market, { USDC: String(b.usdc) }, b.positions);
          const res = planLiquidation(pf, ctx, model, model.defaultParams, P, { maxSteps: MAX_STEPS });
          if (res.status === 'healthy') {
            expect(res.steps).toEqual([]);
            return;
          }
          expect(res.steps.length).toBeLessThanOrEqual(MAX_STEPS);
          if (res.status !== 'restored') {
            expect(res.bankruptDeficitUsd).toBeGreaterThanOrEqual(0);
            return;
          }
          expect(res.after.health).toBeGreaterThanOrEqual(res.before.health);
          expect(res.after.equityUsd).toBeGreaterThanOrEqual(res.targetUsd - 1e-6);
          if (res.alternative?.reachesTarget)
            expect(res.totalCostUsd + res.liquidatorFeeUsd).toBeLessThanOrEqual(
              res.alternative.totalCostUsd + res.alternative.liquidatorFeeUsd + 1e-9,
            );
          // replay all but the last step, then 99% of the last: below the target (unless dust)
          let cur = pf;
          const last = res.steps[res.steps.length - 1]!;
          const toAction = (s: typeof last, fraction: number): LiquidationAction =>
            s.action === 'reduce'
              ? {
                  kind: 'reduce',
                  index: cur.positions.findIndex((p) => p.instrument === s.instrument),
                  fraction,
                }
              : s.action === 'sellCollateral'
                ? { kind: 'sellCollateral', asset: s.asset!, fraction }
                : { kind: 'slice', fraction };
          for (const s of res.steps.slice(0, -1))
            cur = applyLiquidationAction(cur, market, toAction(s, s.fraction), P).portfolio;
          if (last.dustClose) return;
          const o = applyLiquidationAction(cur, market, toAction(last, last.fraction * 0.99), P);
          if (!o.dustClose) expect(gap(o.portfolio)).toBeLessThan(0);
        }),
        { numRuns: 40 },
      );
    });
  });
}
