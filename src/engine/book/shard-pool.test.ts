/**
 * Worker threads give a large re-margin the numbers of one thread, bit for bit: the same book
 * margined with 0, 1 and 2 workers; the workers' ranges are really theirs; a pool that times out
 * closes and the caller margins everything itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_THRESHOLDS } from '../../core/margin/account-risk.js';
import { balanceKey } from '../../core/margin/kernel/account-rows.js';
import type { PortfolioTables } from '../../core/margin/kernel/portfolio-tables.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { DEFAULT_PORTFOLIO_PARAMS } from '../../core/margin/portfolio-params.js';
import { Journal } from '../journal.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import { SHARD_MIN_ACCOUNTS, VenueRisk } from '../venue/venue-risk.js';
import { ShardPool } from './shard-pool.js';

const T0 = Date.UTC(2024, 0, 1);
const P0 = { BTC: 50_000, ETH: 2_500, SOL: 100 };
const tpl = createSimTemplate(T0, P0, { BTC: 0.6, ETH: 0.7 }, 'flat');
const N = SHARD_MIN_ACCOUNTS + 3_001;
const built = existsSync(
  fileURLToPath(new URL('../../../dist/src/engine/book/shard-worker.js', import.meta.url)),
);

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

/** N accounts of 1–8 random positions and a USDC balance (every 997th holds an unpriced row). */
function load(workers: number) {
  const market = buildSimMarket(tpl, T0, P0);
  const journal = new Journal({ assets: [market.assets.getAsset('USDC')], venue: { maxLeverage: 50 } });
  const risk = new VenueRisk(journal, DEFAULT_HEALTH_THRESHOLDS, () => DEFAULT_PORTFOLIO_PARAMS, { workers });
  const u = risk.book.universe;
  const ids = [...market.instruments.keys()];
  const usdc = u.intern(balanceKey('USDC'));
  const ghost = u.intern('GHOST-PERP');
  const rnd = lcg(17);
  for (let a = 0; a < N; a++) {
    const rows = new Map<number, number>();
    const k = 1 + Math.floor(rnd() * 8);
    for (let j = 0; j < k; j++)
      rows.set(u.intern(ids[Math.floor(rnd() * ids.length)]!), Math.round((rnd() - 0.5) * 40) / 4 || 0.25);
    if (a % 997 === 0) rows.set(ghost, 1);
    const slots = [{ row: usdc, qty: 10_000 + 90_000 * rnd(), entry: NaN }];
    for (const [row, qty] of [...rows].sort((p, q) => p[0] - q[0])) slots.push({ row, qty, entry: NaN });
    const sub = { accountId: `a${a}`, subAccountId: 'main', key: `a${a}/main`, mode: 'portfolio' };
    risk.addLoaded(
      { ...sub, limits: { maxLeverage: 50, bufferFraction: 0, collateralOrder: [], autoTopUp: false } },
      slots,
    );
  }
  risk.remargin(risk.setMarket(createMarginContext(market), T0, true));
  return risk;
}

function expectSameBits(a: Float64Array, b: Float64Array, n: number) {
  let differ = 0;
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) differ++;
  expect(differ).toBe(0);
}

describe.skipIf(!built)('shard pool (needs `npm run build`: the worker runs compiled code)', () => {
  it('0, 1 and 2 workers give the same IM, MM and status for every account, NaN included', () => {
    const one = load(0);
    expect(one.threads).toBe(1);
    let nan = 0;
    for (let a = 0; a < N; a++) if (Number.isNaN(one.book.im[a])) nan++;
    expect(nan).toBe(Math.ceil(N / 997));
    for (const workers of [1, 2]) {
      const many = load(workers);
      expect(many.threads).toBe(workers + 1);
      expectSameBits(many.book.im, one.book.im, N);
      expectSameBits(many.book.mm, one.book.mm, N);
      expect(Array.from(many.book.status.subarray(0, N))).toEqual(Array.from(one.book.status.subarray(0, N)));
      many.close();
    }
  });

  it("the workers margin their ranges (the caller's range is left to the caller)", () => {
    const risk = load(0);
    const tables = (risk.prepared('portfolio') as unknown as { tables: PortfolioTables }).tables;
    const view = risk.book.view();
    const ids = Int32Array.from({ length: N }, (_, i) => i);
    const im = new Float64Array(new SharedArrayBuffer(8 * N)).fill(-1);
    const mm = new Float64Array(new SharedArrayBuffer(8 * N)).fill(-1);
    const pool = new ShardPool(1);
    let localCalls = 0;
    pool.run(tables, view, ids, N, { im, mm }, () => localCalls++);
    pool.close();
    const half = Math.ceil(N / 2);
    expect(localCalls).toBe(1);
    expect(im.subarray(0, half).every((x) => x === -1)).toBe(true);
    expectSameBits(im.subarray(half), risk.book.im.subarray(half, N), N - half);
    expectSameBits(mm.subarray(half), risk.book.mm.subarray(half, N), N - half);
  });

  it('a pool whose workers do not answer in time closes, and the caller margins their part', () => {
    const risk = load(0);
    const tables = (risk.prepared('portfolio') as unknown as { tables: PortfolioTables }).tables;
    const view = risk.book.view();
    const ids = Int32Array.from({ length: N }, (_, i) => i);
    const pool = new ShardPool(1, 0);
    const ranges: number[] = [];
    pool.run(tables, view, ids, N, { im: risk.book.im, mm: risk.book.mm }, (_part, n) => ranges.push(n));
    expect(ranges).toEqual([Math.ceil(N / 2), N - Math.ceil(N / 2)]);
    expect(pool.threads).toBe(1);
  });
});
