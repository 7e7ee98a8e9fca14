import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalSpan } from './parse-decimal-span.js';

const RUNS = { numRuns: 2000 };

/** Decimal text `int[.frac]` with up to 18 digits in all (crossing the 15-digit fast-path limit). */
const decimalText = fc
  .tuple(fc.stringMatching(/^[0-9]{1,10}$/), fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));

describe('parseDecimalSpan', () => {
  it('equals Number(text) bit for bit on plain decimals, also inside a longer line', () => {
    fc.assert(
      fc.property(decimalText, (s) => {
        expect(Object.is(parseDecimalSpan(s, 0, s.length), Number(s))).toBe(true);
        const line = `x,${s},y`;
        expect(Object.is(parseDecimalSpan(line, 2, 2 + s.length), Number(s))).toBe(true);
      }),
      RUNS,
    );
  });

  it('equals Number(String(x)) for doubles printed by JavaScript (exponents included)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), (x) => {
        const s = String(x);
        expect(parseDecimalSpan(s, 0, s.length)).toBe(x);
      }),
      RUNS,
    );
  });

  it('reads the source spellings exactly', () => {
    for (const [s, v] of [
      ['3621.81', 3621.81],
      ['0.00004', 0.00004],
      ['7225', 7225],
      ['129613.926', 129613.926],
      ['1.0076801', 1.0076801],
      ['-5', -5],
      ['1e3', 1000],
    ] as const)
      expect(parseDecimalSpan(s, 0, s.length), s).toBe(v);
  });

  it('is NaN for text Number() would accept loosely or that is not a number', () => {
    for (const s of [
      '',
      ' 1',
      '1 ',
      '0x10',
      'NaN',
      'Infinity',
      '-Infinity',
      '1.',
      '.',
      '1.2.3',
      '1,5',
      '+',
      'e5',
    ])
      expect(parseDecimalSpan(s, 0, s.length), JSON.stringify(s)).toBeNaN();
  });
});
