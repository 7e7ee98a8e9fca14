/**
 * Properties of the `dydx` preset on random perpetual books (STYLE §3.8): IM ≥ MM ≥ 0,
 * contributions and components sum to IM, positive homogeneity (no size add-on: the OI scaling
 * depends on the market's open interest, not on the account's size), monotone in open interest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { dydxModel, initialMarginFraction } from './index.js';

const market = buildMarginMarket({
  valuationMs: 1772372400000,
  prices: { BTC: 60000, ETH: 2000, SOL: 100, DOGE: 0.1, USDC: 1 },
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC' },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2001 },
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', openInterestUsd: 55_000_000 },
    { id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE', openInterestUsd: 7_000_000 },
  ],
});
const ctx = createMarginContext(market);
const p = dydxModel.defaultParams;

const size = fc.double({ min: -50, max: 50, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);
const positions = fc.array(
  fc.record({
    instrument: fc.constantFrom('BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'DOGE-PERP'),
    size,
    entryPrice: fc.double({ min: 0.05, max: 70000, noNaN: true }),
  }),
  { maxLength: 6 },
);
type Pos = { instrument: string; size: number; entryPrice: number };
const compute = (ps: Pos[]) =>
  dydxModel.compute(parsePortfolio({ collateral: { USDC: '1000' }, positions: ps }, market), ctx, p);
const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
const close = (a: number, b: number, rel = 1e-12) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe('dydx properties', () => {
  it('IM ≥ MM ≥ 0; components and contributions sum to IM', () => {
    fc.assert(
      fc.property(positions, (ps) => {
        const r = compute(ps);
        expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
        expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
        expect(close(sum(r.contributions), r.initialUsd)).toBe(true);
        expect(close(sum(r.components), r.initialUsd)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('positively homogeneous: m(k·P) = k·m(P)', () => {
    fc.assert(
      fc.property(positions, fc.double({ min: 0.1, max: 10, noNaN: true }), (ps, k) => {
        const a = compute(ps);
        const b = compute(ps.map((x) => ({ ...x, size: x.size * k })));
        return (
          close(b.initialUsd, k * a.initialUsd, 1e-12) && close(b.maintenanceUsd, k * a.maintenanceUsd, 1e-12)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('the IMF is non-decreasing in open interest and stays in [base, 1]', () => {
    const tier = p.tiers['Small-Cap']!;
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const f = initialMarginFraction(tier, lo);
          const g = initialMarginFraction(tier, hi);
          return f <= g && f >= tier.initialMarginFraction && g <= 1;
        },
      ),
      { numRuns: 300 },
    );
  });
});
