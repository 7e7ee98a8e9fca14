/**
 * The trader's view over HTTP (fastify inject, real service, in-memory PGlite): risk (liquidation
 * prices, greeks, curves), the verdict, and the builder. Expected values: a closed form for a
 * long perpetual under cross margin written from the account's own balances; the venue itself
 * (the verdict's figures after a trade equal the account's after the venue fills it); the margin
 * route (the builder from a sub-account shows the same requirements). Every body is parsed with
 * its contract schema.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { startTestService } from '../support/test-service.js';
import * as T from '../../src/adapters/http/trader-contract.js';

const ADMIN = 'xm_trader_admin_key_0123456789';
const wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
let carolRead: string;

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
async function post(url: string, key: string, payload: unknown) {
  const res = await svc.server.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: auth(key),
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}
async function get(url: string, key: string) {
  const res = await svc.server.app.inject({ method: 'GET', url, headers: auth(key) });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs);
  const prices = svc.service.market()!.prices;
  const quotes = ['BTC', 'ETH', 'SOL'].map((asset) => ({
    asset,
    source: 'seed',
    price: prices[asset],
    timeMs: wallMs,
  }));
  expect((await post('/api/v1/oracle/quotes', ADMIN, { quotes })).status).toBe(200);
  for (const [accountId, mode] of [
    ['carol', 'cross'],
    ['dave', 'portfolio'],
  ] as const) {
    expect((await post('/api/v1/accounts', ADMIN, { accountId, subAccountId: 'main', mode })).status).toBe(
      201,
    );
    const dep = {
      kind: 'deposit',
      key: `${accountId}-dep`,
      to: `${accountId}/main`,
      asset: 'USDC',
      units: '20000000000',
    };
    expect((await post('/api/v1/operations', ADMIN, dep)).status).toBe(201);
    const buy = {
      kind: 'trade',
      key: `${accountId}-buy`,
      subAccount: `${accountId}/main`,
      instrument: 'BTC-PERP',
      size: 1,
    };
    expect((await post('/api/v1/operations', ADMIN, buy)).status).toBe(201);
  }
  carolRead = (await post('/api/v1/keys', ADMIN, { scopes: ['read:carol'] })).body.key as string;
});

afterAll(async () => {
  await svc?.close();
});

describe('GET …/risk', () => {
  it('a long perpetual under cross: S* = (qE − C·(1 − h)) / (q(1 − mmr)), from the account itself', async () => {
    const r = await get('/api/v1/accounts/carol/subaccounts/main/risk', carolRead);
    expect(r.status).toBe(200);
    const risk = T.RiskResponse.parse(r.body);
    const sub = (await get('/api/v1/accounts/carol/subaccounts/main', carolRead)).body;
    const usdc = Number(sub.balances.find((b: any) => b.asset === 'USDC').amount);
    const E = sub.positions[0].entryPrice as number;
    // cross: BTC perp MM 1% of notional (first bracket), USDC haircut 0.25% (rate-based-models.ts)
    const expected = (E - usdc * (1 - 0.0025)) / (1 - 0.01);
    const btc = risk.liquidation.underlyings.find((u) => u.underlying === 'BTC')!;
    expect(btc.down!.priceUsd).toBeCloseTo(expected, 3);
    expect(btc.up).toBeNull();
    expect(risk).toMatchObject({ mode: 'cross', status: 'healthy' });
    expect(risk.greeks.underlyings.find((u) => u.underlying === 'BTC')!.deltaCoin).toBeCloseTo(1, 9);
    const curve = risk.curves.find((c) => c.underlying === 'BTC')!;
    expect(curve.liquidationPricesUsd).toEqual([btc.down!.priceUsd]);
    expect(curve.points.length).toBe(62); // 61 + spot
  });

  it('owners read only their own account (403), unknown sub-accounts are 404', async () => {
    expect((await get('/api/v1/accounts/dave/subaccounts/main/risk', carolRead)).status).toBe(403);
    expect((await get('/api/v1/accounts/carol/subaccounts/nope/risk', carolRead)).status).toBe(404);
    const bad = await get('/api/v1/accounts/carol/subaccounts/main/risk?points=2', carolRead);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('points');
  });
});

describe('POST …/verdict', () => {
  it('accepted: the figures after are those of the account once the venue fills the order', async () => {
    const trades = [{ instrument: 'BTC-PERP', size: 0.5 }];
    const v = await post('/api/v1/accounts/dave/subaccounts/main/verdict', ADMIN, { trades });
    expect(v.status).toBe(200);
    const verdict = T.VerdictResponse.parse(v.body);
    expect(verdict).toMatchObject({ verdict: 'accepted', rule: 'initial-margin', model: 'portfolio' });
    expect(verdict.tradingCostUsd).toBeGreaterThan(0); // the market maker's spread and the fee
    const fill = { kind: 'trade', key: 'dave-more', subAccount: 'dave/main', ...trades[0] };
    expect((await post('/api/v1/operations', ADMIN, fill)).status).toBe(201);
    const h = (await get('/api/v1/accounts/dave/subaccounts/main', ADMIN)).body.health;
    expect(h.equityUsd).toBeCloseTo(verdict.after.equityUsd, 4);
    expect(h.initialUsd).toBeCloseTo(verdict.after.initialUsd, 4);
    expect(h.maintenanceUsd).toBeCloseTo(verdict.after.maintenanceUsd, 4);
  });

  it('refused: the rule and the shortfall; the venue refuses the same order', async () => {
    const trades = [{ instrument: 'BTC-PERP', size: 60 }];
    const v = T.VerdictResponse.parse(
      (await post('/api/v1/accounts/carol/subaccounts/main/verdict', carolRead, { trades })).body,
    );
    expect(v).toMatchObject({ verdict: 'refused', rule: 'initial-margin', riskIncreasing: true });
    expect(v.shortfallUsd).toBeCloseTo(v.requiredUsd! - v.after.equityUsd, 6);
    const order = { kind: 'trade', key: 'carol-big', subAccount: 'carol/main', ...trades[0] };
    const r = await post('/api/v1/operations', ADMIN, order);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ERR_INSUFFICIENT_MARGIN');
  });

  it('a size beyond the plausibility bound is refused naming the trade (400)', async () => {
    const r = await post('/api/v1/accounts/carol/subaccounts/main/verdict', carolRead, {
      trades: [{ instrument: 'BTC-PERP', size: 1e9 }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('trades[0].size');
  });
});

describe('POST /builder', () => {
  it('from a sub-account with no legs: the same requirements as its margin route', async () => {
    const b = T.BuilderResponse.parse(
      (await post('/api/v1/builder', carolRead, { base: 'carol/main' })).body,
    );
    const m = (await get('/api/v1/accounts/carol/subaccounts/main/margin', carolRead)).body;
    for (const row of m.rows) {
      const mine = b.models.find((x) => x.model === row.model)!;
      expect(mine.initialUsd).toBeCloseTo(row.initialUsd, 6);
      expect(mine.maintenanceUsd).toBeCloseTo(row.maintenanceUsd, 6);
    }
    expect(b.model).toBe('cross');
  });

  it('from nothing: collateral and legs, every model, greeks and liquidation prices', async () => {
    const instruments = (await get('/api/v1/instruments', carolRead)).body.items as any[];
    const call = instruments.find(
      (i) => i.kind === 'option' && i.underlying === 'BTC' && i.right === 'call',
    )!;
    const b = T.BuilderResponse.parse(
      (
        await post('/api/v1/builder', carolRead, {
          collateral: { USDC: '50000' },
          legs: [
            { instrument: call.id, size: -2 },
            { instrument: 'BTC-PERP', size: 1 },
          ],
        })
      ).body,
    );
    expect(b.positions.map((p) => p.instrument).sort()).toEqual([call.id, 'BTC-PERP'].sort());
    expect(b.models.map((m) => m.model)).toEqual(expect.arrayContaining(['isolated', 'cross', 'portfolio']));
    expect(b.liquidation!.model).toBe('portfolio');
    expect(b.curves[0]!.underlying).toBe('BTC');
  });

  it('refuses a base it may not read (403) and a leg beyond the bound naming legs[i] (400)', async () => {
    expect((await post('/api/v1/builder', carolRead, { base: 'dave/main' })).status).toBe(403);
    const r = await post('/api/v1/builder', carolRead, { legs: [{ instrument: 'BTC-PERP', size: 1e8 }] });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('legs[0].size');
  });
});
