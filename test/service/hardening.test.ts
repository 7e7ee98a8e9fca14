/**
 * The defects an attacker and a new user found in the service, each replayed against the real
 * service (fastify `inject`, in-memory PGlite, the engine): every one must now be refused with a
 * clear 4xx naming the field, change nothing, and leave the process serving.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { startTestService } from '../support/test-service.js';

const ADMIN = 'xm_hardening_admin_key_0123456789';
let wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
let mallory: string; // trade:mallory, no deposit
let alice: string; // trade:alice

const app = () => svc.server.app;
async function req(
  method: string,
  url: string,
  key?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app().inject({
    method: method as 'GET',
    url,
    ...(payload === undefined
      ? {}
      : typeof payload === 'string'
        ? { payload }
        : { payload: payload as object }),
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });
  let body: Record<string, any> = {};
  try {
    body = res.json() as Record<string, any>;
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body, headers: res.headers };
}
const post = (url: string, key: string | undefined, payload: unknown) => req('POST', url, key, payload);
const totals = async () => (await req('GET', '/api/v1/ledger/totals', ADMIN)).body.assets as any[];
const external = async (asset: string) =>
  (await totals()).find((a) => a.asset === asset)?.system.external ?? '0';
const quoteAll = async () => {
  const prices = svc.service.market()!.prices;
  const r = await post('/api/v1/oracle/quotes', ADMIN, {
    quotes: ['BTC', 'ETH', 'SOL'].map((asset) => ({
      asset,
      source: 'feed',
      price: prices[asset],
      timeMs: wallMs,
    })),
  });
  expect(r.status).toBe(200);
};

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs);
  for (const accountId of ['mallory', 'alice'])
    expect(
      (await post('/api/v1/accounts', ADMIN, { accountId, subAccountId: 'main', mode: 'cross' })).status,
    ).toBe(201);
  mallory = (await post('/api/v1/keys', ADMIN, { scopes: ['trade:mallory'] })).body.key;
  alice = (await post('/api/v1/keys', ADMIN, { scopes: ['trade:alice'] })).body.key;
  await quoteAll();
});

afterAll(async () => {
  await svc?.close();
});

describe('money from nowhere', () => {
  it('a trade key cannot set a price, a cash amount or a fee; with no deposit nothing can be withdrawn', async () => {
    const forged = await post('/api/v1/operations', mallory, {
      kind: 'trade',
      key: 'mint-1',
      subAccount: 'mallory/main',
      instrument: 'BTC-PERP',
      size: 1,
      price: 1,
      asset: 'USDC',
      cashUnits: String(10n ** 15n),
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.field).toMatch(/asset|cashUnits/);
    const priced = await post('/api/v1/operations', mallory, {
      kind: 'trade',
      key: 'mint-2',
      subAccount: 'mallory/main',
      instrument: 'BTC-PERP',
      size: 1,
      price: 1,
    });
    expect(priced.status).toBe(403);
    expect(priced.body.error.details.required).toBe('venue');
    const order = await post('/api/v1/operations', mallory, {
      kind: 'trade',
      key: 'mint-3',
      subAccount: 'mallory/main',
      instrument: 'BTC-PERP',
      size: 1,
    });
    expect(order.status).toBe(422); // no collateral: margin refuses the order
    const w = await post('/api/v1/operations', mallory, {
      kind: 'withdrawal',
      key: 'mint-4',
      from: 'mallory/main',
      asset: 'USDC',
      units: '1000000',
    });
    expect(w.status).toBe(400);
    expect(await external('USDC')).toBe('0');
  });

  it("a fill from the venue's matching side must lie in the band around the mark (ERR_PRICE_OUT_OF_BOUNDS naming price)", async () => {
    const venueKey = (await post('/api/v1/keys', ADMIN, { scopes: ['venue'] })).body.key;
    await post('/api/v1/operations', alice, {
      kind: 'deposit',
      key: 'a-dep',
      to: 'alice/main',
      asset: 'USDC',
      units: String(10n ** 11n),
    });
    const mark = svc.service.market()!.prices.BTC!;
    const far = await post('/api/v1/operations', venueKey, {
      kind: 'trade',
      key: 'fill-far',
      subAccount: 'alice/main',
      instrument: 'BTC-PERP',
      size: 0.1,
      price: mark * 0.5,
    });
    expect(far.status).toBe(422);
    expect(far.body.error).toMatchObject({ code: 'ERR_PRICE_OUT_OF_BOUNDS', field: 'price' });
    const near = await post('/api/v1/operations', venueKey, {
      kind: 'trade',
      key: 'fill-near',
      subAccount: 'alice/main',
      instrument: 'BTC-PERP',
      size: 0.1,
      price: mark * 1.01,
    });
    expect(near.status).toBe(201);
    expect(near.body.operation.price).toBe(mark * 1.01);
  });

  it('the venue and system accounts are never deposit or transfer targets', async () => {
    for (const to of ['venue/backstop', 'insurance-fund'])
      expect(
        (
          await post('/api/v1/operations', ADMIN, {
            kind: 'deposit',
            key: `sys-${to}`,
            to,
            asset: 'USDC',
            units: '1',
          })
        ).status,
      ).toBe(400);
    const t = await post('/api/v1/operations', ADMIN, {
      kind: 'transfer',
      key: 'sys-transfer',
      from: 'alice/main',
      to: 'venue/backstop',
      asset: 'USDC',
      units: '1',
    });
    expect(t.status).toBe(400);
    expect(t.body.error.field).toBe('to');
  });
});

describe('one request cannot stop the server', () => {
  it('a NUL byte or other control character in any string is a 400 naming the field; the server keeps serving', async () => {
    const cases: [string, string | undefined, unknown, string][] = [
      [
        '/api/v1/operations',
        alice,
        { kind: 'deposit', key: 'k\u0000', to: 'alice/main', asset: 'USDC', units: '1' },
        'key',
      ],
      ['/api/v1/keys', ADMIN, { scopes: ['read:alice'], label: 'x\u0000y' }, 'label'],
      [
        '/api/v1/accounts',
        ADMIN,
        { accountId: 'bob', subAccountId: 'main', mode: 'cross', limits: { collateralOrder: ['BTC\u0000'] } },
        'limits.collateralOrder[0]',
      ],
      [
        '/api/v1/oracle/quotes',
        ADMIN,
        { quotes: [{ asset: 'BTC', source: 'a\u0000', price: 1, timeMs: wallMs }] },
        'quotes[0].source',
      ],
      ['/api/v1/keys', ADMIN, { scopes: ['read:alice'], label: '\ud800' }, 'label'],
    ];
    for (const [url, key, body, field] of cases) {
      const r = await post(url, key, body);
      expect(r.status, `${url} ${field}`).toBe(400);
      expect(r.body.error.field).toBe(field);
    }
    expect((await req('GET', '/api/v1/health')).body.ok).toBe(true);
  });

  it('deeply nested JSON is a 400 naming the rule (no stack overflow leaks); a body over 1 MiB is 413', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = await req('POST', '/api/v1/operations', alice, deep, { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).not.toMatch(/call stack/i);
    expect(r.body.error.rule).toMatch(/nest at most 32 levels/);
    const big = await req('POST', '/api/v1/operations', alice, JSON.stringify({ pad: 'x'.repeat(2 << 20) }), {
      'content-type': 'application/json',
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ERR_PAYLOAD_TOO_LARGE');
  });

  it('an unknown instrument is a 400 naming `instrument`, not a 500', async () => {
    const r = await post('/api/v1/operations', alice, {
      kind: 'trade',
      key: 'unk',
      subAccount: 'alice/main',
      instrument: 'DOGE-PERP',
      size: 1,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'ERR_UNKNOWN_INSTRUMENT', field: 'instrument' });
    const w = await post('/api/v1/accounts/alice/subaccounts/main/whatif', alice, {
      instrument: 'DOGE-PERP',
      size: 1,
    });
    expect(w.status).toBe(400);
    expect(w.body.error.field).toBe('instrument');
  });
});

describe('WebSocket messages are checked like bodies', () => {
  it('a hostile subscription is answered with an error frame naming the field; the connection serves on', async () => {
    const ws = await app().injectWS(`/api/v1/stream?key=${alice}`);
    const frames: any[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString())));
    const next = async (n: number) => {
      for (let i = 0; i < 200 && frames.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return frames[n - 1];
    };
    try {
      ws.send(JSON.stringify({ type: 'subscribe', accounts: ['alice/main\u0000'] }));
      expect(await next(1)).toMatchObject({ type: 'error', status: 400, error: { field: 'accounts[0]' } });
      ws.send(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
      expect((await next(2)).type).toBe('error');
      ws.send('not json');
      expect((await next(3)).type).toBe('error');
      ws.send(JSON.stringify({ type: 'subscribe', accounts: ['alice/main'] }));
      expect(await next(4)).toMatchObject({ type: 'subscribed', accounts: ['alice/main'] });
    } finally {
      ws.terminate();
    }
  });
});

describe('keys cannot be bypassed by spelling the path', () => {
  const spellings = [
    '/%61pi/v1/venue',
    '//api//v1/venue',
    '/api/v1/./venue',
    '/api/v1/x/../venue',
    '/API/V1/VENUE',
    '/api/v1/venue/',
  ];
  it('every spelling of a route gets the route decision: 401 without a key, 200 with one', async () => {
    for (const url of spellings) {
      expect((await req('GET', url)).status, url).toBe(401);
      expect((await req('GET', url, alice)).status, url).toBe(200);
    }
    expect((await req('GET', '/%61pi/v1/instruments')).status).toBe(401);
  });

  it('the WebSocket upgrade is checked the same way', async () => {
    await expect(app().injectWS('/%61pi/v1/stream')).rejects.toThrow(/401/);
    await expect(app().injectWS('//api/v1/stream')).rejects.toThrow(/401/);
  });

  it('a revoked key authenticates nothing; a rotated key keeps its scopes', async () => {
    const created = (await post('/api/v1/keys', ADMIN, { scopes: ['read:alice'], label: 'to rotate' })).body;
    expect((await req('GET', '/api/v1/venue', created.key)).status).toBe(200);
    const rotated = await post(`/api/v1/keys/${created.id}/rotate`, ADMIN, {});
    expect(rotated.status).toBe(201);
    expect(rotated.body.scopes).toEqual(['read:alice']);
    expect((await req('GET', '/api/v1/venue', created.key)).status).toBe(401);
    expect((await req('GET', '/api/v1/venue', rotated.body.key)).status).toBe(200);
    const del = await req('DELETE', `/api/v1/keys/${rotated.body.id}`, ADMIN);
    expect(del.status).toBe(200);
    expect((await req('GET', '/api/v1/venue', rotated.body.key)).status).toBe(401);
    const list = (await req('GET', '/api/v1/keys', ADMIN)).body.items as any[];
    expect(list.find((k) => k.id === created.id).revokedAtMs).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it('answers a CORS preflight without a key', async () => {
    const r = await req('OPTIONS', '/api/v1/operations', undefined, undefined, {
      origin: 'https://example.org',
      'access-control-request-method': 'POST',
    });
    expect(r.status).toBe(204);
  });
});

describe('the server owns the clock', () => {
  it('an owner cannot set timeMs; an admin cannot set it behind the venue clock', async () => {
    const back = { kind: 'deposit', key: 'clock-1', to: 'alice/main', asset: 'USDC', units: '1', timeMs: 0 };
    expect((await post('/api/v1/operations', alice, back)).status).toBe(403);
    const r = await post('/api/v1/operations', ADMIN, back);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('timeMs');
  });

  it('a feed silent longer than the policy blocks risk-increasing actions by wall time, naming what it prices', async () => {
    await quoteAll();
    wallMs += 65_000; // no quote for 65 s of wall time
    const r = await post('/api/v1/operations', alice, {
      kind: 'trade',
      key: 'stale-1',
      subAccount: 'alice/main',
      instrument: 'BTC-PERP',
      size: 0.01,
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'ERR_ORACLE_STALE', field: 'instrument' });
    const w = await post('/api/v1/operations', alice, {
      kind: 'withdrawal',
      key: 'stale-2',
      from: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    expect(w.status).toBe(422);
    await quoteAll();
    const ok = await post('/api/v1/operations', alice, {
      kind: 'trade',
      key: 'stale-3',
      subAccount: 'alice/main',
      instrument: 'BTC-PERP',
      size: 0.01,
    });
    expect(ok.status).toBe(201);
  });

  it('an instrument past its expiry by the server clock refuses trades (400 naming instrument)', async () => {
    const items = (await req('GET', '/api/v1/instruments', alice)).body.items as any[];
    const option = items.filter((i) => i.kind === 'option').sort((a, b) => a.expiryMs - b.expiryMs)[0];
    wallMs = option.expiryMs + 1;
    const r = await post('/api/v1/operations', alice, {
      kind: 'trade',
      key: 'expired-1',
      subAccount: 'alice/main',
      instrument: option.id,
      size: 1,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'ERR_INSTRUMENT_EXPIRED', field: 'instrument' });
  });
});

describe('requests without a key are rate limited per address', () => {
  it('answers 429 once the per-address bucket is empty', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push((await req('GET', '/api/v1/venue')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  });
});
