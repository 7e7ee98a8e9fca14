/**
 * @module engine/venue/types
 *
 * Types of the venue runtime: the journal plus the current market, re-margined on every market
 * update, with automatic top-up from siblings and liquidation by the planner, executed as journal
 * operations (so a store that persists every operation can rebuild the venue by replaying them).
 *
 * Units: USD (float64) for requirements and equity; exact base units (bigint) for balances; ms UTC.
 */
import type { HealthStatus } from '../../core/margin/account-risk.js';
import type { MarginMode } from '../accounts.js';
import type { JournalEntry } from '../journal.js';
import type { Operation } from '../operations.js';

export type { HealthStatus, HealthThresholds } from '../../core/margin/account-risk.js';

/** A sub-account's margin state under its own mode. */
export interface SubAccountHealth {
  readonly key: string;
  readonly accountId: string;
  readonly subAccountId: string;
  readonly mode: MarginMode;
  readonly equityUsd: number;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  /** equity / MM; null when MM = 0 (nothing at risk) or not finite */
  readonly health: number | null;
  /** core/margin/account-risk.ts `classifyHealth` under the venue's thresholds */
  readonly status: HealthStatus;
}

/** One liquidation of one sub-account, as executed. */
export interface LiquidationRecord {
  readonly timeMs: number;
  readonly subAccount: string;
  /** planner outcome: restored, unreachable or bankrupt */
  readonly outcome: 'restored' | 'unreachable' | 'bankrupt';
  readonly plan: 'greedy' | 'slice' | 'none';
  readonly steps: number;
  /** whose costs were charged: `planner`, or the venue's own liquidation pricing by name */
  readonly pricing: string;
  /** slippage (or the spread to the venue's fill price) + gas, USD */
  readonly costUsd: number;
  /** liquidator fee charged to the account, USD */
  readonly feeUsd: number;
  /** fee share paid into the insurance fund, USD */
  readonly insuranceUsd: number;
  readonly bankrupt: boolean;
  /** negative equity left after everything was closed, USD (0 unless bankrupt) */
  readonly deficitUsd: number;
  /** paid by the insurance fund, USD */
  readonly insurancePaidUsd: number;
  /** socialised by auto-deleveraging, USD */
  readonly adlUsd: number;
  readonly before: SubAccountHealth;
  readonly after: SubAccountHealth;
}

/** An event of the venue runtime. */
export type VenueEvent =
  | { readonly type: 'tick'; readonly timeMs: number; readonly prices: Readonly<Record<string, number>> }
  /** every operation the venue itself applied (top-ups, liquidations, insurance payouts, ADL) */
  | { readonly type: 'operation'; readonly op: Operation; readonly entry: JournalEntry }
  | { readonly type: 'margin'; readonly account: SubAccountHealth }
  | {
      readonly type: 'status';
      readonly timeMs: number;
      readonly from: HealthStatus;
      readonly account: SubAccountHealth;
    }
  | { readonly type: 'liquidation'; readonly record: LiquidationRecord };
