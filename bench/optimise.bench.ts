/**
 * The optimiser (issue 14): p50/p99 time of one optimisation of a 100-position book over four
 * underlyings with 50 candidates (default execution costs, continuous sizes: an LP; and with at
 * most 5 trades: a MILP), under the grid models `deribit-pm` (per underlying 101 spot buckets ×
 * vol up/same/down + 8 extended = 311 scenarios, 1,244 scenario rows in all; the params allow at
 * most 101 buckets) and `portfolio` (101 buckets, its own scenario count per underlying),
 * and, separately, `es` over the shipped history (its own scenario count, printed). Risk arrays
 * are built once per market (as the venue does per update) before timing; each timed run is a
 * different seeded book and candidate set, verified by the model. Target (DESIGN): ≤ 50 ms p99
 * for the grid models. No peer runs here (CME/OpenGamma are hosted services).
 */
import { createHighsSolver } from '../src/adapters/solver/highs-solver.js';
import { loadMarketHistory } from '../src/adapters/marketdata/history/load-market-history.js';
import { createMarginContext, type MarginContext } from '../src/core/margin/margin-model.js';
import { getMarginModel } from '../src/core/margin/registry.js';
import { parseDeribitPmParams } from '../src/core/margin/presets/deribit/deribit-pm-params.js';
import { parsePortfolioParams } from '../src/core/margin/portfolio-params.js';
import { portfolioRiskArrays } from '../src/core/margin/portfolio-model.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
  type Candidate,
  type LpSolver,
} from '../src/core/optimise/index.js';
import type { Portfolio } from '../src/core/portfolio/portfolio.js';
import { buildMarginMarket, type MarketFile } from '../src/core/portfolio/market-file.js';
import { resolvePortfolioFile } from '../src/core/portfolio/portfolio-file.js';
import type { MarginMarket } from '../src/core/portfolio/margin-market.js';
import { seededRandom } from './support/harness.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 13);

const INDEX: Readonly<Record<string, number>> = { BTC: 66_320, ETH: 2_006.58, SOL: 86.08, XRP: 1.42 };

/** Four underlyings, each: perpetual, 4 futures, 4 expiries × 7 strikes × call/put (244 instruments). */
export function syntheticMarket(): MarginMarket {
  const instruments: MarketFile['instruments'] = [];
  for (const [u, index] of Object.entries(INDEX)) {
    instruments.push({ id: `${u}-PERP`, kind: 'perpetual', underlying: u, markPrice: index });
    for (const days of [7, 28, 91, 182]) {
      const expiryMs = NOW + days * DAY;
      const fwd = index * Math.exp(0.05 * (days / 365));
      instruments.push({ id: `${u}-F${days}`, kind: 'future', underlying: u, expiryMs, markPrice: fwd });
      for (let k = -3; k <= 3; k++) {
        const strike = index * (1 + 0.08 * k);
        for (const optionType of ['call', 'put'] as const)
          instruments.push({
            id: `${u}-${days}D-${k}-${optionType[0]}`,
            kind: 'option',
            underlying: u,
            optionType,
            strike,
            expiryMs,
            iv: 0.5 + 0.01 * k * k,
            forward: fwd,
          });
      }
    }
  }
  return buildMarginMarket({ valuationMs: NOW, prices: { ...INDEX, USDC: 1 }, instruments });
}

export function pick<T>(rnd: () => number, xs: readonly T[], n: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

/** The `portfolio` grid of the benchmark (101 buckets, the params' largest). */
export const BENCH_PORTFOLIO_PARAMS = {
  grid: {
    maxMove: 0.15,
    buckets: 101,
    extendedMoves: [-0.5, -0.33, 0.5, 1, 2],
    extendedWeight: 0.1386,
    skew: { cap: 0.15, kScale: 2.4, kMin: 0.01 },
  },
};

/**
 * A seeded book of the benchmark: `n` positions among `ids`, each ±20 contracts at most (never
 * 0), 5,000,000 USDC, and `k` candidates among `all`.
 */
export function seededBook(
  market: MarginMarket,
  ids: readonly string[],
  all: readonly Candidate[],
  seed: number,
  n: number,
  k: number,
): { portfolio: Portfolio; candidates: Candidate[] } {
  const rnd = seededRandom(seed);
  const positions = pick(rnd, ids, n).map((instrument) => ({
    instrument,
    size: Math.round((rnd() - 0.5) * 40) || 1,
  }));
  const portfolio = resolvePortfolioFile({ collateral: { USDC: '5000000' }, positions }, market);
  return { portfolio, candidates: pick(rnd, all, k) };
}

export interface Case {
  readonly label: string;
  readonly model: string;
  readonly params: unknown;
  readonly market: MarginMarket;
  readonly ctx: MarginContext;
  readonly positions: number;
  readonly candidates: number;
  readonly runs: number;
  readonly maxTrades?: number;
  readonly scenarios: string;
  /** restrict the book and the candidates to one underlying */
  readonly underlying?: string;
}

export function runCase(c: Case, solver: LpSolver): string {
  const model = getMarginModel(c.model);
  const ids = [...c.market.instruments.values()]
    .filter(
      (m) => m.instrument.kind !== 'spot' && (!c.underlying || m.instrument.underlying === c.underlying),
    )
    .map((m) => m.instrument.id);
  const all = defaultCandidates(c.market, DEFAULT_OPTIMISER_PARAMS).filter(
    (x) => !c.underlying || x.underlying === c.underlying,
  );
  // Risk arrays of every instrument built before timing (as the venue does per market update).
  model.compute(
    resolvePortfolioFile(
      { collateral: { USDC: '5000000' }, positions: ids.map((instrument) => ({ instrument, size: 1 })) },
      c.market,
    ),
    c.ctx,
    c.params,
  );
  const times: number[] = [];
  let freed = 0;
  let gap = 0;
  let rows = 0;
  for (let run = -1; run < c.runs; run++) {
    const { portfolio: pf, candidates: cands } = seededBook(
      c.market,
      ids,
      all,
      1000 + run,
      Math.min(c.positions, ids.length),
      c.candidates,
    );
    const t0 = performance.now();
    const r = optimiseTrades({
      portfolio: pf,
      ctx: c.ctx,
      model,
      modelParams: c.params,
      goal: 'release',
      candidates: cands,
      params: DEFAULT_OPTIMISER_PARAMS,
      solver,
      ...(c.maxTrades ? { maxTrades: c.maxTrades } : {}),
    });
    const ms = performance.now() - t0;
    if (run < 0) continue; // warm-up
    times.push(ms);
    freed += r.capitalFreedPct ?? 0;
    gap = Math.max(gap, r.solver.gapRel);
    rows = r.solver.rows;
  }
  return `| ${c.label} | ${c.positions} | ${c.scenarios} | ${c.candidates} | ${rows} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.99).toFixed(1)} | ${((100 * freed) / c.runs).toFixed(1)}% | ${gap.toExponential(1)} |`;
}

export async function runOptimiseBench(): Promise<void> {
  const solver = await createHighsSolver();
  console.log(`\n## optimiser (${solver.name}): one optimisation, verified by the model`);
  console.log(
    '| workload | positions | scenarios | candidates | LP rows | p50 ms | p99 ms | mean IM freed | worst gap |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const market = syntheticMarket();
  const dpm = parseDeribitPmParams({
    grid: {
      maxMove: 0.16,
      buckets: 101,
      extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5],
      extendedWeightNumerator: 0.16,
      volShock: { size: 0.38, pivotDays: 30, power: 0.3, minDays: 1, mode: 'relative' },
    },
  });
  const pm = parsePortfolioParams(BENCH_PORTFOLIO_PARAMS);
  const pmCtx = createMarginContext(market);
  const dpmScenarios = 4 * (101 * 3 + 8);
  const pmScenarios = Object.keys(INDEX).reduce(
    (a, u) => a + portfolioRiskArrays(pmCtx, pm, u).nScenarios,
    0,
  );
  const runs = 50;
  const grid: Case[] = [
    {
      label: 'deribit-pm, LP',
      model: 'deribit-pm',
      params: dpm,
      market,
      ctx: createMarginContext(market),
      positions: 100,
      candidates: 50,
      runs,
      scenarios: `4 x ${dpmScenarios / 4}`,
    },
    {
      label: 'deribit-pm, MILP (≤ 3 trades)',
      model: 'deribit-pm',
      params: dpm,
      market,
      ctx: createMarginContext(market),
      positions: 100,
      candidates: 10,
      runs: 5,
      maxTrades: 3,
      scenarios: `4 x ${dpmScenarios / 4}`,
    },
    {
      label: 'portfolio, LP, 4 underlyings (cutting planes)',
      model: 'portfolio',
      params: pm,
      market,
      ctx: pmCtx,
      positions: 100,
      candidates: 50,
      runs,
      scenarios: `4 x ${pmScenarios / 4}`,
    },
    {
      label: 'portfolio, LP, one underlying (exact form)',
      model: 'portfolio',
      params: pm,
      market,
      ctx: pmCtx,
      positions: 61,
      candidates: 50,
      runs,
      scenarios: `1 x ${pmScenarios / 4}`,
      underlying: 'BTC',
    },
  ];
  for (const c of grid) {
    try {
      console.log(runCase(c, solver));
    } catch (e) {
      console.log(
        `| ${c.label} | ${c.positions} | ${c.scenarios} | ${c.candidates} | - | failed: ${(e as { code?: string }).code ?? String(e)} | | | |`,
      );
    }
  }
  // ES on the example market and the shipped history.
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { findPackageRoot } = await import('../src/adapters/system/package-root.js');
  const exMarket = buildMarginMarket(
    JSON.parse(readFileSync(join(findPackageRoot(), 'examples/market.json'), 'utf8')),
  );
  const esCtx = createMarginContext(exMarket, loadMarketHistory(exMarket));
  const es = getMarginModel('es');
  const { esScenarios } = await import('../src/core/margin/es-model.js');
  const nEs = esScenarios(esCtx, es.defaultParams as never).current.nScenarios;
  console.log(
    runCase(
      {
        label: 'es, LP (Rockafellar–Uryasev)',
        model: 'es',
        params: es.defaultParams,
        market: exMarket,
        ctx: esCtx,
        positions: 20,
        candidates: 20,
        runs: 10,
        scenarios: `${nEs.toLocaleString('en-US')} + stressed`,
      },
      solver,
    ),
  );
}
