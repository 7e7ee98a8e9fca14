import { describe, expect, it } from 'vitest';
import { XmarginError } from '../errors.js';
import { conservativePrice } from './conservative-price.js';
import {
  initStablePrice,
  STABLE_PRICE_DEFAULTS,
  updateStablePrice,
  type StablePriceState,
} from './stable-price.js';

function caught(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmarginError) return e;
    throw e;
  }
  throw new Error('expected an XmarginError');
}

const P = STABLE_PRICE_DEFAULTS;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1); // a whole hour: intervals start here
const G = P.growthLimitPerSec; // 0.0003 per second
const G_SLOW = P.delayGrowthLimit / 3_600; // 6% per hour, per second

/** Feeds a constant oracle every `stepMs` for `durationMs`; returns every state. */
function run(s0: StablePriceState, oracle: number, stepMs: number, durationMs: number): StablePriceState[] {
  const out = [s0];
  let s = s0;
  for (let t = stepMs; t <= durationMs; t += stepMs) {
    s = updateStablePrice(s, oracle, s0.lastUpdateMs + t, P);
    out.push(s);
  }
  return out;
}

describe('initStablePrice', () => {
  it('starts at the oracle with a full delay ring', () => {
    const s = initStablePrice(100, T0 + 1234, P);
    expect(s.stablePrice).toBe(100);
    expect(s.delayPrices).toEqual(new Array(24).fill(100));
    expect(s.intervalStartMs).toBe(T0); // aligned to the hour
    expect(Object.isFrozen(s)).toBe(true);
  });
});

describe('updateStablePrice', () => {
  const s0 = initStablePrice(100, T0, P);

  it('after an oracle jump, moves by the fast limit per elapsed second', () => {
    // 1 s: 100·(1 + 0.0003·1); 10 s: 100·(1 + 0.0003·10)
    expect(updateStablePrice(s0, 200, T0 + 1_000, P).stablePrice).toBeCloseTo(100 * (1 + G), 12);
    expect(updateStablePrice(s0, 200, T0 + 10_000, P).stablePrice).toBeCloseTo(100 * (1 + 10 * G), 12);
    expect(updateStablePrice(s0, 50, T0 + 10_000, P).stablePrice).toBeCloseTo(100 * (1 - 10 * G), 12);
  });

  it('fast up to the delay band edge D·(1 + 6%), then at most 6% per hour', () => {
    const states = run(s0, 200, 1_000, 900_000); // 15 minutes of 1-second updates
    const bandHi = 100 * 1.06;
    for (let i = 1; i < states.length; i++) {
      const prev = states[i - 1]!.stablePrice;
      const next = states[i]!.stablePrice;
      expect(next).toBeGreaterThanOrEqual(prev);
      // slack: a few ulps of the price, the rounding of prev·(1 + g·Δt)
      expect(next - prev).toBeLessThanOrEqual(prev * G + prev * 1e-14);
      // beyond the band edge only the slow rate applies
      if (prev >= bandHi) expect(next - prev).toBeLessThanOrEqual(prev * G_SLOW + prev * 1e-14);
    }
    // reaching 106 at 0.03%/s takes ln(1.06)/ln(1.0003) ≈ 195 s; after that, ~705 s at 6%/h
    const last = states[states.length - 1]!.stablePrice;
    expect(last).toBeGreaterThan(bandHi);
    expect(last).toBeLessThanOrEqual(bandHi * (1 + G_SLOW) ** 706);
  });

  it('never overshoots the oracle', () => {
    // a 0.01% gap closes within one second: S lands exactly on the oracle
    expect(updateStablePrice(s0, 100.01, T0 + 1_000, P).stablePrice).toBe(100.01);
    expect(updateStablePrice(s0, 99.99, T0 + 1_000, P).stablePrice).toBe(99.99);
  });

  it('converges exactly to a constant oracle (up 50%, down 40%)', () => {
    for (const target of [150, 60]) {
      const states = run(s0, target, 60_000, 48 * HOUR);
      expect(states[states.length - 1]!.stablePrice).toBe(target);
      // and monotonically: never past the target
      for (const s of states) {
        if (target > 100) expect(s.stablePrice).toBeLessThanOrEqual(target);
        else expect(s.stablePrice).toBeGreaterThanOrEqual(target);
      }
    }
  });

  it('a one-minute spike barely moves the stable price', () => {
    const spiked = run(s0, 300, 1_000, 60_000);
    const back = updateStablePrice(spiked[spiked.length - 1]!, 100, T0 + 61_000, P);
    expect(spiked[spiked.length - 1]!.stablePrice).toBeLessThanOrEqual(100 * (1 + G) ** 60 * (1 + 1e-12)); // ≈ +1.8%
    expect(back.stablePrice).toBeLessThan(spiked[spiked.length - 1]!.stablePrice);
  });

  it('delay ring: time-weighted hourly averages, each limited to ±6% of the previous entry', () => {
    // 30 min at 100 (held from init), then 30 min at 120 → hourly average 110, limited to 100·1.06
    const a = updateStablePrice(s0, 120, T0 + HOUR / 2, P);
    const b = updateStablePrice(a, 120, T0 + HOUR, P);
    expect(b.delayPrices[23]).toBeCloseTo(106, 12);
    expect(b.delayPrices[0]).toBe(100);
    expect(b.intervalStartMs).toBe(T0 + HOUR);
    // next hour entirely at 120 → limited to 106·1.06
    const c = updateStablePrice(b, 120, T0 + 2 * HOUR, P);
    expect(c.delayPrices[23]).toBeCloseTo(106 * 1.06, 10);
    expect(c.delayPrices[22]).toBeCloseTo(106, 12);
  });

  it('an unchanged oracle within one hour leaves the ring alone and accumulates time', () => {
    const a = updateStablePrice(s0, 100, T0 + 1_000, P);
    expect(a.delayPrices).toEqual(s0.delayPrices);
    expect(a.accumMs).toBe(1_000);
    expect(a.accumPriceMs).toBe(100 * 1_000);
  });

  it('a long gap rolls the whole ring to the held price', () => {
    const a = updateStablePrice(s0, 120, T0 + 1_000, P);
    const b = updateStablePrice(a, 120, T0 + 1_000 * HOUR, P);
    expect(b.delayPrices).toEqual(new Array(24).fill(120));
    expect(b.intervalStartMs).toBe(T0 + 1_000 * HOUR);
    expect(b.stablePrice).toBe(120);
  });

  it('Δt = 0 moves nothing', () => {
    expect(updateStablePrice(s0, 500, T0, P).stablePrice).toBe(100);
  });

  it('rejects time going backwards, bad prices and bad params', () => {
    const later = updateStablePrice(s0, 100, T0 + 5_000, P);
    expect(caught(() => updateStablePrice(later, 100, T0, P)).details['field']).toBe('nowMs');
    expect(caught(() => updateStablePrice(s0, 0, T0 + 1, P)).details['field']).toBe('oraclePrice');
    expect(
      caught(() => updateStablePrice(s0, 100, T0 + 1, { ...P, delayGrowthLimit: 1 })).details['field'],
    ).toBe('params.delayGrowthLimit');
    expect(
      caught(() => updateStablePrice(s0, 100, T0 + 1, { ...P, delayIntervals: 12 })).details['field'],
    ).toBe('state.delayPrices');
    expect(caught(() => initStablePrice(100, T0, { ...P, growthLimitPerSec: 0 })).details['field']).toBe(
      'params.growthLimitPerSec',
    );
  });
});

describe('conservativePrice', () => {
  const cases: Record<string, ['asset' | 'liability', number, number, number]> = {
    'asset, oracle above stable → stable': ['asset', 105, 100, 100],
    'asset, oracle below stable → oracle': ['asset', 95, 100, 95],
    'liability, oracle above stable → oracle': ['liability', 105, 100, 105],
    'liability, oracle below stable → stable': ['liability', 95, 100, 100],
  };
  for (const [name, [role, oracle, stable, expected]] of Object.entries(cases)) {
    it(name, () => expect(conservativePrice(role, oracle, stable)).toBe(expected));
  }
  it('rejects a non-positive price or an unknown role', () => {
    expect(caught(() => conservativePrice('asset', 0, 1)).details['field']).toBe('oracle');
    expect(caught(() => conservativePrice('asset', 1, Number.NaN)).details['field']).toBe('stable');
    expect(caught(() => conservativePrice('debt' as 'asset', 1, 1)).details['field']).toBe('role');
  });
});
