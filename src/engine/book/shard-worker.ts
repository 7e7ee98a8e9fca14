/**
 * @module engine/book/shard-worker
 *
 * A worker thread of the shard pool (shard-pool.ts): margins a range of accounts with the portfolio
 * kernel's runner (core/margin/kernel/portfolio-tables.ts), reading the book's slots and writing IM
 * and MM in shared memory. The tables arrive once per market update (a copy); the slots, the
 * account ids and the outputs are shared, never copied. Each worker has its own WebAssembly
 * accelerator when it is built, and its own scratch buffers.
 *
 * The protocol is the pool's: a job message, then `ctl[DONE] += 1` and a notify; a failure sets
 * `ctl[FAILED]` (the pool then margins the range itself: same numbers, one thread).
 */
import { parentPort } from 'node:worker_threads';
import {
  createPortfolioScratch,
  prepareSimdTables,
  runPortfolioTables,
  runPortfolioTablesSimd,
  type PortfolioScratch,
  type PortfolioTables,
  type SimdTables,
} from '../../core/margin/kernel/portfolio-tables.js';
import { loadWasmKernel } from './wasm-kernel.js';
import { CTL_DONE, CTL_FAILED, type ShardJob } from './shard-protocol.js';

const simd = loadWasmKernel();
let tables: PortfolioTables | undefined;
let scratch: PortfolioScratch | undefined;
let simdTables: SimdTables | undefined;

parentPort?.on('message', (job: ShardJob) => {
  try {
    if (job.tables) {
      tables = job.tables;
      scratch = createPortfolioScratch(tables);
      simd?.reset();
      simdTables = simd ? prepareSimdTables(tables, simd) : undefined;
    }
    if (!tables || !scratch) throw new Error('a job before its tables');
    const out = { im: job.im, mm: job.mm };
    if (simdTables)
      runPortfolioTablesSimd(tables, simdTables, job.view, job.ids, job.from, job.to, out, scratch);
    else runPortfolioTables(tables, job.view, job.ids, job.from, job.to, out, scratch);
  } catch {
    Atomics.store(job.ctl, CTL_FAILED, 1);
  }
  Atomics.add(job.ctl, CTL_DONE, 1);
  Atomics.notify(job.ctl, CTL_DONE);
});
