/**
 * The optimiser measured on the backtest (docs/methodology/optimiser.md#on-the-backtest) on a
 * short window of the shipped history: at every rebalancing step the optimised book's IM is at
 * most the original's (and IM after + cost ≤ IM before when it trades); the IM reported is the
 * model's own computation of the optimised book, and equals the solver's to the tolerance; every
 * trade is within its candidate's size limit; with exposure kept, each underlying's delta and the
 * book's vega are unchanged; a step without trades carries the original book unchanged (same
 * loss); exceedances are counted as L > IM; a crash replays both books.
 */
import { describe, expect, it } from 'vitest';
import { backtestHistory } from '../../src/adapters/cli/backtest-tasks.js';
import type { BarHistory } from '../../src/core/history/align-history.js';
import { getMarginModel } from '../../src/core/margin/registry.js';
import { defaultCandidates, DEFAULT_OPTIMISER_PARAMS } from '../../src/core/optimise/index.js';
import { valuePortfolio } from '../../src/core/portfolio/valuation.js';
import {
  CRASH_WINDOWS,
  optimiseBookAt,
  REFERENCE_BOOKS,
  replayOptimisedBooks,
  runOptimisedBacktest,
  summariseOptimised,
  type BacktestBook,
} from '../../src/engine/backtest/index.js';
import { solver } from './fixtures.js';

const DAY = 86_400_000;
const history = backtestHistory();
const FROM = Date.UTC(2022, 10, 1);
const TO = Date.UTC(2022, 10, 16);
const books: BacktestBook[] = REFERENCE_BOOKS.filter((t) =>
  ['ref-hedged-options', 'ref-basis', 'ref-short-vol'].includes(t.id),
).map((t) => ({ id: t.id, group: 'reference', accounts: [t], hedged: t.id !== 'ref-short-vol' }));

describe('optimised backtest (shipped history, 2022-11, weekly)', () => {
  it.each(['none', 'exposure'] as const)(
    'keep %s: IM after ≤ IM before at every step, no trade = the original carried',
    (keep) => {
      const run = runOptimisedBacktest({
        fromMs: FROM,
        toMs: TO,
        stepDays: 7,
        mprDays: 1,
        models: ['portfolio', 'deribit-pm'],
        books,
        history,
        solver,
        keep,
      });
      // 11-01, 11-08, 11-15
      expect(run.timesMs).toEqual([FROM, FROM + 7 * DAY, FROM + 14 * DAY]);
      expect(run.errors).toEqual([]);
      let traded = 0;
      for (const s of run.series)
        for (let k = 0; k < run.timesMs.length; k++) {
          const before = s.imBeforeUsd[k]!;
          const after = s.imAfterUsd[k]!;
          expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
          expect(after).toBeLessThanOrEqual(before + 1e-6 * before);
          if (s.trades[k]! > 0) {
            traded++;
            expect(after + s.costUsd[k]!).toBeLessThan(before);
          } else {
            expect(after).toBe(before);
            expect(s.lossAfterUsd[k]).toBe(s.lossBeforeUsd[k]);
          }
        }
      expect(traded).toBeGreaterThan(0);
      // Exceedances: L > IM of the same book, counted by the summary over the series.
      for (const sum of summariseOptimised(run).filter((x) => x.book !== 'hedged')) {
        const s = run.series.find((x) => x.book === sum.book && x.model === sum.model)!;
        const hits = (l: Float64Array, im: Float64Array) => [...l].filter((v, k) => v > im[k]!).length;
        expect(sum.coverageBefore.exceedances).toBe(hits(s.lossBeforeUsd, s.imBeforeUsd));
        expect(sum.coverageAfter.exceedances).toBe(hits(s.lossAfterUsd, s.imAfterUsd));
        expect(sum.imFreedPct!).toBeGreaterThanOrEqual(0);
      }
    },
  );

  it.each([
    ['portfolio', 'ref-hedged-options', 'none'],
    ['deribit-pm', 'ref-short-vol', 'exposure'],
    ['portfolio', 'ref-basis', 'exposure'],
  ] as const)('%s on %s (keep %s): verified IM = reported, constraints hold', (model, id, keep) => {
    const tpl = REFERENCE_BOOKS.find((t) => t.id === id)!;
    const step = optimiseBookAt(tpl, FROM, history, model, solver, DEFAULT_OPTIMISER_PARAMS, keep)!;
    const r = step.result;
    const m = getMarginModel(model);
    // The model's own computation of the optimised book, recomputed here.
    const im = m.compute(r.portfolioAfter, step.ctx, m.defaultParams).initialUsd;
    expect(r.after.initialUsd).toBe(im);
    expect(Math.abs(r.verification.solverImUsd - im)).toBeLessThanOrEqual(r.verification.toleranceUsd);
    expect(m.compute(step.portfolio, step.ctx, m.defaultParams).initialUsd).toBe(r.before.initialUsd);
    expect(r.after.initialUsd).toBeLessThan(r.before.initialUsd);
    // The optimised book is the original plus the trades: equity unchanged by trades at the mark.
    const eq0 = valuePortfolio(step.portfolio, step.market).equityUsd;
    const eq1 = valuePortfolio(r.portfolioAfter, step.market).equityUsd;
    expect(Math.abs(eq1 - eq0)).toBeLessThan(1e-6 * Math.abs(eq0) + 0.01);
    const cands = new Map(
      defaultCandidates(step.market, DEFAULT_OPTIMISER_PARAMS).map((c) => [c.instrument, c]),
    );
    const deltas = new Map<string, number>();
    let vega = 0;
    for (const t of r.trades) {
      const c = cands.get(t.instrument)!;
      expect(t.size).toBeLessThanOrEqual(c.maxBuy * (1 + 1e-9));
      expect(-t.size).toBeLessThanOrEqual(c.maxSell * (1 + 1e-9));
      deltas.set(c.underlying, (deltas.get(c.underlying) ?? 0) + t.size * c.deltaPerContract);
      vega += t.size * c.vegaPerContract;
    }
    if (keep === 'exposure') {
      for (const d of deltas.values()) expect(Math.abs(d)).toBeLessThan(1e-6);
      expect(Math.abs(vega)).toBeLessThan(1e-3);
    }
  });

  it('a crash replays the original and the optimised book side by side', () => {
    const crash = CRASH_WINDOWS.find((c) => c.id === 'ftx-2022-11')!;
    const rows = replayOptimisedBooks({
      crashes: [crash],
      models: ['portfolio'],
      books: books.slice(0, 1),
      history,
      bars: history.hourly as BarHistory,
      solver,
    });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.error).toBeNull();
    expect(row.imAfterUsd!).toBeLessThan(row.imBeforeUsd!);
    expect(row.original!.badDebtUsd).toBeGreaterThanOrEqual(0);
    expect(row.optimised!.badDebtUsd).toBeGreaterThanOrEqual(0);
  });
});
