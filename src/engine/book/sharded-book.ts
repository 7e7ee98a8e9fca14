/**
 * @module engine/book/sharded-book
 *
 * `ShardedBook`: the columnar book re-margined by N worker threads, account a on shard a mod N.
 * The book's arrays live on SharedArrayBuffers, so workers read risk arrays and write IM, MM,
 * health and states in place; each worker runs the same kernel as the single-thread path
 * (book-kernel.ts `remarginShard`), so results are identical. Commands are synchronous: the main
 * thread blocks in Atomics.wait until every shard is done (no event-loop turn needed).
 *
 * Workers load the compiled `shard-worker.js` next to this module's compiled file (dist/); when
 * running TypeScript sources (vitest), pass `workerUrl` pointing at the built file.
 */
import { Worker } from 'node:worker_threads';
import { InvariantError } from '../../core/errors.js';
import { ALL_UNDERLYINGS, decodeEvents, type HealthEvent } from './book-kernel.js';
import type { ColumnarBook } from './columnar-book.js';
import {
  C_DONE,
  C_EPOCH,
  C_MASK,
  C_SEQ,
  C_STOP,
  CTRL_SLOTS,
  type ShardWorkerData,
} from './shard-protocol.js';

/** Options of a ShardedBook. */
export interface ShardedBookOptions {
  /** URL of the compiled worker (default: shard-worker.js beside this module) */
  readonly workerUrl?: URL;
  /** longest wait for one command before failing, ms (default 60,000) */
  readonly timeoutMs?: number;
}

/** A ColumnarBook re-margined across worker threads (module header). */
export class ShardedBook {
  readonly book: ColumnarBook;
  readonly nShards: number;
  private readonly workers: Worker[] = [];
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_SLOTS));
  private readonly counts: Int32Array;
  private readonly events: Int32Array[] = [];
  private readonly timeoutMs: number;

  constructor(book: ColumnarBook, nShards: number, options: ShardedBookOptions = {}) {
    if (!(Number.isInteger(nShards) && nShards >= 1))
      throw new InvariantError('nShards must be a positive integer', { nShards });
    this.book = book;
    this.nShards = nShards;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.counts = new Int32Array(new SharedArrayBuffer(8 * nShards));
    const url = options.workerUrl ?? new URL('./shard-worker.js', import.meta.url);
    const perShard = Math.ceil(book.nAccounts / nShards);
    for (let shard = 0; shard < nShards; shard++) {
      const events = new Int32Array(new SharedArrayBuffer(12 * Math.max(perShard, 1)));
      this.events.push(events);
      const wd: ShardWorkerData = {
        data: book.data,
        ctrl: this.ctrl,
        shard,
        nShards,
        events,
        counts: this.counts,
      };
      const w = new Worker(url, { workerData: wd });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Re-margins every account across the shards; threshold crossings sorted by account. */
  remarginAll(): HealthEvent[] {
    return this.run(ALL_UNDERLYINGS).events;
  }

  /** Incremental re-margin across the shards (ColumnarBook.remargin semantics). */
  remargin(changedUnderlyings: readonly string[]): { touched: number; events: HealthEvent[] } {
    return this.run(this.book.maskOf(changedUnderlyings));
  }

  private run(mask: number): { touched: number; events: HealthEvent[] } {
    const c = this.ctrl;
    Atomics.store(c, C_DONE, 0);
    Atomics.store(c, C_MASK, mask);
    Atomics.store(c, C_EPOCH, this.book.nextEpoch());
    Atomics.add(c, C_SEQ, 1);
    Atomics.notify(c, C_SEQ);
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(c, C_DONE);
      if (done >= this.nShards) break;
      const left = deadline - performance.now();
      if (left <= 0)
        throw new InvariantError('shard workers did not answer in time', { done, nShards: this.nShards });
      Atomics.wait(c, C_DONE, done, left);
    }
    let touched = 0;
    const events: HealthEvent[] = [];
    for (let k = 0; k < this.nShards; k++) {
      touched += this.counts[2 * k]!;
      decodeEvents(this.events[k]!, this.counts[2 * k + 1]!, events);
    }
    events.sort((x, y) => x.account - y.account);
    return { touched, events };
  }

  /** Stops and terminates the workers. */
  async close(): Promise<void> {
    Atomics.store(this.ctrl, C_STOP, 1);
    Atomics.add(this.ctrl, C_SEQ, 1);
    Atomics.notify(this.ctrl, C_SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
