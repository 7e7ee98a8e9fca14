/**
 * The WebAssembly SIMD accelerator (wasm/risk-kernel.ts, built by `npm run build`) gives the
 * kernels exactly the numbers of their plain loops: the same float64 operations in the same order
 * per lane (a multiply, then an add; no fused multiply-add), so the `portfolio` kernel's IM is equal
 * bit for bit with and without it, on random books.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAccountRows, buildMarketRows, RowUniverse } from '../../core/margin/kernel/account-rows.js';
import { prepareMargin } from '../../core/margin/kernel/prepared-margin.js';
import { portfolioModel } from '../../core/margin/portfolio-model.js';
import { book, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';
import { loadWasmKernel } from './wasm-kernel.js';

const simd = loadWasmKernel();
const market = smallMarket();
const ctx = ctxOf(market);
const INSTRUMENTS = ['BTC-C66', 'BTC-P54', 'BTC-C60', 'BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F30'];
const bookArb = fc.record({
  positions: fc.uniqueArray(
    fc.record({
      instrument: fc.constantFrom(...INSTRUMENTS),
      size: fc.double({ min: -5, max: 5, noNaN: true }),
    }),
    {
      selector: (p) => p.instrument,
      maxLength: 6,
    },
  ),
  collateral: fc.record({
    USDC: fc.integer({ min: 0, max: 1_000_000 }).map(String),
    BTC: fc.integer({ min: 0, max: 10 }).map(String),
  }),
});

describe.skipIf(simd === undefined)(
  `WebAssembly SIMD kernel${simd === undefined ? ' (skipped: dist/wasm/risk-kernel.wasm is not built; run npm run build)' : ''}`,
  () => {
    it('the portfolio kernel gives the same IM and MM, bit for bit, with and without it', () => {
      fc.assert(
        fc.property(fc.array(bookArb, { minLength: 1, maxLength: 20 }), (books) => {
          const pfs = books.map((b) =>
            book(
              market,
              b.collateral,
              b.positions.filter((p) => p.size !== 0),
            ),
          );
          const universe = new RowUniverse();
          const rows = buildMarketRows(market, universe);
          const view = buildAccountRows(pfs, universe);
          const ids = Int32Array.from(pfs.keys());
          const plain = { im: new Float64Array(pfs.length), mm: new Float64Array(pfs.length) };
          const fast = { im: new Float64Array(pfs.length), mm: new Float64Array(pfs.length) };
          const p = portfolioModel.defaultParams;
          prepareMargin(portfolioModel, ctx, p, rows).margin(view, ids, ids.length, plain, (a) => pfs[a]!);
          simd!.reset();
          prepareMargin(portfolioModel, ctx, p, rows, undefined, undefined, simd).margin(
            view,
            ids,
            ids.length,
            fast,
            (a) => pfs[a]!,
          );
          expect(Array.from(fast.im)).toEqual(Array.from(plain.im));
          expect(Array.from(fast.mm)).toEqual(Array.from(plain.mm));
        }),
        { numRuns: 40 },
      );
    });
  },
);
