/**
 * @module engine/book
 *
 * The columnar account book: typed-array positions, the `portfolio` model's margin as a
 * sparse kernel, incremental re-margining on a tick, health events, worker-thread sharding.
 * @see docs/methodology/engine-book.md
 */
export {
  ALL_UNDERLYINGS,
  HEALTH_STATES,
  accountInitialMargin,
  createScratch,
  remarginShard,
} from './book-kernel.js';
export type { BookData, HealthEvent, HealthState, KernelScratch } from './book-kernel.js';
export { ColumnarBook, DEFAULT_BOOK_THRESHOLDS, buildBookUniverse, remargin } from './columnar-book.js';
export type { BookColumns, BookThresholds, BookUniverse } from './columnar-book.js';
export { ShardedBook } from './sharded-book.js';
export type { ShardedBookOptions } from './sharded-book.js';
