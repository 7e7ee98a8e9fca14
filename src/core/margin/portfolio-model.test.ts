import { describe, expect, it } from 'vitest';
import { portfolioModel } from './portfolio-model.js';
import { DEFAULT_PORTFOLIO_PARAMS as P } from './portfolio-params.js';
import { priceBlack76 } from '../pricing/black76.js';
import { shockVol } from '../scenarios/vol-shock.js';
import { book, ctxOf, ctxWithHistory, smallMarket } from '../../../test/support/margin-fixtures.js';

const market = smallMarket();
const ctx = ctxOf(market);
const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);

describe('portfolio model: hand-computed cases (defaults: ±15% grid, ρ(BTC,ETH) = 0.8, linear add-on 0.5%)', () => {
  it('a naked long BTC perp: worst loss at −15%, plus 0.5% of notional', () => {
    // Grid −15% → 0.15·60,000 = 9,000. Extended −50% dampened by 0.1386/0.5 → 0.1386·60,000 = 8,316 < 9,000;
    // stress crash-2020 −40% × weight 0.3 → 7,200 < 9,000.
    const r = portfolioModel.compute(
      book(market, { USDC: '100000' }, [{ instrument: 'BTC-PERP', size: 1 }]),
      ctx,
      P,
    );
    const im = 0.15 * 60_000 + 0.005 * 60_000 + 100_000 * P.haircuts.USDC!.im; // + the USDC haircut
    expect(r.initialUsd).toBeCloseTo(im, 6);
    expect(r.maintenanceUsd).toBeCloseTo(0.75 * im, 6);
    expect(r.worstScenario?.id).toMatch(/^BTC:-15%\//);
    expect(sum(r.contributions)).toBeCloseTo(r.initialUsd, 6);
  });

  it('BTC held as collateral hedges a short BTC perp exactly: only the contingency remains', () => {
    const r = portfolioModel.compute(
      book(market, { BTC: '1' }, [{ instrument: 'BTC-PERP', size: -1 }]),
      ctx,
      P,
    );
    expect(r.initialUsd).toBeCloseTo(0.005 * 60_000, 6);
  });

  it('long BTC and long ETH diversify: √(L₁² + L₂² + 2·0.8·L₁L₂)', () => {
    const r = portfolioModel.compute(
      book(market, {}, [
        { instrument: 'BTC-PERP', size: 1 },
        { instrument: 'ETH-PERP', size: 10 },
      ]),
      ctx,
      P,
    );
    const l1 = 0.15 * 60_000;
    const l2 = 0.15 * 20_000;
    const d = Math.sqrt(l1 * l1 + l2 * l2 + 2 * 0.8 * l1 * l2);
    expect(r.initialUsd).toBeCloseTo(d + 0.005 * 80_000, 6);
    expect(r.initialUsd).toBeLessThan(l1 + l2 + 0.005 * 80_000);
  });

  it('long BTC, short ETH: losses in opposite directions offset: √(L₁² + L₂² − 2·0.8·L₁L₂)', () => {
    const r = portfolioModel.compute(
      book(market, {}, [
        { instrument: 'BTC-PERP', size: 1 },
        { instrument: 'ETH-PERP', size: -10 },
      ]),
      ctx,
      P,
    );
    const l1 = 0.15 * 60_000;
    const l2 = 0.15 * 20_000;
    expect(r.initialUsd).toBeCloseTo(Math.sqrt(l1 * l1 + l2 * l2 - 2 * 0.8 * l1 * l2) + 0.005 * 80_000, 6);
    expect(sum(r.contributions)).toBeCloseTo(r.initialUsd, 6);
    // The ETH short is a hedge of the BTC long: its scenario contribution is below its stand-alone loss.
    const eth = r.contributions.find((c) => c.key === 'ETH-PERP')!.initialUsd;
    expect(eth).toBeLessThan(l2);
  });

  it('low oracle confidence (SOL 0.5 < 0.55) adds (1 − 0.5)·notional', () => {
    const r = portfolioModel.compute(book(market, {}, [{ instrument: 'SOL-PERP', size: 100 }]), ctx, P);
    // SOL grid ±25% → 2,500; linear 0.5% → 50; confidence 0.5·10,000 = 5,000.
    expect(r.initialUsd).toBeCloseTo(2_500 + 50 + 5_000, 6);
    expect(r.components.map((c) => c.name)).toContain('oracle-confidence:SOL');
  });

  it('a naked short call: the loss at its worst scenario, repriced independently with Black-76', () => {
    const r = portfolioModel.compute(book(market, {}, [{ instrument: 'BTC-C66', size: -1 }]), ctx, P);
    expect(r.worstScenario?.underlying).toBe('BTC');
    const t = 30 / 365;
    const base = priceBlack76({ type: 'call', forward: 60_000, strike: 66_000, tYears: t, vol: 0.6 });
    // The +15% vol-up corner of the core grid is a lower bound of the worst loss.
    const corner =
      priceBlack76({
        type: 'call',
        forward: 69_000,
        strike: 66_000,
        tYears: t,
        vol: shockVol(0.6, t, 'up', P.volShock),
      }) - base;
    const contingency = 0.003 * 60_000;
    expect(r.initialUsd).toBeGreaterThanOrEqual(corner + contingency - 1e-6);
    // and the reported worst scenario P&L is exactly the scenario part.
    expect(r.initialUsd).toBeCloseTo(-r.worstScenario!.pnlUsd + contingency, 6);
  });

  it('a crash stress sets the requirement when it exceeds the grid: a long far OTM put book is not charged, a short one is', () => {
    const r = portfolioModel.compute(book(market, {}, [{ instrument: 'BTC-P54', size: -10 }]), ctx, P);
    expect(
      r.components[0]!.name.startsWith('stress:') || r.components[0]!.name === 'scenario:diversified',
    ).toBe(true);
    expect(r.initialUsd).toBeGreaterThan(0);
  });

  it('params: unknown fields and broken rules are named', () => {
    expect(() => portfolioModel.parseParams({ grid: { ...P.grid, buckets: 10 } })).toThrow(
      'portfolio params: grid.buckets must be odd so that the grid includes 0; got 10',
    );
    expect(() => portfolioModel.parseParams({ correlation: 1 })).toThrow(/correlation: unknown field/);
  });
});

describe('portfolio model: correlations', () => {
  it('a negatively correlated pair (ρ = −0.5, both long) needs less than the sum of its legs: √(L₁² + L₂² − L₁L₂)', () => {
    const p = {
      ...P,
      stressWeight: 0,
      correlations: { default: 0, pairs: { 'BTC/ETH': -0.5 }, source: 'params' as const },
    };
    const b = book(market, {}, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'ETH-PERP', size: 10 },
    ]);
    const l1 = 0.15 * 60_000;
    const l2 = 0.15 * 20_000;
    const r = portfolioModel.compute(b, ctx, p);
    expect(r.initialUsd).toBeCloseTo(Math.sqrt(l1 * l1 + l2 * l2 - l1 * l2) + 0.005 * 80_000, 6);
    expect(r.initialUsd).toBeLessThan(l1 + l2 + 0.005 * 80_000);
  });

  it('source "history": pairs estimated from the shipped joint history are used and reported', () => {
    const hctx = ctxWithHistory(market);
    const p = { ...P, correlations: { ...P.correlations, source: 'history' as const } };
    const r = portfolioModel.compute(
      book(market, {}, [
        { instrument: 'BTC-PERP', size: 1 },
        { instrument: 'ETH-PERP', size: -30 },
      ]),
      hctx,
      p,
    );
    const corr = (
      r.components[0]!.detail as {
        correlations: { source: string; pairs: Record<string, number>; windows: number };
      }
    ).correlations;
    expect(corr.source).toBe('history');
    // The 2-year rolling lookback of the es scenarios: 730 days × 6 windows a day (one every 4 h).
    expect(corr.windows).toBe(730 * 6);
    // BTC and ETH 24h returns are strongly, not perfectly, correlated over 2024–2026.
    expect(corr.pairs['BTC/ETH']).toBeGreaterThan(0.6);
    expect(corr.pairs['BTC/ETH']).toBeLessThan(0.98);
  });
});
