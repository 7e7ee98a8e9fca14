import { describe, expect, it } from 'vitest';
import { buildFilteredHistoricalReturns } from './filtered-historical.js';
import { computeEwmaVolatility } from './ewma.js';
import { computeSampleMoments } from './sample-moments.js';
import { SeededRng } from './seeded-rng.js';

describe('FHS on a hand example', () => {
  // r = [0.01, −0.02, 0.03, 0], λ = 0.9, seed = mean of the first 2 squares (as ewma.test.ts):
  // σ²_0 = 2.5e-4, σ²_1 = 2.35e-4, σ²_2 = 2.515e-4, σ²_3 = 3.1635e-4, today σ²_4 = 2.84715e-4.
  const r = Float64Array.of(0.01, -0.02, 0.03, 0);
  const ewma = { lambda: 0.9, warmup: 2 };
  const s = [2.5e-4, 2.35e-4, 2.515e-4, 3.1635e-4, 2.84715e-4];

  it('r̃_t = r_t·σ_T/σ_t', () => {
    const fhs = buildFilteredHistoricalReturns(r, 1, { ewma });
    expect(fhs.nScenarios).toBe(4);
    expect(fhs.currentVol[0]).toBeCloseTo(Math.sqrt(s[4]!), 15);
    for (let t = 0; t < 4; t++) {
      expect(fhs.returns[t]).toBeCloseTo((r[t]! * Math.sqrt(s[4]!)) / Math.sqrt(s[t]!), 15);
    }
    expect(Array.from(fhs.sourceRows)).toEqual([0, 1, 2, 3]);
  });

  it('a vol floor above every vol turns FHS into plain historical simulation', () => {
    const fhs = buildFilteredHistoricalReturns(r, 1, { ewma, volFloor: 1 });
    expect(Array.from(fhs.returns)).toEqual(Array.from(r));
    expect(fhs.currentVol[0]).toBe(1);
  });

  it('firstRow drops the warm-up rows from the scenarios', () => {
    const fhs = buildFilteredHistoricalReturns(r, 1, { ewma, firstRow: 2 });
    expect(Array.from(fhs.sourceRows)).toEqual([2, 3]);
    expect(fhs.returns[0]).toBeCloseTo((0.03 * Math.sqrt(s[4]!)) / Math.sqrt(s[2]!), 15);
  });
});

describe('FHS on a regime switch: vol 1% for 1,000 periods, then 4% for 1,000', () => {
  // Asset 0 switches regime; asset 1 has a constant 2% vol and correlation ρ = 0.5 with asset 0.
  const T = 2000;
  const switchAt = 1000;
  const rho = 0.5;
  const lambda = 0.94;
  const rng = new SeededRng(2024);
  const r = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) {
    const z0 = rng.nextNormal();
    const z1 = rho * z0 + Math.sqrt(1 - rho * rho) * rng.nextNormal();
    r[t * 2] = (t < switchAt ? 0.01 : 0.04) * z0;
    r[t * 2 + 1] = 0.02 * z1;
  }
  const fhs = buildFilteredHistoricalReturns(r, 2, { ewma: { lambda, warmup: 50 } });
  const column = (x: Float64Array, a: number, from: number, to: number): Float64Array => {
    const out = new Float64Array(to - from);
    for (let t = from; t < to; t++) out[t - from] = x[t * 2 + a]!;
    return out;
  };
  // EWMA noise: Var(σ̂²)/σ⁴ = 2(1 − λ)/(1 + λ) for normal returns (0.062 at λ = 0.94), so σ̂ has
  // a relative error of about ½·√0.062 = 12%, and E[r²/σ̂²] ≈ 1 + 0.062 (Jensen).
  const relVarNoise = (2 * (1 - lambda)) / (1 + lambda);
  // Each regime is judged after the EWMA has forgotten the previous one: 100 periods
  // (λ^100 = 0.2%); the first 100 rows also carry the warm-up seed's look-ahead.
  const burn = 100;

  it("today's vol is the new regime's (4%) within 3 EWMA standard errors", () => {
    expect(Math.abs(fhs.currentVol[0]! / 0.04 - 1)).toBeLessThan(3 * 0.5 * Math.sqrt(relVarNoise));
    expect(Math.abs(fhs.currentVol[1]! / 0.02 - 1)).toBeLessThan(3 * 0.5 * Math.sqrt(relVarNoise));
  });

  it('devolatilised returns r_t/σ_t have unit variance in both regimes (raw returns: 1 and 16 %²)', () => {
    for (const [from, to] of [
      [burn, switchAt],
      [switchAt + burn, T],
    ] as const) {
      const eps = new Float64Array(to - from);
      for (let t = from; t < to; t++) eps[t - from] = r[t * 2]! / fhs.conditionalVol[t * 2]!;
      const m = computeSampleMoments(eps);
      // Expected 1 + 2(1 − λ)/(1 + λ): the Jensen bias of 1/σ̂² (second order); 5 standard errors.
      expect(Math.abs(m.variance - (1 + relVarNoise)), `rows ${from}–${to}: ${m.variance}`).toBeLessThan(
        5 * m.standardErrors.variance,
      );
    }
  });

  it("scenario vol matches today's vol in both regimes, where raw returns differ 4×", () => {
    const today = fhs.currentVol[0]!;
    for (const [from, to] of [
      [burn, switchAt],
      [switchAt + burn, T],
    ] as const) {
      const m = computeSampleMoments(column(fhs.returns, 0, from, to));
      const ratio = m.variance / (today * today);
      const tol = (5 * m.standardErrors.variance) / (today * today);
      expect(Math.abs(ratio - (1 + relVarNoise)), `rows ${from}–${to}: variance ratio ${ratio}`).toBeLessThan(
        tol,
      );
    }
    const calm = computeSampleMoments(column(r, 0, burn, switchAt)).variance;
    const wild = computeSampleMoments(column(r, 0, switchAt + burn, T)).variance;
    expect(wild / calm).toBeGreaterThan(12); // 16 in theory
  });

  it('keeps the joint row structure: filtered returns keep the cross-asset correlation', () => {
    const x = column(fhs.returns, 0, burn, T);
    const y = column(fhs.returns, 1, burn, T);
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += x[i]! * y[i]!;
      sxx += x[i]! ** 2;
      syy += y[i]! ** 2;
    }
    // SE of a sample correlation ≈ (1 − ρ²)/√n.
    expect(Math.abs(sxy / Math.sqrt(sxx * syy) - rho)).toBeLessThan(
      (5 * (1 - rho * rho)) / Math.sqrt(x.length),
    );
  });

  it('is the identity r̃_t·σ_t/σ_T = r_t, row by row', () => {
    const vol = computeEwmaVolatility(r, 2, { lambda, warmup: 50 });
    for (let i = 0; i < T * 2; i++) {
      const back = (fhs.returns[i]! * vol[i]!) / fhs.currentVol[i % 2]!;
      expect(Math.abs(back - r[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(r[i]!) + 1e-18);
    }
  });
});

describe('FHS: missing data, floors and refusals', () => {
  const N = Number.NaN;
  // Two assets, 5 rows; asset 1 lists at row 1; asset 0 has a gap at row 3.
  const r = Float64Array.of(0.01, N, -0.01, 0.02, 0.02, -0.01, N, 0.01, 0.01, 0.03);
  const ewma = { lambda: 0.9, warmup: 1 };

  it("'drop-rows' (default) keeps complete rows only and names them", () => {
    const fhs = buildFilteredHistoricalReturns(r, 2, { ewma });
    expect(Array.from(fhs.sourceRows)).toEqual([1, 2, 4]);
    expect(fhs.returns.length).toBe(6);
    for (const x of fhs.returns) expect(Number.isFinite(x)).toBe(true);
  });

  it("'propagate' keeps every row with NaN where data are missing", () => {
    const fhs = buildFilteredHistoricalReturns(r, 2, { ewma, missing: 'propagate' });
    expect(fhs.nScenarios).toBe(5);
    expect(fhs.returns[1]).toBeNaN();
    expect(fhs.returns[6]).toBeNaN();
    expect(Number.isFinite(fhs.returns[7]!)).toBe(true);
  });

  it('a zero vol under a non-zero return is refused unless floored', () => {
    const flat = Float64Array.of(0, 0, 0.01, 0.01);
    expect(() => buildFilteredHistoricalReturns(flat, 1, { ewma: { lambda: 0.9, warmup: 2 } })).toThrow(
      /volFloor/,
    );
    const fhs = buildFilteredHistoricalReturns(flat, 1, { ewma: { lambda: 0.9, warmup: 2 }, volFloor: 1e-3 });
    // Rows 0, 1: zero return over a floored vol gives 0; row 2: σ_2 = max(0, 1e-3).
    expect(fhs.returns[0]).toBe(0);
    expect(fhs.returns[2]).toBeCloseTo((0.01 * fhs.currentVol[0]!) / 1e-3, 15);
  });

  it("an asset without today's vol (too little history) is refused", () => {
    const short = Float64Array.of(0.01, N, 0.02, N, -0.01, 0.01);
    expect(() => buildFilteredHistoricalReturns(short, 2, { ewma: { lambda: 0.9, warmup: 2 } })).toThrow(
      /currentVol\[1\]/,
    );
  });

  it('rejects bad floors and first rows', () => {
    const ok = Float64Array.of(0.01, 0.02, -0.01, 0.01);
    expect(() => buildFilteredHistoricalReturns(ok, 2, { ewma, volFloor: -1 })).toThrow(/volFloor/);
    expect(() => buildFilteredHistoricalReturns(ok, 2, { ewma, volFloor: Float64Array.of(0) })).toThrow(
      /volFloor/,
    );
    expect(() => buildFilteredHistoricalReturns(ok, 2, { ewma, firstRow: 2 })).toThrow(/firstRow/);
    // A per-asset floor applies to its own column only.
    const fhs = buildFilteredHistoricalReturns(ok, 2, { ewma, volFloor: Float64Array.of(0, 1) });
    expect(fhs.returns[1]).toBe(0.02);
    expect(fhs.returns[3]).toBe(0.01);
  });
});
