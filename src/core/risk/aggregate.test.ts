import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateScenarioPnl, aggregateScenarioPnlReference, findWorstScenario } from './aggregate.js';

describe('aggregateScenarioPnl equals the scalar definition', () => {
  it('on random risk arrays and sparse books', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1e6 }),
        (nRows, S, seed) => {
          let x = seed;
          const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
          const unitPnl = Float64Array.from({ length: nRows * S }, () => next() * 1000);
          const n = 1 + (seed % nRows);
          const rows = Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % nRows);
          const qty = Float64Array.from({ length: n }, () => next() * 10);
          const out = new Float64Array(S);
          aggregateScenarioPnl(unitPnl, S, rows, qty, out);
          const ref = aggregateScenarioPnlReference(unitPnl, S, [...rows], [...qty]);
          // Same order of summation: bit-for-bit equal.
          expect([...out]).toEqual(ref);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shape mismatches are invariant errors', () => {
    expect(() =>
      aggregateScenarioPnl(
        new Float64Array(6),
        3,
        Int32Array.of(0),
        new Float64Array(2),
        new Float64Array(3),
      ),
    ).toThrow(/shape mismatch/);
    expect(() =>
      aggregateScenarioPnl(
        new Float64Array(6),
        3,
        Int32Array.of(5),
        new Float64Array(1),
        new Float64Array(3),
      ),
    ).toThrow(/row out of range/);
  });

  it('findWorstScenario: minimum, ties to the first', () => {
    expect(findWorstScenario(Float64Array.of(3, -2, 5, -2))).toEqual({ index: 1, pnl: -2 });
  });
});
