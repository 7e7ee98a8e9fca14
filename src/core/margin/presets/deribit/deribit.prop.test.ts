/**
 * Properties of the Deribit presets on random books (STYLE §3.8):
 * - both: IM ≥ MM ≥ 0, finite; components and contributions sum to IM;
 * - deribit-pm: positively homogeneous m(k·P) = k·m(P) (no size add-on) and subadditive
 *   m(A ∪ B) ≤ m(A) + m(B) (a worst loss of a sum is at most the sum of worst losses);
 * - deribit-sm: monotone in size, m(k·P) ≥ k·m(P) for k ≥ 1 (the per-unit rate term grows).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { deribitPmModel, deribitSmModel } from './index.js';

const T0 = 1772372400000;
const DAY = 86_400_000;
const opt = (id: string, optionType: 'call' | 'put', strike: number, days: number, iv: number) =>
  ({
    id,
    kind: 'option',
    underlying: 'BTC',
    optionType,
    strike,
    expiryMs: T0 + days * DAY,
    iv,
    forward: 60200,
  }) as const;
const market = buildMarginMarket({
  valuationMs: T0,
  prices: { BTC: 60000, ETH: 2000, SOL: 100, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 60050 },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH' },
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL' },
    { id: 'BTC-F', kind: 'future', underlying: 'BTC', expiryMs: T0 + 30 * DAY, markPrice: 60200 },
    opt('C66', 'call', 66000, 30, 0.55),
    opt('P54', 'put', 54000, 30, 0.65),
    opt('C60', 'call', 60000, 2, 0.5),
    opt('P90', 'put', 90000, 30, 0.5),
  ],
});
const ctx = createMarginContext(market);
const IDS = ['BTC-PERP', 'ETH-PERP', 'SOL-PERP', 'BTC-F', 'C66', 'P54', 'C60', 'P90'];

const size = fc.double({ min: -20, max: 20, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);
const positions = fc.array(fc.record({ instrument: fc.constantFrom(...IDS), size }), { maxLength: 6 });
const collateral = fc.record({
  USDC: fc.integer({ min: 0, max: 2_000_000 }),
  BTC: fc.integer({ min: -5, max: 20 }),
  ETH: fc.integer({ min: 0, max: 200 }),
});
type Pos = { instrument: string; size: number };
type Coll = Record<string, number>;
const toBook = (c: Coll, ps: Pos[]) =>
  parsePortfolio(
    { collateral: Object.fromEntries(Object.entries(c).map(([a, v]) => [a, String(v)])), positions: ps },
    market,
  );
const scale = (c: Coll, ps: Pos[], k: number): [Coll, Pos[]] => [
  Object.fromEntries(Object.entries(c).map(([a, v]) => [a, v * k])),
  ps.map((x) => ({ ...x, size: x.size * k })),
];
const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
const close = (a: number, b: number, rel = 1e-9) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const pm = (c: Coll, ps: Pos[]) => deribitPmModel.compute(toBook(c, ps), ctx, deribitPmModel.defaultParams);
const sm = (c: Coll, ps: Pos[]) => deribitSmModel.compute(toBook(c, ps), ctx, deribitSmModel.defaultParams);

describe.each([
  ['deribit-sm', sm],
  ['deribit-pm', pm],
] as const)('%s invariants', (_name, compute) => {
  it('IM ≥ MM ≥ 0, finite; components and contributions sum to IM', () => {
    fc.assert(
      fc.property(collateral, positions, (c, ps) => {
        const r = compute(c, ps);
        expect(
          Number.isFinite(r.initialUsd) && Number.isFinite(r.maintenanceUsd) && Number.isFinite(r.equityUsd),
        ).toBe(true);
        expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
        expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
        expect(close(sum(r.contributions), r.initialUsd)).toBe(true);
        expect(close(sum(r.components), r.initialUsd)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('deribit-pm properties', () => {
  it('positively homogeneous: m(k·P) = k·m(P) for integer k', () => {
    fc.assert(
      fc.property(collateral, positions, fc.integer({ min: 2, max: 6 }), (c, ps, k) => {
        const [c2, ps2] = scale(c, ps, k);
        return close(pm(c2, ps2).initialUsd, k * pm(c, ps).initialUsd, 1e-9);
      }),
      { numRuns: 100 },
    );
  });
  it('subadditive: m(A ∪ B) ≤ m(A) + m(B)', () => {
    fc.assert(
      fc.property(positions, positions, (a, b) => {
        const none = { USDC: 0 };
        return pm(none, [...a, ...b]).initialUsd <= pm(none, a).initialUsd + pm(none, b).initialUsd + 1e-6;
      }),
      { numRuns: 100 },
    );
  });
});

describe('deribit-sm properties', () => {
  it('monotone in size: m(k·P) ≥ k·m(P) for k ≥ 1', () => {
    fc.assert(
      fc.property(positions, fc.double({ min: 1, max: 50, noNaN: true }), (ps, k) => {
        const none = { USDC: 0 };
        const [, ps2] = scale(none, ps, k);
        const a = sm(none, ps);
        const b = sm(none, ps2);
        return (
          b.initialUsd >= k * a.initialUsd * (1 - 1e-12) &&
          b.maintenanceUsd >= k * a.maintenanceUsd * (1 - 1e-12)
        );
      }),
      { numRuns: 150 },
    );
  });
});
