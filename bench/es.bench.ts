/**
 * Statistical margin (issue: VaR/ES):
 * - ES at 99% over 1,000 joint scenarios for 10⁵ portfolios of 10 positions: sparse aggregation
 *   of risk-array rows (kernel) + the allocation-free VaR/ES kernel, one core;
 *   numpy peer per DESIGN: 1.1–1.2 s; target ≤ 0.4 s on 2 cores.
 * - Scenario generation: 4 years of hourly history for 15 assets (24h overlapping windows every
 *   4 h, proxy fill, FHS, DVOL vol moves), history already loaded.
 * - The `es` model end to end on the example market: scenarios + joint risk arrays (once per
 *   market update), then per-portfolio margin.
 */
import { aggregateScenarioPnl } from '../src/core/risk/aggregate.js';
import { computeVarEs, VarEsWorkspace } from '../src/core/statistics/var-es.js';
import { buildHistoricalScenarios } from '../src/core/scenarios/historical-scenarios.js';
import { DEFAULT_ES_PARAMS } from '../src/core/margin/es-params.js';
import { esModel, esScenarios } from '../src/core/margin/es-model.js';
import { createMarginContext } from '../src/core/margin/margin-model.js';
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import { parsePortfolio } from '../src/core/portfolio/portfolio-file.js';
import { loadDvol, loadHourlyHistory } from '../src/adapters/marketdata/history/load-history.js';
import { loadMarketHistory } from '../src/adapters/marketdata/history/load-market-history.js';
import { findPackageRoot } from '../src/adapters/system/package-root.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable, seededRandom, timeMedianMs, type BenchRow } from './support/harness.js';

export function runEsBench(): void {
  const rows: BenchRow[] = [];
  // 1. ES kernel throughput.
  const rnd = seededRandom(11);
  const S = 1000;
  const nRows = 200;
  const unitPnl = Float64Array.from({ length: nRows * S }, () => (rnd() - 0.5) * 2000);
  const P = 100_000;
  const posRows = Int32Array.from({ length: P * 10 }, () => Math.floor(rnd() * nRows));
  const posQty = Float64Array.from({ length: P * 10 }, () => (rnd() - 0.5) * 10);
  const pnl = new Float64Array(S);
  const ws = new VarEsWorkspace(S);
  let sink = 0;
  const esMs = timeMedianMs(() => {
    for (let p = 0; p < P; p++) {
      aggregateScenarioPnl(
        unitPnl,
        S,
        posRows.subarray(p * 10, p * 10 + 10),
        posQty.subarray(p * 10, p * 10 + 10),
        pnl,
      );
      computeVarEs(pnl, { alpha: 0.99 }, ws);
      sink += ws.expectedShortfall;
    }
  }, 3);
  rows.push({
    workload: 'ES 99% over 1,000 scenarios, 10⁵ portfolios × 10 positions',
    items: P,
    ms: esMs,
    note: `portfolios/s; numpy peer 1.1–1.2 s (DESIGN)`,
  });
  // 2. Scenario generation over 4 years × 15 assets.
  const symbols = 'BTC ETH SOL BNB XRP DOGE ADA AVAX LINK LTC MATIC USDC BUSD TUSD FTT'.split(' ');
  const toMs = Date.UTC(2024, 0, 1);
  const hourly = loadHourlyHistory({ symbols, fromMs: Date.UTC(2020, 0, 1), toMs });
  const dvol = loadDvol({ toMs });
  let nScen = 0;
  const genMs = timeMedianMs(() => {
    nScen = buildHistoricalScenarios({ hourly, dvol }, symbols, toMs, DEFAULT_ES_PARAMS.scenarios).current
      .nScenarios;
  }, 3);
  rows.push({
    workload: `scenario generation: 4 years hourly × 15 assets → ${nScen} FHS windows (+ stressed set)`,
    items: nScen,
    ms: genMs,
    note: 'scenarios/s',
  });
  // 3. The es model end to end on the example market.
  const root = findPackageRoot();
  const market = buildMarginMarket(JSON.parse(readFileSync(join(root, 'examples/market.json'), 'utf8')));
  const history = loadMarketHistory(market);
  const build = timeMedianMs(() => esScenarios(createMarginContext(market, history), DEFAULT_ES_PARAMS), 3);
  rows.push({
    workload: `es: scenarios + joint risk arrays for examples/market.json (${market.instruments.size} instruments)`,
    items: 1,
    ms: build,
    note: 'once per market update',
  });
  const ctx = createMarginContext(market, history);
  const portfolio = parsePortfolio(
    JSON.parse(readFileSync(join(root, 'examples/hedged-btc-options.json'), 'utf8')),
    market,
  );
  esModel.compute(portfolio, ctx, DEFAULT_ES_PARAMS);
  const n = 200;
  const perMs = timeMedianMs(() => {
    for (let i = 0; i < n; i++) sink += esModel.compute(portfolio, ctx, DEFAULT_ES_PARAMS).initialUsd;
  }, 3);
  rows.push({
    workload: `es margin of the hedged options book (${esScenarios(ctx, DEFAULT_ES_PARAMS).current.nScenarios} scenarios)`,
    items: n,
    ms: perMs,
    note: 'portfolios/s, object API',
  });
  printTable('Statistical margin (one core)', rows);
  if (sink === 42) console.log('');
}
