import { describe, expect, it } from 'vitest';
import { planLiquidation, targetRequirementUsd } from './plan-liquidation.js';
import { DEFAULT_LIQUIDATION_PARAMS, type LiquidationParams } from './liquidation-params.js';
import { computeDefaultSlippage } from './liquidation-cost.js';
import { crossModel, DEFAULT_RATE_MODEL_PARAMS } from '../margin/rate-based-models.js';
import { book, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';

const market = smallMarket();
const ctx = ctxOf(market);
const P = 60_000; // BTC mark and index
const r = 0.01; // cross MM rate of BTC below $1M
const h = 0.0025; // USDC MM haircut
const b = 0.02; // buffer
const free: LiquidationParams = {
  ...DEFAULT_LIQUIDATION_PARAMS,
  liquidatorFee: 0,
  gasUsd: 0,
  defaultHalfSpread: 0,
  defaultImpact: 0,
};
const plan = (pf: ReturnType<typeof book>, p: LiquidationParams) =>
  planLiquidation(pf, ctx, crossModel, DEFAULT_RATE_MODEL_PARAMS, p);

describe('planLiquidation: a single BTC perp under cross', () => {
  const C = 8_000;
  const n = 15;
  const pf = book(market, { USDC: String(C) }, [{ instrument: 'BTC-PERP', size: n }]);

  it('is liquidatable: MM = r·P·n + h·C > C', () => {
    const res = plan(pf, free);
    expect(res.before.maintenanceUsd).toBeCloseTo(r * P * n + h * C, 6);
    expect(res.status).toBe('restored');
  });

  it('without costs closes x = n − (C/(1+b) − h·C)/(r·P) contracts', () => {
    const x = n - (C / (1 + b) - h * C) / (r * P);
    const res = plan(pf, free);
    expect(res.steps).toHaveLength(1);
    expect(res.steps[0]!.action).toBe('reduce');
    expect(res.steps[0]!.size).toBeCloseTo(-x, 6);
    // releases x × rate × price of MM (× (1 + b) of the target requirement)
    expect(res.before.maintenanceUsd - res.after.maintenanceUsd).toBeCloseTo(x * r * P, 4);
    expect(res.after.equityUsd).toBeCloseTo(res.targetUsd, 3);
    expect(res.totalCostUsd).toBe(0);
  });

  it('with fee f and gas g closes x = ((1+b)·r·P·n − k·(C − g)) / (P·((1+b)·r − k·f)), k = 1 − (1+b)·h', () => {
    const f = 0.005;
    const g = 1;
    const p = { ...free, liquidatorFee: f, gasUsd: g };
    const k = 1 - (1 + b) * h;
    const x = ((1 + b) * r * P * n - k * (C - g)) / (P * ((1 + b) * r - k * f));
    const res = plan(pf, p);
    expect(res.chosen).toBe('greedy'); // ties with the slice (same trade, one gas): greedy
    expect(res.steps[0]!.size).toBeCloseTo(-x, 5);
    expect(res.liquidatorFeeUsd).toBeCloseTo(f * x * P, 3);
    expect(res.insuranceFundUsd).toBeCloseTo(0.5 * f * x * P, 3);
    expect(res.totalCostUsd).toBeCloseTo(g, 9);
  });

  it('charges the square-root default slippage when the market has no depth curve', () => {
    const res = plan(pf, DEFAULT_LIQUIDATION_PARAMS);
    const s = res.steps[0]!;
    const expected = computeDefaultSlippage(s.size * P, 'BTC', DEFAULT_LIQUIDATION_PARAMS) + 1;
    expect(s.costUsd).toBeCloseTo(expected, 6);
    expect(res.after.health).toBeGreaterThan(res.before.health);
  });

  it('restores to IM when the target is initial', () => {
    const res = plan(pf, { ...free, target: 'initial' });
    expect(res.after.equityUsd).toBeCloseTo(res.after.initialUsd, 3);
    expect(res.targetUsd).toBe(res.after.initialUsd);
  });
});

describe('planLiquidation: edge cases', () => {
  it('a healthy account gets an empty plan', () => {
    const pf = book(market, { USDC: '100000' }, [{ instrument: 'BTC-PERP', size: 1 }]);
    const res = plan(pf, DEFAULT_LIQUIDATION_PARAMS);
    expect(res.status).toBe('healthy');
    expect(res.steps).toEqual([]);
    expect(res.totalCostUsd).toBe(0);
  });

  it('closes fully when the remainder would be dust', () => {
    // 0.01 BTC ($600) on $0.40: the remainder reaching the target (≈ $39) is dust
    const pf = book(market, { USDC: '0.4' }, [{ instrument: 'BTC-PERP', size: 0.01 }]);
    const res = plan(pf, free);
    expect(res.steps[0]!.dustClose).toBe(true);
    expect(res.steps[0]!.size).toBeCloseTo(-0.01, 12);
    expect(res.portfolioAfter.positions).toHaveLength(0);
  });

  it('sells BTC collateral to repay a USDC liability', () => {
    const pf = book(market, { BTC: '1', USDC: '-57000' }, []);
    const res = plan(pf, free);
    expect(res.status).toBe('restored');
    expect(res.steps[0]!.action === 'sellCollateral' || res.steps[0]!.action === 'slice').toBe(true);
    expect(res.after.equityUsd).toBeGreaterThanOrEqual(
      targetRequirementUsd({ ...res.before, ...res.after } as never, free) - 1e-6,
    );
  });

  it("sells collateral in the account's chosen order", () => {
    // 1 BTC ($60k) and 30 ETH ($60k) against a $115k USDC liability: under water on haircuts
    const pf = book(market, { BTC: '1', ETH: '30', USDC: '-115000' }, []);
    const greedySteps = (order: string[]) => {
      const res = planLiquidation(pf, ctx, crossModel, DEFAULT_RATE_MODEL_PARAMS, free, {
        collateralOrder: order,
      });
      expect(res.status).not.toBe('healthy');
      const steps = res.chosen === 'greedy' ? res.steps : (res.alternative?.steps ?? []);
      return steps.filter((s) => s.action === 'sellCollateral').map((s) => s.asset);
    };
    expect(greedySteps(['ETH', 'BTC'])[0]).toBe('ETH');
    expect(greedySteps(['BTC', 'ETH'])[0]).toBe('BTC');
  });

  it('a bankrupt account returns its deficit for the insurance fund', () => {
    // long 10 BTC entered at 70,000: uPnL −100,000 against 50,000 USDC
    const pf = book(market, { USDC: '50000' }, [{ instrument: 'BTC-PERP', size: 10, entryPrice: 70_000 }]);
    const res = plan(pf, free);
    expect(res.status).toBe('bankrupt');
    expect(res.chosen).toBe('slice');
    expect(res.bankruptDeficitUsd).toBeCloseTo(50_000, 3);
    expect(res.portfolioAfter.positions).toHaveLength(0);
  });
});
