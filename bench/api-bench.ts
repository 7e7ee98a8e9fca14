/**
 * `npm run bench:api`: the HTTP API under load on loopback. Starts the service in this process
 * (demo venue, in-memory PGlite, rate limit lifted), then runs what-if and margin requests at
 * increasing concurrency (1, 4, 16, 64 requests in flight), a few seconds each, with Node's own
 * HTTP client (fetch/undici). Prints p50/p99 latency (client side, ms, includes the client's own
 * cost since both share the process and its cores) and requests per second. Never part of
 * `npm test`; figures only, no assertions.
 *
 * Usage: npm run bench:api [-- --seconds 3 --accounts 100]
 */
import { describeMachine } from './support/harness.js';
import { startService } from '../src/adapters/http/start-service.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SECONDS = arg('seconds', 3);
const ACCOUNTS = arg('accounts', 100);
const LEVELS = [1, 4, 16, 64];
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
    onFatal: (e) => {
      throw e;
    },
  });
  const base = await running.server.app.listen({ port: 0, host: '127.0.0.1' });
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
  console.log('\n| workload | concurrency | requests | req/s | p50 ms | p99 ms | non-200 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const w of workloads) {
    await runLevel(base, w, 4, 0.5); // warm-up
    for (const c of LEVELS) {
      const r = await runLevel(base, w, c, SECONDS);
      console.log(
        `| ${w.name} | ${c} | ${r.n} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
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
  const alone = await runLevel(base, venueGet, 1, SECONDS);
  const [heavy, cheap] = await Promise.all([
    runLevel(base, esWhatIf, 8, SECONDS),
    runLevel(base, venueGet, 1, SECONDS),
  ]);
  console.log('\n| cheap read under heavy load | requests | req/s | p50 ms | p99 ms | non-200 |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, r] of [
    ['GET venue, alone', alone],
    ['GET venue, while 8 clients post es what-ifs', cheap],
    ['  the es what-ifs meanwhile', heavy],
  ] as const)
    console.log(
      `| ${name} | ${r.n} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
    );
  console.log(
    '\nTarget (DESIGN): what-if p99 < 2 ms at 2,000 req/s on loopback; Deribit simulate ≈ 14 ms server time.',
  );
  await running.close();
}

await main();
