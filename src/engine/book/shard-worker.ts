/**
 * @module engine/book/shard-worker
 *
 * Body of one ShardedBook worker thread: waits on the shared control block, runs the pure kernel
 * (book-kernel.ts `remarginShard`) over its shard of accounts in the shared book, reports counts,
 * and repeats until told to stop. Loaded from the compiled JS (dist/src/engine/book/), since
 * worker threads do not run TypeScript sources.
 */
import { workerData } from 'node:worker_threads';
import { createScratch, remarginShard } from './book-kernel.js';
import { C_DONE, C_EPOCH, C_MASK, C_SEQ, C_STOP, type ShardWorkerData } from './shard-protocol.js';

const { data, ctrl, shard, nShards, events, counts } = workerData as ShardWorkerData;
const scratch = createScratch(data);
const mine = counts.subarray(2 * shard, 2 * shard + 2);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, C_SEQ, seen);
  seen = Atomics.load(ctrl, C_SEQ);
  if (Atomics.load(ctrl, C_STOP) !== 0) break;
  remarginShard(
    data,
    Atomics.load(ctrl, C_MASK),
    shard,
    nShards,
    Atomics.load(ctrl, C_EPOCH),
    scratch,
    events,
    mine,
  );
  Atomics.add(ctrl, C_DONE, 1);
  Atomics.notify(ctrl, C_DONE);
}
