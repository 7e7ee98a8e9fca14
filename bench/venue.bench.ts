/**
 * The engine's rows (`npm run bench -- venue`): the venue's risk core (engine/venue/venue-risk.ts,
 * what `Venue.updateMarket` runs before liquidation) on a book of 10⁶ accounts × 10 positions, and
 * the prepared kernels on their own.
 *
 * Market (seeded): BTC, ETH, SOL, each with a perpetual, 2 futures and 30 options (99 instruments);
 * the `portfolio` model's grid with 31 spot buckets × 3 vols + 5 extended + 2 skews = 100 scenarios
 * per underlying, stress floor on (5 joint stresses). Accounts: a home underlying (BTC 60%, ETH 30%,
 * SOL 10%) holding its 10 positions, and a USDC balance, so a SOL tick touches 10% of the book
 * (the "10⁵ of 10⁶ accounts touched"). The book is loaded directly into the venue's risk
 * book (`VenueRisk.addLoaded`), not through 11 million journal operations. Each row runs with the
 * scenario loops in WebAssembly SIMD (one thread, and shared with a worker per further core:
 * engine/book/shard-pool.ts; a SOL tick touches fewer than its 16,384-account threshold at 10⁵
 * accounts and runs on one thread) and in plain JavaScript, in the same process.
 *
 * Rows: full re-margin (every account: setMarket with `full`, then remargin); one underlying moves
 * (SOL, ~10% of accounts touched; BTC, ~60%); memory per account; how the SOL tick grows from 10⁴
 * to 10⁶ accounts. Peers and targets are DESIGN.md's: numpy sparse product 0.69 s for the full
 * re-margin (target 0.15 s on 2 cores), venues re-check every 1–3 s (target 20 ms for the tick).
 * VENUE_BENCH_ACCOUNTS changes the largest size.
 */
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import type { MarginMarket } from '../src/core/portfolio/margin-market.js';
import { createMarginContext } from '../src/core/margin/margin-model.js';
import { DEFAULT_PORTFOLIO_PARAMS, type PortfolioModelParams } from '../src/core/margin/portfolio-params.js';
import { balanceKey } from '../src/core/margin/kernel/account-rows.js';
import { Journal } from '../src/engine/journal.js';
import { VenueRisk } from '../src/engine/venue/venue-risk.js';
import { DEFAULT_HEALTH_THRESHOLDS } from '../src/core/margin/account-risk.js';
import { defaultWorkerCount } from '../src/engine/book/shard-pool.js';
import { printTable, seededRandom, timeMedianMs, type BenchRow } from './support/harness.js';

export const T0 = Date.UTC(2026, 2, 1);
export const SPOT: Record<string, number> = { BTC: 66_000, ETH: 2_500, SOL: 150 };

export function marketDoc(rnd: () => number, prices: Record<string, number>) {
  const instruments: Record<string, unknown>[] = [];
  for (const [u, k0] of Object.entries(SPOT)) {
    const s = prices[u]!;
    instruments.push({ id: `${u}-PERP`, kind: 'perpetual', underlying: u, markPrice: s });
    for (let f = 1; f <= 2; f++)
      instruments.push({
        id: `${u}-F${f}`,
        kind: 'future',
        underlying: u,
        expiryMs: T0 + f * 30 * 86_400_000,
        markPrice: s * (1 + 0.004 * f),
      });
    for (let e = 1; e <= 3; e++)
      for (let k = -2; k <= 2; k++)
        for (const optionType of ['call', 'put'])
          instruments.push({
            id: `${u}-${e}-${k}-${optionType[0]}`,
            kind: 'option',
            underlying: u,
            optionType,
            strike: k0 * (1 + 0.1 * k),
            forward: s * (1 + 0.002 * e),
            expiryMs: T0 + e * 28 * 86_400_000,
            iv: 0.45 + 0.35 * rnd(),
          });
  }
  return { valuationMs: T0, snapshotId: 'venue-bench', prices: { ...prices, USDC: 1 }, instruments };
}

const PARAMS: PortfolioModelParams = {
  ...DEFAULT_PORTFOLIO_PARAMS,
  grid: { ...DEFAULT_PORTFOLIO_PARAMS.grid, buckets: 31 },
};

function memNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.(); // a second pass collects what the first one's finalisers released
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A venue risk core with `n` accounts loaded directly, at the base market. */
export function loadBook(n: number, simd: boolean, workers = 0) {
  const market = buildMarginMarket(marketDoc(seededRandom(42), SPOT));
  const journal = new Journal({ assets: [market.assets.getAsset('USDC')], venue: { maxLeverage: 50 } });
  const risk = new VenueRisk(journal, DEFAULT_HEALTH_THRESHOLDS, () => PARAMS, { simd, workers });
  const u = risk.book.universe;
  const ids = [...market.instruments.keys()];
  const byU = Object.keys(SPOT).map((x) =>
    ids.filter((id) => id.startsWith(`${x}-`)).map((id) => u.intern(id)),
  );
  const usdc = u.intern(balanceKey('USDC'));
  const rnd = seededRandom(7);
  for (let a = 0; a < n; a++) {
    const x = rnd();
    const home = x < 0.6 ? 0 : x < 0.9 ? 1 : 2;
    const rows = new Map<number, number>();
    for (let j = 0; j < 10; j++) {
      const list = byU[home]!;
      rows.set(list[Math.floor(rnd() * list.length)]!, Math.round((rnd() - 0.5) * 40) / 10 || 0.1);
    }
    const slots = [{ row: usdc, qty: 20_000 + 200_000 * rnd(), entry: NaN }];
    for (const [row, qty] of [...rows].sort((p, q) => p[0] - q[0]))
      slots.push({
        row,
        qty,
        entry:
          ids.includes(u.keys[row]!) && u.keys[row]!.endsWith('PERP') ? SPOT[u.keys[row]!.slice(0, 3)]! : NaN,
      });
    risk.addLoaded(
      {
        accountId: `a${a}`,
        subAccountId: 'main',
        key: `a${a}/main`,
        mode: 'portfolio',
        limits: { maxLeverage: 50, bufferFraction: 0, collateralOrder: [], autoTopUp: false },
      },
      slots,
    );
  }
  return { risk, market };
}

/** Prints the venue rows (module header). */
export function runVenueBench(): void {
  const largest = Number(process.env.VENUE_BENCH_ACCOUNTS ?? 1_000_000);
  const rows: BenchRow[] = [];
  const scaling: BenchRow[] = [];
  const workers = defaultWorkerCount();
  const configs = [
    { simd: true, workers: 0 },
    ...(workers > 0 ? [{ simd: true, workers }] : []),
    { simd: false, workers: 0 },
  ];
  for (const { simd, workers } of configs)
    for (const n of [10_000, 100_000, largest].filter((x, i, xs) => x <= largest && xs.indexOf(x) === i)) {
      const mem0 = memNow();
      const { risk, market } = loadBook(n, simd, workers);
      // the process's growth (noisy: an earlier book's buffers may be released meanwhile) and the
      // risk book's own columns, which are exact
      const bytes = (memNow() - mem0) / n;
      const columns = risk.book.bytes() / n;
      const threads = workers + 1;
      const how = `${threads} thread${threads > 1 ? 's' : ''}, ${risk.accelerated ? 'WASM SIMD' : 'plain JS'}`;
      if (simd && !risk.accelerated)
        console.log('(dist/wasm/risk-kernel.wasm not built: the SIMD rows run plain JS)');
      risk.remargin(risk.setMarket(createMarginContext(market), T0, true));
      const time = T0;
      // The markets are built before the clock starts: a venue update receives its market.
      const marketsOf = (u: string) =>
        [false, true].map((up) =>
          buildMarginMarket({
            ...marketDoc(seededRandom(42), { ...SPOT, [u]: SPOT[u]! * (up ? 1.01 : 1) }),
            valuationMs: time,
          }),
        );
      const moves: Record<string, MarginMarket[]> = { SOL: marketsOf('SOL'), BTC: marketsOf('BTC') };
      const tick = (u: string, up: boolean) => {
        const ids = risk.setMarket(createMarginContext(moves[u]![up ? 1 : 0]!), time);
        risk.remargin(ids);
        return ids.length;
      };
      let touched = 0;
      let flip = false;
      const solMs = timeMedianMs(() => {
        flip = !flip;
        touched = tick('SOL', flip);
      }, 5);
      scaling.push({
        workload: `SOL moves, ${n.toLocaleString('en-US')} accounts, ${how}`,
        items: touched,
        ms: solMs,
        note: `${bytes.toFixed(0)} B/account (book columns ${columns.toFixed(0)} B)`,
      });
      if (n !== largest) {
        risk.close();
        continue;
      }
      const later = [1, 2, 3, 4].map((dt) =>
        buildMarginMarket({ ...marketDoc(seededRandom(42), SPOT), valuationMs: T0 + dt }),
      );
      let at = 0;
      const fullMs = timeMedianMs(() => {
        const m = later[at++]!; // a new valuation time: every option decays, every account is re-margined
        const ids = risk.setMarket(createMarginContext(m), m.valuationMs, true);
        risk.remargin(ids);
      }, 3);
      rows.push({
        workload: `full re-margin, ${how}`,
        items: n,
        ms: fullMs,
        note: 'numpy sparse product 0.69 s; target 0.15 s on 2 cores',
      });
      rows.push({
        workload: `one underlying moves (SOL), ${how}`,
        items: touched,
        ms: solMs,
        note: 'accounts touched; target 20 ms',
      });
      risk.close();
      if (simd && workers === 0)
        rows.push({
          workload: 'memory per account (heap + array buffers)',
          items: n,
          ms: 0,
          note: `${bytes.toFixed(0)} bytes (process growth); risk-book columns ${columns.toFixed(0)} bytes`,
        });
    }
  printTable(
    `Venue risk core: ${largest.toLocaleString('en-US')} accounts × 10 positions, 100 scenarios per underlying, portfolio mode`,
    rows,
  );
  printTable('How a one-underlying tick grows with the book', scaling);
}
