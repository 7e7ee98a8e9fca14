/**
 * A value that passed validation but that the database refuses (here: a CHECK constraint added to
 * a real PGlite database, SQLSTATE 23514) must not stop the service: the refused request is answered
 * 400 naming what was refused, the requests committed with it in the same group are acknowledged,
 * memory and database hold exactly the same operations, and the service keeps serving. A storage
 * failure that is not about the data (the connection gone) still stops it (fail-stop).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSimMarket, createSimTemplate } from '../../src/engine/simulation/sim-market.js';
import { Venue } from '../../src/engine/venue/venue.js';
import { openPgliteClient } from '../../src/adapters/store/pglite-client.js';
import { createSqlStore, type Store } from '../../src/adapters/store/store.js';
import { VenueService } from '../../src/adapters/http/venue-service.js';

const T0 = Date.UTC(2026, 0, 1);
const tpl = createSimTemplate(T0, { BTC: 50_000, ETH: 2_500, SOL: 100 }, { BTC: 0.6, ETH: 0.7 }, 'flat');
const market = buildSimMarket(tpl, T0, { BTC: 50_000, ETH: 2_500, SOL: 100 });
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(constraint: string) {
  const client = await openPgliteClient();
  const store: Store = createSqlStore(client);
  await store.migrate();
  await client.exec(constraint);
  const venue = new Venue({
    assets: ['USDC', 'BTC'].map((s) => market.assets.getAsset(s)),
    limits: { maxLeverage: 20 },
  });
  const fatal: unknown[] = [];
  const service = new VenueService({
    venue,
    store,
    onFatal: (e) => fatal.push(e),
    marketOf: () => ({ market, options: {} }),
    clock: { nowMs: () => T0, marketAt: () => undefined },
  });
  await service.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode: 'cross' });
  cleanup = () => service.close();
  return { service, store, venue, fatal, client };
}

const deposit = (key: string, units: bigint) => ({
  kind: 'deposit' as const,
  key,
  to: 'alice/main',
  asset: 'USDC',
  units,
});

describe('a store that refuses a value', () => {
  it('refuses that request with 400, commits the others of its group, and keeps serving', async () => {
    const { service, store, venue, fatal } = await setup(
      "alter table operations add constraint no_evil check (idempotency_key not like 'evil%')",
    );
    // Submitted together: the queue commits them in one group, which the database refuses.
    const results = await Promise.allSettled([
      service.submit(deposit('good-1', 1_000_000n)),
      service.submit(deposit('evil-1', 5_000_000n)),
      service.submit(deposit('good-2', 2_000_000n)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refusal = (results[1] as PromiseRejectedResult).reason as {
      code: string;
      details: Record<string, unknown>;
    };
    expect(refusal.code).toBe('ERR_INVALID_INPUT');
    expect(refusal.details).toMatchObject({ field: 'body', rule: 'must be storable', sqlState: '23514' });
    expect(service.stopped).toBe(false);
    expect(fatal).toEqual([]);
    // memory and database agree: the two good deposits, nothing of the refused one
    expect(venue.journal.balanceOf('alice/main', 'USDC')).toBe(3_000_000n);
    expect(venue.journal.entryOfKey('evil-1')).toBeUndefined();
    expect((await store.loadOperations()).map((r) => r.op.key)).toEqual(['good-1', 'good-2']);
    // and it keeps serving
    await service.submit(deposit('good-3', 1n));
    expect(venue.journal.balanceOf('alice/main', 'USDC')).toBe(3_000_001n);
  });

  it('a refused sub-account opening is undone too', async () => {
    const { service, venue } = await setup(
      "alter table sub_accounts add constraint no_evil check (account_id <> 'evil')",
    );
    await expect(
      service.openSubAccount({ accountId: 'evil', subAccountId: 'main', mode: 'cross' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    expect(venue.journal.accounts.find('evil/main')).toBeUndefined();
    await service.openSubAccount({ accountId: 'bob', subAccountId: 'main', mode: 'cross' });
    expect(venue.journal.accounts.find('bob/main')).toBeDefined();
  });

  it('a storage failure that is not about the data still stops the service (fail-stop)', async () => {
    const { service, client, fatal } = await setup('select 1');
    await client.close(); // the database is gone
    await expect(service.submit(deposit('after-close', 1n))).rejects.toMatchObject({
      code: 'ERR_UNAVAILABLE',
    });
    expect(service.stopped).toBe(true);
    expect(fatal).toHaveLength(1);
    cleanup = undefined;
  });
});
