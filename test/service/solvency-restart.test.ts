/**
 * Solvency epochs over HTTP survive a restart of the service: the demo service (4 seeded accounts)
 * on a PGlite data directory commits an epoch (the shipped full circuit), an owner fetches their
 * proofs (proven on demand), the service is closed and started again on the same directory.
 * Expected: what was served before — the epoch, the owner's file, every proof listed — is served
 * again byte for byte, and a second commit of the same id is still refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';

const ADMIN = 'xm_solvency_restart_admin_key_0001';
const dir = mkdtempSync(join(tmpdir(), 'xmargin-solvency-restart-'));
let running: RunningService | undefined;

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function start(): Promise<{ service: RunningService; url: string }> {
  const service = await startService({
    store: { dataDir: dir },
    demo: { seed: 7, accounts: 4 },
    speed: 0,
    adminKey: ADMIN,
    version: 'test',
    logger: false,
    onFatal: (e) => {
      throw e;
    },
  });
  const url = (await service.server.app.listen({ port: 0, host: '127.0.0.1' })).replace(
    '0.0.0.0',
    '127.0.0.1',
  );
  return { service, url };
}

async function call(url: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
}

describe('solvency epochs over HTTP across a restart (PGlite data directory)', () => {
  it('serves the epoch, the owner file and the proofs made before the restart, byte for byte', async () => {
    let s = await start();
    running = s.service;
    const made = await call(s.url, '/solvency/epochs', ADMIN, { epochId: 'restart-http-1' });
    expect(made.status).toBe(201);
    const owner = JSON.parse((await call(s.url, '/keys', ADMIN, { scopes: ['read:trader-0001'] })).text) as {
      key: string;
    };
    const epoch = await call(s.url, '/solvency/epochs/restart-http-1', owner.key);
    const mine = await call(s.url, '/solvency/epochs/restart-http-1/accounts/trader-0001/main', owner.key);
    expect(mine.status).toBe(200);
    expect((JSON.parse(mine.text) as { compliance: unknown }).compliance).not.toBeNull();
    const proofs = JSON.parse(
      (await call(s.url, '/solvency/epochs/restart-http-1/proofs', owner.key)).text,
    ) as {
      proofs: { index: number }[];
    };
    await s.service.close();
    running = undefined;

    s = await start();
    running = s.service;
    expect(await call(s.url, '/solvency/epochs/restart-http-1', owner.key)).toEqual(epoch);
    expect(await call(s.url, '/solvency/epochs/restart-http-1/accounts/trader-0001/main', owner.key)).toEqual(
      mine,
    );
    const after = JSON.parse(
      (await call(s.url, '/solvency/epochs/restart-http-1/proofs', owner.key)).text,
    ) as {
      proofs: { index: number }[];
    };
    // Proofs made in the background before the restart are all there, unchanged (more may follow).
    for (const p of proofs.proofs) expect(after.proofs).toContainEqual(p);
    const list = JSON.parse((await call(s.url, '/solvency/epochs', owner.key)).text) as {
      items: { epochId: string }[];
    };
    expect(list.items.map((e) => e.epochId)).toEqual(['restart-http-1']);
    const again = await call(s.url, '/solvency/epochs', ADMIN, { epochId: 'restart-http-1' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('epochId');
  }, 900_000);
});
