/**
 * The trader's view (src/core/analytics) on the shipped examples (examples/market.json, a real
 * Deribit BTC chain of 2026-03-01): how long one account's liquidation search, P&L curve (61
 * prices), greeks and what-if verdict (before and after, with both liquidation searches) take,
 * per model, and how many times the search re-margins the account. A screen's requests, not a
 * hot path: there is no peer figure for liquidation prices; Deribit's `private/simulate_portfolio`
 * is quoted at about 14 ms of server time for a what-if (DESIGN.md; not measured here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computePortfolioGreeks,
  createRemargin,
  judgeWhatIf,
  liquidationReport,
  pnlCurve,
} from '../src/core/analytics/index.js';
import { createMarginContext, type MarginModel } from '../src/core/margin/margin-model.js';
import { getMarginModel } from '../src/core/margin/registry.js';
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import { parsePortfolio } from '../src/core/portfolio/portfolio-file.js';
import { loadMarketHistory } from '../src/adapters/marketdata/history/load-market-history.js';
import { findPackageRoot } from '../src/adapters/system/package-root.js';
import { printTable, timeMedianMs, type BenchRow } from './support/harness.js';

const BOOKS = ['short-strangle', 'eth-btc-pair', 'multi-collateral'] as const;

/** Runs the benchmark and prints its table. */
export function runTraderViewBench(): void {
  const root = findPackageRoot();
  const read = (f: string): unknown => JSON.parse(readFileSync(join(root, 'examples', f), 'utf8'));
  const market = buildMarginMarket(read('market.json'));
  const history = loadMarketHistory(market);
  const rows: BenchRow[] = [];
  for (const name of ['cross', 'portfolio', 'es']) {
    for (const book of BOOKS) {
      const pf = parsePortfolio(read(`${book}.json`), market);
      const base = getMarginModel(name);
      let evaluations = 0;
      const model: MarginModel<unknown> = {
        ...base,
        compute: (p, c, q) => {
          evaluations++;
          return base.compute(p, c, q);
        },
      };
      const ctx = () => createMarginContext(market, history);
      const warm = ctx();
      createRemargin(pf, warm, model, base.defaultParams); // scenario sets built once per context
      evaluations = 0;
      const liqMs = timeMedianMs(
        () => liquidationReport(createRemargin(pf, warm, model, base.defaultParams)),
        3,
      );
      const perSearch = Math.round(evaluations / 4);
      rows.push({
        workload: `liquidation prices, ${name}, ${book}`,
        items: 1,
        ms: liqMs,
        note: `${perSearch} margin evaluations`,
      });
      const curveMs = timeMedianMs(() => {
        const rm = createRemargin(pf, warm, model, base.defaultParams);
        for (const u of ['BTC']) pnlCurve(rm, u);
      }, 3);
      rows.push({ workload: `P&L curve (61 prices), ${name}, ${book}`, items: 1, ms: curveMs });
      if (book === 'short-strangle') {
        const verdictMs = timeMedianMs(
          () =>
            judgeWhatIf(
              pf,
              [{ instrument: 'BTC-26JUN26-72000-C', size: -1 }],
              warm,
              model,
              base.defaultParams,
            ),
          3,
        );
        rows.push({ workload: `what-if verdict (both searches), ${name}`, items: 1, ms: verdictMs });
      }
    }
  }
  const pf = parsePortfolio(read('hedged-btc-options.json'), market);
  const n = 10_000;
  rows.push({
    workload: 'greeks, hedged-btc-options (5 positions)',
    items: n,
    ms: timeMedianMs(() => {
      for (let i = 0; i < n; i++) computePortfolioGreeks(pf, market);
    }, 3),
  });
  printTable("trader's view: one account (examples/market.json)", rows);
}
