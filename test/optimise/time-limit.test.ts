/**
 * A MILP stopped by the time limit (deribit-pm, the benchmark's 100-position book, 50 candidates,
 * at most 5 trades; a limit far below what branch and bound needs): the answer is the best
 * incumbent (branch and bound started from the rounded LP relaxation), verified by the model like
 * any answer, flagged `timeLimited` with a note, its gap non-negative and the objective within it
 * of the bound, and every limit holds (at most 5 instruments traded, each within its size limits).
 */
import { describe, expect, it } from 'vitest';
import { seededBook, syntheticMarket } from '../../bench/optimise.bench.js';
import { createMarginContext } from '../../src/core/margin/margin-model.js';
import { getMarginModel } from '../../src/core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
} from '../../src/core/optimise/index.js';
import { solver } from './fixtures.js';

const market = syntheticMarket();
const ctx = createMarginContext(market);
const ids = [...market.instruments.values()]
  .filter((m) => m.instrument.kind !== 'spot')
  .map((m) => m.instrument.id);

describe('MILP at its time limit', () => {
  it('returns the verified best incumbent, flagged, with its gap', () => {
    const all = defaultCandidates(market, DEFAULT_OPTIMISER_PARAMS);
    const { portfolio: pf, candidates: cands } = seededBook(market, ids, all, 1000, 100, 50);
    const model = getMarginModel('deribit-pm');
    const r = optimiseTrades({
      portfolio: pf,
      ctx,
      model,
      modelParams: model.defaultParams,
      goal: 'release',
      maxTrades: 5,
      candidates: cands,
      params: { ...DEFAULT_OPTIMISER_PARAMS, timeLimitSeconds: 2 },
      solver,
    });
    expect(r.solver.kind).toBe('MILP');
    expect(r.solver.timeLimited).toBe(true);
    expect(r.notes.join(' ')).toContain('NOT proven optimal');
    expect(r.solver.gapUsd).toBeGreaterThanOrEqual(0);
    expect(r.solver.boundUsd).toBeLessThanOrEqual(r.solver.objectiveUsd + 1e-6);
    // verified like any answer
    const im = model.compute(r.portfolioAfter, ctx, model.defaultParams).initialUsd;
    expect(r.after.initialUsd).toBe(im);
    expect(Math.abs(im - r.verification.solverImUsd)).toBeLessThanOrEqual(r.verification.toleranceUsd);
    expect(im).toBeLessThan(r.before.initialUsd);
    expect(r.trades.length).toBeLessThanOrEqual(5);
    for (const t of r.trades) {
      const c = cands.find((x) => x.instrument === t.instrument)!;
      expect(t.size).toBeLessThanOrEqual(c.maxBuy * (1 + 1e-9));
      expect(-t.size).toBeLessThanOrEqual(c.maxSell * (1 + 1e-9));
    }
  });
});
