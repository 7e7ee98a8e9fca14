import { describe, expect, it } from 'vitest';
import { computeVarEs, computeVarEsResult, VarEsWorkspace } from './var-es.js';
import { invNormCdf } from './inverse-normal.js';
import { normPdf } from '../numeric/normal.js';
import { SeededRng } from './seeded-rng.js';

describe('VaR/ES on small hand-computed vectors', () => {
  // P&L of 10 scenarios; losses ordered worst first: 9 (s3), 7 (s7), 4 (s0), 2 (s5), 1 (s9), ...
  const pnl = Float64Array.of(-4, 3, 0.5, -9, 6, -2, 1, -7, 2, -1);

  it('α = 0.8: tail mass 2 → VaR = 2nd worst loss, ES = mean of the worst 2', () => {
    const r = computeVarEsResult(pnl, { alpha: 0.8 });
    expect(r.valueAtRisk).toBe(7);
    expect(r.expectedShortfall).toBe((9 + 7) / 2);
    expect(Array.from(r.tailIndices)).toEqual([3, 7]);
    expect(Array.from(r.tailWeights)).toEqual([0.5, 0.5]);
  });

  it('α = 0.75: tail mass 2.5 → VaR = 3rd worst, ES = (9 + 7 + ½·4)/2.5 (Acerbi–Tasche)', () => {
    const r = computeVarEsResult(pnl, { alpha: 0.75 });
    expect(r.valueAtRisk).toBe(4);
    expect(r.expectedShortfall).toBeCloseTo((9 + 7 + 0.5 * 4) / 2.5, 14); // 7.2
    expect(Array.from(r.tailIndices)).toEqual([3, 7, 0]);
    expect(r.tailWeights[0]).toBeCloseTo(1 / 2.5, 14);
    expect(r.tailWeights[2]).toBeCloseTo(0.5 / 2.5, 14);
  });

  it('α = 0.95: tail mass 0.5 < 1 → the worst scenario alone', () => {
    const r = computeVarEsResult(pnl, { alpha: 0.95 });
    expect(r.valueAtRisk).toBe(9);
    expect(r.expectedShortfall).toBe(9);
    expect(Array.from(r.tailIndices)).toEqual([3]);
  });

  it('all gains: VaR and ES are negative losses (the margin layer floors them)', () => {
    const r = computeVarEsResult(Float64Array.of(1, 2, 3, 4), { alpha: 0.5 });
    expect(r.valueAtRisk).toBe(-2);
    expect(r.expectedShortfall).toBe(-1.5);
  });

  it('ties at the boundary: VaR is the tied loss, ES counts it for the mass it fills', () => {
    // Losses 5, 3, 3, 3, 0, ...; α = 0.7 with n = 10: tail mass 3 → (5 + 3 + 3)/3.
    const r = computeVarEsResult(Float64Array.of(0, -3, 1, -3, -5, 2, -3, 0, 0, 4), { alpha: 0.7 });
    expect(r.valueAtRisk).toBe(3);
    expect(r.expectedShortfall).toBeCloseTo(11 / 3, 14);
    expect(r.tailIndices.length).toBe(3);
    expect(r.tailIndices[0]).toBe(4);
  });
});

describe('VaR/ES: the 1 − α rounding trap', () => {
  it('n = 100, α = 0.99: one tail scenario, although 100·(1 − 0.99) = 1.0000000000000009', () => {
    expect(100 * (1 - 0.99)).toBeGreaterThan(1);
    const pnl = new Float64Array(100);
    for (let s = 0; s < 100; s++) pnl[s] = s - 50; // worst −50 at s = 0, next −49
    const ws = new VarEsWorkspace();
    computeVarEs(pnl, { alpha: 0.99 }, ws);
    expect(ws.tailCount).toBe(1);
    expect(ws.valueAtRisk).toBe(50);
    expect(ws.expectedShortfall).toBe(50);
  });

  it('n = 250, α = 0.99: tail mass 2.5 → (L1 + L2 + ½·L3)/2.5', () => {
    const pnl = new Float64Array(250);
    for (let s = 0; s < 250; s++) pnl[s] = s; // losses 0, −1, −2, ...: worst are 0, −1, −2
    pnl[17] = -30;
    pnl[100] = -20;
    pnl[200] = -10;
    const r = computeVarEsResult(pnl, { alpha: 0.99 });
    expect(r.valueAtRisk).toBe(10);
    expect(r.expectedShortfall).toBeCloseTo((30 + 20 + 0.5 * 10) / 2.5, 12); // 22
    expect(Array.from(r.tailIndices)).toEqual([17, 100, 200]);
  });
});

describe('VaR/ES with scenario weights', () => {
  it('weights are a tail mass, not a count: (1 − α)·W of weight is averaged', () => {
    // Losses 10 (w 0.05), 8 (w 0.1), 1 (w 0.85); α = 0.9 → tail mass 0.1:
    // all 0.05 of the 10 and 0.05 of the 8: VaR = 8, ES = (0.05·10 + 0.05·8)/0.1 = 9.
    const r = computeVarEsResult(Float64Array.of(-1, -10, -8), {
      alpha: 0.9,
      weights: Float64Array.of(0.85, 0.05, 0.1),
    });
    expect(r.valueAtRisk).toBe(8);
    expect(r.expectedShortfall).toBeCloseTo(9, 14);
    expect(Array.from(r.tailIndices)).toEqual([1, 2]);
    expect(r.tailWeights[0]! + r.tailWeights[1]!).toBeCloseTo(1, 15);
  });

  it('zero-weight scenarios never set the VaR', () => {
    const r = computeVarEsResult(Float64Array.of(-100, -5, 0, 1), {
      alpha: 0.5,
      weights: Float64Array.of(0, 1, 1, 0),
    });
    expect(r.valueAtRisk).toBe(5);
    expect(r.expectedShortfall).toBe(5);
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    const pnl = Float64Array.of(1, 2);
    for (const w of [Float64Array.of(-1, 2), Float64Array.of(Number.NaN, 1), Float64Array.of(0, 0)]) {
      expect(() => computeVarEsResult(pnl, { alpha: 0.5, weights: w })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
    expect(() => computeVarEsResult(pnl, { alpha: 0.5, weights: Float64Array.of(1) })).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});

describe('VaR/ES: input checks and workspace', () => {
  it('rejects empty input, NaN P&L and α outside (0, 1 − 1e-8]', () => {
    const ws = new VarEsWorkspace();
    const bad: [string, () => void][] = [
      ['empty', () => computeVarEs(new Float64Array(0), { alpha: 0.99 }, ws)],
      ['NaN', () => computeVarEs(Float64Array.of(1, Number.NaN), { alpha: 0.99 }, ws)],
      ['α = 1', () => computeVarEs(Float64Array.of(1), { alpha: 1 }, ws)],
      ['α = 0', () => computeVarEs(Float64Array.of(1), { alpha: 0 }, ws)],
      ['α NaN', () => computeVarEs(Float64Array.of(1), { alpha: Number.NaN }, ws)],
    ];
    for (const [name, f] of bad)
      expect(f, name).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });

  it('a workspace is reused without reallocation and grows when needed', () => {
    const ws = new VarEsWorkspace(4);
    const before = ws.index;
    computeVarEs(Float64Array.of(1, -1, 2), { alpha: 0.5 }, ws);
    expect(ws.index).toBe(before);
    computeVarEs(new Float64Array(10).fill(-1), { alpha: 0.5 }, ws);
    expect(ws.index.length).toBe(10);
    expect(ws.valueAtRisk).toBe(1);
  });

  it('does not modify the P&L vector', () => {
    const pnl = Float64Array.of(3, -1, 4, -1, 5, -9, 2, 6);
    const copy = pnl.slice();
    computeVarEsResult(pnl, { alpha: 0.75 });
    expect(pnl).toEqual(copy);
  });
});

describe('VaR/ES on synthetic normal P&L against the closed forms', () => {
  // P&L ~ N(0, σ²) with σ = 0.02, n = 10⁶ (fixed seed). Closed forms for a normal loss:
  //   VaR_α = σ·z, ES_α = σ·φ(z)/(1 − α), z = Φ⁻¹(α).
  // Standard errors of the historical estimators (p = 1 − α, f the density at VaR):
  //   SE(VaR) = √(α·p/n)/f(VaR) = σ·√(α·p/n)/φ(z)                         (Bahadur)
  //   SE(ES)  = √((Var(L | L ≥ VaR) + α·(ES − VaR)²)/(n·p))                (Chen 2008, J. Fin. Econometrics)
  //   with Var(L | L ≥ VaR) = σ²·(1 + z·λ − λ²), λ = φ(z)/p (truncated normal).
  // Tolerance: 5 standard errors.
  const sigma = 0.02;
  const n = 1_000_000;
  const rng = new SeededRng(12345);
  const pnl = new Float64Array(n);
  rng.fillNormal(pnl);
  for (let s = 0; s < n; s++) pnl[s] = sigma * pnl[s]!;
  const ws = new VarEsWorkspace(n);

  it.each([[0.99], [0.975], [0.95]])('α = %f', (alpha) => {
    const p = 1 - alpha;
    const z = invNormCdf(alpha);
    const lambdaMills = normPdf(z) / p;
    const varExact = sigma * z;
    const esExact = sigma * lambdaMills;
    const seVar = (sigma * Math.sqrt((alpha * p) / n)) / normPdf(z);
    const tailVar = sigma * sigma * (1 + z * lambdaMills - lambdaMills * lambdaMills);
    const seEs = Math.sqrt((tailVar + alpha * (esExact - varExact) ** 2) / (n * p));
    computeVarEs(pnl, { alpha }, ws);
    expect(
      Math.abs(ws.valueAtRisk - varExact),
      `VaR ${ws.valueAtRisk} vs ${varExact} ± ${seVar}`,
    ).toBeLessThan(5 * seVar);
    expect(
      Math.abs(ws.expectedShortfall - esExact),
      `ES ${ws.expectedShortfall} vs ${esExact} ± ${seEs}`,
    ).toBeLessThan(5 * seEs);
    expect(ws.expectedShortfall).toBeGreaterThan(ws.valueAtRisk);
  });
});
