/**
 * The optimiser against brute-force enumeration on small books: ≤ 4 candidates, each traded in
 * whole lots from −2 to +2 (5⁴ = 625 books), every book margined by the model's own `compute`
 * and charged its exact execution cost (two-level order books: cost = Σ fills·|level − mark|).
 * The MILP's verified optimum must equal the enumeration's minimum of IM + cost (models whose LP
 * form is exact), for the goals release and target.
 */
import { describe, expect, it } from 'vitest';
import { getMarginModel } from '../../src/core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  applyNettedTrades,
  candidateCostUsd,
  optimiseTrades,
  type Candidate,
} from '../../src/core/optimise/index.js';
import type { Portfolio } from '../../src/core/portfolio/portfolio.js';
import { book, bookCandidates, ctx, solver } from './fixtures.js';

/** Every lot combination: min of IM + cost, and the cheapest combination reaching a target. */
function enumerate(pf: Portfolio, model: string, cands: readonly Candidate[], target?: number) {
  const m = getMarginModel(model);
  const c = ctx();
  let best = { objective: Infinity, im: NaN, sizes: [] as number[] };
  let cheapest = { cost: Infinity, im: NaN };
  const n = cands.length;
  for (let code = 0; code < 5 ** n; code++) {
    const sizes: number[] = [];
    let k = code;
    for (let i = 0; i < n; i++) {
      sizes.push(((k % 5) - 2) * cands[i]!.lotSize);
      k = Math.floor(k / 5);
    }
    const trades = sizes.flatMap((s, i) => (s === 0 ? [] : [{ instrument: cands[i]!.instrument, size: s }]));
    const im = m.compute(applyNettedTrades(pf, trades, c), c, m.defaultParams).initialUsd;
    const cost = sizes.reduce((a, s, i) => a + candidateCostUsd(cands[i]!, s), 0);
    if (im + cost < best.objective) best = { objective: im + cost, im, sizes };
    if (target !== undefined && im <= target && cost < cheapest.cost) cheapest = { cost, im };
  }
  return { best, cheapest };
}

const CASES = [
  { name: 'short strangle, deribit-pm', pf: 'short-strangle.json', model: 'deribit-pm' },
  {
    name: 'short strangle, portfolio (one underlying: exact form)',
    pf: 'short-strangle.json',
    model: 'portfolio',
  },
  { name: 'hedged options, cross', pf: 'hedged-btc-options.json', model: 'cross' },
];
const IDS = ['BTC-PERP', 'BTC-26JUN26-62000-P', 'BTC-26JUN26-72000-C', 'BTC-27MAR26-66000-C'];
const LOTS = {
  'BTC-PERP': 0.5,
  'BTC-26JUN26-62000-P': 1,
  'BTC-26JUN26-72000-C': 1,
  'BTC-27MAR26-66000-C': 1,
};

describe('optimiser = brute force on small books (4 candidates, 5 lots each)', () => {
  for (const c of CASES) {
    it(`${c.name}: release finds the enumeration's minimum of IM + cost`, () => {
      const pf = book(c.pf);
      const cands = bookCandidates(IDS, LOTS);
      const model = getMarginModel(c.model);
      const r = optimiseTrades({
        portfolio: pf,
        ctx: ctx(),
        model,
        modelParams: model.defaultParams,
        goal: 'release',
        candidates: cands,
        params: DEFAULT_OPTIMISER_PARAMS,
        solver,
      });
      const { best } = enumerate(pf, c.model, cands);
      const got = r.after.initialUsd + r.costUsd;
      const tol = 1e-6 * Math.max(1, best.objective) + 0.01;
      expect(got, `optimiser ${got} vs enumeration ${best.objective} at ${best.sizes.join(',')}`).toBeCloseTo(
        best.objective,
        0,
      );
      expect(Math.abs(got - best.objective)).toBeLessThanOrEqual(tol + r.solver.gapUsd);
      expect(r.solver.kind).toBe('MILP');
    });
  }

  it("deribit-pm target: the cheapest lot combination reaching half of today's IM", () => {
    const pf = book('short-strangle.json');
    const cands = bookCandidates(IDS, LOTS);
    const model = getMarginModel('deribit-pm');
    const before = model.compute(pf, ctx(), model.defaultParams).initialUsd;
    const target = before / 2;
    const { cheapest } = enumerate(pf, 'deribit-pm', cands, target);
    const r = optimiseTrades({
      portfolio: pf,
      ctx: ctx(),
      model,
      modelParams: model.defaultParams,
      goal: 'target',
      targetImUsd: target,
      candidates: cands,
      params: DEFAULT_OPTIMISER_PARAMS,
      solver,
    });
    expect(r.after.initialUsd).toBeLessThanOrEqual(target + 0.01);
    expect(r.costUsd).toBeCloseTo(cheapest.cost, 2);
  });
});
