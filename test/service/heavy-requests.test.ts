/**
 * Heavy requests off the event loop (adapters/http/heavy-requests.ts, explain-pool.ts), through the
 * real service (fastify inject, in-memory PGlite, a venue priced by posted quotes):
 *
 * - the same request gives the same bytes from the worker threads and from the event loop (two
 *   servers on one service: one with workers, one with none) for every heavy route;
 * - while heavy requests are in flight, a cheap one is answered before they all complete (order
 *   of completion, no time bound);
 * - the queue bound answers 503 and the per-key cost budget 429, both with Retry-After and the
 *   service's error body naming the rule, and change nothing (journal sequence, other keys served);
 * - a worker stopped while it computes fails that request with 503, and the next is served.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type XmarginServer } from '../../src/adapters/http/server.js';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { LIFTED_RATE_LIMIT, startTestService } from '../support/test-service.js';
import type { HeavyRequestOptions } from '../../src/adapters/http/heavy-requests.js';
import { crossVenueBody } from '../support/crossvenue-payloads.js';

const ADMIN = 'xm_heavy_admin_key_0123456789';
const wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
let reader: string;
let callId: string;
const extra: XmarginServer[] = [];

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
async function call(
  server: XmarginServer,
  method: 'GET' | 'POST',
  url: string,
  key: string,
  payload?: unknown,
) {
  const res = await server.app.inject({
    method,
    url,
    headers: auth(key),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return {
    status: res.statusCode,
    text: res.body,
    body: res.json() as Record<string, any>,
    headers: res.headers,
  };
}

/** Another server on the same service (same venue, store and keys), with its own heavy limits. */
async function serverWith(heavy: HeavyRequestOptions): Promise<XmarginServer> {
  const s = await buildServer({
    service: svc.service,
    assets: svc.assets,
    version: 'test',
    logger: false,
    rateLimit: LIFTED_RATE_LIMIT,
    heavy,
  });
  extra.push(s);
  return s;
}

/** Waits (yielding to the event loop) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs, { heavy: { workers: 1 } });
  const post = (url: string, payload: unknown) => call(svc.server, 'POST', url, ADMIN, payload);
  const prices = svc.service.market()!.prices;
  const quotes = ['BTC', 'ETH', 'SOL'].map((asset) => ({
    asset,
    source: 'seed',
    price: prices[asset],
    timeMs: wallMs,
  }));
  expect((await post('/api/v1/oracle/quotes', { quotes })).status).toBe(200);
  const items = (await call(svc.server, 'GET', '/api/v1/instruments', ADMIN)).body.items as any[];
  callId = items.find((i) => i.kind === 'option' && i.underlying === 'BTC' && i.right === 'call').id;
  for (const [accountId, mode] of [
    ['erin', 'es'],
    ['dave', 'portfolio'],
  ] as const) {
    expect((await post('/api/v1/accounts', { accountId, subAccountId: 'main', mode })).status).toBe(201);
    const dep = {
      kind: 'deposit',
      key: `${accountId}-dep`,
      to: `${accountId}/main`,
      asset: 'USDC',
      units: '50000000000',
    };
    expect((await post('/api/v1/operations', dep)).status).toBe(201);
    for (const [i, [instrument, size]] of (
      [
        ['BTC-PERP', 1],
        [callId, -2],
      ] as const
    ).entries()) {
      const trade = {
        kind: 'trade',
        key: `${accountId}-t${i}`,
        subAccount: `${accountId}/main`,
        instrument,
        size,
      };
      expect((await post('/api/v1/operations', trade)).status).toBe(201);
    }
  }
  reader = (await post('/api/v1/keys', { scopes: ['read:erin', 'read:dave'] })).body.key as string;
});

afterAll(async () => {
  for (const s of extra) await s.app.close();
  await svc?.close();
});

describe('heavy requests on worker threads', () => {
  it('starts its worker threads (the compiled worker script exists)', () => {
    expect(svc.server.heavy.pool.inProcessReason).toBeUndefined();
    expect(svc.server.heavy.pool.workers).toBe(1);
  });

  it('answers every heavy route with the same bytes as the event loop computes', async () => {
    const local = await serverWith({ workers: 0 });
    expect(local.heavy.pool.workers).toBe(0);
    const sub = '/api/v1/accounts/erin/subaccounts/main';
    const requests: [string, 'GET' | 'POST', string, unknown?][] = [
      ['margin (es account, 6 models)', 'GET', `${sub}/margin`],
      ['margin (portfolio account)', 'GET', '/api/v1/accounts/dave/subaccounts/main/margin'],
      ['what-if', 'POST', `${sub}/whatif`, { instrument: 'BTC-PERP', size: 0.3 }],
      ['what-if, refused size', 'POST', `${sub}/whatif`, { instrument: 'BTC-PERP', size: 1e12 }],
      ['risk', 'GET', `${sub}/risk`],
      ['verdict', 'POST', `${sub}/verdict`, { trades: [{ instrument: 'BTC-PERP', size: 0.5 }] }],
      [
        'builder from the account',
        'POST',
        '/api/v1/builder',
        { base: 'erin/main', legs: [{ instrument: callId, size: 1 }] },
      ],
      [
        'builder from nothing',
        'POST',
        '/api/v1/builder',
        { legs: [{ instrument: 'ETH-PERP', size: -3 }], collateral: { USDC: '10000' }, model: 'es' },
      ],
      ['optimise', 'POST', '/api/v1/accounts/dave/subaccounts/main/optimise', {}],
      ['allocate', 'POST', '/api/v1/accounts/dave/allocate', {}],
      ['cross-venue', 'POST', '/api/v1/crossvenue', crossVenueBody()],
    ];
    const before = svc.server.heavy.pool.stats();
    for (const [name, method, url, payload] of requests) {
      const viaWorker = await call(svc.server, method, url, reader, payload);
      const onLoop = await call(local, method, url, reader, payload);
      expect(viaWorker.status, `${name}: ${viaWorker.text.slice(0, 300)}`).toBe(onLoop.status);
      expect(viaWorker.text, name).toBe(onLoop.text);
      expect(viaWorker.status === 200 || name.includes('refused'), name).toBe(true);
    }
    // every one of them was computed by the worker, none handed back to the event loop
    const after = svc.server.heavy.pool.stats();
    expect(after.byWorkers - before.byWorkers).toBe(requests.length);
    expect(after.inProcess - before.inProcess).toBe(0);
  });

  it('answers a cheap request while heavy ones are in flight, before they all complete', async () => {
    const order: string[] = [];
    const heavy = [1, 2, 3].map((i) =>
      call(svc.server, 'POST', '/api/v1/builder', reader, {
        base: 'erin/main',
        model: 'es',
        legs: [{ instrument: 'BTC-PERP', size: 0.1 * i }],
        points: 61,
      }).then((r) => {
        order.push(`heavy${i}`);
        return r;
      }),
    );
    await until(() => svc.server.heavy.pool.running > 0);
    const cheap = call(svc.server, 'GET', '/api/v1/venue', ADMIN).then((r) => {
      order.push('cheap');
      return r;
    });
    const results = await Promise.all([...heavy, cheap]);
    for (const r of results) expect(r.status).toBe(200);
    expect(order.indexOf('cheap'), order.join(' ')).toBeLessThan(order.length - 1);
  });

  it('refuses with 503 and Retry-After when the queue is full, changing nothing', async () => {
    const small = await serverWith({ workers: 1, maxQueued: 1 });
    const seq = svc.service.lastSeq;
    const rs = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        call(small, 'POST', '/api/v1/builder', reader, {
          base: 'erin/main',
          model: 'es',
          legs: [{ instrument: 'BTC-PERP', size: i }],
        }),
      ),
    );
    const ok = rs.filter((r) => r.status === 200);
    const refused = rs.filter((r) => r.status === 503);
    // one computing, one waiting; the others refused at once
    expect(ok.length).toBe(2);
    expect(refused.length).toBe(3);
    for (const r of refused) {
      expect(r.body.error.code).toBe('ERR_UNAVAILABLE');
      expect(r.body.error.rule).toBe('at most 1 heavy requests wait for a worker');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(svc.service.lastSeq).toBe(seq);
    // and it serves again once the queue has drained
    expect((await call(small, 'GET', '/api/v1/accounts/erin/subaccounts/main/margin', reader)).status).toBe(
      200,
    );
  });

  it("refuses with 429 and Retry-After once a key's cost budget is spent; other keys are served", async () => {
    const tight = await serverWith({ workers: 1, costPerSec: 1, burst: 1000 });
    const seq = svc.service.lastSeq;
    const whatIf = (key: string) =>
      call(tight, 'POST', '/api/v1/accounts/erin/subaccounts/main/whatif', key, {
        instrument: 'BTC-PERP',
        size: 0.2,
      });
    expect((await whatIf(reader)).status).toBe(200);
    const r = await whatIf(reader);
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('ERR_RATE_LIMITED');
    expect(r.body.error.rule).toBe('heavy requests of a key cost <= 1 work units/s (bursts of 1000)');
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // a cheap request of the same key is not charged; another key has its own budget
    expect((await call(tight, 'GET', '/api/v1/accounts/erin/subaccounts/main', reader)).status).toBe(200);
    expect((await whatIf(ADMIN)).status).toBe(200);
    expect(svc.service.lastSeq).toBe(seq);
  });

  it('fails the request of a worker that stops with 503, and serves the next one', async () => {
    const pool = svc.server.heavy.pool;
    const pending = call(svc.server, 'POST', '/api/v1/builder', reader, {
      base: 'erin/main',
      model: 'es',
      legs: [{ instrument: 'BTC-PERP', size: 0.77 }],
    });
    await until(() => pool.running > 0);
    await pool.threads()[0]!.terminate();
    const r = await pending;
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('ERR_UNAVAILABLE');
    expect(r.body.error.rule).toBe('a heavy request is computed by a live worker thread');
    const again = await call(svc.server, 'GET', '/api/v1/accounts/erin/subaccounts/main/margin', reader);
    expect(again.status).toBe(200);
    expect(pool.workers).toBe(1);
    expect((await call(svc.server, 'GET', '/api/v1/health', ADMIN)).body.ok).toBe(true);
  });
});
