/**
 * The HTTP and WebSocket API through fastify's `inject` (no ports): the real service over the
 * real engine and an in-memory PGlite store. Expected values come from the requests themselves
 * (a deposit of u units shows a balance of u; an idempotent replay returns the first entry) and
 * from conservation (Σ balances per asset over every ledger account = 0).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal } from '../../src/core/ledger/decimal.js';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { startTestService } from '../support/test-service.js';
import { buildServer } from '../../src/adapters/http/server.js';

const ADMIN = 'xm_test_admin_key_0123456789';
/** The service's wall clock, moved by the tests (the server owns time; clients never set it). */
let wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
let aliceTrade: string;
let aliceRead: string;
let bobTrade: string;

const app = () => svc.server.app;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function post(url: string, key: string | undefined, payload: unknown) {
  const res = await app().inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: key ? auth(key) : {},
  });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
}
async function get(url: string, key?: string) {
  const res = await app().inject({ method: 'GET', url, headers: key ? auth(key) : {} });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
}

const USDC = 10n ** 6n;

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs);
  // A plain venue trades only on fresh oracle prices: the admin posts the first quotes.
  const prices = svc.service.market()!.prices;
  const q = await post('/api/v1/oracle/quotes', ADMIN, {
    quotes: ['BTC', 'ETH', 'SOL'].map((asset) => ({
      asset,
      source: 'seed',
      price: prices[asset],
      timeMs: wallMs,
    })),
  });
  expect(q.status).toBe(200);
  for (const [accountId, mode] of [
    ['alice', 'cross'],
    ['bob', 'portfolio'],
  ] as const) {
    const r = await post('/api/v1/accounts', ADMIN, { accountId, subAccountId: 'main', mode });
    expect(r.status).toBe(201);
  }
  const key = async (scopes: string[]) => {
    const r = await post('/api/v1/keys', ADMIN, { scopes });
    expect(r.status).toBe(201);
    return r.body.key as string;
  };
  aliceTrade = await key(['trade:alice']);
  aliceRead = await key(['read:alice']);
  bobTrade = await key(['trade:bob']);
});

afterAll(async () => {
  await svc?.close();
});

describe('authentication and scopes', () => {
  it('health needs no key; everything else does (401 without, 401 with an unknown key)', async () => {
    expect((await get('/api/v1/health')).body).toEqual({ ok: true, version: 'test' });
    const none = await get('/api/v1/venue');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('ERR_UNAUTHENTICATED');
    expect((await get('/api/v1/venue', 'xm_not_a_key')).status).toBe(401);
    expect((await get(`/api/v1/venue?key=${aliceRead}`)).status).toBe(200);
  });

  it("an owner key never reads or changes another account's sub-account (403)", async () => {
    const read = await get('/api/v1/accounts/bob/subaccounts/main', aliceTrade);
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({ code: 'ERR_FORBIDDEN', details: { required: 'read:bob' } });
    const margin = await get('/api/v1/accounts/bob/subaccounts/main/margin', aliceTrade);
    expect(margin.status).toBe(403);
    const write = await post('/api/v1/operations', aliceTrade, {
      kind: 'deposit',
      key: 'x-cross',
      to: 'bob/main',
      asset: 'USDC',
      units: '1',
    });
    expect(write.status).toBe(403);
    const transfer = await post('/api/v1/operations', aliceTrade, {
      kind: 'transfer',
      key: 'x-cross-transfer',
      from: 'alice/main',
      to: 'bob/main',
      asset: 'USDC',
      units: '1',
    });
    expect(transfer.status).toBe(403);
    expect(transfer.body.error.details.required).toBe('trade:bob');
  });

  it('a read key cannot trade or deposit (403), and admin-only routes refuse owners (403)', async () => {
    const r = await post('/api/v1/operations', aliceRead, {
      kind: 'deposit',
      key: 'ro-1',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    expect(r.status).toBe(403);
    expect(r.body.error.details.required).toBe('trade:alice');
    expect((await post('/api/v1/keys', aliceTrade, { scopes: ['admin'] })).status).toBe(403);
    expect((await get('/api/v1/ledger/totals', aliceTrade)).status).toBe(403);
    expect((await get('/api/v1/adl', aliceTrade)).status).toBe(403);
  });

  it('an owner lists only its own sub-accounts; the admin lists all', async () => {
    const mine = await get('/api/v1/accounts', aliceRead);
    expect(mine.body.items.map((h: { key: string }) => h.key)).toEqual(['alice/main']);
    const all = await get('/api/v1/accounts?sort=id', ADMIN);
    expect(all.body.items.map((h: { key: string }) => h.key)).toEqual(['alice/main', 'bob/main']);
    expect(all.body.total).toBe(2);
  });
});

describe('operations', () => {
  it('a deposit of u units shows a balance of u; a replay returns the first entry (200) and changes nothing', async () => {
    const units = 25_000n * USDC + 123_456n;
    const body = {
      kind: 'deposit',
      key: 'dep-alice-1',
      to: 'alice/main',
      asset: 'USDC',
      units: String(units),
    };
    const first = await post('/api/v1/operations', aliceTrade, body);
    expect(first.status).toBe(201);
    expect(first.body.entry.postings).toContainEqual({
      account: 'alice/main',
      asset: 'USDC',
      units: String(units),
    });
    wallMs += 1000; // a retry later: the server's time differs, the request does not
    const again = await post('/api/v1/operations', aliceTrade, body);
    expect(again.status).toBe(200);
    expect(again.body.entry.seq).toBe(first.body.entry.seq);
    const sub = await get('/api/v1/accounts/alice/subaccounts/main', aliceRead);
    expect(sub.status).toBe(200);
    const usdc = sub.body.balances.find((b: { asset: string }) => b.asset === 'USDC');
    expect(usdc.units).toBe(String(units));
    expect(usdc.amount).toBe(formatDecimal(units, 6, { trimZeros: true }));
  });

  it('the same key with other content is 409 ERR_IDEMPOTENCY_CONFLICT', async () => {
    const r = await post('/api/v1/operations', aliceTrade, {
      kind: 'deposit',
      key: 'dep-alice-1',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ERR_IDEMPOTENCY_CONFLICT');
  });

  it('a malformed amount is 400 ERR_VALIDATION naming the field, the rule and the value', async () => {
    const r = await post('/api/v1/operations', aliceTrade, {
      kind: 'deposit',
      key: 'bad-1',
      to: 'alice/main',
      asset: 'USDC',
      units: '1.5',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'ERR_VALIDATION', field: 'units', value: '1.5' });
    expect(r.body.error.rule).toMatch(/decimal string of base units/);
    const unknown = await post('/api/v1/operations', aliceTrade, {
      kind: 'deposit',
      key: 'bad-2',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
      extra: 1,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('extra');
  });

  it('a withdrawal above the balance is refused (400) and changes nothing', async () => {
    const before = await get('/api/v1/accounts/alice/subaccounts/main', aliceRead);
    const r = await post('/api/v1/operations', aliceTrade, {
      kind: 'withdrawal',
      key: 'wd-too-much',
      from: 'alice/main',
      asset: 'USDC',
      units: String(10n ** 15n),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('units');
    expect((await get('/api/v1/accounts/alice/subaccounts/main', aliceRead)).body.balances).toEqual(
      before.body.balances,
    );
  });

  it('an order opens a position at the mark plus the spread; withdrawing the margin it needs is 422', async () => {
    const btc = (await get('/api/v1/venue', ADMIN)).body.prices.BTC as number;
    const t = await post('/api/v1/operations', aliceTrade, {
      kind: 'trade',
      key: 'trade-alice-1',
      subAccount: 'alice/main',
      instrument: 'BTC-PERP',
      size: 1,
    });
    expect(t.status).toBe(201);
    // the market maker sells at mark × (1 + spread); the fee is linearFeeRate × notional, rounded up
    const { spread, linearFeeRate } = svc.service.venue.trading;
    expect(t.body.operation.price).toBeCloseTo(btc * (1 + spread), 6);
    expect(t.body.operation.cashUnits).toBe('0'); // opening a perpetual pays nothing
    expect(BigInt(t.body.operation.feeUnits)).toBe(
      BigInt(Math.ceil(linearFeeRate * btc * (1 + spread) * 1e6 - 1e-6)),
    );
    const sub = await get('/api/v1/accounts/alice/subaccounts/main', aliceRead);
    expect(sub.body.positions).toEqual([expect.objectContaining({ instrument: 'BTC-PERP', size: 1 })]);
    const balance = BigInt(sub.body.balances.find((b: { asset: string }) => b.asset === 'USDC').units);
    const w = await post('/api/v1/operations', aliceTrade, {
      kind: 'withdrawal',
      key: 'wd-all',
      from: 'alice/main',
      asset: 'USDC',
      units: String(balance),
    });
    expect(w.status).toBe(422);
    expect(w.body.error.code).toBe('ERR_INSUFFICIENT_MARGIN');
    expect(w.body.error.requiredUsd).toBeGreaterThan(0);
    expect(w.body.error.shortfallUsd).toBeGreaterThan(0);
  });

  it('keys starting with "engine-" are reserved for the venue', async () => {
    const r = await post('/api/v1/operations', aliceTrade, {
      kind: 'deposit',
      key: 'engine-1-x',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('key');
  });

  it('conserves every asset: Σ balances over all ledger accounts = 0, and the log holds each operation once', async () => {
    await post('/api/v1/operations', bobTrade, {
      kind: 'deposit',
      key: 'dep-bob-1',
      to: 'bob/main',
      asset: 'USDC',
      units: String(7n * USDC),
    });
    await post('/api/v1/operations', aliceTrade, {
      kind: 'transfer',
      key: 'tr-alice-self',
      from: 'alice/main',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    const totals = await get('/api/v1/ledger/totals', ADMIN);
    expect(totals.status).toBe(200);
    for (const a of totals.body.assets) expect(a.total).toBe('0');
    const usdc = totals.body.assets.find((a: { asset: string }) => a.asset === 'USDC');
    // external holds minus what was deposited (25,000.123456 + 7 USDC)
    expect(usdc.system.external).toBe(String(-(25_000n * USDC + 123_456n + 7n * USDC)));
    const log = await get('/api/v1/operations?limit=10000', ADMIN);
    const keys = log.body.items.map((r: { op: { key: string } }) => r.op.key);
    expect(keys.filter((k: string) => k === 'dep-alice-1')).toHaveLength(1);
    expect(keys).not.toContain('wd-all');
    expect(keys).not.toContain('tr-alice-self');
  });
});

describe('margin, what-if, venue', () => {
  it('compares the models on the sub-account and reports capital released against isolated', async () => {
    const r = await get('/api/v1/accounts/alice/subaccounts/main/margin', aliceRead);
    expect(r.status).toBe(200);
    const iso = r.body.rows.find((x: { model: string }) => x.model === 'isolated');
    const cross = r.body.rows.find((x: { model: string }) => x.model === 'cross');
    expect(iso.releasedVsIsolatedUsd).toBe(0);
    // released = excess(model) − excess(isolated)
    expect(cross.releasedVsIsolatedUsd).toBeCloseTo(cross.excessUsd - iso.excessUsd, 6);
    expect(r.body.heatmap.underlying).toBe('BTC');
    const h = r.body.heatmap;
    expect(h.pnlUsd).toHaveLength(h.volShocks.length);
    // long 1 BTC perp: P&L at spot move m (vol unchanged) is m × spot
    const btc = (await get('/api/v1/venue', ADMIN)).body.prices.BTC as number;
    const mid = h.volShocks.indexOf(0);
    h.spotShocks.forEach((m: number, i: number) => expect(h.pnlUsd[mid][i]).toBeCloseTo(m * btc, 4));
  });

  it('what-if of the opposite trade brings the linear requirement down', async () => {
    const r = await post('/api/v1/accounts/alice/subaccounts/main/whatif', aliceRead, {
      instrument: 'BTC-PERP',
      size: -1,
    });
    expect(r.status).toBe(200);
    const cross = r.body.rows.find((x: { model: string }) => x.model === 'cross');
    expect(cross.after.initialUsd).toBeLessThan(cross.before.initialUsd);
    expect(cross.deltaInitialUsd).toBeCloseTo(cross.after.initialUsd - cross.before.initialUsd, 9);
  });

  it('?models= restricts the comparison; an unknown model is 400 naming it', async () => {
    const one = await post('/api/v1/accounts/alice/subaccounts/main/whatif?models=portfolio', aliceRead, {
      instrument: 'BTC-PERP',
      size: 1,
    });
    expect(one.body.rows.map((r: { model: string }) => r.model)).toEqual(['portfolio']);
    const m = await get('/api/v1/accounts/alice/subaccounts/main/margin?models=cross,isolated', aliceRead);
    expect(m.body.rows.map((r: { model: string }) => r.model)).toEqual(['cross', 'isolated']);
    const bad = await get('/api/v1/accounts/alice/subaccounts/main/margin?models=nope', aliceRead);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'model', value: 'nope' });
  });

  it('posted quotes move the index (median of the sources) and the marks', async () => {
    wallMs += 61_000; // the seed quotes are now older than the aggregation's 60 s: rejected as stale
    const timeMs = wallMs;
    const r = await post('/api/v1/oracle/quotes', ADMIN, {
      quotes: [
        { asset: 'BTC', source: 'a', price: 20_000, timeMs },
        { asset: 'BTC', source: 'b', price: 20_100, timeMs },
        { asset: 'BTC', source: 'c', price: 20_200, timeMs },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.aggregates.BTC.price).toBe(20_100);
    const inst = await get('/api/v1/instruments', aliceRead);
    expect(inst.body.items.find((i: { id: string }) => i.id === 'BTC-PERP').markPrice).toBe(20_100);
    expect(
      (
        await post('/api/v1/oracle/quotes', aliceTrade, {
          quotes: [{ asset: 'BTC', source: 'a', price: 1, timeMs }],
        })
      ).status,
    ).toBe(403);
  });

  it('serves the OpenAPI document with the routes', async () => {
    const doc = await get('/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/operations',
        '/api/v1/accounts/{accountId}/subaccounts/{subAccountId}/margin',
      ]),
    );
  });

  it('unknown routes and sub-accounts are 404 ERR_NOT_FOUND', async () => {
    expect((await get('/api/v1/nope', ADMIN)).body.error.code).toBe('ERR_NOT_FOUND');
    const r = await get('/api/v1/accounts/alice/subaccounts/other', ADMIN);
    expect(r.status).toBe(404);
    expect(r.body.error.field).toBe('subAccountId');
  });
});

describe('WebSocket stream', () => {
  /** Reads messages in order, whether they arrive before or after they are awaited. */
  const reader = (ws: { on(ev: 'message', f: (d: Buffer) => void): void }) => {
    const buffered: Record<string, any>[] = [];
    const waiting: ((m: Record<string, any>) => void)[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Record<string, any>;
      const w = waiting.shift();
      if (w) w(m);
      else buffered.push(m);
    });
    return () =>
      new Promise<Record<string, any>>((resolve) => {
        const m = buffered.shift();
        if (m) resolve(m);
        else waiting.push(resolve);
      });
  };

  it('an owner may subscribe to its account but not to another (403) nor to the venue', async () => {
    const ws = await app().injectWS(`/api/v1/stream?key=${aliceRead}`);
    const next = reader(ws);
    try {
      ws.send(JSON.stringify({ type: 'subscribe', accounts: ['bob/main'] }));
      expect(await next()).toMatchObject({ type: 'error', status: 403, error: { code: 'ERR_FORBIDDEN' } });
      ws.send(JSON.stringify({ type: 'subscribe', venue: true }));
      expect(await next()).toMatchObject({ type: 'error', status: 403 });
      ws.send(JSON.stringify({ type: 'subscribe', accounts: ['alice/main'] }));
      expect(await next()).toEqual({ type: 'subscribed', accounts: ['alice/main'], venue: false });
      const margin = await next();
      expect(margin).toMatchObject({ type: 'margin', account: { key: 'alice/main' } });
    } finally {
      ws.terminate();
    }
  });

  it('venue subscribers receive ticks after a market update', async () => {
    const ws = await app().injectWS('/api/v1/stream', { headers: auth(ADMIN) });
    const next = reader(ws);
    try {
      ws.send(JSON.stringify({ type: 'subscribe', venue: true }));
      expect((await next()).type).toBe('subscribed');
      const tick = next();
      wallMs += 61_000;
      const timeMs = wallMs;
      await post('/api/v1/oracle/quotes', ADMIN, {
        quotes: [{ asset: 'ETH', source: 'a', price: 1500, timeMs }],
      });
      expect(await tick).toMatchObject({ type: 'tick', timeMs, prices: { ETH: 1500 } });
    } finally {
      ws.terminate();
    }
  });

  it('refuses the upgrade without a key (401)', async () => {
    await expect(app().injectWS('/api/v1/stream')).rejects.toThrow(/401/);
  });
});

describe('rate limit', () => {
  it('refuses with 429 ERR_RATE_LIMITED and retry-after once the bucket is empty', async () => {
    let t = 0;
    const limited = await buildServer({
      service: svc.service,
      assets: svc.assets,
      version: 'test',
      logger: false,
      rateLimit: { ratePerSec: 1, burst: 2 },
      nowMs: () => t,
    });
    try {
      const hit = () => limited.app.inject({ method: 'GET', url: '/api/v1/venue', headers: auth(aliceRead) });
      expect((await hit()).statusCode).toBe(200);
      expect((await hit()).statusCode).toBe(200);
      const refused = await hit();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('ERR_RATE_LIMITED');
      expect(refused.headers['retry-after']).toBe('1');
      // another key has its own bucket
      expect(
        (await limited.app.inject({ method: 'GET', url: '/api/v1/venue', headers: auth(ADMIN) })).statusCode,
      ).toBe(200);
      t += 1000; // one token back after 1 s at 1 req/s
      expect((await hit()).statusCode).toBe(200);
    } finally {
      await limited.app.close();
    }
  });
});
