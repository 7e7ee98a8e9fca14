/**
 * @module engine/book/shard-pool
 *
 * Worker threads that share a large re-margin by account: the book's slots and the IM/MM columns
 * live in shared memory (risk-book.ts), the account ids of a job are copied into a shared array,
 * and each thread margins its range with the same runner from the same tables
 * (core/margin/kernel/portfolio-tables.ts), so the numbers are those of one thread, bit for bit
 * (shard-pool.test.ts). The calling thread takes the first range itself and waits for the others
 * with `Atomics.wait`, so a re-margin stays a synchronous call: nothing else runs on the venue
 * between a price and its liquidations.
 *
 * Safety: a worker that fails (or does not answer within `timeoutMs`) is not trusted again: the
 * pool closes and the caller margins the missing ranges itself; the venue goes on single-threaded,
 * with the same numbers. Workers are unreferenced, so they never keep a process alive.
 *
 * Only kernels that are plain tables can be shared this way (the `portfolio` model today); every
 * other model runs on the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AccountRowsView } from '../../core/margin/kernel/account-rows.js';
import type { PortfolioTables } from '../../core/margin/kernel/portfolio-tables.js';
import type { MarginOut } from '../../core/margin/kernel/prepared-margin.js';
import { CTL_DONE, CTL_FAILED, type ShardJob } from './shard-protocol.js';

/** Workers by default: one per core beyond the calling thread's, at most 7. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7));
}

/** The worker's script: next to this module when compiled, else the compiled copy in dist. */
function workerScript(): URL | undefined {
  for (const rel of ['./shard-worker.js', '../../../dist/src/engine/book/shard-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** The pool (module header). */
export class ShardPool {
  readonly #workers: Worker[] = [];
  readonly #sent: (PortfolioTables | undefined)[] = [];
  readonly #ctl = new Int32Array(new SharedArrayBuffer(8));
  readonly #timeoutMs: number;
  #ids = new Int32Array(new SharedArrayBuffer(4 * 1024));
  #closed = false;

  /**
   * @param workers  worker threads to start (the calling thread works too)
   * @param timeoutMs  how long a re-margin waits for its workers before doing their part itself
   */
  constructor(workers: number, timeoutMs = 60_000) {
    this.#timeoutMs = timeoutMs;
    const script = workerScript();
    if (!script) {
      this.#closed = true;
      return;
    }
    for (let i = 0; i < workers; i++) {
      const w = new Worker(script);
      w.unref();
      w.on('error', () => this.close());
      this.#workers.push(w);
      this.#sent.push(undefined);
    }
    if (workers === 0) this.#closed = true;
  }

  /** Threads that share a job (workers and the caller); 1 once the pool is closed. */
  get threads(): number {
    return this.#closed ? 1 : this.#workers.length + 1;
  }

  /**
   * Margins accounts ids[0..n) from `tables`; `local(ids, n)` margins a range on the calling thread
   * (the prepared kernel's own `margin`, same tables). Falls back to `local` for everything the
   * workers do not finish.
   */
  run(
    tables: PortfolioTables,
    view: AccountRowsView,
    ids: Int32Array,
    n: number,
    out: MarginOut,
    local: (ids: Int32Array, n: number) => void,
  ): void {
    const shared = [view.start, view.count, view.row, view.qty, view.entry, out.im, out.mm].every(isShared);
    if (this.#closed || !shared || n === 0) {
      local(ids, n);
      return;
    }
    if (this.#ids.length < n)
      this.#ids = new Int32Array(new SharedArrayBuffer(4 * Math.max(n, 2 * this.#ids.length)));
    const sharedIds = this.#ids;
    sharedIds.set(ids.subarray(0, n));
    const threads = this.#workers.length + 1;
    const share = Math.ceil(n / threads);
    Atomics.store(this.#ctl, CTL_DONE, 0);
    Atomics.store(this.#ctl, CTL_FAILED, 0);
    const ranges: [number, number][] = [];
    this.#workers.forEach((w, i) => {
      const from = Math.min(n, (i + 1) * share);
      const to = Math.min(n, (i + 2) * share);
      const job: ShardJob = {
        ...(this.#sent[i] === tables ? {} : { tables }),
        view,
        ids: sharedIds,
        from,
        to,
        im: out.im,
        mm: out.mm,
        ctl: this.#ctl,
      };
      this.#sent[i] = tables;
      ranges.push([from, to]);
      w.postMessage(job);
    });
    local(sharedIds, Math.min(n, share));
    const posted = this.#workers.length;
    const deadline = performance.now() + this.#timeoutMs;
    for (;;) {
      const done = Atomics.load(this.#ctl, CTL_DONE);
      if (done >= posted) break;
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.#ctl, CTL_DONE, done, left) === 'timed-out') {
        Atomics.store(this.#ctl, CTL_FAILED, 1);
        break;
      }
    }
    if (Atomics.load(this.#ctl, CTL_FAILED) !== 0) {
      this.close();
      for (const [from, to] of ranges) if (to > from) local(sharedIds.subarray(from, to), to - from);
    }
  }

  /** Stops the workers; later jobs run on the calling thread. */
  close(): void {
    if (this.#closed && this.#workers.length === 0) return;
    this.#closed = true;
    for (const w of this.#workers.splice(0)) void w.terminate();
    this.#sent.length = 0;
  }
}
