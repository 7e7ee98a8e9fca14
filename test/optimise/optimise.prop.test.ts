/**
 * Properties of the optimiser on random books (fast-check, seeded): for every answer,
 *   IM after ≤ IM before (release), and IM after + cost ≤ IM before;
 *   the model's verified IM equals the solver's to the reported tolerance (exact forms);
 *   every constraint holds: sizes within each candidate's limits and whole lots, the exact
 *   execution cost within the budget, at most K instruments traded, each underlying's delta
 *   change within its band.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getMarginModel } from '../../src/core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
  type Candidate,
} from '../../src/core/optimise/index.js';
import { resolvePortfolioFile } from '../../src/core/portfolio/portfolio-file.js';
import { ctx, market, solver } from './fixtures.js';

const BTC = [...market.instruments.values()]
  .filter((m) => m.instrument.underlying === 'BTC' && m.instrument.kind !== 'spot')
  .map((m) => m.instrument.id);
const ALL = defaultCandidates(market, {
  ...DEFAULT_OPTIMISER_PARAMS,
  lots: { option: 0.1, perpetual: 0.001, future: 0.001 },
});

const bookArb = fc.record({
  positions: fc.uniqueArray(
    fc.record({
      instrument: fc.constantFrom(...BTC),
      size: fc.integer({ min: -20, max: 20 }).filter((s) => s !== 0),
    }),
    { minLength: 1, maxLength: 5, selector: (p) => p.instrument },
  ),
  usdc: fc.integer({ min: 50_000, max: 500_000 }),
});
const limitsArb = fc.record({
  candidates: fc.uniqueArray(fc.constantFrom(...BTC), { minLength: 2, maxLength: 6 }),
  budgetUsd: fc.option(fc.integer({ min: 50, max: 5_000 }), { nil: undefined }),
  maxTrades: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  // A band of exactly 0 with lot sizes is a hard MILP (an equality on irrational deltas): from 0.05.
  deltaBand: fc.option(fc.double({ min: 0.05, max: 3, noNaN: true }), { nil: undefined }),
});

describe.each(['deribit-pm', 'portfolio', 'cross'])('optimiser properties under %s', (name) => {
  it('IM after ≤ before, verified = solver, every constraint holds (random books)', () => {
    const model = getMarginModel(name);
    fc.assert(
      fc.property(bookArb, limitsArb, (bk, lim) => {
        const pf = resolvePortfolioFile(
          { collateral: { USDC: String(bk.usdc) }, positions: bk.positions },
          market,
        );
        const cands: Candidate[] = ALL.filter((c) => lim.candidates.includes(c.instrument));
        const c = ctx();
        const r = optimiseTrades({
          portfolio: pf,
          ctx: c,
          model,
          modelParams: model.defaultParams,
          goal: 'release',
          candidates: cands,
          params: { ...DEFAULT_OPTIMISER_PARAMS, lots: { option: 0.1, perpetual: 0.001, future: 0.001 } },
          solver,
          ...(lim.budgetUsd !== undefined ? { budgetUsd: lim.budgetUsd } : {}),
          ...(lim.maxTrades !== undefined ? { maxTrades: lim.maxTrades } : {}),
          ...(lim.deltaBand !== undefined ? { bands: { delta: lim.deltaBand } } : {}),
        });
        expect(r.after.initialUsd).toBeLessThanOrEqual(r.before.initialUsd + 1e-6);
        expect(r.after.initialUsd + r.costUsd).toBeLessThanOrEqual(r.before.initialUsd + 1e-6);
        const v = r.verification;
        expect(Math.abs(v.differenceUsd)).toBeLessThanOrEqual(v.toleranceUsd);
        expect(v.verifiedImUsd).toBe(r.after.initialUsd);
        for (const t of r.trades) {
          const cand = cands.find((x) => x.instrument === t.instrument)!;
          expect(t.size).toBeLessThanOrEqual(cand.maxBuy + 1e-9);
          expect(t.size).toBeGreaterThanOrEqual(-cand.maxSell - 1e-9);
          if (cand.lotSize > 0)
            expect(Math.abs(t.size / cand.lotSize - Math.round(t.size / cand.lotSize))).toBeLessThan(1e-6);
        }
        if (lim.budgetUsd !== undefined) expect(r.costUsd).toBeLessThanOrEqual(lim.budgetUsd + 1e-6);
        if (lim.maxTrades !== undefined) expect(r.trades.length).toBeLessThanOrEqual(lim.maxTrades);
        if (lim.deltaBand !== undefined)
          expect(Math.abs(r.trades.reduce((a, t) => a + t.deltaChange, 0))).toBeLessThanOrEqual(
            lim.deltaBand + 1e-6,
          );
      }),
      { numRuns: 15 },
    );
  });
});
