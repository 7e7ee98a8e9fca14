/**
 * `npm run bench:api`: the HTTP API under load on loopback. Starts the service in this process
 * (demo venue, in-memory PGlite, rate limit and heavy-request budget lifted) with two servers on
 * the one service: heavy requests on worker threads (the default), and on the event loop (the
 * pool with no worker: as before the pool existed). Each workload runs on both, back to back, at
 * increasing concurrency (1, 4, 16, 64 requests in flight), a few seconds each, with Node's own
 * HTTP client (fetch/undici); then a cheap read (GET venue) while 8 clients post `es` what-ifs.
 * Prints p50/p99 latency (client side, ms, includes the client's own cost since both share the
 * process and its cores) and requests per second. Never part of `npm test`; figures only.
 *
 * Usage: npm run bench:api [-- --seconds 3 --accounts 100 --levels 1,4,16,64]
 */
import { describeMachine } from './support/harness.js';
import { buildServer } from '../src/adapters/http/server.js';
import { startService } from '../src/adapters/http/start-service.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SECONDS = arg('seconds', 3);
const ACCOUNTS = arg('accounts', 100);
const levelsArg = args.indexOf('--levels');
const LEVELS = levelsArg >= 0 ? args[levelsArg + 1]!.split(',').map(Number) : [1, 4, 16, 64];
/** Heavy-request admission lifted: the bench measures the computation, not the budget. */
const UNLIMITED = { costPerSec: 1e12, burst: 1e12, maxQueued: 1e6 };
const ADMIN = 'xm_bench_admin_key_000000000000';

interface Workload {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function runLevel(base: string, w: Workload, concurrency: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const init: RequestInit = {
    method: w.method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(w.body ? { 'content-type': 'application/json' } : {}) },
    ...(w.body ? { body: JSON.stringify(w.body) } : {}),
  };
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await fetch(`${base}${w.path}`, init);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

async function main(): Promise<void> {
  console.log(`# xmargin API benchmark\n${describeMachine()}; client and server in one process`);
  const t0 = performance.now();
  const running = await startService({
    store: {},
    demo: { seed: 7, accounts: ACCOUNTS },
    speed: 0,
    adminKey: ADMIN,
    version: 'bench',
    logger: false,
    rateLimit: { ratePerSec: 1e9, burst: 1e9 },
    heavy: UNLIMITED,
    onFatal: (e) => {
      throw e;
    },
  });
  const onLoop = await buildServer({
    service: running.service,
    assets: running.assets,
    version: 'bench',
    logger: false,
    rateLimit: { ratePerSec: 1e9, burst: 1e9 },
    heavy: { ...UNLIMITED, workers: 0 },
  });
  const servers = [
    { mode: 'workers', base: await running.server.app.listen({ port: 0, host: '127.0.0.1' }) },
    { mode: 'event loop', base: await onLoop.app.listen({ port: 0, host: '127.0.0.1' }) },
  ];
  const base = servers[0]!.base;
  console.log(`heavy requests: ${running.server.heavy.pool.workers} worker thread(s) vs on the event loop`);
  console.log(
    `demo venue with ${ACCOUNTS} accounts ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${base}`,
  );
  const target = running.service.venue
    .healthAll()
    .find(
      (h) => h.maintenanceUsd > 0 && running.service.venue.journal.portfolioOf(h.key).positions.length >= 2,
    );
  if (!target) throw new Error('no sub-account with positions in the demo venue');
  const path = `/api/v1/accounts/${target.accountId}/subaccounts/${target.subAccountId}`;
  const positions = running.service.venue.journal.portfolioOf(target.key).positions.length;
  console.log(`target ${target.key} (${target.mode}, ${positions} positions)`);
  const workloads: Workload[] = [
    {
      name: 'what-if (6 models)',
      method: 'POST',
      path: `${path}/whatif`,
      body: { instrument: 'BTC-PERP', size: 0.1 },
    },
    {
      name: 'what-if (portfolio model only)',
      method: 'POST',
      path: `${path}/whatif?models=portfolio`,
      body: { instrument: 'BTC-PERP', size: 0.1 },
    },
    { name: 'margin (6 models + heatmap)', method: 'GET', path: `${path}/margin` },
    { name: 'sub-account (balances, health)', method: 'GET', path },
  ];
  console.log('\n| workload | heavy on | concurrency | requests | req/s | p50 ms | p99 ms | non-200 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const w of workloads) {
    for (const srv of servers) await runLevel(srv.base, w, 4, 0.5); // warm-up
    for (const c of LEVELS)
      for (const srv of servers) {
        const r = await runLevel(srv.base, w, c, SECONDS);
        console.log(
          `| ${w.name} | ${srv.mode} | ${c} | ${r.n} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
        );
      }
  }
  // A cheap read while heavy ones hammer the service: es what-ifs (the slow statistical model)
  // from 8 clients, and one client reading the venue; the cheap read's latency is what a price
  // screen or an operation would see.
  const esWhatIf: Workload = {
    name: 'what-if (es only)',
    method: 'POST',
    path: `${path}/whatif?models=es`,
    body: { instrument: 'BTC-PERP', size: 0.1 },
  };
  const venueGet: Workload = { name: 'GET venue', method: 'GET', path: '/api/v1/venue' };
  console.log('\n| cheap read under heavy load | heavy on | requests | req/s | p50 ms | p99 ms | non-200 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const srv of servers) {
    const alone = await runLevel(srv.base, venueGet, 1, SECONDS);
    const [heavy, cheap] = await Promise.all([
      runLevel(srv.base, esWhatIf, 8, SECONDS),
      runLevel(srv.base, venueGet, 1, SECONDS),
    ]);
    for (const [name, r] of [
      ['GET venue, alone', alone],
      ['GET venue, while 8 clients post es what-ifs', cheap],
      ['  the es what-ifs meanwhile', heavy],
    ] as const)
      console.log(
        `| ${name} | ${srv.mode} | ${r.n} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
      );
  }
  console.log(
    '\nTarget (DESIGN): what-if p99 < 2 ms at 2,000 req/s on loopback; Deribit simulate ≈ 14 ms server time.',
  );
  await onLoop.app.close();
  await running.close();
}

await main();
