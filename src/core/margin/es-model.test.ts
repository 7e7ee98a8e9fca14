import { describe, expect, it } from 'vitest';
import { esModel, esScenarios, varModel } from './es-model.js';
import { DEFAULT_ES_PARAMS as P } from './es-params.js';
import { computeVarEsResult } from '../statistics/var-es.js';
import { book, ctxOf, ctxWithHistory, smallMarket } from '../../../test/support/margin-fixtures.js';

const market = smallMarket();
const ctx = ctxWithHistory(market);
const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
const component = (r: { components: readonly { name: string; initialUsd: number }[] }, name: string) =>
  r.components.find((c) => c.name === name)?.initialUsd ?? 0;

describe('es model on the shipped history', () => {
  const sc = esScenarios(ctx, P);

  it('uses no data after the valuation time; a 2-year rolling lookback ending at valuation; the stress library', () => {
    const cur = sc.scenarios.current;
    // One window every 4 h over 730 days, the last ending with the last hour closed at valuation.
    expect(cur.nScenarios).toBe((730 * 24) / 4);
    expect(Math.max(...cur.endTimesMs)).toBe(market.valuationMs);
    expect(Math.min(...cur.endTimesMs)).toBeGreaterThan(market.valuationMs - 730 * 86_400_000);
    const ends = [...sc.scenarios.stressed.endTimesMs];
    expect(Math.max(...ends)).toBeLessThanOrEqual(market.valuationMs);
    // 24h windows ending in Black Thursday (hourly data) and in January 2015 (daily closes) are stressed.
    const during = (from: number, to: number) => ends.some((t) => t > from && t <= to);
    expect(during(Date.UTC(2020, 2, 12), Date.UTC(2020, 2, 14))).toBe(true);
    expect(during(Date.UTC(2015, 0, 14), Date.UTC(2015, 0, 16))).toBe(true);
  });

  it('a long BTC perp: the ES component is the ES of mark·(e^r − 1) over the FHS windows, recomputed here', () => {
    const r = esModel.compute(book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]), ctx, P);
    const cur = sc.scenarios.current;
    const col = sc.scenarios.assets.indexOf('BTC');
    const pnl = Float64Array.from(
      { length: cur.nScenarios },
      (_, s) => 60_000 * Math.expm1(cur.returns[s * sc.scenarios.assets.length + col]!),
    );
    const expected = computeVarEsResult(pnl, { alpha: 0.99 }).expectedShortfall;
    expect(component(r, 'es')).toBeCloseTo(expected, 6);
    // A plausible size: 99% 24h ES of BTC between 3% and 30% of notional.
    expect(expected / 60_000).toBeGreaterThan(0.03);
    expect(expected / 60_000).toBeLessThan(0.3);
    expect(sum(r.contributions)).toBeCloseTo(r.initialUsd, 6);
  });

  it('ES ≥ VaR for the same book; MM = 0.8·IM', () => {
    const b = book(market, { USDC: '100000' }, [
      { instrument: 'BTC-C66', size: -2 },
      { instrument: 'ETH-PERP', size: 20 },
    ]);
    const es = esModel.compute(b, ctx, P);
    const v = varModel.compute(b, ctx, P);
    expect(es.initialUsd).toBeGreaterThanOrEqual(v.initialUsd);
    expect(es.maintenanceUsd).toBeCloseTo(0.8 * es.initialUsd, 9);
  });

  it('BTC collateral against a short BTC perp: no market risk left, only the unwinding cost', () => {
    const r = esModel.compute(book(market, { BTC: '1' }, [{ instrument: 'BTC-PERP', size: -1 }]), ctx, P);
    expect(component(r, 'es')).toBeCloseTo(0, 6);
    expect(r.initialUsd).toBeLessThan(5); // gas per transaction only: net delta is 0
  });

  it('a long/short pair of correlated assets needs less than the sum of its legs', () => {
    const pair = esModel.compute(
      book(market, {}, [
        { instrument: 'BTC-PERP', size: 1 },
        { instrument: 'ETH-PERP', size: -30 },
      ]),
      ctx,
      P,
    ).initialUsd;
    const btc = esModel.compute(book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]), ctx, P).initialUsd;
    const eth = esModel.compute(book(market, {}, [{ instrument: 'ETH-PERP', size: -30 }]), ctx, P).initialUsd;
    expect(pair).toBeLessThan(btc + eth);
    expect(pair).toBeLessThan(Math.max(btc, eth)); // and than either leg alone: BTC and ETH are highly correlated
  });

  it('the floors: market part = max(ES, ES_stressed, gridLoss / 0.8), each step a component', () => {
    const r = esModel.compute(book(market, {}, [{ instrument: 'SOL-PERP', size: 1_000 }]), ctx, P);
    const es = component(r, 'es');
    const apc = r.components.find((c) => c.name === 'apc-floor');
    const stressed = (apc?.detail as { stressedLossUsd: number } | undefined)?.stressedLossUsd ?? 0;
    expect(es + (apc?.initialUsd ?? 0)).toBeCloseTo(Math.max(es, stressed), 6);
    // The move floor: SOL moves by 20% × its window vol / BTC's, at least 25%, on a long perp
    // the worst grid scenario is the full fall: loss = 1,000 × 100 × move.
    const move = r.components.find((c) => c.name === 'move-floor');
    const grid = Math.max(
      es,
      stressed,
      move ? (move.detail as { gridLossUsd: number }).gridLossUsd / 0.8 : 0,
    );
    const moves = sc.grid!.moves.moves;
    expect(moves.BTC).toBe(0.2);
    expect(moves.ETH).toBe(0.25);
    expect(moves.SOL).toBeGreaterThanOrEqual(0.25);
    const gridLoss = 1_000 * 100 * moves.SOL!;
    expect(es + (apc?.initialUsd ?? 0) + (move?.initialUsd ?? 0)).toBeCloseTo(
      Math.max(es, stressed, gridLoss / 0.8),
      6,
    );
    expect(grid).toBeGreaterThan(0);
    expect(sum(r.contributions)).toBeCloseTo(r.initialUsd, 6);
  });

  it('a long BTC perp needs at least the ±20% move over the MM fraction: IM ≥ 0.2 × 60,000 / 0.8', () => {
    const r = esModel.compute(book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]), ctx, P);
    expect(r.initialUsd).toBeGreaterThanOrEqual((0.2 * 60_000) / 0.8);
    expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0.2 * 60_000 - 1e-9);
  });

  it('a short call: vols rise by at least 50% in the move grid', () => {
    const b = book(market, {}, [{ instrument: 'BTC-C60', size: -1 }]);
    const r = esModel.compute(b, ctx, P);
    // The grid's "vol up" scenarios move vol by exactly ×1.5 (Δln σ = ln 1.5).
    const gridSet = sc.grid!.moves.set;
    const ups = [...gridSet.volMoves].filter((x) => x > 0);
    expect(ups.length).toBeGreaterThan(0);
    for (const x of ups) expect(x).toBeCloseTo(Math.log(1.5), 12);
    expect(r.maintenanceUsd).toBeGreaterThan(0);
  });

  it('liquidity and concentration add-ons grow with size (square-root impact)', () => {
    const small = esModel.compute(book(market, {}, [{ instrument: 'SOL-PERP', size: 1_000 }]), ctx, P);
    const big = esModel.compute(book(market, {}, [{ instrument: 'SOL-PERP', size: 1_000_000 }]), ctx, P);
    // cost per unit of notional rises with size: impact·√(N/ADV)
    expect(component(big, 'liquidity:SOL') / 1_000_000).toBeGreaterThan(
      component(small, 'liquidity:SOL') / 1_000,
    );
    expect(component(big, 'concentration:SOL')).toBeGreaterThan(0); // 100M USD > 1% of the 2B ADV
    expect(component(small, 'concentration:SOL')).toBe(0);
  });

  it('deterministic: the same inputs give the same requirement bit for bit', () => {
    const b = book(market, {}, [{ instrument: 'BTC-C60', size: -3 }]);
    expect(esModel.compute(b, ctxWithHistory(market), P).initialUsd).toBe(
      esModel.compute(b, ctx, P).initialUsd,
    );
  });

  it('fails closed without history, naming it', () => {
    expect(() =>
      esModel.compute(book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]), ctxOf(market), P),
    ).toThrow(/need price history/);
  });

  it('params: a stress period ending before it starts is named', () => {
    expect(() =>
      esModel.parseParams({
        scenarios: { ...P.scenarios, stressPeriods: [{ id: 'x', fromMs: 2, toMs: 1 }] },
      }),
    ).toThrow('es params: scenarios.stressPeriods[0].toMs must be after fromMs');
  });
});

describe('es model with Monte Carlo scenarios', () => {
  // Floors off: the requirement is the Monte Carlo ES itself, so the seed shows.
  const mc = { ...P, stressWeight: 0, moveFloor: null, monteCarlo: { nScenarios: 5_000, dof: 4, seed: 7 } };
  it('deterministic under the seed; a different seed gives a (slightly) different requirement', () => {
    const b = book(market, {}, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'ETH-PERP', size: 10 },
    ]);
    const a1 = esModel.compute(b, ctxWithHistory(market), mc).initialUsd;
    const a2 = esModel.compute(b, ctxWithHistory(market), mc).initialUsd;
    const other = esModel.compute(b, ctxWithHistory(market), {
      ...mc,
      monteCarlo: { ...mc.monteCarlo, seed: 8 },
    }).initialUsd;
    expect(a1).toBe(a2);
    expect(other).not.toBe(a1);
    // Same calibration: within 15% of each other with 5,000 scenarios.
    expect(Math.abs(other / a1 - 1)).toBeLessThan(0.15);
  });
  it('names simulated tail scenarios instead of dates', () => {
    const r = esModel.compute(
      book(market, {}, [{ instrument: 'BTC-PERP', size: 1 }]),
      ctxWithHistory(market),
      mc,
    );
    expect(r.worstScenario?.id).toMatch(/^simulated #\d+$/);
  });
});
