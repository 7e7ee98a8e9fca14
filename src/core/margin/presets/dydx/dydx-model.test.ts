/**
 * The `dydx` preset: expected values written out from the published rule (liquidity_tier.go,
 * genesis.sh; ANCHORS §2.5).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../margin-model.js';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { paramsVersion } from '../../params-version.js';
import { dydxModel, initialMarginFraction, maintenanceMarginFraction, parseDydxParams } from './index.js';

const T0 = 1772372400000;
const DAY = 86_400_000;
const market = buildMarginMarket({
  valuationMs: T0,
  snapshotId: 'dydx-test',
  prices: { BTC: 60000, ETH: 2000, SOL: 100, DOGE: 0.1, USDC: 1, USDT: 1 },
  instruments: [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 60010 },
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH' },
    { id: 'SOL-PERP', kind: 'perpetual', underlying: 'SOL', openInterestUsd: 70_000_000 },
    { id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE', openInterestUsd: 20_000_000 },
    { id: 'BTC-F', kind: 'future', underlying: 'BTC', expiryMs: T0 + 30 * DAY, markPrice: 60300 },
    {
      id: 'BTC-C',
      kind: 'option',
      underlying: 'BTC',
      optionType: 'call',
      strike: 65000,
      expiryMs: T0 + 30 * DAY,
      iv: 0.5,
      forward: 60300,
    },
    { id: 'BTC-SPOT', kind: 'spot', underlying: 'BTC' },
  ],
});
const ctx = createMarginContext(market);
const p = dydxModel.defaultParams;
type Pos = { instrument: string; size: number; entryPrice?: number };
const book = (collateral: Record<string, string>, positions: Pos[]) =>
  parsePortfolio({ collateral, positions }, market);

describe('initialMarginFraction (liquidity_tier.go)', () => {
  const tier = {
    initialMarginFraction: 0.2,
    maintenanceFraction: 0.5,
    openInterestLowerCapUsd: 1e6,
    openInterestUpperCapUsd: 2e6,
  };
  it.each([
    ['below the lower cap: base', 0, 0.2],
    ['at the lower cap: base', 1e6, 0.2],
    ['half-way: 0.2 + 0.5·0.8', 1.5e6, 0.6],
    ['at the upper cap: 1', 2e6, 1],
    ['above the upper cap: 1', 5e6, 1],
  ])('%s', (_name, oi, expected) => {
    expect(initialMarginFraction(tier, oi)).toBeCloseTo(expected, 15);
  });
  it('upper cap 0 disables scaling', () => {
    expect(
      initialMarginFraction({ ...tier, openInterestLowerCapUsd: 0, openInterestUpperCapUsd: 0 }, 1e12),
    ).toBe(0.2);
  });
  it('rejects a negative or NaN open interest', () => {
    expect(() => initialMarginFraction(tier, -1)).toThrow(/openInterestUsd/);
    expect(() => initialMarginFraction(tier, Number.NaN)).toThrow(/openInterestUsd/);
  });
  it('MMF = base IMF × maintenance fraction (Large-Cap 2% × 60% = 1.2%)', () => {
    expect(maintenanceMarginFraction(p.tiers['Large-Cap']!)).toBeCloseTo(0.012, 15);
  });
});

describe('dydx model', () => {
  it('Large-Cap BTC: IM = |units|·index·2%, MM = ·1.2%, notional at index (oracle), not mark', () => {
    const r = dydxModel.compute(book({ USDC: '10000' }, [{ instrument: 'BTC-PERP', size: -2 }]), ctx, p);
    const n = 2 * 60000;
    expect(r.initialUsd).toBeCloseTo(n * 0.02, 9);
    expect(r.maintenanceUsd).toBeCloseTo(n * 0.02 * 0.6, 9);
    expect(r.contributions).toEqual([{ key: 'BTC-PERP', initialUsd: r.initialUsd }]);
    expect(r.components[0]!.detail).toMatchObject({ tier: 'Large-Cap', openInterestUsd: 0 });
  });

  it('SOL Mid-Cap at OI $70M: IMF = 0.05 + (70 − 40)/(100 − 40)·0.95 = 0.525; MM unscaled', () => {
    const r = dydxModel.compute(book({ USDC: '10000' }, [{ instrument: 'SOL-PERP', size: 100 }]), ctx, p);
    expect(r.initialUsd).toBeCloseTo(100 * 100 * (0.05 + 0.5 * 0.95), 9);
    expect(r.maintenanceUsd).toBeCloseTo(100 * 100 * 0.05 * 0.6, 9);
  });

  it('Long-Tail default tier at OI ≥ upper cap ($20M ≥ $10M): IMF = 1', () => {
    const r = dydxModel.compute(book({ USDC: '10000' }, [{ instrument: 'DOGE-PERP', size: 1000 }]), ctx, p);
    expect(r.initialUsd).toBeCloseTo(100, 9);
    expect(r.maintenanceUsd).toBeCloseTo(100 * 0.2 * 0.5, 9);
  });

  it('equity = USDC + unrealised P&L; other assets held count 0, owed count in full', () => {
    const r = dydxModel.compute(
      book({ USDC: '5000', BTC: '1', USDT: '-100' }, [
        { instrument: 'BTC-PERP', size: 1, entryPrice: 59010 },
      ]),
      ctx,
      p,
    );
    expect(r.equityUsd).toBeCloseTo(5000 + (60010 - 59010) - 100, 9);
  });

  it('nets positions in the same instrument', () => {
    const r = dydxModel.compute(
      book({ USDC: '1' }, [
        { instrument: 'ETH-PERP', size: 3 },
        { instrument: 'ETH-PERP', size: -1 },
      ]),
      ctx,
      p,
    );
    expect(r.initialUsd).toBeCloseTo(2 * 2000 * 0.02, 9);
    expect(r.components).toHaveLength(1);
  });

  it('fails closed on an option, naming the position', () => {
    const b = book({ USDC: '1' }, [
      { instrument: 'BTC-PERP', size: 1 },
      { instrument: 'BTC-C', size: -1 },
    ]);
    expect(() => dydxModel.compute(b, ctx, p)).toThrow(
      expect.objectContaining({
        code: 'ERR_UNSUPPORTED_INSTRUMENT',
        details: expect.objectContaining({
          field: 'positions[1].instrument',
          reason: 'unsupported-instrument',
          kind: 'option',
        }),
      }),
    );
  });

  it('fails closed on a spot instrument; dated futures per params.datedFutures', () => {
    expect(() => dydxModel.compute(book({}, [{ instrument: 'BTC-SPOT', size: 1 }]), ctx, p)).toThrow(
      /not supported by the dydx model/,
    );
    const fut = book({ USDC: '1' }, [{ instrument: 'BTC-F', size: 1 }]);
    expect(dydxModel.compute(fut, ctx, p).initialUsd).toBeCloseTo(60000 * 0.02, 9);
    expect(() => dydxModel.compute(fut, ctx, parseDydxParams({ datedFutures: 'reject' }))).toThrow(/future/);
  });

  it('records params version, snapshot and valuation time', () => {
    const r = dydxModel.compute(book({ USDC: '1' }, []), ctx, p);
    expect(r).toMatchObject({
      model: 'dydx',
      initialUsd: 0,
      maintenanceUsd: 0,
      snapshotId: 'dydx-test',
      valuationMs: T0,
    });
    expect(r.paramsVersion).toBe(paramsVersion('dydx', p));
  });

  it('runs on the example eth-btc-pair book', () => {
    const m = buildMarginMarket(JSON.parse(readFileSync('examples/market.json', 'utf8')));
    const b = parsePortfolio(JSON.parse(readFileSync('examples/eth-btc-pair.json', 'utf8')), m);
    const r = dydxModel.compute(b, createMarginContext(m), p);
    // ETH 100 and BTC 3 are Large-Cap: 2% of index notional.
    expect(r.initialUsd).toBeCloseTo((100 * 2006.58 + 3 * 66320) * 0.02, 6);
  });
});

describe('dydx params', () => {
  it('merges a partial document over the defaults', () => {
    const q = parseDydxParams({ underlyingTiers: { SOL: 'Small-Cap' } });
    expect(q.underlyingTiers).toEqual({ SOL: 'Small-Cap' });
    expect(q.tiers).toBe(p.tiers);
  });
  it.each([
    [{ underlyingTiers: { BTC: 'Nope' } }, /underlyingTiers.BTC names unknown tier/],
    [{ defaultTier: 'Nope' }, /defaultTier names unknown tier/],
    [
      {
        tiers: {
          X: {
            initialMarginFraction: 0.1,
            maintenanceFraction: 0.5,
            openInterestLowerCapUsd: 2,
            openInterestUpperCapUsd: 1,
          },
        },
        defaultTier: 'X',
        underlyingTiers: {},
      },
      /tiers.X.openInterestLowerCapUsd must be <= openInterestUpperCapUsd/,
    ],
  ])('rule %#: ERR_INVALID_PARAMS naming the field', (doc, message) => {
    expect(() => parseDydxParams(doc)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARAMS', message: expect.stringMatching(message) }),
    );
  });
  it('unknown fields and out-of-range values are ERR_VALIDATION', () => {
    expect(() => parseDydxParams({ leverage: 5 })).toThrow(
      expect.objectContaining({ code: 'ERR_VALIDATION' }),
    );
    expect(() =>
      parseDydxParams({
        tiers: {
          X: {
            initialMarginFraction: 1.5,
            maintenanceFraction: 0.5,
            openInterestLowerCapUsd: 0,
            openInterestUpperCapUsd: 0,
          },
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_VALIDATION' }));
  });
});
