/**
 * The store's behavioural suite, run against every driver (hono's shared-suite idea): embedded
 * PGlite always, PostgreSQL when a server is reachable at the test address (otherwise skipped,
 * with the reason in the title). Expected values come from what was written (round trips) and
 * from the all-or-nothing rule of a transaction.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFingerprint, type Operation } from '../../src/engine/operations.js';
import { migrate, MIGRATIONS } from '../../src/adapters/store/migrations.js';
import { openPgClient } from '../../src/adapters/store/pg-client.js';
import { openPgliteClient } from '../../src/adapters/store/pglite-client.js';
import type { SqlClient } from '../../src/adapters/store/sql-client.js';
import { createSqlStore, type Store } from '../../src/adapters/store/store.js';
import { decodeOperation, encodeOperation } from '../../src/adapters/store/operation-codec.js';
import { PG_TEST_URL, pgAdmin, pgUnavailableReason, uniqueName } from './pg-support.js';

const pgReason = await pgUnavailableReason();

interface Driver {
  readonly name: string;
  readonly skip?: string;
  open(): Promise<SqlClient>;
  cleanup(): Promise<void>;
}

const pgSchema = uniqueName('xm_store_test');
const drivers: Driver[] = [
  { name: 'PGlite (in memory)', open: () => openPgliteClient(), cleanup: async () => undefined },
  {
    name: 'PostgreSQL',
    ...(pgReason !== undefined ? { skip: pgReason } : {}),
    open: () => openPgClient({ connectionString: PG_TEST_URL, schema: pgSchema }),
    cleanup: () => pgAdmin(`drop schema if exists ${pgSchema} cascade`),
  },
];

const dep = (key: string, units: bigint, to = 'alice/main'): Operation => ({
  kind: 'deposit',
  key,
  timeMs: 1_700_000_000_000,
  to,
  asset: 'USDC',
  units,
});

for (const d of drivers) {
  describe.skipIf(d.skip !== undefined)(
    `store on ${d.name}${d.skip !== undefined ? ` (skipped: ${d.skip})` : ''}`,
    () => {
      let client: SqlClient;
      let store: Store;

      beforeAll(async () => {
        client = await d.open();
        store = createSqlStore(client);
        await store.migrate();
      });
      afterAll(async () => {
        await store?.close();
        await d.cleanup();
      });

      it('records every migration once; migrating again applies nothing', async () => {
        expect(await store.appliedMigrations()).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await store.migrate()).toEqual([]);
      });

      it('a failing migration leaves neither its tables nor its record (one transaction)', async () => {
        const bad = {
          version: 9001,
          name: 'broken',
          sql: 'create table half_done (x int); select * from no_such_table;',
        };
        await expect(migrate(client, [bad])).rejects.toThrow(/no_such_table/);
        const tables = await client.query<{ n: unknown }>(
          "select count(*) as n from information_schema.tables where table_name = 'half_done'",
        );
        expect(Number(tables[0]!.n)).toBe(0);
        expect(await store.appliedMigrations()).not.toContain(9001);
      });

      it('operations round-trip exactly, bigint and float fields included, in commit order', async () => {
        const trade: Operation = {
          kind: 'trade',
          key: 'rt-trade',
          timeMs: 1_700_000_000_001,
          subAccount: 'alice/main',
          instrument: 'BTC-PERP',
          size: 0.1 + 0.2, // 0.30000000000000004: must come back bit for bit
          price: 65_000.123456789,
          asset: 'USDC',
          cashUnits: -(10n ** 30n) - 7n, // beyond 2^64
          feeUnits: 0n,
        };
        const small = dep('rt-small', 1n);
        await store.commit({
          operations: [
            { op: trade, origin: 'user' },
            { op: small, origin: 'engine' },
          ],
        });
        const rows = (await store.loadOperations()).filter((r) => r.op.key.startsWith('rt-'));
        expect(rows.map((r) => r.op.key)).toEqual(['rt-trade', 'rt-small']);
        expect(rows[0]!.seq).toBeLessThan(rows[1]!.seq);
        expect(rows.map((r) => r.origin)).toEqual(['user', 'engine']);
        expect(rows[0]!.op).toEqual(trade);
        expect(toFingerprint(rows[0]!.op)).toBe(toFingerprint(trade));
        expect((rows[0]!.op as { size: number }).size).toBe(0.30000000000000004);
        const after = await store.loadOperations(rows[0]!.seq);
        expect(after.map((r) => r.op.key)).toContain('rt-small');
        expect(after.map((r) => r.op.key)).not.toContain('rt-trade');
      });

      it('a batch is all or nothing: a duplicate idempotency key rolls back every row of it', async () => {
        await store.commit({ operations: [{ op: dep('aon-1', 5n), origin: 'user' }] });
        const before = await store.countOperations();
        await expect(
          store.commit({
            subAccounts: [{ accountId: 'carol', subAccountId: 'main', mode: 'cross' }],
            operations: [
              { op: dep('aon-2', 6n), origin: 'user' },
              { op: dep('aon-1', 5n), origin: 'user' },
            ],
          }),
        ).rejects.toThrow();
        expect(await store.countOperations()).toBe(before);
        expect((await store.loadOperations()).map((r) => r.op.key)).not.toContain('aon-2');
        expect((await store.loadSubAccounts()).map((s) => s.accountId)).not.toContain('carol');
      });

      it('sub-accounts come back in opening order with their specs', async () => {
        const specs = [
          { accountId: 'zed', subAccountId: 'a', mode: 'portfolio' as const, limits: { maxLeverage: 5 } },
          { accountId: 'amy', subAccountId: 'b', mode: 'isolated' as const },
        ];
        await store.commit({ subAccounts: specs });
        const loaded = (await store.loadSubAccounts()).filter((s) => ['zed', 'amy'].includes(s.accountId));
        expect(loaded).toEqual(specs);
      });

      it('keeps the latest quote per (asset, source) and one market state', async () => {
        await store.commit({
          quotes: [
            { asset: 'BTC', source: 'a', price: 100, timeMs: 1 },
            { asset: 'BTC', source: 'b', price: 101, timeMs: 1, confidence: 0.9 },
          ],
          marketState: { timeMs: 1, body: { prices: { BTC: 100.5 } } },
        });
        await store.commit({
          quotes: [{ asset: 'BTC', source: 'a', price: 102, timeMs: 2 }],
          marketState: { timeMs: 2, body: { prices: { BTC: 101.5 } } },
        });
        expect(await store.loadQuotes()).toEqual([
          { asset: 'BTC', source: 'a', price: 102, timeMs: 2 },
          { asset: 'BTC', source: 'b', price: 101, timeMs: 1, confidence: 0.9 },
        ]);
        expect(await store.loadMarketState()).toEqual({ timeMs: 2, body: { prices: { BTC: 101.5 } } });
      });

      it('stores API keys by hash only, and refuses anything but a SHA-256 hex digest', async () => {
        const keyHash = 'ab'.repeat(32);
        await store.commit({ apiKeys: [{ keyHash, scopes: ['read:alice'], label: 'ro' }] });
        const keys = await store.listApiKeys();
        expect(keys.find((k) => k.keyHash === keyHash)).toMatchObject({
          scopes: ['read:alice'],
          label: 'ro',
        });
        await expect(
          store.commit({ apiKeys: [{ keyHash: 'not-a-hash', scopes: ['admin'] }] }),
        ).rejects.toThrow();
      });

      it('lists liquidations newest first, optionally for one sub-account', async () => {
        await store.commit({
          liquidations: [
            { timeMs: 10, subAccount: 'x/1', body: { n: 1 } },
            { timeMs: 11, subAccount: 'y/1', body: { n: 2 } },
            { timeMs: 12, subAccount: 'x/1', body: { n: 3 } },
          ],
        });
        expect((await store.listLiquidations(10)).map((l) => l.body)).toEqual([{ n: 3 }, { n: 2 }, { n: 1 }]);
        expect((await store.listLiquidations(10, 'x/1')).map((l) => l.timeMs)).toEqual([12, 10]);
        expect(await store.listLiquidations(1)).toHaveLength(1);
      });
    },
  );
}

describe('one server per database', () => {
  it('refuses a PGlite data directory held by another live process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xmargin-lock-'));
    try {
      writeFileSync(join(dir, 'xmargin.pid'), `${process.ppid}\n`); // the parent is alive
      await expect(openPgliteClient(dir)).rejects.toThrow(/in use by another xmargin server \(pid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(pgReason !== undefined)(
    `refuses a second server on the same PostgreSQL schema${pgReason !== undefined ? ` (skipped: ${pgReason})` : ''}`,
    async () => {
      const schema = uniqueName('xm_lock_test');
      const first = await openPgClient({ connectionString: PG_TEST_URL, schema });
      try {
        await expect(openPgClient({ connectionString: PG_TEST_URL, schema })).rejects.toThrow(/in use/);
      } finally {
        await first.close();
        await pgAdmin(`drop schema if exists ${schema} cascade`);
      }
      // released on close: a new server may open it
      const again = await openPgClient({ connectionString: PG_TEST_URL, schema });
      await again.close();
      await pgAdmin(`drop schema if exists ${schema} cascade`);
    },
  );
});

describe('operation codec', () => {
  it('every *Units field survives encode → JSON → decode as the same bigint', () => {
    const op: Operation = {
      kind: 'liquidation-charge',
      key: 'c',
      timeMs: 0,
      from: 'a/b',
      to: 'c/d',
      asset: 'USDC',
      liquidatorUnits: 123n,
      insuranceUnits: 0n,
      gasUnits: 10n ** 20n,
    };
    const back = decodeOperation(JSON.parse(JSON.stringify(encodeOperation(op))));
    expect(back).toEqual(op);
  });

  it('refuses a units field that is not a decimal string', () => {
    expect(() => decodeOperation({ kind: 'deposit', key: 'k', units: 1.5 })).toThrow(/units/);
  });
});
