/**
 * The one golden-case runner: globs test/golden/<area>/*.json and checks every case against
 * the area's evaluator. Adding a case is adding a file (see test/golden/README.md).
 * On failure the message prints every input, the expected and calculated values, the error
 * and the tolerance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeBlack76Greeks, priceBlack76 } from '../../src/core/pricing/black76.js';

interface GoldenFile {
  readonly description: string;
  readonly source: string;
  readonly tolerance: { readonly abs: number; readonly rel: number };
  readonly quantity?: string;
  readonly cases: readonly Record<string, unknown>[];
}

/** Evaluates one case of an area; returns the calculated value. */
type Evaluator = (c: Record<string, unknown>, file: GoldenFile) => number;

/**
 * Pricing cases are generalised Black-Scholes-Merton rows (spot S, dividend/carry yield q,
 * rate r). Black-76 on the forward F = S·e^{(r−q)t} with DF = e^{−rt} gives the same price.
 * Greeks convert from F-held to S-held sensitivities by the chain rule (b = r − q):
 *   delta_S = delta_F·e^{bt}            (∂F/∂S = e^{bt})
 *   gamma_S = gamma_F·e^{2bt}
 *   vega_S  = vega_F                    (F does not depend on σ)
 *   theta_S = theta_F − b·F·delta_F     (−∂V/∂t|_S = −∂V/∂t|_F − V_F·∂F/∂t, ∂F/∂t = bF)
 *   rho_S   = rho_F + t·F·delta_F       (∂F/∂r = tF)
 *   ∂V/∂q   = −t·F·delta_F              (∂F/∂q = −tF)
 *   elasticity = delta_S·S/V
 */
const evaluatePricing: Evaluator = (c, file) => {
  const spot = c.spot as number;
  const q = c.q as number;
  const r = c.r as number;
  const t = c.tYears as number;
  const b = r - q;
  const forward = spot * Math.exp(b * t);
  const input = {
    type: c.type as 'call' | 'put',
    forward,
    strike: c.strike as number,
    tYears: t,
    vol: c.vol as number,
    rate: r,
  };
  const quantity = (c.quantity as string | undefined) ?? file.quantity ?? 'price';
  if (quantity === 'price') return priceBlack76(input);
  const g = computeBlack76Greeks(input);
  switch (quantity) {
    case 'delta':
      return g.delta * Math.exp(b * t);
    case 'gamma':
      return g.gamma * Math.exp(2 * b * t);
    case 'vega':
      return g.vega;
    case 'theta':
      return g.theta - b * forward * g.delta;
    case 'thetaPerDay':
      return (g.theta - b * forward * g.delta) / 365;
    case 'rho':
      return g.rho + t * forward * g.delta;
    case 'dividendRho':
      return -t * forward * g.delta;
    case 'elasticity':
      return (g.delta * Math.exp(b * t) * spot) / g.price;
    default:
      throw new Error(`unknown golden quantity ${quantity}`);
  }
};

const evaluators: Record<string, Evaluator> = { pricing: evaluatePricing };

/**
 * Areas whose cases need a model's own adapter run from a runner beside the model
 * (`src/core/margin/presets/<preset>/golden.test.ts`); any other folder must have an evaluator here.
 */
const OWN_RUNNER = new Set([
  'deribit',
  'dydx',
  'drift',
  'derive-pm2',
  'derive-srm',
  // src/core/margin/presets/venue-presets.golden.test.ts
  'hyperliquid',
  'aave',
  'binance',
  'okx',
  'bybit',
  'mango',
]);

const root = new URL('.', import.meta.url).pathname;
const areas = readdirSync(root, { withFileTypes: true }).filter(
  (d) => d.isDirectory() && !OWN_RUNNER.has(d.name),
);

for (const area of areas) {
  const evaluate = evaluators[area.name];
  const files = readdirSync(join(root, area.name))
    .filter((f) => f.endsWith('.json'))
    .sort();
  describe(`golden/${area.name}`, () => {
    it('has an evaluator and at least one file', () => {
      expect(evaluate, `no evaluator for golden area ${area.name}`).toBeDefined();
      expect(files.length).toBeGreaterThan(0);
    });
    for (const name of files) {
      const file = JSON.parse(readFileSync(join(root, area.name, name), 'utf8')) as GoldenFile;
      it(`${name} names its source`, () => {
        expect(file.source.length).toBeGreaterThan(10);
      });
      it.each(file.cases.map((c, i) => [i, c] as const))(`${name} case %i`, (_i, c) => {
        const calculated = evaluate!(c, file);
        const expected = c.expected as number;
        const tol = (c.tolerance as GoldenFile['tolerance'] | undefined) ?? file.tolerance;
        const error = Math.abs(calculated - expected);
        const allowed = Math.max(tol.abs, tol.rel * Math.abs(expected));
        expect(
          error <= allowed,
          `inputs ${JSON.stringify(c)}\n expected ${expected}\n calculated ${calculated}\n error ${error}\n tolerance ${allowed}`,
        ).toBe(true);
      });
    }
  });
}
