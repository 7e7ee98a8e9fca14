/**
 * The optimiser routes through fastify's `inject` on the demo venue (in-memory PGlite, replay
 * paused): a sub-account's suggested trades verified by its model (IM after ≤ IM before), the
 * allocation across an account's sub-accounts, bad bodies refused with 400 naming the field, and
 * another owner's account refused with 403.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';

const ADMIN = 'xm_test_admin_key_optimise_0123';
let svc: RunningService;
let sub: { accountId: string; subAccountId: string };

async function post(url: string, key: string, payload: unknown) {
  const res = await svc.server.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

beforeAll(async () => {
  svc = await startService({
    store: {},
    logger: false,
    demo: { seed: 7, accounts: 12 },
    speed: 0,
    adminKey: ADMIN,
    version: 'test',
    rateLimit: { ratePerSec: 1e6, burst: 1e6 },
    onFatal: (e) => {
      throw e;
    },
  });
  const res = await svc.server.app.inject({
    method: 'GET',
    url: '/api/v1/accounts?limit=50',
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const items = (res.json() as { items: { accountId: string; subAccountId: string; initialUsd: number }[] })
    .items;
  const withRisk = items.filter((i) => i.initialUsd > 0);
  sub = withRisk[0]!;
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('POST …/optimise and …/allocate', () => {
  it('suggests trades verified by the model: IM after ≤ IM before, with the gap', async () => {
    const r = await post(
      `/api/v1/accounts/${sub.accountId}/subaccounts/${sub.subAccountId}/optimise`,
      ADMIN,
      { model: 'deribit-pm' },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.after.initialUsd).toBeLessThanOrEqual(r.body.before.initialUsd + 1e-6);
    expect(r.body.verification.agrees).toBe(true);
    expect(r.body.solver.gapUsd).toBeGreaterThanOrEqual(0);
    expect(r.body.sideBySide.length).toBeGreaterThan(0);
  });

  it('bad input is 400 naming the field; another account is 403', async () => {
    const bad = await post(
      `/api/v1/accounts/${sub.accountId}/subaccounts/${sub.subAccountId}/optimise`,
      ADMIN,
      { budgetUsd: 0 },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/budgetUsd/);
    const model = await post(
      `/api/v1/accounts/${sub.accountId}/subaccounts/${sub.subAccountId}/optimise`,
      ADMIN,
      { model: 'drift' },
    );
    expect(model.status).toBe(400);
    const key = (await post('/api/v1/keys', ADMIN, { scopes: ['read:someone-else'] })).body.key as string;
    const other = await post(
      `/api/v1/accounts/${sub.accountId}/subaccounts/${sub.subAccountId}/optimise`,
      key,
      {},
    );
    expect(other.status).toBe(403);
  });

  it("allocates an account's collateral: every sub-account covers (1 + buffer)·IM on what it posts", async () => {
    const r = await post(`/api/v1/accounts/${sub.accountId}/allocate`, ADMIN, { buffer: 0.1 });
    if (r.status === 422) {
      expect(r.body.error.code).toBe('ERR_OPTIMISATION_INFEASIBLE');
      return;
    }
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const a of r.body.accounts)
      expect(a.after.equityUsd).toBeGreaterThanOrEqual(1.1 * a.after.initialUsd - 0.01);
  });
});
