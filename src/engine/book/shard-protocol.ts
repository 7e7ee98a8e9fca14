/**
 * @module engine/book/shard-protocol
 *
 * What the shard pool (shard-pool.ts) and its workers (shard-worker.ts) exchange.
 */
import type { AccountRowsView } from '../../core/margin/kernel/account-rows.js';
import type { PortfolioTables } from '../../core/margin/kernel/portfolio-tables.js';

/** Slots of the control array: jobs finished; a worker failed. */
export const CTL_DONE = 0;
export const CTL_FAILED = 1;

/** One worker's part of a re-margin. */
export interface ShardJob {
  /** the kernel's tables when they changed since this worker's last job */
  readonly tables?: PortfolioTables;
  /** the book's slots (shared memory) */
  readonly view: AccountRowsView;
  /** accounts to margin: ids[from..to) (shared memory) */
  readonly ids: Int32Array;
  readonly from: number;
  readonly to: number;
  /** outputs by account (shared memory) */
  readonly im: Float64Array;
  readonly mm: Float64Array;
  /** the pool's control array (shared memory) */
  readonly ctl: Int32Array;
}
