/** Shared inputs of the optimiser tests: the example market, books, book-curve candidates, HiGHS. */
import { readFileSync } from 'node:fs';
import { createHighsSolver } from '../../src/adapters/solver/highs-solver.js';
import { createMarginContext } from '../../src/core/margin/margin-model.js';
import { buildMarginMarket } from '../../src/core/portfolio/market-file.js';
import { parsePortfolio } from '../../src/core/portfolio/portfolio-file.js';
import { DEFAULT_OPTIMISER_PARAMS, parseCandidateFile } from '../../src/core/optimise/index.js';

const root = new URL('../../', import.meta.url).pathname;
export const ex = (f: string) => `${root}examples/${f}`;
export const market = buildMarginMarket(JSON.parse(readFileSync(ex('market.json'), 'utf8')));
export const ctx = () => createMarginContext(market);
export const book = (name: string) => parsePortfolio(JSON.parse(readFileSync(ex(name), 'utf8')), market);
export const solver = await createHighsSolver();

/**
 * A candidate with a two-level order book on each side around its mark: `lot` contracts at
 * mark·(1 ± spread), then `lot` more at mark·(1 ± 2·spread); at most 2 lots each way.
 */
export function bookCandidates(
  ids: readonly string[],
  lots: Readonly<Record<string, number>>,
  spread = 0.01,
  fee = 0,
) {
  return parseCandidateFile(
    {
      candidates: ids.map((id) => {
        const m = market.instruments.get(id)!.markPrice;
        const lot = lots[id] ?? 1;
        return {
          instrument: id,
          lotSize: lot,
          feePerContractUsd: fee,
          depth: {
            kind: 'book',
            bids: [
              { price: m * (1 - spread), qty: lot },
              { price: m * (1 - 2 * spread), qty: lot },
            ],
            asks: [
              { price: m * (1 + spread), qty: lot },
              { price: m * (1 + 2 * spread), qty: lot },
            ],
          },
        };
      }),
    },
    market,
    DEFAULT_OPTIMISER_PARAMS,
  );
}
