/**
 * The `drift` preset: expected values written out from the published rule (drift-labs/protocol-v2
 * math/margin.rs; Drift docs weights; ANCHORS §2.3).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { paramsVersion } from '../../params-version.js';
import {
  DEFAULT_DRIFT_PARAMS,
  driftModel,
  parseDriftParams,
  sizePremiumLiabilityWeight,
  unrealizedPnlWeight,
} from './index.js';

const T0 = 1772372400000;
const market = buildMarginMarket({
  valuationMs: T0,
  snapshotId: 'drift-test',
  prices: { BTC: 60000, SOL: 100, DOGE: 0.1, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', markPrice: 101 },
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC' },
    { id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE' },
    { id: 'SOL-SPOT', kind: 'spot', underlying: 'SOL' },
    { id: 'BTC-F', kind: 'future', underlying: 'BTC', expiryMs: T0 + 30 * 86_400_000, markPrice: 60300 },
    {
      id: 'BTC-C',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 65000,
      expiryMs: T0 + 30 * 86_400_000,
      iv: 0.5,
      forward: 60300,
    },
  ],
});
const ctx = createMarginContext(market);
const p = DEFAULT_DRIFT_PARAMS;
type Pos = { instrument: string; size: number; entryPrice?: number };
const book = (collateral: Record<string, string>, positions: Pos[] = []) =>
  parsePortfolio({ collateral, positions }, market);
const run = (collateral: Record<string, string>, positions: Pos[] = [], params = p) =>
  driftModel.compute(book(collateral, positions), ctx, params);

describe('drift weights', () => {
  it('perp size premium: 0.8·r + imf·√size binds above the break-even size', () => {
    expect(sizePremiumLiabilityWeight(10_000, 0.001, 0.1)).toBeCloseTo(0.08 + 0.001 * 100, 15);
    expect(sizePremiumLiabilityWeight(100, 0.001, 0.1)).toBe(0.1);
  });
  it('unrealised P&L: losses weight 1, maintenance weight for profits, 0 when the initial weight is 0', () => {
    const m = {
      unrealizedPnlInitialAssetWeight: 0,
      unrealizedPnlMaintenanceAssetWeight: 0.9,
      unrealizedPnlImfFactor: 0,
    };
    expect(unrealizedPnlWeight(-50, 'initial', m)).toBe(1);
    expect(unrealizedPnlWeight(50, 'maintenance', m)).toBe(0.9);
    expect(unrealizedPnlWeight(50, 'initial', m)).toBe(0);
  });
});

describe('drift model: spot balances', () => {
  it('USDC counts 1:1, no requirement', () => {
    expect(run({ USDC: '1000' })).toMatchObject({ initialUsd: 0, maintenanceUsd: 0, equityUsd: 1000 });
  });
  it('SOL deposit: equity at MAW 0.9, IM adds v·(0.9 − 0.8), MM 0 (docs weights)', () => {
    const r = run({ SOL: '10' });
    expect(r.equityUsd).toBeCloseTo(1000 * 0.9, 9);
    expect(r.initialUsd).toBeCloseTo(1000 * 0.1, 9);
    expect(r.maintenanceUsd).toBe(0);
    expect(r.contributions).toEqual([{ key: 'collateral:SOL', initialUsd: r.initialUsd }]);
  });
  it('a very large SOL deposit is discounted to 1.1/(1 + 0.003·√qty) for IM and MM alike', () => {
    const qty = 1_000_000; // 0.003·1000 = 3 → weight 1.1/4 = 0.275 < 0.8
    const r = run({ SOL: String(qty) });
    expect(r.equityUsd).toBeCloseTo(qty * 100 * 0.275, 6);
    expect(r.initialUsd).toBeCloseTo(0, 6);
  });
  it('SOL borrow: equity −v, IM = |v|·(1.2 − 1), MM = |v|·(1.1 − 1); USDC borrow weight 1', () => {
    const r = run({ USDC: '5000', SOL: '-10' });
    expect(r.equityUsd).toBeCloseTo(5000 - 1000, 9);
    expect(r.initialUsd).toBeCloseTo(200, 9);
    expect(r.maintenanceUsd).toBeCloseTo(100, 9);
    const u = run({ USDC: '-100', SOL: '10' });
    expect(u.maintenanceUsd).toBe(0);
  });
  it('unlisted assets use the majors-alt row (50/75/150/125)', () => {
    const r = run({ DOGE: '1000' }); // $100, small: IMF 0.00055 does not bind
    expect(r.equityUsd).toBeCloseTo(75, 9);
    expect(r.initialUsd).toBeCloseTo(25, 9);
  });
  it('a spot position nets with the collateral, contributions split by share', () => {
    const r = run({ SOL: '6' }, [{ instrument: 'SOL-SPOT', size: 4 }]);
    expect(r.equityUsd).toBeCloseTo(1000 * 0.9, 9);
    const c = Object.fromEntries(r.contributions.map((x) => [x.key, x.initialUsd]));
    expect(c['collateral:SOL']).toBeCloseTo(60, 9);
    expect(c['SOL-SPOT']).toBeCloseTo(40, 9);
  });
});

describe('drift model: perpetuals', () => {
  it('SOL-PERP: IM = |base|·index·10%, MM = ·5% (index stands for the oracle)', () => {
    const r = run({ USDC: '1000' }, [{ instrument: 'SOL-PERP', size: -20 }]);
    expect(r.initialUsd).toBeCloseTo(2000 * 0.1, 9);
    expect(r.maintenanceUsd).toBeCloseTo(2000 * 0.05, 9);
  });
  it('size premium with imf 0.01 at 10,000 SOL: ratio_I = 0.08 + 1 = 1.08, ratio_M = 0.04 + 1', () => {
    const q = parseDriftParams({ perpMarkets: { SOL: { ...p.perpMarkets.SOL!, imfFactor: 0.01 } } });
    const r = run({ USDC: '1' }, [{ instrument: 'SOL-PERP', size: 10_000 }], q);
    expect(r.initialUsd).toBeCloseTo(1_000_000 * 1.08, 6);
    expect(r.maintenanceUsd).toBeCloseTo(1_000_000 * 1.04, 6);
  });
  it('profit: equity counts it at the maintenance weight; IM counts at most $100 of it', () => {
    const r = run({ USDC: '1000' }, [{ instrument: 'SOL-PERP', size: 10, entryPrice: 51 }]); // P&L 10·(101 − 51) = 500
    expect(r.equityUsd).toBeCloseTo(1500, 9);
    expect(r.initialUsd).toBeCloseTo(1000 * 0.1 + (500 - 100), 9);
    expect(r.maintenanceUsd).toBeCloseTo(1000 * 0.05, 9);
  });
  it('loss: counted in full, no IM difference', () => {
    const r = run({ USDC: '1000' }, [{ instrument: 'SOL-PERP', size: 10, entryPrice: 121 }]); // −200
    expect(r.equityUsd).toBeCloseTo(800, 9);
    expect(r.initialUsd).toBeCloseTo(100, 9);
  });
  it('unlisted perp uses the default market (20% / 10%)', () => {
    const r = run({ USDC: '1000' }, [{ instrument: 'DOGE-PERP', size: 10_000 }]);
    expect(r.initialUsd).toBeCloseTo(200, 9);
    expect(r.maintenanceUsd).toBeCloseTo(100, 9);
  });
  it('dated futures margin as the perpetual by default, or fail closed', () => {
    expect(run({ USDC: '1' }, [{ instrument: 'BTC-F', size: 1 }]).initialUsd).toBeCloseTo(6000, 9);
    expect(() =>
      run({ USDC: '1' }, [{ instrument: 'BTC-F', size: 1 }], parseDriftParams({ datedFutures: 'reject' })),
    ).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED_INSTRUMENT' }));
  });
  it('fails closed on an option, naming the position', () => {
    expect(() =>
      run({ USDC: '1' }, [
        { instrument: 'SOL-PERP', size: 1 },
        { instrument: 'BTC-C', size: 1 },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_INSTRUMENT',
        details: expect.objectContaining({
          field: 'positions[1].instrument',
          reason: 'unsupported-instrument',
          model: 'drift',
        }),
      }),
    );
  });
});

describe('drift model: result', () => {
  it('components and contributions sum to IM; stamps', () => {
    const r = run({ USDC: '5000', SOL: '-10', USDT: '300' }, [
      { instrument: 'SOL-PERP', size: 10, entryPrice: 51 },
      { instrument: 'BTC-PERP', size: -0.1 },
    ]);
    const sum = (xs: readonly { initialUsd: number }[]) => xs.reduce((a, x) => a + x.initialUsd, 0);
    expect(sum(r.contributions)).toBeCloseTo(r.initialUsd, 9);
    expect(sum(r.components)).toBeCloseTo(r.initialUsd, 9);
    expect(r.components.reduce((a, x) => a + x.maintenanceUsd, 0)).toBeCloseTo(r.maintenanceUsd, 9);
    expect(r).toMatchObject({
      model: 'drift',
      snapshotId: 'drift-test',
      valuationMs: T0,
      paramsVersion: paramsVersion('drift', p),
    });
  });
  it('runs on the example multi-collateral book', () => {
    const m = buildMarginMarket(JSON.parse(readFileSync('examples/market.json', 'utf8')));
    const b = parsePortfolio(JSON.parse(readFileSync('examples/multi-collateral.json', 'utf8')), m);
    // The book holds a short ETH call: Drift lists no options.
    expect(() => driftModel.compute(b, createMarginContext(m), p)).toThrow(/ETH-27MAR26-2200-C/);
    const pair = parsePortfolio(JSON.parse(readFileSync('examples/eth-btc-pair.json', 'utf8')), m);
    const r = driftModel.compute(pair, createMarginContext(m), p);
    expect(r.maintenanceUsd).toBeCloseTo((100 * 2006.58 + 3 * 66320) * 0.05, 6);
  });
});

describe('drift params', () => {
  it.each([
    [
      { defaultPerpMarket: { ...p.defaultPerpMarket, maintenanceMarginRatio: 0.3 } },
      /defaultPerpMarket.maintenanceMarginRatio must be <= initialMarginRatio/,
    ],
    [
      { spotMarkets: { SOL: { ...p.spotMarkets.SOL!, initialAssetWeight: 0.95 } } },
      /spotMarkets.SOL.initialAssetWeight must be <= maintenanceAssetWeight/,
    ],
    [
      { defaultSpotMarket: { ...p.defaultSpotMarket, maintenanceLiabilityWeight: 2 } },
      /defaultSpotMarket.maintenanceLiabilityWeight must be <= initialLiabilityWeight/,
    ],
    [
      { perpMarkets: { SOL: { ...p.perpMarkets.SOL!, unrealizedPnlMaintenanceAssetWeight: 0.5 } } },
      /perpMarkets.SOL.unrealizedPnlInitialAssetWeight must be <= unrealizedPnlMaintenanceAssetWeight/,
    ],
  ])('rule %#: ERR_INVALID_PARAMS naming the field', (doc, message) => {
    expect(() => parseDriftParams(doc)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS', message: expect.stringMatching(message) }),
    );
  });
  it('liability weights below 1 and unknown fields are ERR_VALIDATION', () => {
    expect(() =>
      parseDriftParams({ defaultSpotMarket: { ...p.defaultSpotMarket, maintenanceLiabilityWeight: 0.9 } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_VALIDATION' }));
    expect(() => parseDriftParams({ highLeverage: true })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
  });
});
