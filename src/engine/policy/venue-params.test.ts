import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VenueParamsHistory } from './venue-params.js';

type P = {
  readonly imRate: number;
  readonly mmRate: number;
  readonly haircuts: { readonly ETH: number };
  readonly name: string;
};

const OLD: P = { imRate: 0.1, mmRate: 0.05, haircuts: { ETH: 0.2 }, name: 'v1' };
const NEW: P = { imRate: 0.2, mmRate: 0.04, haircuts: { ETH: 0.3 }, name: 'v2' };
const T0 = 1_000_000;
const PHASE = 86_400_000;

function history(): VenueParamsHistory<P> {
  const h = new VenueParamsHistory<P>();
  h.propose(1, OLD, 0);
  h.propose(2, NEW, T0, { phaseInMs: PHASE });
  return h;
}

describe('VenueParamsHistory', () => {
  it('phases in increases linearly, applies decreases at once', () => {
    const h = history();
    expect(h.paramsAt(T0 - 1)).toEqual(OLD);
    const start = h.paramsAt(T0);
    expect(start.imRate).toBe(0.1);
    expect(start.haircuts.ETH).toBe(0.2);
    expect(start.mmRate).toBe(0.04);
    expect(start.name).toBe('v2');
    const half = h.paramsAt(T0 + PHASE / 2);
    expect(half.imRate).toBeCloseTo(0.15, 12);
    expect(half.haircuts.ETH).toBeCloseTo(0.25, 12);
    expect(half.mmRate).toBe(0.04);
    expect(h.effectiveAt(T0 + PHASE / 2).progress).toBe(0.5);
    expect(h.paramsAt(T0 + PHASE)).toEqual(NEW);
    expect(h.effectiveAt(T0 + PHASE).hash).toBe(h.versions[1]!.hash);
    expect(h.paramsAt(T0 + 10 * PHASE)).toEqual(NEW);
  });

  it('keeps a content hash per version', () => {
    const h = history();
    const [a, b] = h.versions;
    expect(a!.hash).toMatch(/^venue#[0-9a-f]{8}$/);
    expect(a!.hash).not.toBe(b!.hash);
    expect(h.effectiveAt(T0 + 1).hash).not.toBe(b!.hash);
  });

  it('refuses versions and times out of order, naming the field', () => {
    const h = history();
    expect(() => h.propose(2, NEW, T0 + PHASE)).toThrow(/version must increase/);
    expect(() => h.propose(3, NEW, T0 - 1)).toThrow(/effectiveMs must not go back/);
    expect(() => h.propose(3, NEW, T0, { phaseInMs: -1 })).toThrow(/phaseInMs/);
    expect(() => new VenueParamsHistory<P>().paramsAt(0)).toThrow(/no venue parameter version/);
    expect(h.versions).toHaveLength(2);
  });

  it('honours a custom tightening direction (lower weight = tighter)', () => {
    type W = { readonly weight: number };
    const h = new VenueParamsHistory<W>((path) => (path === '.weight' ? 'lower' : 'higher'));
    h.propose(1, { weight: 0.9 }, 0);
    h.propose(2, { weight: 0.7 }, T0, { phaseInMs: PHASE });
    expect(h.paramsAt(T0 + PHASE / 2).weight).toBeCloseTo(0.8, 12);
  });

  it('property: every increased leaf is non-decreasing in time during phase-in, within [old, new]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 2, maxLength: 20 }),
        (a, b, phaseInMs, offsets) => {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const h = new VenueParamsHistory<P>();
          h.propose(1, { ...OLD, imRate: lo }, 0);
          h.propose(2, { ...NEW, imRate: hi }, T0, { phaseInMs });
          let prev = -Infinity;
          for (const dt of [...offsets].sort((x, y) => x - y)) {
            const v = h.paramsAt(T0 + dt).imRate;
            expect(v).toBeGreaterThanOrEqual(prev);
            expect(v).toBeGreaterThanOrEqual(lo);
            expect(v).toBeLessThanOrEqual(hi);
            prev = v;
          }
          expect(h.paramsAt(T0 + phaseInMs).imRate).toBe(hi);
        },
      ),
    );
  });
});
