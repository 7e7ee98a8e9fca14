import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { aggregateOracle, type OracleParams, type OracleQuote } from './oracle-aggregate.js';

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

const NOW = 1_735_689_600_000;
const PARAMS: OracleParams = {
  method: 'cappedMedian',
  capFraction: 0.005, // ±0.5% (Deribit)
  maxAgeMs: 180_000, // 3 minutes (Deribit excludes a feed delayed 3 min)
  maxDeviation: 0.05,
  minSources: 3,
};
const q = (source: string, price: number, ageMs = 0, confidence?: number): OracleQuote =>
  confidence === undefined
    ? { source, price, timestampMs: NOW - ageMs }
    : { source, price, timestampMs: NOW - ageMs, confidence };

/** The worked example of docs/methodology/oracle.md. */
const WORKED: OracleQuote[] = [
  q('binance', 100_000),
  q('coinbase', 100_300),
  q('kraken', 99_900),
  q('okx', 101_200),
  q('bitstamp', 112_000), // outlier: |112,000 − 100,300| / 100,300 = 11.7% > 5%
  q('gemini', 99_800, 200_000), // stale: 200 s > 180 s
];

describe('aggregateOracle: the worked example', () => {
  it('capped median', () => {
    const r = aggregateOracle(WORKED, PARAMS, NOW);
    // survivors 99,900 / 100,000 / 100,300 / 101,200 → median (100,000 + 100,300)/2 = 100,150
    expect(r.median).toBe(100_150);
    // clamp band [100,150·0.995, 100,150·1.005]; only okx's 101,200 is clamped to 100,150·1.005
    expect(r.price).toBeCloseTo((99_900 + 100_000 + 100_300 + 100_150 * 1.005) / 4, 8); // 100,212.6875
    expect(r.used).toEqual(['binance', 'coinbase', 'kraken', 'okx']);
    expect(r.rejected.map((x) => [x.source, x.reason])).toEqual([
      ['bitstamp', 'outlier'],
      ['gemini', 'stale'],
    ]);
    expect(r.oldestUsedMs).toBe(NOW);
    expect(r.confidence).toBeUndefined();
  });

  it('plain median', () => {
    const r = aggregateOracle(WORKED, { ...PARAMS, method: 'median' }, NOW);
    expect(r.price).toBe(100_150);
    expect(r.method).toBe('median');
  });

  it('the same result, bit for bit, for the reversed input', () => {
    expect(aggregateOracle([...WORKED].reverse(), PARAMS, NOW)).toEqual(aggregateOracle(WORKED, PARAMS, NOW));
  });

  it('result is frozen', () => {
    const r = aggregateOracle(WORKED, PARAMS, NOW);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.used)).toBe(true);
  });
});

describe('aggregateOracle: rejection rules', () => {
  const base = [q('a', 100), q('b', 100.1), q('c', 99.9)];
  const reasonOf = (
    quotes: OracleQuote[],
    params: OracleParams = { ...PARAMS, minSources: 1 },
    source = 'x',
  ) => aggregateOracle(quotes, params, NOW).rejected.find((r) => r.source === source)?.reason;

  const cases: Record<string, [OracleQuote, string | undefined]> = {
    'NaN price': [q('x', Number.NaN), 'invalid'],
    'zero price': [q('x', 0), 'invalid'],
    'negative price': [q('x', -100), 'invalid'],
    'infinite price': [q('x', Infinity), 'invalid'],
    'confidence above 1': [q('x', 100, 0, 1.2), 'invalid'],
    'non-integer timestamp': [{ source: 'x', price: 100, timestampMs: NOW + 0.5 }, 'invalid'],
    'timestamp beyond the future skew': [q('x', 100, -1_001), 'future'],
    'timestamp within the future skew': [q('x', 100, -1_000), undefined],
    'age exactly maxAgeMs is fresh': [q('x', 100, 180_000), undefined],
    'age maxAgeMs + 1 is stale': [q('x', 100, 180_001), 'stale'],
    // fresh median of 99.9, 100, 100.1, x is (100 + 100.1)/2 = 100.05
    '|105.1 − 100.05|/100.05 = 5.05% > 5% is an outlier': [q('x', 105.1), 'outlier'],
    '|104.9 − 100.05|/100.05 = 4.85% is kept': [q('x', 104.9), undefined],
  };
  for (const [name, [quote, reason]] of Object.entries(cases)) {
    it(`${name} → ${reason ?? 'used'}`, () => {
      expect(reasonOf([...base, quote])).toBe(reason);
    });
  }

  it('an empty source name is invalid', () => {
    expect(reasonOf([...base, q('', 100)], undefined, '')).toBe('invalid');
  });

  it('a repeated source name rejects every copy', () => {
    const r = aggregateOracle([...base, q('x', 100), q('x', 100.05)], { ...PARAMS, minSources: 1 }, NOW);
    expect(r.used).toEqual(['a', 'b', 'c']);
    expect(r.rejected.filter((x) => x.source === 'x').map((x) => x.reason)).toEqual(['invalid', 'invalid']);
  });

  it('minConfidence rejects low and absent confidence; result confidence is the minimum used', () => {
    const quotes = [q('a', 100, 0, 0.9), q('b', 100.1, 0, 0.6), q('c', 99.9, 0, 0.4), q('d', 100)];
    const r = aggregateOracle(quotes, { ...PARAMS, minSources: 2, minConfidence: 0.5 }, NOW);
    expect(r.used).toEqual(['a', 'b']);
    expect(r.rejected.map((x) => [x.source, x.reason])).toEqual([
      ['c', 'lowConfidence'],
      ['d', 'lowConfidence'],
    ]);
    expect(r.confidence).toBe(0.6);
  });

  it('a custom future skew applies', () => {
    expect(reasonOf([...base, q('x', 100, -10)], { ...PARAMS, minSources: 1, maxFutureSkewMs: 0 })).toBe(
      'future',
    );
  });
});

describe('aggregateOracle: failing closed', () => {
  it('too few sources: ERR_ORACLE_INSUFFICIENT_SOURCES with every rejection', () => {
    const quotes = [q('a', 100), q('b', 100.2), q('c', 100, 999_999), q('d', Number.NaN)];
    const e = caught(() => aggregateOracle(quotes, PARAMS, NOW));
    expect(e.code).toBe('ERR_ORACLE_INSUFFICIENT_SOURCES');
    expect(e.details).toMatchObject({ usedCount: 2, minSources: 3, nowMs: NOW });
    expect(
      (e.details['rejected'] as { source: string; reason: string }[]).map((r) => [r.source, r.reason]),
    ).toEqual([
      ['c', 'stale'],
      ['d', 'invalid'],
    ]);
  });

  it('no quotes at all', () => {
    const e = caught(() => aggregateOracle([], PARAMS, NOW));
    expect(e.code).toBe('ERR_ORACLE_INSUFFICIENT_SOURCES');
    expect(e.details['usedCount']).toBe(0);
  });

  it('two sources far apart are both outliers around their midpoint', () => {
    // median 110; each deviates 10/110 = 9.1% > 5%
    const e = caught(() => aggregateOracle([q('a', 100), q('b', 120)], { ...PARAMS, minSources: 1 }, NOW));
    expect(e.code).toBe('ERR_ORACLE_INSUFFICIENT_SOURCES');
  });
});

describe('aggregateOracle: parameter validation', () => {
  const bad: Record<string, [Record<string, unknown>, string]> = {
    'capped median without a cap': [{ capFraction: undefined }, 'params.capFraction'],
    'cap of 100%': [{ capFraction: 1 }, 'params.capFraction'],
    'minSources 0': [{ minSources: 0 }, 'params.minSources'],
    'minSources 1.5': [{ minSources: 1.5 }, 'params.minSources'],
    'maxDeviation 0': [{ maxDeviation: 0 }, 'params.maxDeviation'],
    'negative maxAgeMs': [{ maxAgeMs: -1 }, 'params.maxAgeMs'],
    'minConfidence 2': [{ minConfidence: 2 }, 'params.minConfidence'],
    'unknown method': [{ method: 'mean' }, 'params.method'],
  };
  for (const [name, [patch, field]] of Object.entries(bad)) {
    it(`rejects ${name}`, () => {
      const params = { ...PARAMS, ...patch } as unknown as OracleParams;
      const e = caught(() => aggregateOracle(WORKED, params, NOW));
      expect(e.code).toBe('ERR_INVALID_INPUT');
      expect(e.details['field']).toBe(field);
    });
  }
  it('rejects a non-integer nowMs', () => {
    expect(caught(() => aggregateOracle(WORKED, PARAMS, NOW + 0.1)).details['field']).toBe('nowMs');
  });
});
