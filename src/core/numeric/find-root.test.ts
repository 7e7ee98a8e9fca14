import { describe, expect, it } from 'vitest';
import { findRoot } from './find-root.js';

describe('findRoot (Brent)', () => {
  it.each([
    ['√2 from x² − 2', (x: number) => x * x - 2, 0, 2, Math.SQRT2],
    ['π from sin on [3, 4]', Math.sin, 3, 4, Math.PI],
    ['ln 3 from eˣ − 3', (x: number) => Math.exp(x) - 3, -5, 5, Math.log(3)],
    ['a step-like function (cube root of x − 1e-3)', (x: number) => Math.cbrt(x - 1e-3), -1, 1, 1e-3],
  ] as const)('%s', (_name, f, lo, hi, root) => {
    const r = findRoot(f, lo, hi);
    expect(Math.abs(r.x - root)).toBeLessThanOrEqual(1e-13);
  });

  it('converges in far fewer iterations than bisection on smooth functions', () => {
    const r = findRoot((x) => x * x * x - 2 * x - 5, 2, 3); // Wallis's example, root 2.0945514815423265
    expect(r.x).toBeCloseTo(2.0945514815423265, 14);
    expect(r.iterations).toBeLessThan(15);
  });

  it('returns an endpoint that is already a root', () => {
    expect(findRoot((x) => x - 1, 1, 2).x).toBe(1);
  });

  it('rejects a bracket without a sign change, naming the values', () => {
    expect(() => findRoot((x) => x * x + 1, -1, 1)).toThrow(
      /bracket must have f\(lo\) and f\(hi\) of opposite signs/,
    );
    expect(() => findRoot((x) => x, 1, 1)).toThrow('bracket must be finite with hi > lo; got [1,1]');
  });

  it('reports ERR_NO_CONVERGENCE when the budget is too small', () => {
    try {
      findRoot((x) => x - 0.3, 0, 1, { maxIterations: 1, xTol: 1e-15 });
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('ERR_NO_CONVERGENCE');
    }
  });
});
