import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidInputError } from '../errors.js';
import {
  baselTrafficLight,
  binomialCdf,
  chiSquareSurvival,
  christoffersenConditionalCoverage,
  christoffersenIndependence,
  kupiecPof,
} from './coverage-tests.js';

/** The field named by an InvalidInputError thrown by `f` (fails the test if none is thrown). */
function fieldOfError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return String((e as InvalidInputError).details.field);
  }
  throw new Error('expected an InvalidInputError');
}

describe('baselTrafficLight', () => {
  // Basel Committee on Banking Supervision (1996), "Supervisory framework for the use of
  // 'backtesting' in conjunction with the internal models approach to market risk capital
  // requirements", Table 2: 250 observations, 99% coverage, cumulative probability of each
  // number of exceptions (in %, two decimals) and the zone.
  const TABLE_2: ReadonlyArray<readonly [number, number, 'green' | 'yellow' | 'red']> = [
    [0, 8.11, 'green'],
    [1, 28.58, 'green'],
    [2, 54.32, 'green'],
    [3, 75.81, 'green'],
    [4, 89.22, 'green'],
    [5, 95.88, 'yellow'],
    [6, 98.63, 'yellow'],
    [7, 99.6, 'yellow'],
    [8, 99.89, 'yellow'],
    [9, 99.97, 'yellow'],
    [10, 99.99, 'red'],
  ];

  for (const [x, percent, zone] of TABLE_2) {
    it(`reproduces Basel (1996) Table 2: ${x} exceptions in 250 days → ${percent}%, ${zone}`, () => {
      const r = baselTrafficLight(250, x, 0.99);
      // Published to 0.01 percentage point: within half a unit of the last digit.
      expect(Math.abs(r.cumulativeProbability - percent / 100)).toBeLessThanOrEqual(0.00005 + 1e-12);
      expect(r.zone).toBe(zone);
      expect(r.greenMax).toBe(4);
      expect(r.yellowMax).toBe(9);
      expect(r.observations).toBe(250);
      expect(r.exceptions).toBe(x);
    });
  }

  it('is red beyond 10 exceptions and defaults to 99% coverage', () => {
    for (let x = 10; x <= 30; x++) expect(baselTrafficLight(250, x).zone).toBe('red');
    expect(baselTrafficLight(250, 5)).toEqual(baselTrafficLight(250, 5, 0.99));
  });

  it('zone agrees with the reported boundaries for any n, x, coverage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, coverage, u) => {
          const x = Math.min(n, Math.floor(u * n * 0.1));
          const r = baselTrafficLight(n, x, coverage);
          const expected = x <= r.greenMax ? 'green' : x <= r.yellowMax ? 'yellow' : 'red';
          expect(r.zone).toBe(expected);
          expect(r.greenMax).toBeLessThanOrEqual(r.yellowMax);
        },
      ),
    );
  });
});

describe('binomialCdf', () => {
  it('matches exact small cases (Pascal triangle arithmetic)', () => {
    // n = 10, p = ½: C(10, 0..4) = 1, 10, 45, 120, 210 → 386/1024.
    expect(binomialCdf(4, 10, 0.5)).toBeCloseTo(386 / 1024, 15);
    // n = 5, p = 0.3: 0.7⁵ + 5·0.3·0.7⁴ = 0.16807 + 0.36015.
    expect(binomialCdf(1, 5, 0.3)).toBeCloseTo(0.52822, 15);
    expect(binomialCdf(0, 250, 0.01)).toBeCloseTo(0.99 ** 250, 15);
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(3, 10, 0)).toBe(1);
    expect(binomialCdf(3, 10, 1)).toBe(0);
  });

  it('keeps full precision at n = 10⁶ (central binomial coefficient asymptotics)', () => {
    // For even n, P(X ≤ n/2 | p = ½) = ½ + ½·C(n, n/2)/2ⁿ, and
    // C(n, n/2)/2ⁿ = √(2/(πn))·(1 − 1/(4n) + 1/(32n²) + O(n⁻³))  (Graham, Knuth & Patashnik,
    // Concrete Mathematics, 2nd ed., ex. 9.60).
    const n = 1_000_000;
    const central = Math.sqrt(2 / (Math.PI * n)) * (1 - 1 / (4 * n) + 1 / (32 * n * n));
    expect(Math.abs(binomialCdf(n / 2, n, 0.5) - (0.5 + 0.5 * central))).toBeLessThan(1e-14);
  });

  it('is monotone in k and satisfies F(k; n, p) + F(n − k − 1; n, 1 − p) = 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p, u) => {
          const k = Math.min(n - 1, Math.floor(u * n));
          const f = binomialCdf(k, n, p);
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThanOrEqual(1);
          expect(binomialCdf(k + 1, n, p)).toBeGreaterThanOrEqual(f - 1e-15);
          expect(f + binomialCdf(n - k - 1, n, 1 - p)).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});

describe('chiSquareSurvival', () => {
  // Critical values of χ² (upper-tail probability α), from the standard table (e.g. NIST/SEMATECH
  // e-Handbook of Statistical Methods, §1.3.6.7.4), three decimals: each maps back to α within
  // the table's rounding (density × 0.0005 < 2e-5).
  const TABLE: ReadonlyArray<readonly [number, number, number]> = [
    [1, 3.841, 0.05],
    [1, 6.635, 0.01],
    [2, 5.991, 0.05],
    [2, 9.21, 0.01],
    [3, 7.815, 0.05],
    [3, 11.345, 0.01],
    [4, 9.488, 0.05],
    [4, 13.277, 0.01],
    [10, 18.307, 0.05],
    [10, 23.209, 0.01],
  ];
  for (const [df, x, alpha] of TABLE) {
    it(`P(χ²_${df} > ${x}) = ${alpha}`, () => {
      expect(chiSquareSurvival(x, df)).toBeCloseTo(alpha, 4);
    });
  }

  it('is exact for df = 1 and 2: χ²₁ = Z², χ²₂ survival e^{−x/2}', () => {
    // z_{0.975} = 1.959963984540054 (two-sided 5% normal quantile): P(Z² > z²) = 0.05.
    expect(chiSquareSurvival(1.959963984540054 ** 2, 1)).toBeCloseTo(0.05, 14);
    for (const x of [0.1, 1, 5.991, 20, 100]) {
      expect(chiSquareSurvival(x, 2)).toBe(Math.exp(-x / 2));
    }
    expect(chiSquareSurvival(0, 1)).toBe(1);
    expect(chiSquareSurvival(0, 7)).toBe(1);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });

  it('is decreasing in x and increasing in df', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (x, df) => {
          const q = chiSquareSurvival(x, df);
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q).toBeLessThanOrEqual(1);
          expect(chiSquareSurvival(x * 1.1, df)).toBeLessThanOrEqual(q + 1e-15);
          expect(chiSquareSurvival(x, df + 1)).toBeGreaterThanOrEqual(q - 1e-15);
        },
      ),
    );
  });
});

describe('kupiecPof', () => {
  /** Exception counts not rejected by the LR test at the 5% level. */
  function nonRejected(observations: number, p: number): number[] {
    const out: number[] = [];
    for (let x = 0; x <= observations; x++) if (kupiecPof(observations, x, p).pValue >= 0.05) out.push(x);
    return out;
  }
  const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

  // Kupiec (1995), "Techniques for verifying the accuracy of risk measurement models", J. of
  // Derivatives 3(2), non-rejection regions of the POF test at the 5% test level, as reproduced
  // in P. Jorion, "Value at Risk", ch. 6 ("a < N < b": counts strictly between a and b pass).
  const REGIONS: ReadonlyArray<readonly [number, number, number, number]> = [
    // [p, T, a, b]
    [0.01, 510, 1, 11],
    [0.01, 1000, 4, 17],
    [0.025, 255, 2, 12],
    [0.025, 510, 6, 21],
    [0.025, 1000, 15, 36],
    [0.05, 255, 6, 21],
    [0.05, 510, 16, 36],
    [0.05, 1000, 37, 65],
    [0.075, 255, 11, 28],
    [0.075, 510, 27, 51],
    [0.075, 1000, 59, 92],
    [0.1, 255, 16, 36],
    [0.1, 510, 38, 65],
    [0.1, 1000, 81, 120],
  ];
  for (const [p, T, a, b] of REGIONS) {
    it(`p = ${p}, T = ${T}: ${a} < N < ${b} is the non-rejection region`, () => {
      expect(nonRejected(T, p)).toEqual(range(a + 1, b - 1));
    });
  }

  it('p = 0.01, T = 255: upper edge N < 7 as published; N = 0 is rejected by the LR itself', () => {
    // The published row reads "N < 7" with no lower bound. The upper edge is reproduced
    // (6 passes, 7 is rejected). At N = 0, however, the LR has the closed form −2T·ln(1 − p)
    // = 510·0.0100503… = 5.126 > 3.841, so the LR test at 95% rejects it: the published row
    // leaves the lower end open rather than stating the LR region (which is 1 ≤ N ≤ 6).
    expect(nonRejected(255, 0.01)).toEqual(range(1, 6));
    expect(kupiecPof(255, 0, 0.01).lr).toBeCloseTo(-2 * 255 * Math.log(0.99), 12);
    expect(-2 * 255 * Math.log(0.99)).toBeGreaterThan(3.841);
  });

  it('closed form at x = 0: LR = −2n·ln(1 − p)', () => {
    for (const [n, p] of [
      [250, 0.01],
      [1000, 0.05],
      [17, 0.3],
    ] as const) {
      const r = kupiecPof(n, 0, p);
      expect(r.lr).toBeCloseTo(-2 * n * Math.log(1 - p), 12);
      expect(r.observedRate).toBe(0);
    }
  });

  it('LR = 0 and p-value 1 when x/n = p; LR ≥ 0 always', () => {
    const r = kupiecPof(1000, 10, 0.01);
    expect(r.lr).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 6);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.9999, noNaN: true }),
        (n, u, p) => {
          const x = Math.min(n, Math.floor(u * (n + 1)));
          const k = kupiecPof(n, x, p);
          expect(k.lr).toBeGreaterThanOrEqual(0);
          expect(k.pValue).toBeGreaterThanOrEqual(0);
          expect(k.pValue).toBeLessThanOrEqual(1);
          expect(Number.isFinite(k.lr)).toBe(true);
        },
      ),
    );
  });
});

/** A 0/1 path with exactly the given transition counts, n01 = n10 = c, starting and ending at 0. */
function pathWithCounts(zeroRuns: readonly number[], oneRuns: readonly number[]): boolean[] {
  // zeroRuns has c + 1 lengths ≥ 1, oneRuns has c lengths ≥ 1, interleaved 0-run, 1-run, ..., 0-run.
  const out: boolean[] = [];
  for (let i = 0; i < zeroRuns.length; i++) {
    for (let j = 0; j < zeroRuns[i]!; j++) out.push(false);
    if (i < oneRuns.length) for (let j = 0; j < oneRuns[i]!; j++) out.push(true);
  }
  return out;
}

/** Splits `total` into `parts` non-negative integers at the given cut points. */
function split(total: number, cuts: readonly number[]): number[] {
  const sorted = [...cuts].map((c) => Math.min(c, total)).sort((a, b) => a - b);
  const out: number[] = [];
  let prev = 0;
  for (const c of sorted) {
    out.push(c - prev);
    prev = c;
  }
  out.push(total - prev);
  return out;
}

describe('christoffersenIndependence', () => {
  it('hand-worked example: 0 0 1 1 1 0 0 0 0 1', () => {
    const hits = [false, false, true, true, true, false, false, false, false, true];
    // Transitions (day t−1 → t): 00, 01, 11, 11, 10, 00, 00, 00, 01.
    // n00 = 4, n01 = 2, n10 = 1, n11 = 2 (9 transitions).
    // π01 = 2/6 = 1/3, π11 = 2/3, π = (2 + 2)/9 = 4/9.
    // ln L0 = (n00 + n10)·ln(1 − π) + (n01 + n11)·ln π = 5·ln(5/9) + 4·ln(4/9)
    // ln L1 = 4·ln(2/3) + 2·ln(1/3) + 1·ln(1/3) + 2·ln(2/3) = 6·ln(2/3) + 3·ln(1/3)
    // LR = −2·ln L0 + 2·ln L1 ≈ 2·(−5.728627 + 6.182654) ≈ 0.908053.
    const lnL0 = 5 * Math.log(5 / 9) + 4 * Math.log(4 / 9);
    const lnL1 = 6 * Math.log(2 / 3) + 3 * Math.log(1 / 3);
    const lr = -2 * lnL0 + 2 * lnL1;
    expect(lr).toBeCloseTo(0.908053, 6);

    const r = christoffersenIndependence(hits);
    expect([r.n00, r.n01, r.n10, r.n11]).toEqual([4, 2, 1, 2]);
    expect(r.pi01).toBeCloseTo(1 / 3, 15);
    expect(r.pi11).toBeCloseTo(2 / 3, 15);
    expect(r.pi).toBeCloseTo(4 / 9, 15);
    expect(r.lr).toBeCloseTo(lr, 12);
    // χ²₁ survival of 0.908: 1 − P(|Z| ≤ √0.908) = 0.3406 (normal table, Φ(0.953) = 0.8297).
    expect(r.pValue).toBeCloseTo(0.3406, 3);
  });

  it('LR ≥ 0, p-value in [0, 1], n − 1 transitions, for any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 2, maxLength: 400 }), (hits) => {
        const r = christoffersenIndependence(hits);
        expect(r.n00 + r.n01 + r.n10 + r.n11).toBe(hits.length - 1);
        expect(r.lr).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(r.lr)).toBe(true);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('LR_ind = 0 when π01 = π11', () => {
    // Counts n00 = a²t, n01 = n10 = abt, n11 = b²t give π01 = π11 = b/(a + b); realise them as a
    // path of abt + 1 zero-runs and abt one-runs with the self-transitions spread at random.
    const caseArb = fc
      .record({
        a: fc.integer({ min: 1, max: 4 }),
        b: fc.integer({ min: 1, max: 4 }),
        t: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ a, b, t }) => {
        const c = a * b * t;
        const n00 = a * a * t;
        const n11 = b * b * t;
        return fc.record({
          a: fc.constant(a),
          b: fc.constant(b),
          zeroCuts: fc.array(fc.nat(n00), { minLength: c, maxLength: c }).map((cuts) => split(n00, cuts)),
          oneCuts: fc
            .array(fc.nat(n11), { minLength: c - 1, maxLength: c - 1 })
            .map((cuts) => split(n11, cuts)),
        });
      });
    fc.assert(
      fc.property(caseArb, ({ a, b, zeroCuts, oneCuts }) => {
        // A run of length L holds L − 1 self-transitions.
        const hits = pathWithCounts(
          zeroCuts.map((e) => e + 1),
          oneCuts.map((e) => e + 1),
        );
        const r = christoffersenIndependence(hits);
        expect(r.n01).toBe(r.n10);
        expect(r.n00 * b).toBe(r.n01 * a); // π01 = b/(a + b)
        expect(r.n10 * b).toBe(r.n11 * a); // π11 = b/(a + b)
        expect(r.lr).toBeCloseTo(0, 12);
        expect(r.pValue).toBeCloseTo(1, 6);
      }),
    );
  });

  it('clustered exceptions give a small p-value; the same count spread out does not', () => {
    const clustered = Array.from({ length: 250 }, (_, t) => t >= 100 && t < 110);
    const spread = Array.from({ length: 250 }, (_, t) => t % 25 === 12);
    const c = christoffersenIndependence(clustered);
    const s = christoffersenIndependence(spread);
    expect([c.n00, c.n01, c.n10, c.n11]).toEqual([238, 1, 1, 9]);
    expect(c.pValue).toBeLessThan(1e-6);
    expect(s.n11).toBe(0);
    expect(s.pValue).toBeGreaterThan(0.05);
  });

  it('reports 0 for a row without transitions (no hit, or hits only)', () => {
    const none = christoffersenIndependence([false, false, false]);
    expect([none.pi01, none.pi11, none.pi, none.lr, none.pValue]).toEqual([0, 0, 0, 0, 1]);
    const all = christoffersenIndependence([true, true, true]);
    expect([all.pi01, all.pi11, all.pi, all.lr, all.pValue]).toEqual([0, 1, 1, 0, 1]);
  });
});

describe('christoffersenConditionalCoverage', () => {
  it('LR_cc = LR_pof (on the n − 1 transition days) + LR_ind, χ²(2)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (hits, p) => {
          const cc = christoffersenConditionalCoverage(hits, p);
          const ind = christoffersenIndependence(hits);
          const pof = kupiecPof(hits.length - 1, ind.n01 + ind.n11, p);
          expect(cc.lrInd).toBe(ind.lr);
          expect(cc.lrPof).toBe(pof.lr);
          expect(cc.lr).toBe(pof.lr + ind.lr);
          expect(cc.pValue).toBe(Math.exp(-cc.lr / 2)); // χ²₂ survival
        },
      ),
    );
  });

  it('rejects clustered exceptions at 1% even when the count alone is borderline', () => {
    // 4 exceptions in 250 days at 99%: Kupiec does not reject; clustered, conditional coverage does.
    const clustered = Array.from({ length: 250 }, (_, t) => t >= 200 && t < 204);
    expect(kupiecPof(250, 4, 0.01).pValue).toBeGreaterThan(0.05);
    expect(christoffersenConditionalCoverage(clustered, 0.01).pValue).toBeLessThan(0.01);
  });
});

describe('bad input names the field', () => {
  it.each([
    ['observations', () => kupiecPof(0, 0, 0.01)],
    ['observations', () => kupiecPof(2.5, 0, 0.01)],
    ['exceptions', () => kupiecPof(10, 11, 0.01)],
    ['exceptions', () => kupiecPof(10, -1, 0.01)],
    ['expectedRate', () => kupiecPof(10, 1, 0)],
    ['expectedRate', () => kupiecPof(10, 1, 1)],
    ['expectedRate', () => kupiecPof(10, 1, Number.NaN)],
    ['hits.length', () => christoffersenIndependence([true])],
    ['hits[1]', () => christoffersenIndependence([true, 1 as unknown as boolean])],
    ['expectedRate', () => christoffersenConditionalCoverage([true, false], 1.5)],
    ['observations', () => baselTrafficLight(-250, 0)],
    ['exceptions', () => baselTrafficLight(250, 251)],
    ['coverage', () => baselTrafficLight(250, 3, 1)],
    ['x', () => chiSquareSurvival(-1, 1)],
    ['x', () => chiSquareSurvival(Number.NaN, 1)],
    ['df', () => chiSquareSurvival(1, 0)],
    ['df', () => chiSquareSurvival(1, 1.5)],
    ['k', () => binomialCdf(1.5, 10, 0.1)],
    ['n', () => binomialCdf(1, -1, 0.1)],
    ['p', () => binomialCdf(1, 10, 1.1)],
  ])('%s', (field, f) => {
    expect(fieldOfError(f)).toBe(field);
  });

  it('the message states the rule and the value', () => {
    expect(() => kupiecPof(10, 11, 0.01)).toThrow(
      /exceptions must be an integer in \[0, observations = 10\]; got 11/,
    );
  });
});
