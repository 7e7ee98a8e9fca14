/**
 * A restart changes nothing. The demo venue (60 seeded accounts, the FTX week of 2022) is served
 * by the real CLI (`xmargin serve --demo`) on an embedded PGlite directory, replayed through its
 * liquidations, then stopped by SIGTERM and, mid-replay, by SIGKILL, and started again on the same
 * directory. Compared field by field:
 *
 * - before and after a SIGTERM restart: every sub-account's balances (exact base units), positions
 *   (size, entry price) and health (equity, IM, MM, status), the ledger totals, the insurance fund,
 *   the operation log and the liquidation count;
 * - after each restart, against an independent in-process run of the same demo (same seed, same
 *   history) stepped to the same replay time without ever stopping: the same state, bit for bit;
 *   the fall limit binds on some `es` sub-accounts there (factor > 1), so their limited IM is
 *   among what survives the restart (stored with the market state);
 * - an acknowledged withdrawal retried with its key after the restart replays 200 with its entry;
 * - the replay resumes where it stopped (the next step is the next hour).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/core/history/utc-time.js';
import { loadVenueHistory } from '../../src/adapters/marketdata/history/load-market-history.js';
import { createDemoVenue, DEMO_DEFAULT_FROM_MS } from '../../src/engine/venue/demo-venue.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'xm_restart_admin_key_0123456789';
const SEED = 11;
const ACCOUNTS = 60;
const dir = mkdtempSync(join(tmpdir(), 'xmargin-restart-'));
const children: ChildProcess[] = [];
/** Every request-log line the servers wrote (JSON lines on stdout). */
const logLines: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `xmargin serve --demo` on the shared directory; resolves when it listens. */
async function serve(speed: number): Promise<{ child: ChildProcess; url: string; out: string[] }> {
  const child = spawn(
    process.execPath,
    [
      'bin/xmargin.js',
      'serve',
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--speed',
      String(speed),
      '--seed',
      String(SEED),
      '--accounts',
      String(ACCOUNTS),
    ],
    { cwd: ROOT, env: { ...process.env, XMARGIN_ADMIN_KEY: ADMIN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const out: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    let found: string | undefined;
    const onData = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (!l.startsWith('{')) out.push(l);
        else logLines.push(l);
        const m = /^xmargin serve: listening on (http:\/\/\S+) /.exec(l);
        if (m) found = m[1]!;
        if (found && l.startsWith('xmargin serve: demo replay at')) resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out.join('\n')}`)));
  });
  return { child, url, out };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

/** Everything that makes the venue's state, as the API shows it. */
async function capture(url: string) {
  const venue = (await call(url, 'GET', '/api/v1/venue')).body;
  const accounts = (await call(url, 'GET', '/api/v1/accounts?limit=1000')).body.items as any[];
  const details: Record<string, any> = {};
  for (const a of accounts)
    details[a.key] = (
      await call(url, 'GET', `/api/v1/accounts/${a.accountId}/subaccounts/${a.subAccountId}`)
    ).body;
  const totals = (await call(url, 'GET', '/api/v1/ledger/totals')).body;
  const log = (await call(url, 'GET', '/api/v1/operations?limit=10000')).body.items as any[];
  const { nowMs: _now, ...venueState } = venue;
  return { venue: venueState, accounts, details, totals, operations: log.length, lastOp: log.at(-1) };
}

/** An operation a client submitted through the API, applied to the reference at its time. */
let submitted: { atMs: number; op: any } | undefined;

/** The same demo run in this process, never stopped, stepped to `timeMs`. */
function reference(timeMs: number) {
  const toMs = DEMO_DEFAULT_FROM_MS + 15 * 24 * HOUR_MS + HOUR_MS;
  // the history the service loads: hourly closes spliced with the daily closes, and DVOL
  const history = loadVenueHistory(['BTC', 'ETH', 'SOL'], toMs);
  const demo = createDemoVenue({ history, seed: SEED, accounts: ACCOUNTS });
  const apply = () => {
    if (submitted && demo.timeMs() === submitted.atMs)
      demo.venue.restore({ ...submitted.op, units: BigInt(submitted.op.units) });
  };
  apply();
  while (demo.timeMs() < timeMs) {
    expect(demo.step()).toBeDefined();
    apply();
  }
  return demo.venue;
}

/** The server's state equals the reference venue's, sub-account by sub-account. */
function expectSameAsReference(state: Awaited<ReturnType<typeof capture>>, timeMs: number) {
  const ref = reference(timeMs);
  for (const h of ref.healthAll()) {
    const d = state.details[h.key];
    expect(d, h.key).toBeDefined();
    expect(d.health, h.key).toEqual(h);
    const pf = ref.journal.portfolioOf(h.key);
    expect(Object.fromEntries(d.balances.map((b: any) => [b.asset, b.units])), h.key).toEqual(
      Object.fromEntries([...pf.collateral].map(([a, c]) => [a, c.units.toString()])),
    );
    expect(
      d.positions.map((p: any) => [p.instrument, p.size, p.entryPrice]),
      h.key,
    ).toEqual(pf.positions.map((p) => [p.instrument, p.size, p.entryPrice ?? null]));
  }
  expect(state.accounts).toHaveLength(ref.healthAll().length);
  return ref;
}

describe('restart determinism (demo venue, PGlite directory)', () => {
  let url = '';
  let child: ChildProcess;
  let before: Awaited<ReturnType<typeof capture>>;
  let withdrawal: any;
  let withdrawer = '';

  it('SIGTERM after a replay through liquidations: the restarted state is identical, field by field', async () => {
    ({ child, url } = await serve(0));
    const stepped = await call(url, 'POST', '/api/v1/replay/step', { steps: 96 });
    expect(stepped.body.steps).toBe(96);
    // a healthy account with cash withdraws a little
    const healthy = (
      (await call(url, 'GET', '/api/v1/accounts?limit=1000&status=healthy')).body.items as any[]
    ).map((a) => a.key);
    for (const k of healthy) {
      const d = (await call(url, 'GET', `/api/v1/accounts/${k.replace('/', '/subaccounts/')}`)).body;
      if (BigInt(d.balances.find((b: any) => b.asset === 'USDC')?.units ?? '0') > 10n ** 9n) {
        withdrawer = k;
        break;
      }
    }
    const w = await call(url, 'POST', '/api/v1/operations', {
      kind: 'withdrawal',
      key: 'wd-before-restart',
      from: withdrawer,
      asset: 'USDC',
      units: '1000',
    });
    expect(w.status).toBe(201);
    withdrawal = w.body;
    submitted = { atMs: stepped.body.timeMs, op: w.body.operation };
    before = await capture(url);
    expect(before.venue.liquidations).toBeGreaterThan(0);
    const liquidations = (await call(url, 'GET', '/api/v1/liquidations?limit=1000')).body.items as any[];
    expect(liquidations.some((l) => l.bankrupt)).toBe(true); // the run went through bankruptcies too
    expect(await stop(child, 'SIGTERM')).toBe(0);

    let out: string[];
    ({ child, url, out } = await serve(0));
    expect(out.join('\n')).toMatch(/restored 60 sub-accounts and \d+ operations/);
    expect(out.join('\n')).toMatch(/demo replay at 2022-11-10T00:00:00\.000Z/);
    const after = await capture(url);
    expect(after).toEqual(before);
    // requests were logged with their ids, and no log line carries a key (they ride in headers)
    expect(logLines.some((l) => l.includes('"reqId"') && l.includes('/api/v1/replay/step'))).toBe(true);
    expect(logLines.filter((l) => l.includes(ADMIN))).toEqual([]);
  }, 600_000);

  it('equals an in-process run of the same demo that never stopped', () => {
    const ref = expectSameAsReference(before, before.venue.timeMs);
    // the fall limit holds some es sub-accounts above their model's IM, and that survived
    const held = Object.keys(ref.fallFactors());
    expect(held.length).toBeGreaterThan(0);
    for (const key of held) expect(before.details[key].health.mode).toBe('es');
  }, 300_000);

  it('an acknowledged withdrawal retried with its key after the restart replays 200 with its entry', async () => {
    const again = await call(url, 'POST', '/api/v1/operations', {
      kind: 'withdrawal',
      key: 'wd-before-restart',
      from: withdrawer,
      asset: 'USDC',
      units: '1000',
    });
    expect(again.status).toBe(200);
    expect(again.body.entry).toEqual(withdrawal.entry);
  });

  it('the replay resumes where it stopped; SIGKILL mid-replay loses nothing acknowledged', async () => {
    const next = await call(url, 'POST', '/api/v1/replay/step', { steps: 1 });
    expect(next.body.timeMs).toBe(before.venue.timeMs + HOUR_MS);
    await stop(child, 'SIGTERM');
    // Replaying on its own (20 steps a second), killed without warning.
    ({ child, url } = await serve(72_000));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stop(child, 'SIGKILL')).toBe(null);
    ({ child, url } = await serve(0));
    const state = await capture(url);
    expect(state.venue.timeMs).toBeGreaterThan(before.venue.timeMs + HOUR_MS);
    for (const a of state.totals.assets) expect(a.total).toBe('0');
    expectSameAsReference(state, state.venue.timeMs);
    await stop(child, 'SIGTERM');
  }, 600_000);
});
