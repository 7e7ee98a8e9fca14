/**
 * Columnar book (issue 5, items 3 and 7): re-margining a book of 10⁶ accounts × 10 positions.
 *
 * Market (seeded): 3 underlyings (BTC, ETH, SOL), each with a perpetual, 2 futures and 30 options
 * (3 expiries × 5 strikes × call/put): 99 instruments; the `portfolio` model's grid with 31 spot
 * buckets × 3 vols + 5 extended + 2 skews = 100 scenarios per underlying; stressWeight 0.
 * Accounts: a home underlying (BTC 60%, ETH 30%, SOL 10%), each position on it with
 * probability 0.8, else on another one; signed random sizes, random equity.
 *
 * Figures: build time, memory per account (heap + arrayBuffers delta), full re-margin on 1 thread
 * and on 2 worker threads (ShardedBook, SharedArrayBuffer), one-underlying tick (accounts touched,
 * ms, risk-array rebuild included separately). Set BOOK_BENCH_ACCOUNTS to change the size.
 * Needs the compiled worker (run through `npm run bench`, which builds first).
 */
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import { createMarginContext } from '../src/core/margin/margin-model.js';
import { portfolioRiskArrays } from '../src/core/margin/portfolio-model.js';
import { DEFAULT_PORTFOLIO_PARAMS, type PortfolioModelParams } from '../src/core/margin/portfolio-params.js';
import { ColumnarBook, buildBookUniverse } from '../src/engine/book/columnar-book.js';
import { ShardedBook } from '../src/engine/book/sharded-book.js';
import { printTable, seededRandom, timeMedianMs, type BenchRow } from './support/harness.js';

const T0 = Date.UTC(2026, 2, 1);
const SPOT: Record<string, number> = { BTC: 66_000, ETH: 2_500, SOL: 150 };

function marketDoc(rnd: () => number, prices: Record<string, number>) {
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
  return { valuationMs: T0, snapshotId: 'book-bench', prices: { ...prices, USDC: 1 }, instruments };
}

const PARAMS: PortfolioModelParams = {
  ...DEFAULT_PORTFOLIO_PARAMS,
  grid: { ...DEFAULT_PORTFOLIO_PARAMS.grid, buckets: 31 },
  stressWeight: 0,
};

function memNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Prints the columnar book figures (module header). */
export function runBookBench(): void {
  const nAccounts = Number(process.env.BOOK_BENCH_ACCOUNTS ?? 1_000_000);
  const perAccount = 10;
  const market = buildMarginMarket(marketDoc(seededRandom(42), SPOT));
  const ctx = createMarginContext(market);
  const universe = buildBookUniverse(ctx, PARAMS);
  const byU = universe.underlyings.map((u) =>
    universe.keys.flatMap((k, g) => (!k.startsWith('collateral:') && k.startsWith(`${u}-`) ? [g] : [])),
  );
  const nScenarios = universe.arrays[0]!.nScenarios;

  const mem0 = memNow();
  const tBuild0 = performance.now();
  const rnd = seededRandom(7);
  const nP = nAccounts * perAccount;
  const accountStart = new Int32Array(nAccounts + 1);
  const instrument = new Int32Array(nP);
  const qty = new Float64Array(nP);
  const collateralUsd = new Float64Array(nAccounts);
  for (let a = 0; a < nAccounts; a++) {
    const x = rnd();
    const home = x < 0.6 ? 0 : x < 0.9 ? 1 : 2;
    for (let j = 0; j < perAccount; j++) {
      const p = a * perAccount + j;
      const u = rnd() < 0.8 ? home : (home + 1 + Math.floor(rnd() * 2)) % 3;
      const list = byU[u]!;
      instrument[p] = list[Math.floor(rnd() * list.length)]!;
      qty[p] = Math.round((rnd() - 0.5) * 40) / 10 || 0.1;
    }
    accountStart[a + 1] = (a + 1) * perAccount;
    collateralUsd[a] = 20_000 + 200_000 * rnd();
  }
  const book = ColumnarBook.fromColumns(
    ctx,
    PARAMS,
    { accountStart, instrument, qty, collateralUsd, equityUsd: collateralUsd },
    undefined,
    universe,
  );
  const buildMs = performance.now() - tBuild0;
  const bytesPerAccount = (memNow() - mem0) / nAccounts;

  const rows: BenchRow[] = [];
  const full1 = timeMedianMs(() => book.remarginAll(), 3);
  rows.push({ workload: 'full re-margin, 1 thread', items: nAccounts, ms: full1 });
  const sharded = new ShardedBook(book, 2);
  const full2 = timeMedianMs(() => sharded.remarginAll(), 3);
  rows.push({ workload: 'full re-margin, 2 worker threads', items: nAccounts, ms: full2 });

  for (const u of ['SOL', 'BTC']) {
    const moved = buildMarginMarket(marketDoc(seededRandom(42), { ...SPOT, [u]: SPOT[u]! * 1.01 }));
    const t0 = performance.now();
    const arrays = portfolioRiskArrays(createMarginContext(moved), PARAMS, u);
    book.updateUnderlying(u, arrays, SPOT[u]! * 1.01);
    const rebuildMs = performance.now() - t0;
    let touched = 0;
    const tick1 = timeMedianMs(() => (touched = book.remargin([u]).touched), 3);
    rows.push({
      workload: `${u} tick, 1 thread`,
      items: touched,
      ms: tick1,
      note: `accounts touched; risk arrays rebuilt+installed in ${rebuildMs.toFixed(1)} ms`,
    });
    const tick2 = timeMedianMs(() => (touched = sharded.remargin([u]).touched), 3);
    rows.push({
      workload: `${u} tick, 2 worker threads`,
      items: touched,
      ms: tick2,
      note: 'accounts touched',
    });
  }
  void sharded.close();

  printTable(
    `Columnar book: ${nAccounts.toLocaleString('en-US')} accounts × ${perAccount} positions, ` +
      `${universe.keys.length} rows on ${universe.underlyings.length} underlyings, ${nScenarios} scenarios each`,
    rows,
  );
  console.log(
    `build ${buildMs.toFixed(0)} ms (columns + CSR index); memory ${bytesPerAccount.toFixed(0)} B/account ` +
      `(heapUsed + arrayBuffers delta${(globalThis as { gc?: unknown }).gc ? ', after gc' : ', no --expose-gc'}); ` +
      `target: 10⁶ accounts re-margined ≤ 400 ms on 2 cores (numpy sparse product 0.69 s, DESIGN.md)`,
  );
}
