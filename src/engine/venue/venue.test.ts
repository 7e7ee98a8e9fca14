import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RiskError } from '../../core/errors.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import { VenueParamsHistory } from '../policy/venue-params.js';
import type { OracleStates } from '../policy/oracle-policy.js';
import type { Operation, TradeRequest } from '../operations.js';
import { Venue, type ModeParams } from './venue.js';
import type { VenueEvent } from './venue-types.js';

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const tpl = createSimTemplate(T0, { BTC: 50_000, ETH: 2_500, SOL: 100 }, { BTC: 0.6, ETH: 0.7 }, 'flat');
const marketAt = (btc: number, t = T0) => buildSimMarket(tpl, t, { BTC: btc, ETH: 2_500, SOL: 100 });
const m0 = marketAt(50_000);
const USDC = m0.assets.getAsset('USDC');
const BTC = m0.assets.getAsset('BTC');
const ETH = m0.assets.getAsset('ETH');
const usdc = (x: number) => BigInt(Math.round(x * 100)) * 10n ** BigInt(USDC.decimals - 2);

const oracle = (timeMs: number, assets = ['BTC', 'ETH', 'SOL']): OracleStates =>
  Object.fromEntries(
    assets.map((a) => [
      a,
      {
        result: {
          price: 1,
          method: 'median' as const,
          used: ['x'],
          rejected: [],
          median: 1,
          oldestUsedMs: timeMs,
        },
        lastFreshMs: timeMs,
      },
    ]),
  );

/** A fill of the venue's matching side at `price` (the engine computes cash leg and fee). */
function perp(key: string, sub: string, size: number, price: number, t = T0): TradeRequest {
  return { kind: 'trade', key, timeMs: t, subAccount: sub, instrument: 'BTC-PERP', size, price };
}

/** A venue with alice/main (cross, 10,000 USDC) at BTC 50,000 and a funded insurance fund. */
function setup(limits: Parameters<Venue['openSubAccount']>[0]['limits'] = {}, insurance = 100_000) {
  const v = new Venue({ assets: [USDC, BTC, ETH], limits: { maxLeverage: 20 } });
  v.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode: 'cross', limits });
  v.apply({ kind: 'deposit', key: 'd1', timeMs: T0, to: 'alice/main', asset: 'USDC', units: usdc(10_000) });
  if (insurance > 0)
    v.restore({
      kind: 'deposit',
      key: 'if',
      timeMs: T0,
      to: 'insurance-fund',
      asset: 'USDC',
      units: usdc(insurance),
    });
  v.restore({ kind: 'deposit', key: 'bs', timeMs: T0, to: v.liquidatorKey, asset: 'USDC', units: usdc(1e7) });
  v.updateMarket(m0, T0, { oracle: oracle(T0) });
  return v;
}

const conserved = (v: Venue) => ['USDC', 'BTC', 'ETH'].every((a) => v.journal.totalOf(a) === 0n);

describe('Venue: user operations', () => {
  it('refuses a risk-increasing trade on a stale oracle, naming why, and changes nothing', () => {
    const v = setup();
    v.updateMarket(m0, T0 + HOUR, { oracle: oracle(T0) }); // last quote an hour old
    const before = v.journal.snapshot();
    let err: unknown;
    try {
      v.apply(perp('t1', 'alice/main', 0.1, 50_000, T0 + HOUR));
    } catch (e) {
      err = e;
    }
    expect((err as RiskError).code).toBe('ERR_ORACLE_STALE');
    expect((err as RiskError).message).toMatch(
      /trade \(risk-increasing\) blocked by oracle policy: BTC: oracle stale/,
    );
    expect(v.journal.snapshot()).toEqual(before);
  });

  it('lets a risk-reducing trade through on a stale oracle', () => {
    const v = setup();
    v.apply(perp('t1', 'alice/main', 0.1, 50_000));
    v.updateMarket(m0, T0 + HOUR, { oracle: oracle(T0) });
    v.apply(perp('t2', 'alice/main', -0.05, 50_000, T0 + HOUR));
    expect(v.journal.positionSizeOf('alice/main', 'BTC-PERP')).toBeCloseTo(0.05, 12);
  });

  it("enforces the user's max leverage on risk-increasing trades", () => {
    const v = setup({ maxLeverage: 2 });
    // 0.5 BTC = 25,000 USD on 10,000 equity: leverage 2.5 > 2
    expect(() => v.apply(perp('t1', 'alice/main', 0.5, 50_000))).toThrow(
      /size must leave alice\/main with leverage \(gross notional \/ equity\) <= its limit 2; got 2\.50/,
    );
    v.apply(perp('t2', 'alice/main', 0.3, 50_000)); // 15,000 / 10,000 = 1.5
    expect(v.journal.positionSizeOf('alice/main', 'BTC-PERP')).toBe(0.3);
  });

  it('refuses a risk-increasing trade while reduce-only, accepts one that reduces', () => {
    const v = setup();
    v.apply(perp('t1', 'alice/main', 1, 50_000)); // cross: IM 5,000? MM 2,500 on 10,000 equity
    // find a price where equity / MM is in [1, 1.1)
    let p = 50_000;
    while (p > 30_000 && v.health('alice/main').status !== 'reduce-only') {
      p -= 10; // equity moves 10 USD a step, less than the reduce-only band (0.1 × MM ≈ 43 USD)
      v.updateMarket(marketAt(p), T0, { oracle: oracle(T0) });
    }
    expect(v.health('alice/main').status).toBe('reduce-only');
    expect(() => v.apply(perp('t2', 'alice/main', 0.1, p))).toThrow(
      /size must reduce risk while alice\/main is reduce-only/,
    );
    v.apply(perp('t3', 'alice/main', -0.1, p));
    expect(v.journal.positionSizeOf('alice/main', 'BTC-PERP')).toBeCloseTo(0.9, 12);
  });

  it('phases in a tighter parameter version linearly, so healthy accounts are not liquidated at once', () => {
    // the USDC haircut of cross IM tightens from 0.5% to 2.5% over 10 hours
    const params = new VenueParamsHistory<ModeParams>();
    params.propose(1, { cross: { haircuts: { USDC: { im: 0.005, mm: 0.0025 } } } }, T0);
    params.propose(2, { cross: { haircuts: { USDC: { im: 0.025, mm: 0.0125 } } } }, T0 + 10 * HOUR, {
      phaseInMs: 10 * HOUR,
    });
    const v = new Venue({ assets: [USDC, BTC, ETH], limits: { maxLeverage: 20 }, params });
    v.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode: 'cross' });
    v.apply({ kind: 'deposit', key: 'd', timeMs: T0, to: 'alice/main', asset: 'USDC', units: usdc(10_000) });
    const imAt = (t: number) => {
      v.updateMarket(marketAt(50_000, t), t);
      return v.health('alice/main').initialUsd;
    };
    // IM of 10,000 USDC alone = haircut × 10,000: 50 before, 150 half-way, 250 after
    expect(imAt(T0 + 5 * HOUR)).toBeCloseTo(50, 6);
    expect(imAt(T0 + 15 * HOUR)).toBeCloseTo(150, 6);
    expect(imAt(T0 + 25 * HOUR)).toBeCloseTo(250, 6);
  });
});

describe('Venue: liquidation', () => {
  it('liquidates below MM through the planner as journal operations, conserving every asset', () => {
    const v = setup();
    v.apply(perp('t1', 'alice/main', 1.5, 50_000));
    const events = v.updateMarket(marketAt(43_600, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    const liq = events.filter((e) => e.type === 'liquidation');
    expect(liq).toHaveLength(1);
    const ops = events.filter((e): e is Extract<VenueEvent, { type: 'operation' }> => e.type === 'operation');
    expect(ops.map((e) => e.op.kind)).toContain('liquidation');
    expect(ops.map((e) => e.op.kind)).toContain('liquidation-charge');
    const h = v.health('alice/main');
    expect(h.equityUsd).toBeGreaterThanOrEqual(h.maintenanceUsd);
    expect(v.journal.positionSizeOf('alice/main', 'BTC-PERP')).toBeLessThan(1.5);
    // the liquidator holds what was closed
    expect(
      v.journal.positionSizeOf(v.liquidatorKey, 'BTC-PERP') +
        v.journal.positionSizeOf('alice/main', 'BTC-PERP'),
    ).toBeCloseTo(1.5, 9);
    expect(v.journal.balanceOf('insurance-fund', 'USDC')).toBeGreaterThan(usdc(100_000));
    expect(conserved(v)).toBe(true);
  });

  it('does not liquidate on a price older than the liquidation limit, and does when fresh', () => {
    const v = setup();
    v.apply(perp('t1', 'alice/main', 1.5, 50_000));
    const stale = v.updateMarket(marketAt(43_600, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0) });
    expect(stale.some((e) => e.type === 'liquidation')).toBe(false);
    expect(v.health('alice/main').status).toBe('liquidatable');
    const fresh = v.updateMarket(marketAt(43_600, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    expect(fresh.some((e) => e.type === 'liquidation')).toBe(true);
  });

  it('tops up from a sibling that can spare it before liquidating', () => {
    const v = setup({ autoTopUp: true });
    v.openSubAccount({ accountId: 'alice', subAccountId: 'savings', mode: 'cross' });
    v.apply({
      kind: 'deposit',
      key: 'd2',
      timeMs: T0,
      to: 'alice/savings',
      asset: 'USDC',
      units: usdc(50_000),
    });
    v.apply(perp('t1', 'alice/main', 1.5, 50_000));
    const events = v.updateMarket(marketAt(43_600, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    const topUps = events.filter((e) => e.type === 'operation' && e.op.kind === 'transfer');
    expect(topUps).toHaveLength(1);
    expect(events.some((e) => e.type === 'liquidation')).toBe(false);
    const h = v.health('alice/main');
    // topped up to the IM measured before the transfer (cross also charges the USDC received, 0.35%)
    expect(h.status).toBe('healthy');
    expect(h.equityUsd).toBeGreaterThanOrEqual(h.initialUsd * 0.99);
    expect(v.journal.positionSizeOf('alice/main', 'BTC-PERP')).toBe(1.5);
    expect(conserved(v)).toBe(true);
  });

  it('a bankrupt deficit is paid by the insurance fund, then by ADL of the most profitable short', () => {
    const v = setup({}, 200);
    v.openSubAccount({ accountId: 'bob', subAccountId: 'main', mode: 'cross' });
    v.openSubAccount({ accountId: 'carol', subAccountId: 'main', mode: 'cross' });
    for (const who of ['bob', 'carol'])
      v.apply({
        kind: 'deposit',
        key: `d-${who}`,
        timeMs: T0,
        to: `${who}/main`,
        asset: 'USDC',
        units: usdc(200_000),
      });
    v.apply(perp('t1', 'alice/main', 1.8, 50_000));
    v.apply(perp('t2', 'bob/main', -2, 50_000));
    v.apply(perp('t3', 'carol/main', -1, 50_000));
    expect(v.adlRanks().filter((r) => r.side === 'short')).toHaveLength(2);
    // a gap down of 20%: alice's 1.8 BTC lose 18,000 on 10,000
    const events = v.updateMarket(marketAt(40_000, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    const rec = events.find(
      (e): e is Extract<VenueEvent, { type: 'liquidation' }> => e.type === 'liquidation',
    )!.record;
    expect(rec.bankrupt).toBe(true);
    expect(rec.insurancePaidUsd).toBeGreaterThan(0);
    expect(rec.adlUsd).toBeGreaterThan(0);
    // bob is first in the ADL queue (larger profit × leverage) and is deleveraged first
    const adl = events.filter((e) => e.type === 'operation' && e.op.kind === 'adl');
    expect(adl[0]?.type === 'operation' && adl[0].op.kind === 'adl' && adl[0].op.from).toBe('bob/main');
    // the bankrupt account ends with nothing owed: fund + ADL covered the deficit
    expect(v.journal.balanceOf('alice/main', 'USDC')).toBeGreaterThanOrEqual(0n);
    expect(rec.insurancePaidUsd + rec.adlUsd).toBeCloseTo(rec.deficitUsd, 0);
    expect(conserved(v)).toBe(true);
  });

  it('re-applying a market state is idempotent: a bankruptcy is charged once, not per tick', () => {
    // alice goes bankrupt on a 20% gap with a fund too small and no ADL counterparty
    const v = setup({}, 200);
    v.apply(perp('t1', 'alice/main', 1.8, 50_000));
    const gap = marketAt(40_000, T0 + HOUR);
    const first = v.updateMarket(gap, T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    expect(first.some((e) => e.type === 'liquidation' && e.record.bankrupt)).toBe(true);
    expect(v.health('alice/main').status).toBe('bankrupt');
    const snap = v.journal.snapshot();
    for (let k = 0; k < 3; k++) {
      const again = v.updateMarket(gap, T0 + HOUR, { oracle: oracle(T0 + HOUR) });
      expect(again.filter((e) => e.type === 'operation' || e.type === 'liquidation')).toEqual([]);
    }
    expect(v.journal.snapshot()).toEqual(snap);
    expect(conserved(v)).toBe(true);
  });

  it('replaying every operation (user and engine) with restore rebuilds the same ledger', () => {
    const v = setup();
    const ops: Operation[] = [];
    v.apply(perp('t1', 'alice/main', 1.5, 50_000));
    v.subscribe((e) => {
      if (e.type === 'operation') ops.push(e.op);
    });
    v.updateMarket(marketAt(43_600, T0 + HOUR), T0 + HOUR, { oracle: oracle(T0 + HOUR) });
    const w = setup();
    w.apply(perp('t1', 'alice/main', 1.5, 50_000));
    for (const op of ops) w.restore(op);
    expect(w.journal.snapshot().balances).toEqual(v.journal.snapshot().balances);
    expect(w.journal.snapshot().positions).toEqual(v.journal.snapshot().positions);
  });
});

describe('Venue: invariants under random price paths', () => {
  it('conserves every asset, never raises an error, and leaves no account liquidatable on a fresh price unless bankrupt', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.8, max: 1.15, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        (moves, size) => {
          const v = setup({}, 1_000);
          v.apply(perp('t1', 'alice/main', size, 50_000));
          let p = 50_000;
          let t = T0;
          for (const m of moves) {
            p *= m;
            t += HOUR;
            v.updateMarket(marketAt(p, t), t, { oracle: oracle(t) });
            expect(conserved(v)).toBe(true);
            const h = v.health('alice/main');
            const bankrupt = v.journal.positionSizeOf('alice/main', 'BTC-PERP') === 0;
            if (!bankrupt) expect(h.status).not.toBe('liquidatable');
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
