import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeVarEs, computeVarEsResult, VarEsWorkspace } from './var-es.js';

const NUM_RUNS = 400;

/**
 * The definition, by full sort (scalar, unoptimised): the reference the selection kernel is
 * tested against. Same tolerance rule: cumulative weight ≥ τ − 1e-9·W closes the tail, and the
 * boundary counts whole when what the tail still needs is within 1e-9·W of its weight.
 */
function referenceVarEs(
  pnl: readonly number[],
  alpha: number,
  weights?: readonly number[],
): { valueAtRisk: number; expectedShortfall: number; tail: number[] } {
  const w = weights ?? pnl.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  const tau = (1 - alpha) * total;
  const tol = 1e-9 * total;
  const order = pnl.map((_, i) => i).sort((i, j) => pnl[i]! - pnl[j]! || i - j);
  let acc = 0;
  let accPnl = 0;
  const tail: number[] = [];
  for (const i of order) {
    tail.push(i);
    if (acc + w[i]! >= tau - tol) {
      const partial = tau - acc >= w[i]! - tol ? w[i]! : tau - acc;
      const es = -(accPnl + partial * pnl[i]!) / (acc + partial);
      return { valueAtRisk: 0 - pnl[i]!, expectedShortfall: Math.max(es, 0 - pnl[i]!), tail };
    }
    acc += w[i]!;
    accPnl += w[i]! * pnl[i]!;
  }
  throw new Error('unreachable');
}

// P&L vectors with many ties (small integers) mixed with continuous values.
const pnlArb = fc.array(
  fc.oneof(
    fc.integer({ min: -5, max: 5 }).map((x) => x),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  ),
  { minLength: 1, maxLength: 300 },
);
const alphaArb = fc.oneof(
  fc.constantFrom(0.99, 0.975, 0.95, 0.9, 0.75, 0.5),
  fc.double({ min: 0.01, max: 0.999, noNaN: true }),
);
// Integer weights keep cumulative sums exact, so kernel and reference pick the same boundary.
const weightsFor = (n: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n })
    .filter((w) => w.some((x) => x > 0));
const caseArb = pnlArb.chain((pnl) =>
  fc.record({
    pnl: fc.constant(pnl),
    alpha: alphaArb,
    weights: fc.option(weightsFor(pnl.length), { nil: undefined }),
  }),
);

const scaleOf = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
const opts = (alpha: number, weights?: readonly number[]) =>
  weights === undefined ? { alpha } : { alpha, weights: Float64Array.from(weights) };

describe('VaR/ES properties', () => {
  it('ES ≥ VaR at the same level', () => {
    fc.assert(
      fc.property(caseArb, ({ pnl, alpha, weights }) => {
        const r = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        expect(r.expectedShortfall).toBeGreaterThanOrEqual(r.valueAtRisk);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the selection kernel equals the full-sort definition (VaR exactly, ES to rounding, same tail)', () => {
    fc.assert(
      fc.property(caseArb, ({ pnl, alpha, weights }) => {
        const r = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        const ref = referenceVarEs(pnl, alpha, weights);
        expect(r.valueAtRisk).toBe(ref.valueAtRisk);
        expect(Math.abs(r.expectedShortfall - ref.expectedShortfall)).toBeLessThanOrEqual(
          1e-12 * scaleOf(pnl),
        );
        // Same tail scenarios in the same canonical order (loss, then index).
        expect(Array.from(r.tailIndices)).toEqual(ref.tail);
        const sumW = r.tailWeights.reduce((a, b) => a + b, 0);
        expect(Math.abs(sumW - 1)).toBeLessThan(1e-12);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('integer weights are the same as repeating scenarios', () => {
    fc.assert(
      fc.property(caseArb, ({ pnl, alpha, weights }) => {
        if (weights === undefined) return;
        const repeated: number[] = [];
        pnl.forEach((x, i) => {
          for (let k = 0; k < weights[i]!; k++) repeated.push(x);
        });
        const a = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        const b = computeVarEsResult(Float64Array.from(repeated), { alpha });
        expect(a.valueAtRisk).toBe(b.valueAtRisk);
        expect(Math.abs(a.expectedShortfall - b.expectedShortfall)).toBeLessThanOrEqual(1e-12 * scaleOf(pnl));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('positive homogeneity: VaR and ES of k·P are k times (exactly, for k a power of 2)', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(0.25, 0.5, 2, 8), ({ pnl, alpha, weights }, k) => {
        // Subnormal P&L would underflow when halved; homogeneity is a statement about normal numbers.
        if (!pnl.every((x) => x === 0 || Math.abs(x) > 1e-300)) return;
        const a = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        const b = computeVarEsResult(
          Float64Array.from(pnl, (x) => k * x),
          opts(alpha, weights),
        );
        expect(b.valueAtRisk).toBe(k * a.valueAtRisk);
        expect(b.expectedShortfall).toBe(k * a.expectedShortfall);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('translation: adding cash c to every scenario lowers VaR and ES by c', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: -1e3, max: 1e3, noNaN: true }), ({ pnl, alpha, weights }, c) => {
        const a = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        const b = computeVarEsResult(
          Float64Array.from(pnl, (x) => x + c),
          opts(alpha, weights),
        );
        const tol = 1e-12 * (scaleOf(pnl) + Math.abs(c));
        expect(Math.abs(b.valueAtRisk - (a.valueAtRisk - c))).toBeLessThanOrEqual(tol);
        expect(Math.abs(b.expectedShortfall - (a.expectedShortfall - c))).toBeLessThanOrEqual(tol);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('ES is subadditive: ES(X + Y) ≤ ES(X) + ES(Y) (coherence, Acerbi & Tasche 2002)', () => {
    const pairArb = fc.integer({ min: 1, max: 200 }).chain((n) => {
      const col = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n });
      return fc.tuple(col, col, alphaArb);
    });
    fc.assert(
      fc.property(pairArb, ([x, y, alpha]) => {
        const sum = Float64Array.from(x, (v, i) => v + y[i]!);
        const esX = computeVarEsResult(Float64Array.from(x), { alpha }).expectedShortfall;
        const esY = computeVarEsResult(Float64Array.from(y), { alpha }).expectedShortfall;
        const esXY = computeVarEsResult(sum, { alpha }).expectedShortfall;
        expect(esXY).toBeLessThanOrEqual(esX + esY + 1e-9);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('VaR and ES do not decrease with the confidence level', () => {
    fc.assert(
      fc.property(caseArb, alphaArb, ({ pnl, alpha, weights }, beta) => {
        const [lo, hi] = alpha < beta ? [alpha, beta] : [beta, alpha];
        const a = computeVarEsResult(Float64Array.from(pnl), opts(lo, weights));
        const b = computeVarEsResult(Float64Array.from(pnl), opts(hi, weights));
        expect(b.valueAtRisk).toBeGreaterThanOrEqual(a.valueAtRisk);
        expect(b.expectedShortfall).toBeGreaterThanOrEqual(a.expectedShortfall - 1e-12 * scaleOf(pnl));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('VaR/ES on longer vectors (pivot-guess fast path and its fallback)', () => {
  const longArb = fc.integer({ min: 256, max: 3000 }).chain((n) =>
    fc.record({
      pnl: fc.array(
        fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
        { minLength: n, maxLength: n },
      ),
      alpha: alphaArb,
      weights: fc.option(weightsFor(n), { nil: undefined }),
    }),
  );
  it('equals the full-sort definition', () => {
    fc.assert(
      fc.property(longArb, ({ pnl, alpha, weights }) => {
        const r = computeVarEsResult(Float64Array.from(pnl), opts(alpha, weights));
        const ref = referenceVarEs(pnl, alpha, weights);
        expect(r.valueAtRisk).toBe(ref.valueAtRisk);
        expect(Math.abs(r.expectedShortfall - ref.expectedShortfall)).toBeLessThanOrEqual(
          1e-12 * scaleOf(pnl),
        );
        expect(Array.from(r.tailIndices)).toEqual(ref.tail);
      }),
      { numRuns: 100 },
    );
  });
});

describe('VaR/ES selection on adversarial orders (introselect fallback)', () => {
  const n = 5000;
  const shapes: Record<string, (i: number) => number> = {
    ascending: (i) => i,
    descending: (i) => -i,
    'all equal': () => 7,
    'organ pipe': (i) => (i < n / 2 ? i : n - i),
    'sawtooth of 3 values': (i) => i % 3,
    'two values, one rare': (i) => (i % 97 === 0 ? -1 : 0),
    'median-of-3 killer-ish': (i) => (i % 2 === 0 ? i : n - i),
    // The pivot guess samples positions ⌊i·n/64⌋: make those the 64 worst, so the guess is far
    // too low for tails wider than 64 scenarios and the fallback pass must finish the job.
    'sampled positions are the extreme losses': (i) => {
      const k = Math.ceil((i * 64) / n);
      return Math.floor((k * n) / 64) === i ? -1e6 - k : i;
    },
  };
  it.each(Object.entries(shapes))('%s', (_name, f) => {
    const pnl = Array.from({ length: n }, (_, i) => f(i));
    const ws = new VarEsWorkspace(n);
    // Default partition budget, then 0 and 1 rounds (heapsort fallback on the whole or a part).
    for (const limit of [undefined, 0, 1]) {
      ws.partitionLimit = limit;
      for (const alpha of [0.99, 0.975, 0.5]) {
        computeVarEs(Float64Array.from(pnl), { alpha, sortTail: true }, ws);
        const ref = referenceVarEs(pnl, alpha);
        expect(ws.valueAtRisk).toBe(ref.valueAtRisk);
        expect(ws.expectedShortfall).toBeCloseTo(ref.expectedShortfall, 9);
        expect(Array.from(ws.index.subarray(0, ws.tailCount))).toEqual(ref.tail);
      }
    }
  });

  it('the heapsort fallback agrees with the definition on random inputs with weights', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 3 }), ({ pnl, alpha, weights }, limit) => {
        const ws = new VarEsWorkspace();
        ws.partitionLimit = limit;
        computeVarEs(Float64Array.from(pnl), opts(alpha, weights), ws);
        const ref = referenceVarEs(pnl, alpha, weights);
        expect(ws.valueAtRisk).toBe(ref.valueAtRisk);
        expect(Math.abs(ws.expectedShortfall - ref.expectedShortfall)).toBeLessThanOrEqual(
          1e-12 * scaleOf(pnl),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
