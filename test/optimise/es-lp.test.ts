/**
 * `es` as an LP (Rockafellar–Uryasev) with the model's two floors: the stressed floor and the
 * move floor (worst loss of the joint move grid / MM fraction). Without the move floor row the
 * LP's IM fell below the model's wherever the floor binds and no cut could close the difference
 * (the answer was refused after 30 rounds). On the example market and the shipped history, on
 * seeded 20-position books: every answer verified (the model's own IM of the optimised book
 * within 0.1% of the solver's), below today's IM.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededBook } from '../../bench/optimise.bench.js';
import { loadMarketHistory } from '../../src/adapters/marketdata/history/load-market-history.js';
import { createMarginContext } from '../../src/core/margin/margin-model.js';
import { getMarginModel } from '../../src/core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
} from '../../src/core/optimise/index.js';
import { buildMarginMarket } from '../../src/core/portfolio/market-file.js';
import { ex, solver } from './fixtures.js';

const market = buildMarginMarket(JSON.parse(readFileSync(ex('market.json'), 'utf8')));
const ctx = createMarginContext(market, loadMarketHistory(market));
const ids = [...market.instruments.values()]
  .filter((m) => m.instrument.kind !== 'spot')
  .map((m) => m.instrument.id);
const all = defaultCandidates(market, DEFAULT_OPTIMISER_PARAMS);

describe('es as an LP with its floors', () => {
  it.each([999, 1000])('seeded book %i: verified, IM lower', (seed) => {
    const { portfolio: pf, candidates } = seededBook(market, ids, all, seed, 20, 20);
    const model = getMarginModel('es');
    const r = optimiseTrades({
      portfolio: pf,
      ctx,
      model,
      modelParams: model.defaultParams,
      goal: 'release',
      candidates,
      params: DEFAULT_OPTIMISER_PARAMS,
      solver,
    });
    const im = model.compute(r.portfolioAfter, ctx, model.defaultParams).initialUsd;
    expect(r.after.initialUsd).toBe(im);
    expect(Math.abs(im - r.verification.solverImUsd)).toBeLessThanOrEqual(1e-3 * im);
    expect(im).toBeLessThan(r.before.initialUsd);
  });
});
