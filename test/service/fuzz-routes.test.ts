/**
 * A route fuzzer driven by the service's own OpenAPI document: for every documented route,
 * fast-check sends malformed and hostile bodies (mutations of a valid request, arbitrary JSON,
 * deep nesting, text that is not JSON, wrong content types), path parameters, query strings and
 * keys (control characters, unpaired surrogates, encoded separators, very long strings, numbers out
 * of range). Asserted for every request: no 5xx; an error body with a code; a 400 or 422 names the
 * field; and afterwards the process still serves and every asset still sums to zero.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { startTestService, LIFTED_RATE_LIMIT } from '../support/test-service.js';

const ADMIN = 'xm_fuzz_admin_key_0123456789';
/** Requests per route (seeded: the global fast-check seed, FC_SEED to vary). */
const RUNS = 100;
const wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
let alice = '';
const stats = { requests: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs, { anonymousRateLimit: LIFTED_RATE_LIMIT });
  const post = async (url: string, payload: object) =>
    (
      await svc.server.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json() as any;
  await post('/api/v1/accounts', { accountId: 'alice', subAccountId: 'main', mode: 'cross' });
  alice = (await post('/api/v1/keys', { scopes: ['trade:alice'] })).key;
  const prices = svc.service.market()!.prices;
  await post('/api/v1/oracle/quotes', {
    quotes: ['BTC', 'ETH', 'SOL'].map((asset) => ({
      asset,
      source: 'seed',
      price: prices[asset],
      timeMs: wallMs,
    })),
  });
  await post('/api/v1/operations', {
    kind: 'deposit',
    key: 'seed-dep',
    to: 'alice/main',
    asset: 'USDC',
    units: '100000000000',
  });
});

afterAll(async () => {
  await svc?.close();
});

/** Strings an attacker tries. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    '\u202e',
    '\u2028',
    '%00',
    '%2F',
    '../..',
    '..%2f..',
    'engine-1',
  ),
  fc.constantFrom(
    'x'.repeat(5000),
    '9'.repeat(400),
    '-1',
    '1e309',
    'NaN',
    'Infinity',
    '0x10',
    '{}',
    '[]',
    'null',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-320),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostile, { maxLength: 3 }),
  fc.dictionary(hostile, hostile, { maxKeys: 3 }),
);

/** A valid request body per route, to mutate. */
const EXAMPLES: Record<string, object> = {
  'POST /api/v1/operations': {
    kind: 'trade',
    key: 'fz',
    subAccount: 'alice/main',
    instrument: 'BTC-PERP',
    size: 0.01,
  },
  'POST /api/v1/accounts': {
    accountId: 'fz',
    subAccountId: 'main',
    mode: 'cross',
    limits: { collateralOrder: ['BTC'] },
  },
  'POST /api/v1/keys': { scopes: ['read:alice'], label: 'fz' },
  'POST /api/v1/oracle/quotes': { quotes: [{ asset: 'BTC', source: 'fz', price: 20_000, timeMs: wallMs }] },
  'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/whatif': { instrument: 'BTC-PERP', size: 1 },
  'POST /api/v1/replay/step': { steps: 1 },
  'POST /api/v1/keys/{keyId}/rotate': {},
};

/** A mutation of a valid object: a field removed, replaced by a hostile value, or one added. */
function mutated(example: object): fc.Arbitrary<unknown> {
  const keys = Object.keys(example);
  return fc.oneof(
    fc.constant(example),
    fc
      .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue)
      .map(([k, v]) => ({ ...example, [k]: v })),
    fc
      .constantFrom(...(keys.length ? keys : ['x']))
      .map((k) => Object.fromEntries(Object.entries(example).filter(([x]) => x !== k))),
    fc.tuple(hostile, hostileValue).map(([k, v]) => ({ ...example, [k]: v })),
    fc.constant({
      ...example,
      kind: 'deposit',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
      key: 'fz\u0000',
    }),
  );
}

/** Percent-encodes; a string with an unpaired surrogate becomes an invalid UTF-8 sequence (also hostile). */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%BF%BF%00';
  }
}

const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
function bodyArb(route: string): fc.Arbitrary<{ payload?: string; contentType?: string }> {
  const json = (x: unknown) => ({ payload: JSON.stringify(x), contentType: 'application/json' });
  return fc.oneof(
    { weight: 5, arbitrary: mutated(EXAMPLES[route] ?? {}).map(json) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(deep(40), deep(5000), '{"a":', '', 'not json', '[1,2', '\u0000')
        .map((p) => ({ payload: p, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1')
        .map((contentType) => ({ payload: 'a=1', contentType })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

const queryArb = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('limit', 'offset', 'after', 'models', 'sort', 'status', 'side', 'key', 'x'),
      hostile,
      { maxKeys: 3 },
    )
    .map(
      (q) =>
        `?${Object.entries(q)
          .map(([k, v]) => `${enc(k)}=${enc(v)}`)
          .join('&')}`,
    ),
  fc.constantFrom(
    '?limit=-1',
    '?limit=1e30',
    '?offset=99999999999999999999',
    '?models=,,',
    '?models=isolated,es,nope',
    '?key=%00',
    '?sort=health&status=bankrupt',
  ),
);

const paramArb = (valid: string) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 2, arbitrary: hostile });

describe('route fuzzer (from the OpenAPI document)', () => {
  it('never answers 5xx, always an error code, names the field of every 400/422, and keeps serving', async () => {
    const doc = (await svc.server.app.inject({ method: 'GET', url: '/docs/json' })).json() as any;
    const routes: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const m of Object.keys(methods))
        if (path.startsWith('/api/')) routes.push(`${m.toUpperCase()} ${path}`);
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      await fc.assert(
        fc.asyncProperty(
          paramArb('alice'),
          paramArb('main'),
          paramArb('0123456789abcdef'),
          queryArb,
          bodyArb(route),
          fc.constantFrom(ADMIN, ADMIN, alice, 'xm_junk', `Bearer ${'x'.repeat(3000)}`),
          async (accountId, subAccountId, keyId, query, body, key) => {
            const path = template
              .replace('{accountId}', enc(accountId))
              .replace('{subAccountId}', enc(subAccountId))
              .replace('{keyId}', enc(keyId))
              .replace('{epochId}', enc(keyId))
              .replace('{size}', enc(subAccountId === 'main' ? 'small' : subAccountId));
            const res = await svc.server.app.inject({
              method: method as 'GET',
              url: `${path}${query}`,
              headers: {
                authorization: key.startsWith('Bearer') ? key : `Bearer ${key}`,
                ...(body.contentType ? { 'content-type': body.contentType } : {}),
              },
              ...(method === 'GET' || body.payload === undefined ? {} : { payload: body.payload }),
            });
            stats.requests++;
            stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
            const where = `${method} ${path}${query.slice(0, 80)} body=${(body.payload ?? '').slice(0, 80)}`;
            if (res.statusCode >= 500) failures.push(`${res.statusCode} ${where}: ${res.body.slice(0, 200)}`);
            if (res.statusCode >= 400) {
              const b = res.json() as any;
              if (typeof b?.error?.code !== 'string') failures.push(`no error code: ${where}`);
              if (
                (res.statusCode === 400 || res.statusCode === 422) &&
                !(typeof b.error.field === 'string' && b.error.field.length > 0)
              )
                failures.push(`${res.statusCode} without a field: ${where}: ${b.error.message}`);
              if (/call stack|at .*\.ts:\d+/.test(res.body)) failures.push(`internals leaked: ${where}`);
            }
          },
        ),
        { numRuns: RUNS },
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // the process is alive and the ledger still balances
    const health = await svc.server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.json()).toMatchObject({ ok: true });
    const totals = (
      await svc.server.app.inject({
        method: 'GET',
        url: '/api/v1/ledger/totals',
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json() as any;
    for (const a of totals.assets) expect(a.total).toBe('0');
    expect(stats.requests).toBe(routes.length * RUNS);
    // the requests reached the handlers, not only the schema: some succeeded
    expect([...stats.byStatus].filter(([s]) => s < 300).reduce((a, [, c]) => a + c, 0)).toBeGreaterThan(50);
  }, 600_000);
});
