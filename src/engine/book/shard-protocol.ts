/**
 * @module engine/book/shard-protocol
 *
 * The shared control block between ShardedBook and its workers (pure: no node imports).
 * `ctrl` is an Int32Array on a SharedArrayBuffer; the main thread writes the command (mask, epoch),
 * bumps C_SEQ and notifies; each worker runs its shard, bumps C_DONE and notifies.
 */
import type { BookData } from './book-kernel.js';

/** command sequence number (bumped per command) */
export const C_SEQ = 0;
/** underlying bitmask, or ALL_UNDERLYINGS */
export const C_MASK = 1;
/** dedupe epoch of the command */
export const C_EPOCH = 2;
/** workers finished with the current command */
export const C_DONE = 3;
/** non-zero: workers exit */
export const C_STOP = 4;
export const CTRL_SLOTS = 5;

/** What each worker receives at start (typed arrays on SharedArrayBuffers: shared, not copied). */
export interface ShardWorkerData {
  readonly data: BookData;
  readonly ctrl: Int32Array;
  readonly shard: number;
  readonly nShards: number;
  /** this shard's event triples (account, from, to) */
  readonly events: Int32Array;
  /** 2 per shard: accounts re-margined, events written */
  readonly counts: Int32Array;
}
