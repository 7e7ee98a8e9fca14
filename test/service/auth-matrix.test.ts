/**
 * The auth matrix, generated from the route table the service documents (`/docs/json`): every route
 * × every kind of caller (no key, an unknown key, another account's owner, a read key, a trade key,
 * the venue's matching side, the admin) × several spellings of the path (as documented, a
 * percent-encoded letter, doubled slashes, dot segments, upper case). Each decision (401, 403, or let
 * through) must be the one the route's policy states, and the same for every spelling.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/adapters/http/start-service.js';
import { startTestService, LIFTED_RATE_LIMIT } from '../support/test-service.js';

const ADMIN = 'xm_matrix_admin_key_0123456789';
const wallMs = Date.UTC(2026, 0, 1);
let svc: RunningService;
const keys: Record<string, string | undefined> = {
  none: undefined,
  unknown: 'xm_not_a_real_key_at_all_0000',
};

/** Who may pass each route: `public`, `any` valid key, `reader` of alice, `trader` of alice, `admin`. */
const POLICY: Record<string, 'public' | 'any' | 'reader' | 'trader' | 'admin'> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/venue': 'any',
  'GET /api/v1/instruments': 'any',
  'GET /api/v1/accounts': 'any',
  'GET /api/v1/liquidations': 'any',
  'GET /api/v1/accounts/{accountId}/subaccounts/{subAccountId}': 'reader',
  'GET /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/margin': 'reader',
  'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/whatif': 'reader',
  'GET /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/risk': 'reader',
  'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/verdict': 'reader',
  'POST /api/v1/builder': 'any',
  'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/optimise': 'reader',
  'POST /api/v1/accounts/{accountId}/allocate': 'reader',
  'POST /api/v1/operations': 'trader',
  'POST /api/v1/accounts': 'admin',
  'POST /api/v1/keys': 'admin',
  'GET /api/v1/keys': 'admin',
  'DELETE /api/v1/keys/{keyId}': 'admin',
  'POST /api/v1/keys/{keyId}/rotate': 'admin',
  'POST /api/v1/oracle/quotes': 'admin',
  'GET /api/v1/operations': 'admin',
  'GET /api/v1/ledger/totals': 'admin',
  'GET /api/v1/adl': 'admin',
  'POST /api/v1/replay/step': 'admin',
  'POST /api/v1/crossvenue': 'any',
  'POST /api/v1/solvency/epochs': 'admin',
  'GET /api/v1/solvency/epochs': 'any',
  'GET /api/v1/solvency/epochs/{epochId}': 'any',
  'GET /api/v1/solvency/epochs/{epochId}/proofs': 'any',
  'GET /api/v1/solvency/epochs/{epochId}/accounts/{accountId}/{subAccountId}': 'reader',
  'GET /api/v1/solvency/circuits/{size}/vkey': 'any',
};

/** The scopes each caller holds. */
const CALLERS = ['none', 'unknown', 'otherOwner', 'reader', 'trader', 'venue', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

function expected(
  policy: (typeof POLICY)[string],
  caller: Caller,
): 'unauthenticated' | 'forbidden' | 'allowed' {
  if (policy === 'public') return 'allowed';
  if (caller === 'none' || caller === 'unknown') return 'unauthenticated';
  if (policy === 'any' || caller === 'admin') return 'allowed';
  if (policy === 'admin') return 'forbidden';
  if (policy === 'reader') return caller === 'reader' || caller === 'trader' ? 'allowed' : 'forbidden';
  return caller === 'trader' ? 'allowed' : 'forbidden';
}

const decision = (status: number) =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'allowed';

/** Spellings of a path: as documented, encoded, doubled slashes, dot segments, upper-case statics. */
function spellings(path: string): string[] {
  const upper = path
    .split('/')
    .map((seg, i) =>
      ['alice', 'main', '0123456789abcdef'].includes(seg) || i === 0 ? seg : seg.toUpperCase(),
    )
    .join('/');
  return [
    path,
    path.replace('/api/', '/%61pi/'),
    path.replace(/\//g, '//'),
    path.replace('/v1/', '/v1/./x/../'),
    upper,
  ];
}

let n = 0;
function bodyFor(route: string): unknown {
  n++;
  switch (route) {
    case 'POST /api/v1/operations':
      return { kind: 'deposit', key: `matrix-${n}`, to: 'alice/main', asset: 'USDC', units: '1' };
    case 'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/whatif':
      return { instrument: 'BTC-PERP', size: 0.01 };
    case 'POST /api/v1/accounts/{accountId}/subaccounts/{subAccountId}/verdict':
      return { trades: [{ instrument: 'BTC-PERP', size: 0.01 }] };
    case 'POST /api/v1/accounts':
      return { accountId: `acct${n}`, subAccountId: 'main', mode: 'cross' };
    case 'POST /api/v1/keys':
      return { scopes: ['read:alice'] };
    case 'POST /api/v1/oracle/quotes':
      return {
        quotes: [{ asset: 'BTC', source: 'matrix', price: svc.service.market()!.prices.BTC, timeMs: wallMs }],
      };
    case 'POST /api/v1/replay/step':
      return { steps: 1 };
    default:
      return route.startsWith('POST') ? {} : undefined;
  }
}

beforeAll(async () => {
  svc = await startTestService(ADMIN, () => wallMs, { anonymousRateLimit: LIFTED_RATE_LIMIT });
  keys.admin = ADMIN;
  const post = async (url: string, payload: object) =>
    (
      await svc.server.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json() as any;
  for (const accountId of ['alice', 'bob'])
    await post('/api/v1/accounts', { accountId, subAccountId: 'main', mode: 'cross' });
  keys.reader = (await post('/api/v1/keys', { scopes: ['read:alice'] })).key;
  keys.trader = (await post('/api/v1/keys', { scopes: ['trade:alice'] })).key;
  keys.otherOwner = (await post('/api/v1/keys', { scopes: ['trade:bob'] })).key;
  keys.venue = (await post('/api/v1/keys', { scopes: ['venue'] })).key;
});

afterAll(async () => {
  await svc?.close();
});

describe('auth matrix (every route × caller × spelling)', () => {
  it('decides each route as its policy says, the same way for every spelling of its path', async () => {
    const doc = (await svc.server.app.inject({ method: 'GET', url: '/docs/json' })).json() as any;
    const routes: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const m of Object.keys(methods)) routes.push(`${m.toUpperCase()} ${path}`);
    // every documented API route has a policy here, and every policy a route
    expect(routes.filter((r) => r.includes(' /api/')).sort()).toEqual(Object.keys(POLICY).sort());
    let cells = 0;
    const failures: string[] = [];
    for (const route of Object.keys(POLICY)) {
      const [method, template] = route.split(' ') as [string, string];
      const path = template
        .replace('{accountId}', 'alice')
        .replace('{subAccountId}', 'main')
        .replace('{keyId}', '0123456789abcdef')
        .replace('{epochId}', 'e1')
        .replace('{size}', 'small');
      for (const caller of CALLERS)
        for (const url of spellings(path)) {
          const key = keys[caller];
          const body = bodyFor(route);
          const res = await svc.server.app.inject({
            method: method as 'GET',
            url,
            headers: key ? { authorization: `Bearer ${key}` } : {},
            ...(body === undefined ? {} : { payload: body as object }),
          });
          cells++;
          const got = decision(res.statusCode);
          const want = expected(POLICY[route]!, caller);
          if (got !== want)
            failures.push(`${route} as ${caller} via ${url}: ${res.statusCode} (${got}), want ${want}`);
          if (res.statusCode >= 500) failures.push(`${route} as ${caller} via ${url}: ${res.statusCode}`);
        }
    }
    expect(failures).toEqual([]);
    expect(cells).toBe(Object.keys(POLICY).length * CALLERS.length * 5);
  }, 300_000);
});
