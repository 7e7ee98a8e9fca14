/**
 * Durability of the service, with real processes: the built server (`node bin/xmargin.js serve`)
 * on a PGlite data directory (and on PostgreSQL when a server is reachable) takes a stream of
 * deposits, transfers and trades, is killed with SIGKILL in the middle of it, and is restarted on
 * the same data. Then:
 * - every operation that was acknowledged (2xx) is in the log exactly once;
 * - no refused operation (4xx) is;
 * - an operation whose answer was lost in the kill is there at most once;
 * - each sub-account's balance equals the sum of its postings recomputed from the log;
 * - every asset is conserved (Σ balances over all ledger accounts, system accounts included, = 0);
 * - retrying an acknowledged operation after the restart returns its first entry (200).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pgAdmin, pgUnavailableReason, pgUrlForDatabase, uniqueName } from './pg-support.js';

const root = join(new URL('.', import.meta.url).pathname, '..', '..');
const bin = join(root, 'bin', 'xmargin.js');
const built = existsSync(join(root, 'dist', 'src', 'main', 'cli.js'));
const pgReason = await pgUnavailableReason();
const ADMIN = 'xm_durability_admin_key_000000';

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<number | null>;
}

/** Starts the server and resolves once it prints its port. */
function startServer(env: Record<string, string>, dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...env, XMARGIN_ADMIN_KEY: ADMIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+) \(port (\d+)\)/.exec(out);
      if (m) resolve({ child, base: m[1]!, exited });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${out}${err}`)));
  });
}

const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The i-th operation of the stream; every 7th is invalid (refused with 400). */
function operation(i: number, btcPrice: number): Record<string, unknown> {
  const key = `dur-${i}`;
  if (i % 7 === 3) return { kind: 'deposit', key, to: 'alice/main', asset: 'USDC', units: '-5' };
  switch (i % 3) {
    case 0:
      return {
        kind: 'deposit',
        key,
        to: i % 2 ? 'alice/main' : 'bob/main',
        asset: 'USDC',
        units: String(1_000_000n * BigInt(100 + i)),
      };
    case 1:
      return {
        kind: 'transfer',
        key,
        from: 'alice/main',
        to: 'bob/main',
        asset: 'USDC',
        units: String(1000 + i),
      };
    default:
      // every third trade is a fill of the venue's matching side (a price in the band), the others
      // orders the market maker prices; the engine computes every cash leg and fee
      return {
        kind: 'trade',
        key,
        subAccount: 'bob/main',
        instrument: 'BTC-PERP',
        size: i % 2 ? 0.001 : -0.001,
        ...(i % 9 === 2 ? { price: btcPrice * 1.001 } : {}),
      };
  }
}

interface Target {
  readonly name: string;
  readonly skip?: string;
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

const pgDb = uniqueName('xm_durability');
const targets: Target[] = [
  {
    name: 'PGlite data directory',
    ...(built ? {} : { skip: 'not built: run npm run build first' }),
    env: {},
    cleanup: async () => undefined,
  },
  {
    name: 'PostgreSQL',
    ...(!built
      ? { skip: 'not built: run npm run build first' }
      : pgReason !== undefined
        ? { skip: pgReason }
        : {}),
    env: { DATABASE_URL: pgUrlForDatabase(pgDb) },
    cleanup: () => pgAdmin(`drop database if exists ${pgDb}`),
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const t of targets) {
  describe.skipIf(t.skip !== undefined)(
    `durability on ${t.name}${t.skip !== undefined ? ` (skipped: ${t.skip})` : ''}`,
    () => {
      afterAll(() => t.cleanup());

      it('keeps every acknowledged operation exactly once across a SIGKILL, none refused, balances conserved', async () => {
        if (t.env.DATABASE_URL) await pgAdmin(`create database ${pgDb}`);
        const dataDir = mkdtempSync(join(tmpdir(), 'xmargin-durability-'));
        dirs.push(dataDir);
        let server = await startServer(t.env, dataDir);
        const outcome = new Map<string, 'acked' | 'refused' | 'unknown'>();
        try {
          for (const accountId of ['alice', 'bob'])
            expect(
              (
                await call(server.base, 'POST', '/api/v1/accounts', {
                  accountId,
                  subAccountId: 'main',
                  mode: 'cross',
                })
              ).status,
            ).toBe(201);
          const prices = (await call(server.base, 'GET', '/api/v1/venue')).body.prices as Record<
            string,
            number
          >;
          const btc = prices.BTC!;
          // trades need fresh oracle prices (the server's clock is the wall clock)
          const quoted = await call(server.base, 'POST', '/api/v1/oracle/quotes', {
            quotes: ['BTC', 'ETH', 'SOL'].map((asset) => ({
              asset,
              source: 'test',
              price: prices[asset],
              timeMs: Date.now(),
            })),
          });
          expect(quoted.status).toBe(200);
          const seed = await call(server.base, 'POST', '/api/v1/operations', {
            kind: 'deposit',
            key: 'seed-alice',
            to: 'alice/main',
            asset: 'USDC',
            units: String(10n ** 12n),
          });
          expect(seed.status).toBe(201);
          await call(server.base, 'POST', '/api/v1/operations', {
            kind: 'deposit',
            key: 'seed-bob',
            to: 'bob/main',
            asset: 'USDC',
            units: String(10n ** 12n),
          });

          // Four concurrent clients; the server is killed once 60 operations were acknowledged.
          let next = 0;
          let acked = 0;
          let killed = false;
          const client = async () => {
            while (!killed && next < 2000) {
              const i = next++;
              const op = operation(i, btc);
              try {
                const r = await call(server.base, 'POST', '/api/v1/operations', op);
                outcome.set(
                  op.key as string,
                  r.status < 300 ? 'acked' : r.status < 500 ? 'refused' : 'unknown',
                );
                if (r.status < 300 && ++acked === 60) {
                  killed = true;
                  server.child.kill('SIGKILL');
                }
              } catch {
                outcome.set(op.key as string, 'unknown'); // the connection died with the server
              }
            }
          };
          await Promise.all([client(), client(), client(), client()]);
          expect(await server.exited).toBe(null); // killed by the signal, not exited
        } finally {
          server.child.kill('SIGKILL');
        }

        server = await startServer(t.env, dataDir);
        try {
          const log = (await call(server.base, 'GET', '/api/v1/operations?limit=10000')).body.items as {
            op: Record<string, any>;
          }[];
          const count = new Map<string, number>();
          for (const r of log) count.set(r.op.key, (count.get(r.op.key) ?? 0) + 1);
          const acked = [...outcome].filter(([, o]) => o === 'acked').map(([k]) => k);
          expect(acked.length).toBeGreaterThanOrEqual(60);
          for (const k of acked) expect(count.get(k), `acknowledged ${k}`).toBe(1);
          for (const [k, o] of outcome) {
            if (o === 'refused') expect(count.get(k), `refused ${k}`).toBeUndefined();
            if (o === 'unknown') expect(count.get(k) ?? 0, `in flight ${k}`).toBeLessThanOrEqual(1);
          }
          expect(count.get('seed-alice')).toBe(1);
          expect(log.some((r) => r.op.kind === 'trade' && r.op.source === 'order')).toBe(true);
          expect(log.some((r) => r.op.kind === 'trade' && r.op.source === 'fill')).toBe(true);

          // Each sub-account's USDC balance = Σ of its postings, recomputed from the log.
          const expected = new Map<string, bigint>();
          const add = (acc: string, u: bigint) => expected.set(acc, (expected.get(acc) ?? 0n) + u);
          for (const { op } of log) {
            if (op.kind === 'deposit') add(op.to, BigInt(op.units));
            if (op.kind === 'transfer') {
              add(op.from, -BigInt(op.units));
              add(op.to, BigInt(op.units));
            }
            if (op.kind === 'trade') add(op.subAccount, BigInt(op.cashUnits) - BigInt(op.feeUnits));
          }
          for (const acc of ['alice', 'bob']) {
            const sub = (await call(server.base, 'GET', `/api/v1/accounts/${acc}/subaccounts/main`)).body;
            const usdc = sub.balances.find((b: { asset: string }) => b.asset === 'USDC');
            expect(usdc.units, `${acc}/main USDC`).toBe(String(expected.get(`${acc}/main`)));
          }
          const totals = (await call(server.base, 'GET', '/api/v1/ledger/totals')).body;
          expect(totals.entries).toBe(log.length);
          for (const a of totals.assets) expect(a.total, `Σ ${a.asset}`).toBe('0');

          // A retry of an acknowledged operation after the restart is a replay: 200, nothing new.
          const first = log.find((r) => r.op.kind === 'deposit' && acked.includes(r.op.key))!.op;
          const { timeMs: _t, ...retry } = first;
          const again = await call(server.base, 'POST', '/api/v1/operations', retry);
          expect(again.status).toBe(200);
          expect((await call(server.base, 'GET', '/api/v1/operations?limit=10000')).body.items).toHaveLength(
            log.length,
          );
        } finally {
          server.child.kill('SIGTERM');
          await server.exited;
        }
      }, 120_000);
    },
  );
}
