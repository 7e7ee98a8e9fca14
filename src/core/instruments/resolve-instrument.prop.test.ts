import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { MS_PER_YEAR } from '../numeric/year-fraction.js';
import {
  INSTRUMENT_ID_PATTERN,
  MAX_EPOCH_MS,
  type InstrumentSpec,
  type OptionSpec,
} from './instrument-spec.js';
import { parseInstrumentSpec } from './parse-instrument-spec.js';
import { resolveInstrument, type ResolveInstrumentContext } from './resolve-instrument.js';
import { toInstrumentSpec } from './to-instrument-spec.js';

/** Fixed seed so a failure reproduces; fast-check prints the shrunk counterexample. */
const RUN = { seed: 20_250_101, numRuns: 500 } as const;
const ASSETS = ['BTC', 'ETH', 'SOL'] as const;
const knownAssets = new Set<string>(ASSETS);

/** Epoch ms in [min, max], over the whole range (fc.integer stops at 2^31 − 1). */
const epochMs = (min: number, max: number) => fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);

/** A valuation time and a strictly later expiry, both in [0, MAX_EPOCH_MS]. */
const liveTimes = epochMs(0, MAX_EPOCH_MS - 1).chain((valuationMs) =>
  fc.record({ valuationMs: fc.constant(valuationMs), expiryMs: epochMs(valuationMs + 1, MAX_EPOCH_MS) }),
);

/** Finite positive doubles, from subnormal to huge. */
const positive = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });

const id = fc.stringMatching(INSTRUMENT_ID_PATTERN);
const underlying = fc.constantFrom(...ASSETS);

/** A valid option spec (optional fields present or absent) with a context where it is live. */
const liveOption = liveTimes.chain(({ valuationMs, expiryMs }) =>
  fc.record({
    ctx: fc.constant<ResolveInstrumentContext>({ knownAssets, valuationMs }),
    spec: fc.record(
      {
        kind: fc.constant('option' as const),
        id,
        underlying,
        optionType: fc.constantFrom('call' as const, 'put' as const),
        strike: positive,
        expiryMs: fc.constant(expiryMs),
        contractSize: positive,
        quote: fc.constant('USD' as const),
        margin: fc.constant('linear' as const),
        settlement: fc.constant('cash' as const),
      },
      { requiredKeys: ['kind', 'id', 'underlying', 'optionType', 'strike', 'expiryMs'] },
    ),
  }),
);

/** A valid spec of any kind with a context where it is live. */
const liveInstrument = liveTimes.chain(({ valuationMs, expiryMs }) => {
  const ctx = fc.constant<ResolveInstrumentContext>({ knownAssets, valuationMs });
  const spec: fc.Arbitrary<InstrumentSpec> = fc.oneof(
    fc.record({ kind: fc.constant('spot' as const), id, asset: underlying }),
    fc.record(
      {
        kind: fc.constant('perpetual' as const),
        id,
        underlying,
        contractSize: positive,
        fundingIntervalMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      },
      { requiredKeys: ['kind', 'id', 'underlying'] },
    ),
    fc.record(
      {
        kind: fc.constant('future' as const),
        id,
        underlying,
        expiryMs: fc.constant(expiryMs),
        contractSize: positive,
      },
      { requiredKeys: ['kind', 'id', 'underlying', 'expiryMs'] },
    ),
    liveOption.map((o) => ({ ...o.spec, expiryMs })),
  );
  return fc.record({ ctx, spec });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof XmarginError) return e.code;
    throw e;
  }
}

describe('resolveInstrument properties', () => {
  it('any valid option spec resolves; fields are kept, defaults applied, tYears = Δms / ms-per-year > 0', () => {
    fc.assert(
      fc.property(liveOption, ({ spec, ctx }) => {
        const r = resolveInstrument(spec, ctx);
        expect(r.kind).toBe('option');
        if (r.kind !== 'option') return;
        expect(Object.isFrozen(r)).toBe(true);
        expect(r).toMatchObject({
          id: spec.id,
          underlying: spec.underlying,
          optionType: spec.optionType,
          strike: spec.strike,
          expiryMs: spec.expiryMs,
          contractSize: spec.contractSize ?? 1,
          quote: 'USD',
          margin: 'linear',
          settlement: 'cash',
          valuationMs: ctx.valuationMs,
        });
        // ACT/365 by definition; both times are exact integers in float64.
        expect(r.tYears).toBe((spec.expiryMs - ctx.valuationMs) / MS_PER_YEAR);
        expect(r.tYears).toBeGreaterThan(0);
      }),
      RUN,
    );
  });

  it('resolution is deterministic and idempotent through the canonical spec, for every kind', () => {
    fc.assert(
      fc.property(liveInstrument, ({ spec, ctx }) => {
        const r = resolveInstrument(spec, ctx);
        expect(resolveInstrument(spec, ctx)).toEqual(r); // same input, same output
        const canonical = toInstrumentSpec(r);
        expect(resolveInstrument(canonical, ctx)).toEqual(r); // resolve ∘ toSpec ∘ resolve = resolve
        expect(toInstrumentSpec(resolveInstrument(canonical, ctx))).toEqual(canonical); // fixed point
      }),
      RUN,
    );
  });

  it('the edge schema accepts every valid spec, and parsing does not change what it resolves to', () => {
    fc.assert(
      fc.property(liveInstrument, ({ spec, ctx }) => {
        const parsed = parseInstrumentSpec(spec);
        expect(resolveInstrument(parsed, ctx)).toEqual(resolveInstrument(spec, ctx));
        // the canonical spec is what parsing produces: defaults written out, nothing else added
        expect(parsed).toEqual(toInstrumentSpec(resolveInstrument(spec, ctx)));
      }),
      RUN,
    );
  });

  it('schema and resolver agree on every strike and contract size: both accept, or both reject', () => {
    const anyNumber = fc.oneof(fc.double(), positive, fc.constantFrom(0, -0, -1, NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(liveOption, anyNumber, anyNumber, ({ spec, ctx }, strike, contractSize) => {
        const candidate: OptionSpec = { ...spec, strike, contractSize };
        const parseCode = codeOf(() => parseInstrumentSpec(candidate));
        const resolveCode = codeOf(() => resolveInstrument(candidate, ctx));
        const valid =
          Number.isFinite(strike) && strike > 0 && Number.isFinite(contractSize) && contractSize > 0;
        expect(parseCode).toBe(valid ? undefined : 'ERR_VALIDATION');
        expect(resolveCode).toBe(valid ? undefined : 'ERR_INVALID_INPUT');
      }),
      RUN,
    );
  });

  it('a strike that is not finite and > 0 is ERR_INVALID_INPUT naming the strike field and value', () => {
    const badStrike = fc.oneof(fc.double({ max: 0 }), fc.constantFrom(NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(liveOption, badStrike, ({ spec, ctx }, strike) => {
        try {
          resolveInstrument({ ...spec, strike }, ctx);
          expect.unreachable('resolved with a bad strike');
        } catch (e) {
          expect(e).toBeInstanceOf(XmarginError);
          const err = e as XmarginError;
          expect(err.code).toBe('ERR_INVALID_INPUT');
          expect(err.message).toContain(`instruments[${spec.id}].strike`);
          expect(err.details).toMatchObject({ value: strike });
        }
      }),
      RUN,
    );
  });

  it('an option expiring at or before the valuation time is ERR_INSTRUMENT_EXPIRED with both times', () => {
    const expired = epochMs(1, MAX_EPOCH_MS).chain((valuationMs) =>
      fc.record({ valuationMs: fc.constant(valuationMs), expiryMs: epochMs(1, valuationMs) }),
    );
    fc.assert(
      fc.property(liveOption, expired, ({ spec }, { valuationMs, expiryMs }) => {
        try {
          resolveInstrument({ ...spec, expiryMs }, { knownAssets, valuationMs });
          expect.unreachable('resolved an expired option');
        } catch (e) {
          expect(e).toBeInstanceOf(XmarginError);
          const err = e as XmarginError;
          expect(err.code).toBe('ERR_INSTRUMENT_EXPIRED');
          expect(err.details).toMatchObject({ id: spec.id, expiryMs, valuationMs });
          expect(err.message).toContain(`expiryMs ${expiryMs}`);
          expect(err.message).toContain(new Date(expiryMs).toISOString());
        }
      }),
      RUN,
    );
  });
});
