/**
 * The books of `xmargin backtest` (docs/methodology/backtesting.md#books): the `examples/`
 * portfolios as templates, the reference books and the seeded venue population, selected by
 * `--books`; which of them count as hedged.
 */
import { join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import {
  REFERENCE_BOOKS,
  templateFromPortfolio,
  venueTemplates,
  type BacktestBook,
} from '../../engine/backtest/index.js';
import { findPackageRoot } from '../system/package-root.js';
import { readJsonFile } from './read-json-file.js';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The `examples/` portfolios backtested (priced against examples/market.json). */
export const EXAMPLE_PORTFOLIOS = [
  'hedged-btc-options',
  'basis-trade',
  'eth-btc-pair',
  'multi-collateral',
  'short-strangle',
] as const;
/** Books counted as hedged (capital figure for hedged books). */
const HEDGED = new Set([
  'ex-hedged-btc-options',
  'ex-basis-trade',
  'ex-eth-btc-pair',
  'ref-hedged-options',
  'ref-basis',
]);

/** The example portfolios as template books (tenor and moneyness at examples/market.json). */
export function exampleBooks(root = findPackageRoot()): BacktestBook[] {
  const market = buildMarginMarket(readJsonFile(join(root, 'examples/market.json'), 'examples/market.json'));
  return EXAMPLE_PORTFOLIOS.map((name) => {
    const id = `ex-${name}`;
    const pf = parsePortfolio(
      readJsonFile(join(root, `examples/${name}.json`), `examples/${name}.json`),
      market,
    );
    return {
      id,
      group: 'examples' as const,
      accounts: [templateFromPortfolio(id, pf, market)],
      hedged: HEDGED.has(id),
    };
  });
}

/** Selects books from `--books` (all, examples, reference, venue, or book ids, comma-separated). */
export function selectBooks(text: string, venueAccounts: number, seed: number, root: string): BacktestBook[] {
  const tokens = list(text);
  if (tokens.length === 0)
    throw new InvalidInputError('--books', text, 'must list at least one book or group');
  const refs: BacktestBook[] = REFERENCE_BOOKS.map((t) => ({
    id: t.id,
    group: 'reference',
    accounts: [t],
    hedged: HEDGED.has(t.id),
  }));
  const examples = exampleBooks(root);
  const venue = (): BacktestBook => ({
    id: 'venue',
    group: 'venue',
    accounts: venueTemplates(seed, venueAccounts),
  });
  const out: BacktestBook[] = [];
  const add = (b: BacktestBook) => {
    if (!out.some((x) => x.id === b.id)) out.push(b);
  };
  const ids = [...examples.map((b) => b.id), ...refs.map((b) => b.id), 'venue'];
  for (const tok of tokens) {
    if (tok === 'all' || tok === 'examples') examples.forEach(add);
    if (tok === 'all' || tok === 'reference') refs.forEach(add);
    if (tok === 'all' || tok === 'venue') add(venue());
    if (['all', 'examples', 'reference', 'venue'].includes(tok)) continue;
    const b = [...examples, ...refs].find((x) => x.id === tok);
    if (b === undefined)
      throw new InvalidInputError(
        '--books',
        tok,
        `must be all, examples, reference, venue or a book id (${ids.join(', ')})`,
      );
    add(b);
  }
  return out;
}
