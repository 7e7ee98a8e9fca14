/**
 * The `deribit-pm` preset: the grid and vol shock as published (ANCHORS §2.1, §2.16), linear
 * books with closed-form answers, and option books against an independent brute-force reference
 * written out from the rule (moves, weights and vol states typed in, Black-76 per scenario).
 */
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import type { MarginMarket, MarkedInstrument } from '../../../portfolio/margin-market.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { paramsVersion } from '../../params-version.js';
import { buildScenarios, deribitPmModel, parseDeribitPmParams, shockedVol, volShockSize } from './index.js';

const T0 = 1772372400000;
const DAY = 86_400_000;
const S = 60000;
const market = buildMarginMarket({
  valuationMs: T0,
  snapshotId: 'deribit-pm-test',
  prices: { BTC: S, ETH: 2000, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 60100 },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH' },
    {
      id: 'C66',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 66000,
      expiryMs: T0 + 30 * DAY,
      iv: 0.55,
      forward: 60300,
    },
    {
      id: 'P54',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'put',
      strike: 54000,
      expiryMs: T0 + 7 * DAY,
      iv: 0.65,
      forward: 60050,
    },
  ],
});
const ctx = createMarginContext(market);
const p = deribitPmModel.defaultParams;
type Pos = { instrument: string; size: number; entryPrice?: number };
const run = (
  positions: Pos[],
  collateral: Record<string, string> = { USDC: '100000' },
  params = p,
  c = ctx,
) => deribitPmModel.compute(parsePortfolio({ collateral, positions }, c.market), c, params);

describe('deribit-pm: the risk matrix', () => {
  const sc = buildScenarios(p.grid);
  it('9 core moves ±16% incl. 0, × up/same/down, then 8 extended vol-up scenarios', () => {
    expect(sc).toHaveLength(35);
    const core = [...new Set(sc.filter((s) => s.id.startsWith('core')).map((s) => s.move))];
    const want = [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16];
    core.forEach((m, i) => expect(m).toBeCloseTo(want[i]!, 15));
    expect(core[4]).toBe(0);
    const ext = sc.filter((s) => s.id.startsWith('ext'));
    expect(ext.map((s) => s.move)).toEqual([-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]);
    expect(ext.every((s) => s.vol === 'up')).toBe(true);
    ext.forEach((s) => expect(s.weight).toBeCloseTo(0.16 / Math.abs(s.move), 15));
  });
  it('vol shock (30/DTE)^0.3 × 38%, floored at 1 day; relative and absolute application', () => {
    const v = p.grid.volShock;
    expect(volShockSize(30 / 365, v)).toBeCloseTo(0.38, 15);
    expect(volShockSize(15 / 365, v)).toBeCloseTo(0.38 * 2 ** 0.3, 15);
    expect(volShockSize(1e-6, v)).toBeCloseTo(0.38 * 30 ** 0.3, 12);
    expect(shockedVol(0.5, 'up', 0.38, 'relative')).toBeCloseTo(0.69, 15);
    expect(shockedVol(0.5, 'down', 0.38, 'relative')).toBeCloseTo(0.31, 15);
    expect(shockedVol(0.5, 'down', 1.2, 'relative')).toBe(0);
    expect(shockedVol(0.5, 'up', 0.38, 'absolute')).toBeCloseTo(0.88, 15);
    expect(shockedVol(0.3, 'down', 0.38, 'absolute')).toBe(0);
    expect(shockedVol(0.5, 'same', 0.38, 'absolute')).toBe(0.5);
  });
});

describe('deribit-pm: linear books', () => {
  it('long perpetual: loss 16% of mark notional at −16% (core wins the tie with −66%·0.2424)', () => {
    const r = run([{ instrument: 'BTC-PERP', size: 2 }]);
    expect(r.initialUsd).toBeCloseTo(2 * 60100 * 0.16, 6);
    expect(r.maintenanceUsd).toBeCloseTo(0.75 * r.initialUsd, 9);
    expect(r.worstScenario).toMatchObject({ id: 'core:-0.16:up', underlying: 'BTC' });
  });
  it('BTC collateral is shocked with BTC; stablecoins are not', () => {
    const r = run([], { BTC: '1', USDC: '50000' });
    expect(r.initialUsd).toBeCloseTo(0.16 * S, 6);
    expect(r.equityUsd).toBeCloseTo(0.98 * S + 50000, 6);
    expect(r.contributions).toEqual([{ key: 'collateral:BTC', initialUsd: r.initialUsd }]);
  });
  it('cross PM: collateral hedges a short perpetual in the same currency', () => {
    const r = run([{ instrument: 'BTC-PERP', size: -1 }], { BTC: '1' });
    // P&L = (S − mark)·move: the $100 basis costs 16% of itself at +16%.
    expect(r.initialUsd).toBeCloseTo(0.16 * 100, 6);
    const c = Object.fromEntries(r.contributions.map((x) => [x.key, x.initialUsd]));
    expect(c['BTC-PERP']).toBeCloseTo(0.16 * 60100, 6);
    expect(c['collateral:BTC']).toBeCloseTo(-0.16 * S, 6); // a hedge: negative contribution
  });
  it('underlyings never offset: IM(BTC long + ETH short) = IM(BTC) + IM(ETH)', () => {
    const both = run([
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'ETH-PERP', size: -10 },
    ]);
    expect(both.initialUsd).toBeCloseTo(0.16 * 60100 + 0.16 * 20000, 6);
    expect(both.components.map((c) => c.name)).toEqual(['underlying:BTC', 'underlying:ETH']);
    expect(both.worstScenario?.underlying).toBe('BTC');
  });
  it('an empty book: zero requirement, no worst scenario', () => {
    const r = run([], { USDC: '10' });
    expect(r).toMatchObject({
      initialUsd: 0,
      maintenanceUsd: 0,
      equityUsd: 10,
      components: [],
      contributions: [],
    });
    expect(r.worstScenario).toBeUndefined();
  });
});

/** Independent reference: typed-in grid, Black-76 per scenario, worst weighted loss. */
function referenceLoss(units: { C66: number; P54: number; perp: number }): number {
  const moves = [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16];
  const scen: { m: number; v: -1 | 0 | 1; w: number }[] = [];
  for (const m of moves) for (const v of [1, 0, -1] as const) scen.push({ m, v, w: 1 });
  for (const m of [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]) scen.push({ m, v: 1, w: 0.16 / Math.abs(m) });
  const opt = (
    type: 'call' | 'put',
    F: number,
    K: number,
    days: number,
    vol: number,
    m: number,
    v: number,
  ) => {
    const shock = 0.38 * Math.pow(30 / days, 0.3);
    const vs = v === 0 ? vol : v > 0 ? vol * (1 + shock) : vol * Math.max(0, 1 - shock);
    const t = days / 365;
    return (
      priceBlack76({ type, forward: F * (1 + m), strike: K, tYears: t, vol: vs }) -
      priceBlack76({ type, forward: F, strike: K, tYears: t, vol })
    );
  };
  let worst = Infinity;
  for (const s of scen) {
    const pnl =
      units.C66 * opt('call', 60300, 66000, 30, 0.55, s.m, s.v) +
      units.P54 * opt('put', 60050, 54000, 7, 0.65, s.m, s.v) +
      units.perp * 60100 * s.m;
    worst = Math.min(worst, s.w * pnl);
  }
  return Math.max(0, -worst);
}

describe('deribit-pm: option books against the reference', () => {
  it.each([
    ['short call', { C66: -10, P54: 0, perp: 0 }],
    ['short strangle', { C66: -5, P54: -5, perp: 0 }],
    ['long put', { C66: 0, P54: 3, perp: 0 }],
    ['delta-hedged short call', { C66: -10, P54: 0, perp: 3 }],
    ['risk reversal', { C66: 4, P54: -4, perp: -1 }],
  ])('%s', (_name, u) => {
    const positions: Pos[] = [];
    if (u.C66 !== 0) positions.push({ instrument: 'C66', size: u.C66 });
    if (u.P54 !== 0) positions.push({ instrument: 'P54', size: u.P54 });
    if (u.perp !== 0) positions.push({ instrument: 'BTC-PERP', size: u.perp });
    const r = run(positions);
    expect(r.initialUsd).toBeCloseTo(referenceLoss(u), 6);
    expect(r.contributions.reduce((a, x) => a + x.initialUsd, 0)).toBeCloseTo(r.initialUsd, 6);
    expect(r.components[0]!.initialUsd).toBeCloseTo(r.initialUsd, 9);
    if (r.initialUsd > 0) expect(r.worstScenario!.pnlUsd).toBeCloseTo(-r.initialUsd, 9);
  });
  it('a short far-OTM call is set by an extended scenario', () => {
    const r = run([{ instrument: 'C66', size: -10 }]);
    expect(r.worstScenario!.id.startsWith('ext:')).toBe(true);
  });
  it("absolute vol shocks ('absolute' mode) raise a short-vol requirement versus relative at vol < 1", () => {
    const abs = parseDeribitPmParams({
      grid: { ...p.grid, volShock: { ...p.grid.volShock, mode: 'absolute' } },
    });
    expect(run([{ instrument: 'P54', size: -10 }], undefined, abs).initialUsd).toBeGreaterThan(
      run([{ instrument: 'P54', size: -10 }]).initialUsd,
    );
  });
});

describe('deribit-pm: result, cache and failures', () => {
  it('MM = maintenanceFraction·IM; stamps; the unit P&L cache is reused', () => {
    const c = createMarginContext(market);
    const a = run([{ instrument: 'C66', size: -1 }], undefined, p, c);
    const b = run([{ instrument: 'C66', size: -1 }], undefined, p, c);
    expect(b).toEqual(a);
    expect((c.cache.get('deribit-pm') as Map<string, unknown>).size).toBe(1);
    const half = parseDeribitPmParams({ maintenanceFraction: 0.5 });
    expect(run([{ instrument: 'C66', size: -1 }], undefined, half).maintenanceUsd).toBeCloseTo(
      0.5 * a.initialUsd,
      9,
    );
    expect(a).toMatchObject({
      model: 'deribit-pm',
      snapshotId: 'deribit-pm-test',
      valuationMs: T0,
      paramsVersion: paramsVersion('deribit-pm', p),
    });
  });
  it('an option without a vol fails closed (ERR_MISSING_MARKET_DATA)', () => {
    const c66 = market.instruments.get('C66')!;
    const broken: MarkedInstrument = {
      instrument: c66.instrument,
      markPrice: c66.markPrice,
      forward: 60300,
      tYears: c66.tYears!,
    };
    const m: MarginMarket = { ...market, instruments: new Map([...market.instruments, ['C66', broken]]) };
    expect(() => run([{ instrument: 'C66', size: -1 }], undefined, p, createMarginContext(m))).toThrow(
      expect.objectContaining({ code: 'ERR_MISSING_MARKET_DATA' }),
    );
  });
  it('params: even bucket count is ERR_INVALID_PARAMS; a zero extended move is ERR_VALIDATION', () => {
    expect(() => parseDeribitPmParams({ grid: { ...p.grid, buckets: 8 } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS' }),
    );
    expect(() => parseDeribitPmParams({ grid: { ...p.grid, extendedMoves: [0] } })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
  });
});
