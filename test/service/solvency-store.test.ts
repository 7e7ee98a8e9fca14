/**
 * Solvency epochs survive a restart (the service's rule: nothing acknowledged is lost, a restart
 * rebuilds the same state). The service's EpochPublisher over the real store — a PGlite data
 * directory always, PostgreSQL when a server is reachable at the test address (otherwise skipped,
 * with the reason in the title) — commits an epoch with the shipped `small` circuit, serves an
 * owner's file, and is stopped and started again on the same data with a NEW salt secret (the old
 * one is gone with the process). Expected values: what was served before the restart, byte for
 * byte; every proof made on either side of the restart verifies against the published epoch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgClient } from '../../src/adapters/store/pg-client.js';
import { openPgliteClient } from '../../src/adapters/store/pglite-client.js';
import type { SqlClient } from '../../src/adapters/store/sql-client.js';
import { createSqlStore, type Store } from '../../src/adapters/store/store.js';
import { EpochPublisher } from '../../src/adapters/prover/epoch-publisher.js';
import { createPoseidonHash } from '../../src/adapters/prover/poseidon-hash.js';
import { verifyAccountDocument } from '../../src/adapters/prover/verify-epoch.js';
import { buildScanArrays } from '../../src/core/solvency/scan-arrays.js';
import { ACCOUNTS, BTC } from '../solvency/fixtures.js';
import { PG_TEST_URL, pgAdmin, pgUnavailableReason, uniqueName } from './pg-support.js';

const pgReason = await pgUnavailableReason();
const dir = mkdtempSync(join(tmpdir(), 'xmargin-solvency-store-'));
const pgSchema = uniqueName('xm_solvency_test');

interface Driver {
  readonly name: string;
  readonly skip?: string;
  open(): Promise<SqlClient>;
  cleanup(): Promise<void>;
}
const drivers: Driver[] = [
  {
    name: 'PGlite (data directory)',
    open: () => openPgliteClient(join(dir, 'pglite')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'PostgreSQL',
    ...(pgReason !== undefined ? { skip: pgReason } : {}),
    open: () => openPgClient({ connectionString: PG_TEST_URL, schema: pgSchema }),
    cleanup: () => pgAdmin(`drop schema if exists ${pgSchema} cascade`),
  },
];

/** BTC only: 3 rows and 3 scenarios, in the small circuit (4 × 4, depth 3). */
const input = () => ({
  timeMs: 1_700_000_000_000,
  scan: buildScanArrays([BTC], 0.75),
  accounts: ACCOUNTS.filter((x) => !x.key.startsWith('bob')),
});
const KEYS = input().accounts.map((a) => a.key);
const EPOCH = 'restart-1';
const commitOptions = { epochId: EPOCH, venue: 'test', size: 'small' as const, severity: 'auto' as const };
const json = (x: unknown) => JSON.stringify(x);

async function openStore(d: Driver): Promise<{ client: SqlClient; store: Store }> {
  const client = await d.open();
  const store = createSqlStore(client);
  await store.migrate();
  return { client, store };
}

/** Waits until every compliant account of the epoch has its proof (background proving). */
async function allProven(p: EpochPublisher): Promise<void> {
  for (;;) {
    const e = (await p.list()).find((x) => x.epochId === EPOCH)!;
    if (e.proven === e.compliant) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Everything a client can read of the epoch, as the routes serve it (JSON text). */
async function readAll(p: EpochPublisher) {
  return {
    list: json(await p.list()),
    epoch: json(await p.epoch(EPOCH)),
    proofs: json(await p.proofs(EPOCH)),
    accounts: await Promise.all(KEYS.map(async (k) => json(await p.account(EPOCH, k)))),
  };
}

afterAll(async () => {
  for (const d of drivers) if (d.skip === undefined) await d.cleanup().catch(() => undefined);
});

for (const d of drivers) {
  describe.skipIf(d.skip !== undefined)(
    `solvency epochs in the store on ${d.name}${d.skip !== undefined ? ` (skipped: ${d.skip})` : ''}`,
    () => {
      it(
        'answers after a restart exactly as before; proofs are resumed and verify',
        { timeout: 600_000 },
        async () => {
          const hash = await createPoseidonHash();
          // Run 1: commit, then one owner's file (proven now), then stop mid-way.
          let s = await openStore(d);
          let pub = new EpochPublisher(s.store, new Uint8Array(32).fill(1));
          const doc = await pub.commit(input(), commitOptions);
          const alice = await pub.account(EPOCH, 'alice/main');
          expect(alice?.status).toBe('compliant');
          expect(alice?.compliance).not.toBeNull();
          const epochBefore = json(await pub.epoch(EPOCH));
          const erinBefore = json(await pub.account(EPOCH, 'erin/main'));
          await pub.close();
          await s.store.close();

          // Run 2: another secret; the epoch is there, the owner's file is the same bytes.
          s = await openStore(d);
          pub = new EpochPublisher(s.store, new Uint8Array(32).fill(2));
          expect(json(await pub.epoch(EPOCH))).toBe(epochBefore);
          expect(json(await pub.account(EPOCH, 'alice/main'))).toBe(json(alice));
          expect(json(await pub.account(EPOCH, 'erin/main'))).toBe(erinBefore);
          await expect(pub.commit(input(), commitOptions)).rejects.toMatchObject({
            code: 'ERR_INVALID_INPUT',
            details: expect.objectContaining({ field: 'epochId' }),
          });
          await allProven(pub);
          const before = await readAll(pub);
          const proofs = JSON.parse(before.proofs) as { complete: boolean; proofs: unknown[] };
          expect(proofs.complete).toBe(true);
          expect(proofs.proofs).toHaveLength(doc.compliant);
          for (const text of before.accounts) {
            const v = await verifyAccountDocument(JSON.parse(text), doc, hash);
            expect(v.compliance).toBe(v.status === 'compliant' ? true : null);
          }
          await pub.close();
          await s.store.close();

          // Run 3: every read is what it was.
          s = await openStore(d);
          pub = new EpochPublisher(s.store, new Uint8Array(32).fill(3));
          expect(await readAll(pub)).toEqual(before);
          await pub.close();
          await s.store.close();
        },
      );

      it('refuses a stored epoch whose leaves do not give its published root (ERR_DATA_INTEGRITY)', async () => {
        const s = await openStore(d);
        // Another equity in the first leaf's sums: the tree no longer gives the published root.
        const rows = await s.client.query<{ leaf: string }>(
          'select leaf from solvency_accounts where epoch_id = $1 and slot = 0',
          [EPOCH],
        );
        const leaf = JSON.parse(rows[0]!.leaf) as { equity: string };
        leaf.equity = String(BigInt(leaf.equity) + 1n);
        await s.client.query('update solvency_accounts set leaf = $2 where epoch_id = $1 and slot = 0', [
          EPOCH,
          JSON.stringify(leaf),
        ]);
        const pub = new EpochPublisher(s.store, new Uint8Array(32).fill(4));
        expect((await pub.epoch(EPOCH))?.epochId).toBe(EPOCH); // the document itself is intact
        await expect(pub.account(EPOCH, 'alice/main')).rejects.toMatchObject({
          code: 'ERR_DATA_INTEGRITY',
        });
        await pub.close();
        await s.store.close();
      });
    },
  );
}
