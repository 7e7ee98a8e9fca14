/**
 * The `deribit-sm` preset: expected values written out from the published rules (ANCHORS §2.1:
 * Deribit Linear Perpetual page, the 11 January 2022 notice, the coin option rule × S).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { paramsVersion } from '../../params-version.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { deribitSmModel, optionRequirement, parseDeribitSmParams } from './index.js';

const T0 = 1772372400000;
const EXP = T0 + 30 * 86_400_000;
const S = 60000;
const option = (id: string, optionType: 'call' | 'put', strike: number) =>
  ({
    id,
    kind: 'option',
    underlying: 'BTC',
    optionType,
    strike,
    expiryMs: EXP,
    iv: 0.6,
    forward: S,
  }) as const;
const market = buildMarginMarket({
  valuationMs: T0,
  snapshotId: 'deribit-sm-test',
  prices: { BTC: S, ETH: 2000, SOL: 100, DOGE: 0.1, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 60100 },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2002 },
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', markPrice: 100.5 },
    { id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE' },
    { id: 'BTC-F', kind: 'future', underlying: 'BTC', expiryMs: EXP, markPrice: 60300 },
    option('C70', 'call', 70000),
    option('C50', 'call', 50000),
    option('P50', 'put', 50000),
    option('P200', 'put', 200000),
    { id: 'BTC-SPOT', kind: 'spot', underlying: 'BTC' },
  ],
});
const ctx = createMarginContext(market);
const p = deribitSmModel.defaultParams;
type Pos = { instrument: string; size: number; entryPrice?: number };
const run = (positions: Pos[], collateral: Record<string, string> = { USDC: '100000' }, params = p) =>
  deribitSmModel.compute(parsePortfolio({ collateral, positions }, market), ctx, params);
const mark = (id: string) => market.instruments.get(id)!.markPrice;

describe('deribit-sm: linear perpetuals and futures', () => {
  it.each([
    // [instrument, units, imRate, mmRate] from the published formulas
    ['BTC-PERP', 10, 0.02 + 10 * 0.00005, 0.01 + 10 * 0.00005],
    ['BTC-PERP', -250, 0.02 + 250 * 0.00005, 0.01 + 250 * 0.00005],
    ['ETH-PERP', 1000, 0.02 + 1000 * 0.000004, 0.01 + 1000 * 0.000004],
    ['SOL-PERP', 5000, 0.04 + 5000 * 0.000005, 0.02 + 5000 * 0.000005],
    ['DOGE-PERP', 1e6, 0.1, 0.05],
    ['BTC-F', 3, 0.02 + 3 * 0.00005, 0.01 + 3 * 0.00005],
  ])('%s × %d: IM = |units|·mark·imRate, MM = ·mmRate', (id, units, imRate, mmRate) => {
    const r = run([{ instrument: id, size: units }]);
    const n = Math.abs(units) * mark(id);
    expect(r.initialUsd).toBeCloseTo(n * imRate, 6);
    expect(r.maintenanceUsd).toBeCloseTo(n * mmRate, 6);
    expect(r.contributions).toEqual([{ key: id, initialUsd: r.initialUsd }]);
  });
});

describe('deribit-sm: options (coin rule × S)', () => {
  it('OTM short call: x = max(0.15 − 10000/60000, 0.1) = 0.1: IM = 0.1·S + mark, MM = 0.075·S + mark', () => {
    const r = run([{ instrument: 'C70', size: -2 }]);
    expect(r.initialUsd).toBeCloseTo(2 * (0.1 * S + mark('C70')), 6);
    expect(r.maintenanceUsd).toBeCloseTo(2 * (0.075 * S + mark('C70')), 6);
  });
  it('ITM short call: OTM 0, x = 0.15', () => {
    const r = run([{ instrument: 'C50', size: -1 }]);
    expect(r.initialUsd).toBeCloseTo(0.15 * S + mark('C50'), 6);
  });
  it('OTM short put: IM = max(0.1·S + mark, MM), MM = max(0.075·S, 0.075·mark) + mark', () => {
    const m = mark('P50');
    const mm = Math.max(0.075 * S, 0.075 * m) + m;
    const r = run([{ instrument: 'P50', size: -1 }]);
    expect(r.maintenanceUsd).toBeCloseTo(mm, 6);
    expect(r.initialUsd).toBeCloseTo(Math.max(0.1 * S + m, mm), 6);
  });
  it('deep ITM short put (mark > S): the 0.075·mark branch of MM binds and lifts IM', () => {
    const m = mark('P200');
    expect(m).toBeGreaterThan(S);
    const r = run([{ instrument: 'P200', size: -1 }]);
    expect(r.maintenanceUsd).toBeCloseTo(0.075 * m + m, 6);
    expect(r.initialUsd).toBeCloseTo(0.075 * m + m, 6); // > 0.15·S + m
  });
  it('long option: IM = MM = its premium (it backs nothing)', () => {
    const r = run([{ instrument: 'C70', size: 3 }]);
    expect(r.initialUsd).toBeCloseTo(3 * mark('C70'), 9);
    expect(r.maintenanceUsd).toBeCloseTo(3 * mark('C70'), 9);
  });
  it("shortOptionPremium 'netted' drops the + mark term of shorts only", () => {
    const q = parseDeribitSmParams({ shortOptionPremium: 'netted' });
    expect(run([{ instrument: 'C70', size: -1 }], undefined, q).initialUsd).toBeCloseTo(0.1 * S, 6);
    expect(run([{ instrument: 'C70', size: 1 }], undefined, q).initialUsd).toBeCloseTo(mark('C70'), 9);
  });
  it('the mark is Black-76 at the market inputs (sanity of the fixture)', () => {
    expect(mark('C70')).toBeCloseTo(
      priceBlack76({ type: 'call', forward: S, strike: 70000, tYears: 30 / 365, vol: 0.6 }),
      9,
    );
  });
  it('optionRequirement: IM ≥ MM for every type, side and moneyness', () => {
    const rule = p.options;
    for (const optionType of ['call', 'put'] as const)
      for (const strike of [1000, 30000, 60000, 90000, 500000])
        for (const units of [-1, 1]) {
          const r = optionRequirement(
            { optionType, strike, markUsd: 1234, underlyingUsd: S, units },
            rule,
            'charged',
          );
          expect(r.imUsd).toBeGreaterThanOrEqual(r.mmUsd);
        }
  });
});

describe('deribit-sm: collateral and result', () => {
  it('equity = Σ held·(1 − haircut) + owed + position values', () => {
    const r = run([{ instrument: 'BTC-PERP', size: 1, entryPrice: 59100 }], {
      USDC: '1000',
      USDT: '1000',
      BTC: '1',
      DOGE: '10000',
      ETH: '-1',
    });
    const expected = 1000 + 1000 * 0.995 + S * 0.98 + 1000 * 0.9 - 2000 + (60100 - 59100);
    expect(r.equityUsd).toBeCloseTo(expected, 6);
  });
  it('a spot position is a holding: haircut, no requirement', () => {
    const r = run([{ instrument: 'BTC-SPOT', size: 2 }], { USDC: '0' });
    expect(r.initialUsd).toBe(0);
    expect(r.equityUsd).toBeCloseTo(2 * S * 0.98, 6);
  });
  it('nets positions in one instrument; records stamps', () => {
    const r = run([
      { instrument: 'BTC-PERP', size: 5 },
      { instrument: 'BTC-PERP', size: -3 },
    ]);
    expect(r.initialUsd).toBeCloseTo(2 * 60100 * (0.02 + 2 * 0.00005), 6);
    expect(r).toMatchObject({
      model: 'deribit-sm',
      snapshotId: 'deribit-sm-test',
      valuationMs: T0,
      paramsVersion: paramsVersion('deribit-sm', p),
    });
  });
  it('runs on every example book; IM ≥ MM ≥ 0, contributions sum to IM', () => {
    const m = buildMarginMarket(JSON.parse(readFileSync('examples/market.json', 'utf8')));
    for (const f of [
      'basis-trade',
      'eth-btc-pair',
      'hedged-btc-options',
      'multi-collateral',
      'short-strangle',
    ]) {
      const r = deribitSmModel.compute(
        parsePortfolio(JSON.parse(readFileSync(`examples/${f}.json`, 'utf8')), m),
        createMarginContext(m),
        p,
      );
      expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
      expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
      expect(r.contributions.reduce((a, x) => a + x.initialUsd, 0)).toBeCloseTo(r.initialUsd, 6);
    }
  });
});

describe('deribit-sm params', () => {
  it.each([
    [
      { defaultLinear: { imBase: 0.01, mmBase: 0.02, imPerUnit: 0, mmPerUnit: 0 } },
      /defaultLinear.mmBase must be <= imBase/,
    ],
    [
      { linear: { BTC: { imBase: 0.02, mmBase: 0.01, imPerUnit: 0, mmPerUnit: 0.001 } } },
      /linear.BTC.mmPerUnit must be <= imPerUnit/,
    ],
    [{ options: { imBase: 0.1, imFloor: 0.15, mmBase: 0.075 } }, /options.imFloor must be <= options.imBase/],
    [{ options: { imBase: 0.15, imFloor: 0.1, mmBase: 0.12 } }, /options.mmBase must be <= options.imFloor/],
  ])('rule %#: ERR_INVALID_PARAMS naming the field', (doc, message) => {
    expect(() => parseDeribitSmParams(doc)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS', message: expect.stringMatching(message) }),
    );
  });
  it('a haircut of 1 or more, or an unknown field, is ERR_VALIDATION', () => {
    expect(() => parseDeribitSmParams({ collateralHaircuts: { BTC: 1 } })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
    expect(() => parseDeribitSmParams({ mode: 'segregated' })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
  });
});
