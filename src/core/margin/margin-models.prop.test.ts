/**
 * Properties of the margin models (STYLE §3.8 "Risk" and "Margin"), on random books over a small
 * market. One suite runs against every registered model; model-specific properties follow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARGIN_MODELS } from './registry.js';
import { portfolioModel } from './portfolio-model.js';
import { DEFAULT_PORTFOLIO_PARAMS } from './portfolio-params.js';
import { crossModel, DEFAULT_RATE_MODEL_PARAMS } from './rate-based-models.js';
import { book, ctxWithHistory, smallMarket } from '../../../test/support/margin-fixtures.js';

const market = smallMarket();
const ctx = ctxWithHistory(market); // statistical models read the shipped history
const OPTIONS = ['BTC-C66', 'BTC-P54', 'BTC-C60'];
const LINEAR = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F30'];

const size = fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);
const position = fc.record({ instrument: fc.constantFrom(...OPTIONS, ...LINEAR), size });
const amount = (max: number) => fc.integer({ min: 0, max }).map(String);
const bookArb = fc.record({
  positions: fc.array(position, { minLength: 0, maxLength: 6 }),
  collateral: fc.record({ USDC: amount(1_000_000), BTC: amount(10), ETH: amount(100) }),
});
type Book = { positions: { instrument: string; size: number }[]; collateral: Record<string, string> };
const toPortfolio = (b: Book) => book(market, b.collateral, b.positions);
const total = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
const close = (a: number, b: number, rel = 1e-9) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe.each(MARGIN_MODELS.map((m) => [m.name, m] as const))(
  '%s: invariants on random books',
  (_name, model) => {
    it('IM ≥ MM ≥ 0, finite; components and contributions sum to IM', () => {
      fc.assert(
        fc.property(bookArb, (b) => {
          let r;
          try {
            r = model.compute(toPortfolio(b), ctx, model.defaultParams);
          } catch (e) {
            // A preset may not support an instrument (e.g. options on a perp-only venue): it must say so.
            return (
              (e as { code?: string }).code !== undefined && (e as { code: string }).code !== 'ERR_INVARIANT'
            );
          }
          expect(
            Number.isFinite(r.initialUsd) &&
              Number.isFinite(r.maintenanceUsd) &&
              Number.isFinite(r.equityUsd),
          ).toBe(true);
          expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd - 1e-9);
          expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
          expect(close(total(r.contributions), r.initialUsd, 1e-8)).toBe(true);
          return true;
        }),
        { numRuns: 150 },
      );
    });
  },
);

describe('portfolio model properties', () => {
  const p = DEFAULT_PORTFOLIO_PARAMS;
  const im = (b: Book) => portfolioModel.compute(toPortfolio(b), ctx, p).initialUsd;

  it('positively homogeneous: m(k·P) = k·m(P) for integer k (no size add-ons)', () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 2, max: 5 }), (b, k) => {
        const scaled: Book = {
          positions: b.positions.map((x) => ({ ...x, size: x.size * k })),
          collateral: Object.fromEntries(
            Object.entries(b.collateral).map(([a, v]) => [a, String(BigInt(v) * BigInt(k))]),
          ),
        };
        return close(im(scaled), k * im(b), 1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it('subadditive: m(A ∪ B) ≤ m(A) + m(B): a hedged book needs no more than its legs', () => {
    fc.assert(
      fc.property(bookArb, bookArb, (a, b) => {
        const union: Book = {
          positions: [...a.positions, ...b.positions],
          collateral: Object.fromEntries(
            (['USDC', 'BTC', 'ETH'] as const).map((s) => [
              s,
              String(BigInt(a.collateral[s]) + BigInt(b.collateral[s])),
            ]),
          ),
        };
        return im(union) <= im(a) + im(b) + 1e-6;
      }),
      { numRuns: 150 },
    );
  });

  it('an exact offsetting position leaves only the contingencies', () => {
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 5 }), (positions) => {
        const hedged: Book = {
          positions: [...positions, ...positions.map((x) => ({ ...x, size: -x.size }))],
          collateral: {},
        };
        const r = portfolioModel.compute(toPortfolio(hedged), ctx, p);
        const scenarioPart = r.components
          .filter((c) => c.name.startsWith('scenario') || c.name.startsWith('stress'))
          .reduce((a, c) => a + c.initialUsd, 0);
        return Math.abs(scenarioPart) <= 1e-6 * (1 + r.initialUsd);
      }),
      { numRuns: 100 },
    );
  });

  it('for books whose losses are in the same direction, a lower correlation never raises the requirement', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.double({ min: -1, max: 0.99, noNaN: true }),
        (btc, eth, rho) => {
          const b: Book = {
            positions: [
              { instrument: 'BTC-PERP', size: btc },
              { instrument: 'ETH-PERP', size: eth },
            ],
            collateral: {},
          };
          const at = (r: number) =>
            portfolioModel.compute(toPortfolio(b), ctx, {
              ...p,
              stressWeight: 0,
              correlations: { default: 0, pairs: { 'BTC/ETH': r }, source: 'params' },
            }).initialUsd;
          return at(rho) <= at(Math.min(1, rho + 0.01)) + 1e-9;
        },
      ),
      { numRuns: 100 },
    );
  });

  it('raising a haircut never lowers the requirement (never raises the collateral credit)', () => {
    fc.assert(
      fc.property(bookArb, fc.double({ min: 0, max: 0.5, noNaN: true }), (b, bump) => {
        const base = crossModel.compute(toPortfolio(b), ctx, DEFAULT_RATE_MODEL_PARAMS).initialUsd;
        const h = DEFAULT_RATE_MODEL_PARAMS.haircuts.USDC!;
        const higher = {
          ...DEFAULT_RATE_MODEL_PARAMS,
          haircuts: {
            ...DEFAULT_RATE_MODEL_PARAMS.haircuts,
            USDC: { im: Math.min(1, h.im + bump), mm: h.mm },
          },
        };
        const pm = portfolioModel.compute(toPortfolio(b), ctx, p).initialUsd;
        const pmHigher = portfolioModel.compute(toPortfolio(b), ctx, {
          ...p,
          haircuts: higher.haircuts,
        }).initialUsd;
        return (
          crossModel.compute(toPortfolio(b), ctx, higher).initialUsd >= base - 1e-9 && pmHigher >= pm - 1e-9
        );
      }),
      { numRuns: 100 },
    );
  });
});
