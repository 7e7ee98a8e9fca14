/**
 * The fall limit in the venue runtime (venue-risk.ts; core/margin/fall-limit.ts): an `es`
 * sub-account's IM may fall by at most 10% a day, compounded over the time between two markets,
 *
 *   IM(t) = max(IM_model(t), 0.9^((t − T)/1 day) · IM(T)),   MM(t) = MM_model(t) · IM(t)/IM_model(t),
 *
 * rises pass at once, the factor g = IM/IM_model is kept at the same market (an operation, a
 * liquidation step), a venue param (`es.maxFallPerDay: null`) turns it off, and a restart that
 * re-installs the factors stored with the market state gives the same IM, bit for bit.
 *
 * Expected values: the formula above written out, with IM_model from the `es` model itself on the
 * account's portfolio at that market (the model is not under test here, the venue's state is).
 */
import { describe, expect, it } from 'vitest';
import { loadVenueHistory } from '../../adapters/marketdata/history/load-market-history.js';
import { createMarginContext, type MarginResult } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import { VenueParamsHistory } from '../policy/venue-params.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import type { Operation } from '../operations.js';
import { Venue, type ModeParams } from './venue.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2022, 10, 8);
const P0 = { BTC: 20_000, ETH: 1_500 };
const tpl = createSimTemplate(T0, P0, { BTC: 0.6, ETH: 0.7 }, 'flat');
const history = loadVenueHistory(['BTC', 'ETH'], T0 + 3 * 24 * HOUR);
const es = getMarginModel('es');

function openVenue(params?: VenueParamsHistory<ModeParams>, usdc = 1_000_000n) {
  const m0 = buildSimMarket(tpl, T0, P0);
  const v = new Venue({
    assets: ['USDC', 'BTC', 'ETH'].map((s) => m0.assets.getAsset(s)),
    limits: { maxLeverage: 50 },
    history,
    ...(params ? { params } : {}),
  });
  const key = v.openSubAccount({ accountId: 'a', subAccountId: 'main', mode: 'es' }).key;
  const ops: Operation[] = [
    { kind: 'deposit', key: 'd', timeMs: T0, to: key, asset: 'USDC', units: usdc * 1_000_000n },
    {
      kind: 'trade',
      key: 't',
      timeMs: T0,
      subAccount: key,
      instrument: 'BTC-PERP',
      size: 10,
      price: P0.BTC,
      asset: 'USDC',
      cashUnits: 0n,
      feeUnits: 0n,
    },
  ];
  for (const op of ops) v.restore(op);
  v.updateMarket(m0, T0);
  return { v, key, ops };
}

/** The model's own requirement for the account's portfolio at `market`. */
function model(v: Venue, key: string, market: MarginMarket): MarginResult {
  return es.compute(v.journal.portfolioOf(key), createMarginContext(market, history), es.defaultParams);
}

describe('the fall limit in the venue (es, 10% a day)', () => {
  it('a fall is held to 0.9^(Δt/1 day) × the last IM, MM in proportion; a rise passes at once', () => {
    const { v, key } = openVenue();
    const im0 = v.health(key).initialUsd;
    expect(im0).toBeCloseTo(model(v, key, buildSimMarket(tpl, T0, P0)).initialUsd, 6);
    expect(v.fallFactor(key)).toBe(1);
    // BTC halves an hour later: the model's IM roughly halves, the venue's may fall 0.44%.
    const m1 = buildSimMarket(tpl, T0 + HOUR, { ...P0, BTC: 10_000 });
    v.updateMarket(m1, T0 + HOUR);
    const raw1 = model(v, key, m1);
    const floor = 0.9 ** (1 / 24) * im0;
    expect(raw1.initialUsd).toBeLessThan(0.7 * floor);
    const h1 = v.health(key);
    expect(h1.initialUsd).toBeCloseTo(floor, 6);
    expect(h1.maintenanceUsd / h1.initialUsd).toBeCloseTo(raw1.maintenanceUsd / raw1.initialUsd, 12);
    expect(v.fallFactor(key)).toBeCloseTo(floor / raw1.initialUsd, 9);
    expect(v.fallFactors()).toEqual({ [key]: v.fallFactor(key) });
    // A day later at the same price: the floor has decayed by 0.9, the model still lower.
    const m2 = buildSimMarket(tpl, T0 + 25 * HOUR, { ...P0, BTC: 10_000 });
    v.updateMarket(m2, T0 + 25 * HOUR);
    const raw2 = model(v, key, m2).initialUsd;
    expect(v.health(key).initialUsd).toBeCloseTo(Math.max(raw2, 0.9 * floor), 6);
    // BTC back to 20,000: the model's IM rises above the floor and passes at once.
    const im2 = v.health(key).initialUsd;
    const m3 = buildSimMarket(tpl, T0 + 26 * HOUR, P0);
    v.updateMarket(m3, T0 + 26 * HOUR);
    const raw3 = model(v, key, m3).initialUsd;
    expect(raw3).toBeGreaterThan(im2);
    expect(v.health(key).initialUsd).toBeCloseTo(raw3, 6);
    expect(v.fallFactor(key)).toBe(1);
  }, 120_000);

  it('an operation at the same market keeps the factor: a smaller book is held to g × its own IM', () => {
    const { v, key } = openVenue();
    const m1 = buildSimMarket(tpl, T0 + HOUR, { ...P0, BTC: 10_000 });
    v.updateMarket(m1, T0 + HOUR);
    const g = v.fallFactor(key);
    expect(g).toBeGreaterThan(1.3);
    v.apply({
      kind: 'trade',
      key: 'cut',
      timeMs: T0 + HOUR,
      subAccount: key,
      instrument: 'BTC-PERP',
      size: -5,
    });
    expect(v.fallFactor(key)).toBe(g);
    const raw = model(v, key, m1);
    expect(v.health(key).initialUsd).toBeCloseTo(g * raw.initialUsd, 6);
    // The pre-trade check judges that IM: a withdrawal leaving equity at 1.4 × the model's IM
    // after it (the model's IM moves a little with the USDC held) is refused, as 1.4 < g.
    const pf = v.journal.portfolioOf(key);
    const usdc = pf.collateral.get('USDC')!;
    const ctx1 = createMarginContext(m1, history);
    const after = (w: bigint) =>
      es.compute(
        { ...pf, collateral: new Map([...pf.collateral, ['USDC', { ...usdc, units: usdc.units - w }]]) },
        ctx1,
        es.defaultParams,
      );
    let units = 0n;
    for (let k = 0; k < 4; k++) {
      const r = after(units);
      units += BigInt(Math.floor((r.equityUsd - 1.4 * r.initialUsd) * 1e6));
    }
    const r = after(units);
    expect(r.equityUsd / r.initialUsd).toBeCloseTo(1.4, 3);
    let refused: unknown;
    try {
      v.apply({ kind: 'withdrawal', key: 'w', timeMs: T0 + HOUR, from: key, asset: 'USDC', units });
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({ code: 'ERR_INSUFFICIENT_MARGIN', details: { field: 'units' } });
    const required = (refused as { details: { requiredUsd: number } }).details.requiredUsd;
    expect(required).toBeCloseTo(g * r.initialUsd, 4);
  }, 120_000);

  it('a venue param turns it off (es.maxFallPerDay: null): the IM is the model’s', () => {
    const params = new VenueParamsHistory<ModeParams>();
    params.propose(1, { es: { maxFallPerDay: null } }, 0);
    const { v, key } = openVenue(params);
    const m1 = buildSimMarket(tpl, T0 + HOUR, { ...P0, BTC: 10_000 });
    v.updateMarket(m1, T0 + HOUR);
    expect(v.fallFactor(key)).toBe(1);
    const off = { ...(es.defaultParams as object), maxFallPerDay: null };
    const raw = es.compute(v.journal.portfolioOf(key), createMarginContext(m1, history), off);
    expect(v.health(key).initialUsd).toBeCloseTo(raw.initialUsd, 6);
  }, 120_000);

  it('an account below the limited MM only is liquidated: the planner targets the same requirement', () => {
    // Probe: the model's MM and the limited MM after BTC halves, for this position.
    const probe = openVenue();
    const m1 = buildSimMarket(tpl, T0 + HOUR, { ...P0, BTC: 10_000 });
    probe.v.updateMarket(m1, T0 + HOUR);
    const limitedMm = probe.v.health(probe.key).maintenanceUsd;
    const rawMm = limitedMm / probe.v.fallFactor(probe.key);
    // Funded so that after the 100k loss equity sits halfway between the two.
    const usdc = BigInt(Math.round(100_000 + (rawMm + limitedMm) / 2));
    const run = (params?: VenueParamsHistory<ModeParams>) => {
      const { v, key } = openVenue(params, usdc);
      expect(v.health(key).status).toBe('healthy');
      v.updateMarket(m1, T0 + HOUR);
      return { v, key };
    };
    const on = run();
    expect(on.v.liquidations().length).toBeGreaterThan(0);
    const rec = on.v.liquidations()[0]!;
    expect(rec.before.equityUsd).toBeLessThan(rec.before.maintenanceUsd);
    expect(rec.before.equityUsd).toBeGreaterThan(rec.before.maintenanceUsd / on.v.fallFactor(on.key));
    expect(rec.outcome).toBe('restored');
    expect(['liquidatable', 'bankrupt']).not.toContain(on.v.health(on.key).status);
    expect(on.v.journal.positionOf(on.key, 'BTC-PERP')?.size ?? 0).toBeLessThan(10);
    // The same book without the limit is not liquidated.
    const params = new VenueParamsHistory<ModeParams>();
    params.propose(1, { es: { maxFallPerDay: null } }, 0);
    const off = run(params);
    expect(off.v.liquidations()).toHaveLength(0);
  }, 120_000);

  it('a restart with the factors stored with the market state gives the same IM, bit for bit', () => {
    const { v, key, ops } = openVenue();
    const m1 = buildSimMarket(tpl, T0 + HOUR, { ...P0, BTC: 10_000 });
    v.updateMarket(m1, T0 + HOUR);
    expect(v.fallFactor(key)).toBeGreaterThan(1);
    const restart = (factors?: Record<string, number>) => {
      const m0 = buildSimMarket(tpl, T0, P0);
      const w = new Venue({
        assets: ['USDC', 'BTC', 'ETH'].map((s) => m0.assets.getAsset(s)),
        limits: { maxLeverage: 50 },
        history,
      });
      w.openSubAccount({ accountId: 'a', subAccountId: 'main', mode: 'es' });
      for (const op of ops) w.restore(op);
      w.restoreMarket(m1, T0 + HOUR, {}, factors);
      return w.health(key);
    };
    expect(restart(v.fallFactors())).toEqual(v.health(key));
    // Without the stored factors the venue would forget the floor.
    expect(restart().initialUsd).toBeLessThan(v.health(key).initialUsd);
  }, 120_000);
});
