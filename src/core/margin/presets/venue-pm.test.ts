/**
 * The portfolio-margin presets `okx-pm` and `bybit-pm`: properties written out from the venues'
 * rules (docs/methodology/presets-venues.md#okx-pm, #bybit-pm). The closed-form cases are in
 * test/golden/{okx,bybit}/002-portfolio-margin.json; here: option books against a brute-force
 * reference typed in from the rule, hedges that never cost more than their legs, spot in use,
 * risk units that never offset, contingency terms by hand, and refusals of bad params.
 */
import { describe, expect, it } from 'vitest';
import { createMarginContext, type MarginResult } from '../margin-model.js';
import { buildMarginMarket } from '../../portfolio/market-file.js';
import { parsePortfolio } from '../../portfolio/portfolio-file.js';
import { priceBlack76 } from '../../pricing/black76.js';
import { getMarginModel } from '../registry.js';
import { okxPmModel } from './okx/index.js';
import { bybitPmModel } from './bybit/index.js';

const T0 = 1772438400000;
const DAY = 86_400_000;
const S = 65000;
const option = (id: string, optionType: 'call' | 'put', strike: number, days: number, iv: number) => ({
  id,
  kind: 'option' as const,
  underlying: 'BTC',
  optionType,
  strike,
  expiryMs: T0 + days * DAY,
  iv,
  forward: S,
});
const market = buildMarginMarket({
  valuationMs: T0,
  snapshotId: 'venue-pm-test',
  prices: { BTC: S, ETH: 2000, USDT: 1 },
  rates: 0,
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: S },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2000 },
    option('C70-30', 'call', 70000, 30, 0.5),
    option('C70-90', 'call', 70000, 90, 0.5),
    option('P60-30', 'put', 60000, 30, 0.55),
  ],
});
type Pos = { instrument: string; size: number; entryPrice?: number };
const run = (
  name: 'okx-pm' | 'bybit-pm',
  positions: Pos[],
  collateral: Record<string, string> = { USDT: '100000' },
  params?: unknown,
): MarginResult => {
  const model = getMarginModel(name);
  const ctx = createMarginContext(market);
  return model.compute(parsePortfolio({ collateral, positions }, market), ctx, model.parseParams(params));
};
const sumContrib = (r: MarginResult) => r.contributions.reduce((a, c) => a + c.initialUsd, 0);
const unitDetail = (r: MarginResult, u: string) =>
  r.components.find((c) => c.name === `risk-unit:${u}`)!.detail!;

describe.each(['okx-pm', 'bybit-pm'] as const)('%s: properties of the rule', (name) => {
  it('IM ≥ MM ≥ 0 and the contributions sum to IM', () => {
    const r = run(name, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'C70-30', size: -2 },
      { instrument: 'P60-30', size: 1 },
      { instrument: 'ETH-PERP', size: -10 },
    ]);
    expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
    expect(r.maintenanceUsd).toBeGreaterThan(0);
    expect(sumContrib(r)).toBeCloseTo(r.initialUsd, 6);
  });

  it("a covered call (long perp + short call) costs no more than the sum of its legs'", () => {
    const both = run(name, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'C70-30', size: -1 },
    ]);
    const perp = run(name, [{ instrument: 'BTC-PERP', size: 1 }]);
    const call = run(name, [{ instrument: 'C70-30', size: -1 }]);
    expect(both.maintenanceUsd).toBeLessThanOrEqual(perp.maintenanceUsd + call.maintenanceUsd);
    expect(both.maintenanceUsd).toBeLessThan(perp.maintenanceUsd);
  });

  it('risk units never offset: long BTC + short ETH = the sum of each alone', () => {
    const btc = run(name, [{ instrument: 'BTC-PERP', size: 1 }]);
    const eth = run(name, [{ instrument: 'ETH-PERP', size: -30 }]);
    const both = run(name, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'ETH-PERP', size: -30 },
    ]);
    expect(both.maintenanceUsd).toBeCloseTo(btc.maintenanceUsd + eth.maintenanceUsd, 8);
  });

  it("a long option's scenario loss is at most its value (it cannot lose more than its price)", () => {
    const r = run(name, [{ instrument: 'C70-90', size: 3 }]);
    const value = 3 * priceBlack76({ type: 'call', forward: S, strike: 70000, tYears: 90 / 365, vol: 0.5 });
    const d = unitDetail(r, 'BTC');
    const loss = (name === 'okx-pm' ? d.MR1 : d.maxLossUsd) as number;
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThanOrEqual(value);
  });

  it('a balance of the underlying with no derivative is collateral, not a risk unit', () => {
    const r = run(name, [], { BTC: '5' });
    expect(r.initialUsd).toBe(0);
    expect(r.components).toHaveLength(0);
  });
});

describe('okx-pm: the option stress terms against a brute-force reference typed in from the rule', () => {
  // MR1 for BTC: moves ±0/4/8/12%, vol ± points(T) (30 points at 0 days, 15 at 30 days).
  const reference = (qty: number, strike: number, days: number, iv: number, type: 'call' | 'put') => {
    const t = days / 365;
    const p0 = priceBlack76({ type, forward: S, strike, tYears: t, vol: iv });
    const shock = days >= 30 ? 0.15 - ((0.15 - 0.08) * (days - 30)) / 150 : 0.3 - ((0.3 - 0.15) * days) / 30;
    let mr1 = 0;
    for (const m of [-0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12])
      for (const v of [iv + shock, Math.max(0, iv - shock)])
        mr1 = Math.max(
          mr1,
          -qty * (priceBlack76({ type, forward: S * (1 + m), strike, tYears: t, vol: v }) - p0),
        );
    let mr6 = 0;
    for (const m of [-0.24, 0.24])
      for (const v of [iv + shock, Math.max(0, iv - shock)])
        mr6 = Math.max(
          mr6,
          (-qty * (priceBlack76({ type, forward: S * (1 + m), strike, tYears: t, vol: v }) - p0)) / 3,
        );
    const mr2 = Math.max(
      0,
      -qty * (priceBlack76({ type, forward: S, strike, tYears: t - 1 / 365, vol: iv }) - p0),
    );
    return { mr1, mr6, mr2 };
  };

  it('short 2 calls 70k, 30 days: MR1, MR2, MR6 as written out; MMR = max of them (MR7 smaller)', () => {
    const r = run('okx-pm', [{ instrument: 'C70-30', size: -2 }]);
    const ref = reference(-2, 70000, 30, 0.5, 'call');
    const d = unitDetail(r, 'BTC');
    expect(d.MR1 as number).toBeCloseTo(ref.mr1, 6);
    expect(d.MR6 as number).toBeCloseTo(ref.mr6, 6);
    expect(d.MR2 as number).toBeCloseTo(ref.mr2, 6);
    expect(d.MR7 as number).toBeCloseTo(2 * S * 0.001, 9); // raw option charge 0.1% of |units|·index, × 1
    expect(r.maintenanceUsd).toBeCloseTo(Math.max(ref.mr1, ref.mr2, ref.mr6, 2 * S * 0.001), 6);
    expect(r.initialUsd).toBeCloseTo(1.3 * r.maintenanceUsd, 6);
  });

  it('short 5 puts 60k, 30 days: the same reference', () => {
    const r = run('okx-pm', [{ instrument: 'P60-30', size: -5 }]);
    const ref = reference(-5, 60000, 30, 0.55, 'put');
    expect(r.maintenanceUsd).toBeCloseTo(Math.max(ref.mr1, ref.mr2, ref.mr6, 5 * S * 0.001), 6);
  });

  it('spot-derivatives risk offset off: a 10 BTC balance does not hedge a −10 perp', () => {
    const on = run('okx-pm', [{ instrument: 'BTC-PERP', size: -10 }], { BTC: '10' });
    const off = run('okx-pm', [{ instrument: 'BTC-PERP', size: -10 }], { BTC: '10' }, { spotHedging: false });
    expect(off.maintenanceUsd).toBeCloseTo(0.12 * 10 * S, 6); // the naked perp's MR1
    expect(on.maintenanceUsd).toBeLessThan(off.maintenanceUsd / 10);
    expect(unitDetail(on, 'BTC').spotInUse).toBe(10);
  });

  it('spot in use is capped by the derivative delta: 25 BTC against −10 perp uses 10', () => {
    const r = run('okx-pm', [{ instrument: 'BTC-PERP', size: -10 }], { BTC: '25' });
    expect(unitDetail(r, 'BTC').spotInUse).toBe(10);
  });
});

describe('bybit-pm: contingency terms by hand', () => {
  it('calendar of calls, +1 at 90 days / −1 at 30 days: vega spread = 60 days × 1 × 65,000 × 0.03%; no net short option', () => {
    const r = run('bybit-pm', [
      { instrument: 'C70-90', size: 1 },
      { instrument: 'C70-30', size: -1 },
    ]);
    const d = unitDetail(r, 'BTC');
    expect(d.vegaSpread as number).toBeCloseTo(60 * 1 * S * 0.0003, 9);
    expect(d.shortOptions).toBe(0);
  });

  it('net short 2 calls: short option contingency = 2 × 65,000 × 1%; IM = 1.2 × MM', () => {
    const r = run('bybit-pm', [{ instrument: 'C70-30', size: -2 }]);
    expect(unitDetail(r, 'BTC').shortOptions as number).toBeCloseTo(2 * S * 0.01, 9);
    expect(r.initialUsd).toBeCloseTo(1.2 * r.maintenanceUsd, 9);
  });

  it('max loss over ±10% × vol up/same/down against a reference typed in from the rule', () => {
    const r = run('bybit-pm', [{ instrument: 'P60-30', size: -3 }]);
    const t = 30 / 365;
    const p0 = priceBlack76({ type: 'put', forward: S, strike: 60000, tYears: t, vol: 0.55 });
    let loss = 0;
    for (const m of [-0.1, -0.2 / 3, -0.1 / 3, 0, 0.1 / 3, 0.2 / 3, 0.1])
      for (const v of [0.55 * 1.3, 0.55, 0.55 * 0.7])
        loss = Math.max(
          loss,
          3 * (priceBlack76({ type: 'put', forward: S * (1 + m), strike: 60000, tYears: t, vol: v }) - p0),
        );
    expect(unitDetail(r, 'BTC').maxLossUsd as number).toBeCloseTo(loss, 6);
  });
});

describe('params are validated, naming the field', () => {
  it('okx-pm: an IMR factor below 1 is refused', () => {
    expect(() => okxPmModel.parseParams({ imrFactor: 0.5 })).toThrow(/imrFactor/);
  });
  it('okx-pm: MR7 tiers must start at 0', () => {
    expect(() => okxPmModel.parseParams({ minChargeMultipliers: [{ floorUsd: 10, multiplier: 1 }] })).toThrow(
      /minChargeMultipliers/,
    );
  });
  it('bybit-pm: an even number of price points is refused', () => {
    expect(() => bybitPmModel.parseParams({ pricePoints: 6 })).toThrow(/pricePoints/);
  });
  it('bybit-pm: an unknown field is refused', () => {
    expect(() => bybitPmModel.parseParams({ priceRange: 0.1 })).toThrow(/priceRange/);
  });
});
