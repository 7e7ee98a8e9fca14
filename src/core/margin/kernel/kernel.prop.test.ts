/**
 * Compute once, explain on demand: for every registered model, the prepared kernel's IM and MM of
 * a batch of random books equal the model's own `compute` of each book (relative 1e-9; both fail
 * closed together: NaN from the kernel exactly when `compute` refuses the book), and the columnar
 * equity equals `valuePortfolio`'s bit for bit on books in the journal's order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARGIN_MODELS } from '../registry.js';
import { valuePortfolio } from '../../portfolio/valuation.js';
import type { Portfolio } from '../../portfolio/portfolio.js';
import { book, ctxWithHistory, smallMarket } from '../../../../test/support/margin-fixtures.js';
import { accountEquity, buildAccountRows, buildMarketRows, RowUniverse } from './account-rows.js';
import { prepareMargin } from './prepared-margin.js';

const market = smallMarket();
const ctx = ctxWithHistory(market);
const INSTRUMENTS = ['BTC-C66', 'BTC-P54', 'BTC-C60', 'BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F30'];

const size = fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);
const amount = (max: number) => fc.integer({ min: -max / 10, max }).map(String);
/** A book as the journal holds it: one position per instrument, with an entry for linear ones. */
const bookArb = fc.record({
  positions: fc.uniqueArray(
    fc.record({
      instrument: fc.constantFrom(...INSTRUMENTS),
      size,
      entryMove: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    }),
    {
      selector: (p) => p.instrument,
      maxLength: 6,
    },
  ),
  collateral: fc.record({ USDC: amount(1_000_000), BTC: amount(10), ETH: amount(100) }),
});
type Book = {
  positions: { instrument: string; size: number; entryMove: number }[];
  collateral: Record<string, string>;
};

function toPortfolio(b: Book): Portfolio {
  const positions = [...b.positions]
    .sort((x, y) => (x.instrument < y.instrument ? -1 : 1))
    .map((p) => {
      const m = market.instruments.get(p.instrument)!;
      const linear = m.instrument.kind === 'perpetual' || m.instrument.kind === 'future';
      return {
        instrument: p.instrument,
        size: p.size,
        ...(linear ? { entryPrice: m.markPrice * (1 + p.entryMove) } : {}),
      };
    });
  const collateral = Object.fromEntries(Object.entries(b.collateral).filter(([, v]) => v !== '0'));
  return book(market, collateral, positions);
}

const close = (a: number, b: number, rel = 1e-9) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe.each(MARGIN_MODELS.map((m) => [m.name, m] as const))('%s: kernel = compute', (_name, model) => {
  it('equal IM, MM and equity on a batch of random books', () => {
    fc.assert(
      fc.property(fc.array(bookArb, { minLength: 1, maxLength: 12 }), (books) => {
        const portfolios = books.map(toPortfolio);
        const universe = new RowUniverse();
        const rows = buildMarketRows(market, universe);
        const view = buildAccountRows(portfolios, universe);
        const k = prepareMargin(model, ctx, model.defaultParams, buildMarketRows(market, universe));
        const n = portfolios.length;
        const out = { im: new Float64Array(n), mm: new Float64Array(n) };
        const ids = Int32Array.from({ length: n }, (_, i) => i);
        k.margin(view, ids, n, out, (a) => portfolios[a]!);
        portfolios.forEach((pf, a) => {
          expect(accountEquity(view, a, rows)).toBe(valuePortfolio(pf, market).equityUsd);
          let r;
          try {
            r = model.compute(pf, ctx, model.defaultParams);
          } catch (e) {
            expect((e as { code?: string }).code).not.toBe('ERR_INVARIANT');
            expect(out.im[a]).toBeNaN();
            return;
          }
          expect(close(out.im[a]!, r.initialUsd), `IM ${out.im[a]} vs ${r.initialUsd}`).toBe(true);
          expect(close(out.mm[a]!, r.maintenanceUsd), `MM ${out.mm[a]} vs ${r.maintenanceUsd}`).toBe(true);
        });
      }),
      { numRuns: 25 },
    );
  });
});
