/**
 * The fail-stop rule: when a commit fails, the memory is ahead of the database, so the service
 * must not acknowledge the operation nor accept anything after it. The failure here is real: the
 * PGlite database is closed under the running service.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';

const ADMIN = 'xm_fail_stop_admin_key_00000';
const fatal: unknown[] = [];
let svc: RunningService | undefined;

afterAll(async () => {
  await svc?.server.app.close();
});

describe('fail-stop after a storage failure', () => {
  it('refuses the failed operation and everything after it with 503, and reports the failure once', async () => {
    svc = await startService({
      store: {},
      adminKey: ADMIN,
      version: 't',
      logger: false,
      onFatal: (e) => fatal.push(e),
    });
    const inject = (payload: object) =>
      svc!.server.app.inject({
        method: 'POST',
        url: '/api/v1/operations',
        headers: { authorization: `Bearer ${ADMIN}` },
        payload,
      });
    const open = await svc.server.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { accountId: 'alice', subAccountId: 'main', mode: 'cross' },
    });
    expect(open.statusCode).toBe(201);
    expect(
      (await inject({ kind: 'deposit', key: 'ok-1', to: 'alice/main', asset: 'USDC', units: '5' }))
        .statusCode,
    ).toBe(201);

    await svc.store.close(); // the database goes away under the service
    const failed = await inject({
      kind: 'deposit',
      key: 'lost-1',
      to: 'alice/main',
      asset: 'USDC',
      units: '7',
    });
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error.code).toBe('ERR_UNAVAILABLE');
    expect(fatal).toHaveLength(1);

    const after = await inject({
      kind: 'deposit',
      key: 'after-1',
      to: 'alice/main',
      asset: 'USDC',
      units: '1',
    });
    expect(after.statusCode).toBe(503);
    expect(fatal).toHaveLength(1);
    const health = await svc.server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.json().ok).toBe(false);
  });
});
